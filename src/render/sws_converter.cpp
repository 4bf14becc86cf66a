#include "render/sws_converter.h"

#include <algorithm>

extern "C" {
#include <libavutil/frame.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>
}

namespace sw::render {

SwsConverter::~SwsConverter() { sws_freeContext(m_ctx); }

static int sws_colorspace(int av_colorspace, int height)
{
    switch (av_colorspace) {
    case AVCOL_SPC_BT709: return SWS_CS_ITU709;
    case AVCOL_SPC_BT470BG:
    case AVCOL_SPC_SMPTE170M: return SWS_CS_ITU601;
    case AVCOL_SPC_SMPTE240M: return SWS_CS_SMPTE240M;
    case AVCOL_SPC_FCC: return SWS_CS_FCC;
    case AVCOL_SPC_BT2020_NCL:
    case AVCOL_SPC_BT2020_CL: return SWS_CS_BT2020;
    default: return height >= 720 ? SWS_CS_ITU709 : SWS_CS_ITU601;  // untagged: guess by size
    }
}

core::Status SwsConverter::convert(const AVFrame* src, int x, int y, int w, int h, core::Frame& dst)
{
    const auto fmt = static_cast<AVPixelFormat>(src->format);
    const AVPixFmtDescriptor* desc = av_pix_fmt_desc_get(fmt);
    if (!desc)
        return core::make_error(core::ErrorCategory::Media, "decoded video frame has an unknown pixel format");
    const int ax = 1 << desc->log2_chroma_w, ay = 1 << desc->log2_chroma_h;
    x = std::clamp(x / ax * ax, 0, std::max(0, src->width - ax));
    y = std::clamp(y / ay * ay, 0, std::max(0, src->height - ay));
    w = std::clamp(w, 1, src->width - x);
    h = std::clamp(h, 1, src->height - y);

    const uint8_t* planes[4] = {};
    int strides[4] = {};
    for (int i = 0; i < 4 && src->data[i]; ++i) {
        // Byte step of one pixel in plane i (packed formats have several components per plane).
        int step = 1;
        for (int c = 0; c < desc->nb_components; ++c)
            if (desc->comp[c].plane == i)
                step = desc->comp[c].step;
        const bool chroma = (i == 1 || i == 2) && !(desc->flags & AV_PIX_FMT_FLAG_RGB);
        int px = chroma ? x >> desc->log2_chroma_w : x;
        int py = chroma ? y >> desc->log2_chroma_h : y;
        planes[i] = src->data[i] + (ptrdiff_t)py * src->linesize[i] + (ptrdiff_t)px * step;
        strides[i] = src->linesize[i];
    }

    const bool full_range = src->color_range == AVCOL_RANGE_JPEG || fmt == AV_PIX_FMT_YUVJ420P ||
                            fmt == AV_PIX_FMT_YUVJ422P || fmt == AV_PIX_FMT_YUVJ444P;
    int flags = SWS_BICUBIC | SWS_ACCURATE_RND;
    if (w > 2 * dst.width() || h > 2 * dst.height())
        flags = SWS_AREA | SWS_ACCURATE_RND;
    m_ctx = sws_getCachedContext(m_ctx, w, h, fmt, dst.width(), dst.height(), AV_PIX_FMT_YUV420P, flags, nullptr,
                                 nullptr, nullptr);
    if (!m_ctx)
        return core::make_error(core::ErrorCategory::Media, "could not set up video conversion",
                                std::string(desc->name) + " " + std::to_string(w) + "x" + std::to_string(h));
    sws_setColorspaceDetails(m_ctx, sws_getCoefficients(sws_colorspace(src->colorspace, src->height)), full_range,
                             sws_getCoefficients(SWS_CS_ITU709), 0, 0, 1 << 16, 1 << 16);
    uint8_t* dp[4] = {dst.plane(0), dst.plane(1), dst.plane(2), nullptr};
    int ds[4] = {dst.stride(0), dst.stride(1), dst.stride(2), 0};
    sws_scale(m_ctx, planes, strides, 0, h, dp, ds);
    return {};
}

}  // namespace sw::render
