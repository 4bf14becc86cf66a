// FrameConverter (decoded frame → working format in one swscale pass) and the plane
// transforms for EXIF orientation and display rotation.

#include <algorithm>
#include <cstring>

#include "media/media_internal.h"

extern "C" {
#include <libavutil/pixdesc.h>
}

namespace sw::media {

using core::ErrorCategory;
using core::make_error;

namespace detail {

namespace {

bool is_yuvj(AVPixelFormat f)
{
    return f == AV_PIX_FMT_YUVJ420P || f == AV_PIX_FMT_YUVJ422P || f == AV_PIX_FMT_YUVJ444P ||
           f == AV_PIX_FMT_YUVJ440P || f == AV_PIX_FMT_YUVJ411P;
}

// The yuvj* formats are yuv* with "full range" baked into the name (deprecated). We pass the
// range explicitly, so hand swscale the plain format and spare it (and the log) the warning.
AVPixelFormat without_j(AVPixelFormat f)
{
    switch (f) {
    case AV_PIX_FMT_YUVJ420P: return AV_PIX_FMT_YUV420P;
    case AV_PIX_FMT_YUVJ422P: return AV_PIX_FMT_YUV422P;
    case AV_PIX_FMT_YUVJ444P: return AV_PIX_FMT_YUV444P;
    case AV_PIX_FMT_YUVJ440P: return AV_PIX_FMT_YUV440P;
    case AV_PIX_FMT_YUVJ411P: return AV_PIX_FMT_YUV411P;
    default: return f;
    }
}

// Formats whose numbers are not Y'CbCr: RGB, palettes, and grey (stored 0-255 by PNG/TIFF).
bool is_non_yuv(const AVPixFmtDescriptor* d)
{
    return (d->flags & (AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_PAL)) || d->nb_components <= 2;
}

}  // namespace

int sws_colorspace_of(const AVFrame* f)
{
    switch (f->colorspace) {
    case AVCOL_SPC_BT709: return SWS_CS_ITU709;
    case AVCOL_SPC_BT470BG:
    case AVCOL_SPC_SMPTE170M: return SWS_CS_ITU601;
    case AVCOL_SPC_SMPTE240M: return SWS_CS_SMPTE240M;
    case AVCOL_SPC_FCC: return SWS_CS_FCC;
    case AVCOL_SPC_BT2020_NCL:
    case AVCOL_SPC_BT2020_CL: return SWS_CS_BT2020;
    default: break;
    }
    // Untagged: JPEG (JFIF) is BT.601 by definition; for video, follow what players do and
    // guess from the picture height.
    if (is_yuvj((AVPixelFormat)f->format))
        return SWS_CS_ITU601;
    return f->height >= 720 ? SWS_CS_ITU709 : SWS_CS_ITU601;
}

bool is_full_range(const AVFrame* f)
{
    if (f->color_range == AVCOL_RANGE_JPEG)
        return true;
    if (f->color_range == AVCOL_RANGE_MPEG)
        return false;
    const auto fmt = (AVPixelFormat)f->format;
    if (is_yuvj(fmt))
        return true;
    const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(fmt);
    return d && is_non_yuv(d);
}

}  // namespace detail

struct FrameConverter::Impl {
    SwsContextPtr ctx;
    // What the cached context was built for.
    int src_w = 0, src_h = 0, dst_w = 0, dst_h = 0;
    AVPixelFormat src_fmt = AV_PIX_FMT_NONE;
    int colorspace = -1;
    bool full_range = false;
};

FrameConverter::FrameConverter()
    : m_impl(std::make_unique<Impl>())
{
}
FrameConverter::~FrameConverter() = default;
FrameConverter::FrameConverter(FrameConverter&&) noexcept = default;
FrameConverter& FrameConverter::operator=(FrameConverter&&) noexcept = default;

core::Status FrameConverter::convert(const AVFrame* src, PixelRect r, core::Frame& dst)
{
    if (!src || !src->data[0] || src->width <= 0 || src->height <= 0)
        return make_error(ErrorCategory::Internal, "FrameConverter::convert: empty source frame");
    if (dst.empty())
        return make_error(ErrorCategory::Internal, "FrameConverter::convert: destination frame not allocated");
    if (!m_impl)
        m_impl = std::make_unique<Impl>();
    const auto fmt = (AVPixelFormat)src->format;
    const AVPixFmtDescriptor* desc = av_pix_fmt_desc_get(fmt);
    if (!desc || (desc->flags & AV_PIX_FMT_FLAG_HWACCEL))
        return make_error(ErrorCategory::Media, "decoded video frame has a pixel format that cannot be converted",
                          desc ? desc->name : "unknown");

    // Crop origin on the chroma grid (and on a byte boundary for 1-bit formats), so that every
    // plane's pointer can simply be offset: swscale then crops for free.
    int ax = 1 << desc->log2_chroma_w, ay = 1 << desc->log2_chroma_h;
    if (desc->flags & AV_PIX_FMT_FLAG_BITSTREAM)
        ax = std::max(ax, 8);
    int x = std::clamp(r.x, 0, src->width - 1) / ax * ax;
    int y = std::clamp(r.y, 0, src->height - 1) / ay * ay;
    int w = std::clamp(r.width, 1, src->width - x);
    int h = std::clamp(r.height, 1, src->height - y);

    const int cs = detail::sws_colorspace_of(src);
    const bool full = detail::is_full_range(src);

    // Already in the working format at the right size: a plain copy is cheaper than swscale.
    if (fmt == AV_PIX_FMT_YUV420P && !full && cs == SWS_CS_ITU709 && w == dst.width() && h == dst.height()) {
        for (int p = 0; p < 3; ++p) {
            const int px = p ? x / 2 : x, py = p ? y / 2 : y;
            for (int row = 0; row < dst.plane_height(p); ++row)
                std::memcpy(dst.row(p, row), src->data[p] + (ptrdiff_t)(py + row) * src->linesize[p] + px,
                            dst.plane_width(p));
        }
        return {};
    }

    const uint8_t* planes[4] = {};
    int strides[4] = {};
    for (int i = 0; i < 4 && src->data[i]; ++i) {
        strides[i] = src->linesize[i];
        if ((desc->flags & AV_PIX_FMT_FLAG_PAL) && i == 1) {  // the palette, not pixels
            planes[i] = src->data[i];
            continue;
        }
        int step = 1;
        for (int c = 0; c < desc->nb_components; ++c)
            if (desc->comp[c].plane == i)
                step = desc->comp[c].step;  // bytes per pixel in this plane (packed formats)
        const bool chroma = (i == 1 || i == 2) && !(desc->flags & AV_PIX_FMT_FLAG_RGB);
        const int px = chroma ? x >> desc->log2_chroma_w : x;
        const int py = chroma ? y >> desc->log2_chroma_h : y;
        const ptrdiff_t xoff = (desc->flags & AV_PIX_FMT_FLAG_BITSTREAM) ? px / 8 : (ptrdiff_t)px * step;
        planes[i] = src->data[i] + (ptrdiff_t)py * src->linesize[i] + xoff;
    }

    Impl& m = *m_impl;
    cpu_profile();
    if (!m.ctx || m.src_w != w || m.src_h != h || m.src_fmt != fmt || m.dst_w != dst.width() ||
        m.dst_h != dst.height() || m.colorspace != cs || m.full_range != full) {
        m.ctx.reset(sws_getContext(w, h, detail::without_j(fmt), dst.width(), dst.height(), AV_PIX_FMT_YUV420P,
                                   exact_sws_flags(SWS_BICUBIC), nullptr, nullptr, nullptr));
        if (!m.ctx)
            return make_error(ErrorCategory::Media, "could not set up the conversion of decoded video",
                              std::string(desc->name) + " " + std::to_string(w) + "x" + std::to_string(h) + " → " +
                                  std::to_string(dst.width()) + "x" + std::to_string(dst.height()));
        // Set once per context: with differing matrices swscale builds an internal cascade
        // (YUV → RGB → YUV), which is far too costly to redo per frame.
        sws_setColorspaceDetails(m.ctx.get(), sws_getCoefficients(cs), full ? 1 : 0,
                                 sws_getCoefficients(SWS_CS_ITU709), 0, 0, 1 << 16, 1 << 16);
        m.src_w = w, m.src_h = h, m.src_fmt = fmt, m.dst_w = dst.width(), m.dst_h = dst.height();
        m.colorspace = cs, m.full_range = full;
    }
    uint8_t* dp[4] = {dst.plane(0), dst.plane(1), dst.plane(2), nullptr};
    int ds[4] = {dst.stride(0), dst.stride(1), dst.stride(2), 0};
    int out = sws_scale(m.ctx.get(), planes, strides, 0, h, dp, ds);
    if (out <= 0)
        return make_error(ErrorCategory::Media, "converting a decoded video frame failed", av_error_string(out));
    return {};
}

core::Result<core::Frame> FrameConverter::convert(const AVFrame* src, int out_w, int out_h)
{
    if (out_w <= 0 || out_h <= 0 || out_w % 2 || out_h % 2)
        return make_error(ErrorCategory::Internal, "FrameConverter::convert: output size must be even and positive");
    if (!src)
        return make_error(ErrorCategory::Internal, "FrameConverter::convert: empty source frame");
    core::Frame dst(out_w, out_h);
    SW_TRY_STATUS(convert(src, PixelRect{0, 0, src->width, src->height}, dst));
    return dst;
}

namespace {

// Output pixel (dx, dy) takes source pixel (a·dx + b·dy + c, d·dx + e·dy + f), for a source
// plane of w x h. Written as a pointer walk so each output row is one tight loop.
struct Affine {
    int a, b, c, d, e, f;
    bool swaps;
};

Affine orientation_map(int orientation, int w, int h)
{
    switch (orientation) {
    case 2: return {-1, 0, w - 1, 0, 1, 0, false};          // mirror horizontally
    case 3: return {-1, 0, w - 1, 0, -1, h - 1, false};     // rotate 180
    case 4: return {1, 0, 0, 0, -1, h - 1, false};          // mirror vertically
    case 5: return {0, 1, 0, 1, 0, 0, true};                // transpose
    case 6: return {0, 1, 0, -1, 0, h - 1, true};           // rotate 90 clockwise
    case 7: return {0, -1, w - 1, -1, 0, h - 1, true};      // transverse
    case 8: return {0, -1, w - 1, 1, 0, 0, true};           // rotate 270 clockwise
    default: return {1, 0, 0, 0, 1, 0, false};
    }
}

}  // namespace

core::Frame apply_exif_orientation(const core::Frame& frame, int orientation)
{
    if (frame.empty() || orientation < 2 || orientation > 8)
        return frame;
    const bool swaps = orientation >= 5;
    core::Frame out(swaps ? frame.height() : frame.width(), swaps ? frame.width() : frame.height());
    for (int p = 0; p < 3; ++p) {
        const int sw = frame.plane_width(p), sh = frame.plane_height(p);
        const Affine m = orientation_map(orientation, sw, sh);
        const ptrdiff_t stride = frame.stride(p);
        const ptrdiff_t step = m.a + m.d * stride;  // source bytes per output pixel
        const uint8_t* base = frame.plane(p);
        for (int dy = 0; dy < out.plane_height(p); ++dy) {
            const uint8_t* s = base + (m.b * dy + m.c) + (ptrdiff_t)(m.e * dy + m.f) * stride;
            uint8_t* d = out.row(p, dy);
            const int n = out.plane_width(p);
            for (int dx = 0; dx < n; ++dx, s += step)
                d[dx] = *s;
        }
    }
    out.index = frame.index;
    return out;
}

core::Frame rotate_frame(const core::Frame& frame, int degrees_clockwise)
{
    switch (((degrees_clockwise % 360) + 360) % 360) {
    case 90: return apply_exif_orientation(frame, 6);
    case 180: return apply_exif_orientation(frame, 3);
    case 270: return apply_exif_orientation(frame, 8);
    default: return frame;
    }
}

}  // namespace sw::media
