// load_image(): one picture (JPEG, PNG, WebP, BMP, TIFF, GIF's first frame) into the working
// format, upright.

#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>

#include "media/media_internal.h"

extern "C" {
#include <libavutil/dict.h>
#include <libavutil/pixdesc.h>
}

namespace sw::media {

using core::ErrorCategory;
using core::make_error;

namespace {

// EXIF orientation (1-8) of a decoded picture. FFmpeg 5.1's JPEG (and PNG eXIf) decoders put
// the EXIF tags in the frame's metadata ("Orientation", value padded with spaces, e.g.
// "    6"); the JPEG decoder also exports it as a display matrix, which we fall back on.
int frame_orientation(const AVFrame* f)
{
    if (const AVDictionaryEntry* e = av_dict_get(f->metadata, "Orientation", nullptr, 0)) {
        const char* v = e->value + std::strspn(e->value, " \t\r\n");
        char* end = nullptr;
        long o = std::strtol(v, &end, 10);
        if (end != v && o >= 1 && o <= 8)
            return (int)o;
    }
    if (const AVFrameSideData* sd = av_frame_get_side_data(f, AV_FRAME_DATA_DISPLAYMATRIX);
        sd && sd->size >= 9 * sizeof(int32_t)) {
        const auto* m = reinterpret_cast<const int32_t*>(sd->data);
        auto sgn = [](int32_t v) { return (v > 0) - (v < 0); };
        const int a = sgn(m[0]), b = sgn(m[1]), c = sgn(m[3]), d = sgn(m[4]);
        // The matrices libavcodec's mjpeg decoder writes for each orientation.
        struct {
            int a, b, c, d, orientation;
        } static const table[] = {{1, 0, 0, 1, 1},  {-1, 0, 0, 1, 2}, {-1, 0, 0, -1, 3}, {1, 0, 0, -1, 4},
                                  {0, 1, 1, 0, 5},  {0, 1, -1, 0, 6}, {0, -1, -1, 0, 7}, {0, -1, 1, 0, 8}};
        for (const auto& t : table)
            if (t.a == a && t.b == b && t.c == c && t.d == d)
                return t.orientation;
    }
    return 1;
}

}  // namespace

namespace {

// The picture's first frame as the decoder gives it. `strict`: any damage the decoder notices
// is an error (AV_EF_EXPLODE); otherwise it conceals what it can, as players do.
core::Result<FramePtr> decode_picture(const fs::path& path, bool strict)
{
    // open_input checks existence, permissions, that it is media with a picture, and the
    // declared size against kMaxPixels/kMaxDimension — all before anything is decoded.
    auto in = SW_TRY(detail::open_input(path));
    const std::string shown = detail::display_path(path);
    AVStream* st = in.fmt->streams[in.video_stream];
    for (unsigned i = 0; i < in.fmt->nb_streams; ++i)
        if ((int)i != in.video_stream)
            in.fmt->streams[i]->discard = AVDISCARD_ALL;
    auto dec = SW_TRY(detail::open_video_decoder(path, st, 1));
    if (strict)
        dec->err_recognition |= AV_EF_EXPLODE;

    PacketPtr pkt = make_packet();
    FramePtr frame = make_frame();
    if (!pkt || !frame)
        return make_error(ErrorCategory::Media, "out of memory");
    bool got = false, flushing = false;
    int last_error = 0;
    while (!got) {
        int ret = avcodec_receive_frame(dec.get(), frame.get());
        if (ret == 0) {
            got = true;
            break;
        }
        if (ret == AVERROR_EOF)
            break;
        if (ret != AVERROR(EAGAIN))
            last_error = ret;
        if (flushing)
            break;
        ret = av_read_frame(in.fmt.get(), pkt.get());
        if (ret < 0) {
            flushing = true;
            avcodec_send_packet(dec.get(), nullptr);
            continue;
        }
        if (pkt->stream_index == in.video_stream) {
            ret = avcodec_send_packet(dec.get(), pkt.get());
            if (ret < 0 && ret != AVERROR(EAGAIN))
                last_error = ret;
        }
        av_packet_unref(pkt.get());
    }
    if (!got || (strict && (frame->decode_error_flags || (frame->flags & AV_FRAME_FLAG_CORRUPT))))
        return make_error(ErrorCategory::Input,
                          shown + " could not be decoded (the image is corrupt or truncated) — open it in an image "
                                  "editor and save it again",
                          last_error ? av_error_string(last_error) : std::string{});
    return frame;
}

// Rows the decoder never reached, counted from the bottom: libavcodec hands out zeroed buffers,
// so in planar 8-bit YUV they are Y = U = V = 0 (the grey-green of a cut JPEG), which a decoded
// picture does not produce (its black has U = V = 128). 0 for other formats.
int unreached_rows(const AVFrame* f)
{
    const AVPixFmtDescriptor* d = av_pix_fmt_desc_get((AVPixelFormat)f->format);
    if (!d || d->nb_components != 3 || (d->flags & (AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_PAL)) ||
        !(d->flags & AV_PIX_FMT_FLAG_PLANAR) || d->comp[0].depth != 8)
        return 0;
    auto zero = [](const uint8_t* p, int n) {
        for (int i = 0; i < n; ++i)
            if (p[i])
                return false;
        return true;
    };
    const int cw = AV_CEIL_RSHIFT(f->width, d->log2_chroma_w);
    int rows = 0;
    for (int y = f->height - 1; y >= 0; --y, ++rows) {
        const int cy = y >> d->log2_chroma_h;
        if (!zero(f->data[0] + (ptrdiff_t)y * f->linesize[0], f->width) ||
            !zero(f->data[1] + (ptrdiff_t)cy * f->linesize[1], cw) || !zero(f->data[2] + (ptrdiff_t)cy * f->linesize[2], cw))
            break;
    }
    return rows;
}

core::Status check_image(const fs::path& path)
{
    if (decode_picture(path, true))
        return {};
    const std::string shown = detail::display_path(path);
    auto lenient = decode_picture(path, false);
    if (!lenient)
        return make_error(ErrorCategory::Input,
                          shown + " is damaged: it cannot be decoded — re-export or re-download it",
                          lenient.error().detail);
    const AVFrame* f = lenient->get();
    const int missing = unreached_rows(f);
    if (missing == 0)
        return {};  // the decoder complained but every row came out: nothing the viewer would see
    return make_error(ErrorCategory::Input, shown + " is damaged (decoding stopped at row " +
                                                std::to_string(f->height - missing) + " of " +
                                                std::to_string(f->height) + ") — re-export or re-download it");
}

}  // namespace

core::Status validate_image(const fs::path& path)
{
    struct Verdict {
        uintmax_t size;
        fs::file_time_type mtime;
        core::Status status;
    };
    static std::mutex mutex;
    static std::map<std::string, Verdict> verdicts;
    std::error_code ec;
    const std::string key = fs::absolute(path, ec).lexically_normal().string();
    const uintmax_t size = fs::file_size(path, ec);
    const auto mtime = fs::last_write_time(path, ec);
    if (!ec) {
        std::lock_guard lock(mutex);
        if (auto it = verdicts.find(key); it != verdicts.end() && it->second.size == size && it->second.mtime == mtime)
            return it->second.status;
    }
    core::Status st = check_image(path);
    if (!ec) {
        std::lock_guard lock(mutex);
        verdicts[key] = Verdict{size, mtime, st};
    }
    return st;
}

core::Result<core::Frame> load_image(const fs::path& path)
{
    const std::string shown = detail::display_path(path);
    FramePtr frame = SW_TRY(decode_picture(path, false));
    // The decoder may disagree with the header it was probed from: check again.
    if (frame->width > kMaxDimension || frame->height > kMaxDimension ||
        (int64_t)frame->width * frame->height > kMaxPixels)
        return make_error(ErrorCategory::Input,
                          shown + " is a picture of " + std::to_string(frame->width) + "x" +
                              std::to_string(frame->height) + ", more than the supported maximum — scale it down");

    // The working format needs even sizes: drop the odd last row/column rather than resample
    // the whole picture by a fraction of a pixel. A 1-pixel-wide picture is stretched to 2.
    const int w = std::max(2, frame->width & ~1), h = std::max(2, frame->height & ~1);
    core::Frame out(w, h);
    FrameConverter conv;
    SW_TRY_STATUS(conv.convert(frame.get(), PixelRect{0, 0, std::min(w, frame->width), std::min(h, frame->height)}, out));
    return apply_exif_orientation(out, frame_orientation(frame.get()));
}

}  // namespace sw::media
