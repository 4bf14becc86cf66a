// normalize_clip: whatever a model produced → an H.264 MP4 of exactly the frames the engine asked
// for, at the project's size (cover fit) and rate. This MP4 is what gets cached and rendered,
// so it is encoded at high quality (CRF 16): it is an intermediate, not the final output.
//
// Three kinds of input:
//  - a video libav reads (MJPG AVI from sd-cli, WebM/VP9, MP4): media::VideoReader at the rate;
//  - an animated WebP: FFmpeg 5.1 cannot decode animated WebP, so libwebp's WebPAnimDecoder
//    does (frame end times in ms give the timing);
//  - a numbered PNG/JPEG sequence, given by its first file: decoded one picture at a time.

#include <webp/demux.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <optional>

#include "core/cancel.h"
#include "media/clip_normalize.h"
#include "media/media.h"

extern "C" {
#include <libavutil/frame.h>
#include <libavutil/pixfmt.h>
}

namespace sw::media {

using core::ErrorCategory;
using core::Frame;
using core::make_error;

namespace {

std::string lower_ext(const fs::path& p)
{
    std::string e = p.extension().string();
    std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return std::tolower(c); });
    return e;
}

struct AvFrameFree {
    void operator()(AVFrame* f) const { av_frame_free(&f); }
};
using AvFramePtr = std::unique_ptr<AVFrame, AvFrameFree>;

// An AVFrame header over pixels owned elsewhere (no copy), for FrameConverter.
AvFramePtr wrap_yuv(const Frame& f)
{
    AvFramePtr a(av_frame_alloc());
    if (!a)
        return a;
    a->format = AV_PIX_FMT_YUV420P;
    a->width = f.width();
    a->height = f.height();
    for (int p = 0; p < 3; ++p) {
        a->data[p] = const_cast<uint8_t*>(f.plane(p));
        a->linesize[p] = f.stride(p);
    }
    a->colorspace = AVCOL_SPC_BT709;
    a->color_range = AVCOL_RANGE_MPEG;
    return a;
}

AvFramePtr wrap_rgba(const uint8_t* rgba, int w, int h)
{
    AvFramePtr a(av_frame_alloc());
    if (!a)
        return a;
    a->format = AV_PIX_FMT_RGBA;
    a->width = w;
    a->height = h;
    a->data[0] = const_cast<uint8_t*>(rgba);
    a->linesize[0] = w * 4;
    a->color_range = AVCOL_RANGE_JPEG;
    return a;
}

// Crops the centre of `src` to the target's aspect ratio and scales it to `dst` (cover fit).
core::Status cover_fit(media::FrameConverter& conv, const AVFrame* src, Frame& dst)
{
    const double sw = src->width, sh = src->height;
    const double s = std::max(dst.width() / sw, dst.height() / sh);
    const double cw = std::min(sw, dst.width() / s), ch = std::min(sh, dst.height() / s);
    media::PixelRect r{(int)std::lround((sw - cw) / 2), (int)std::lround((sh - ch) / 2),
                       std::max(1, (int)std::lround(cw)), std::max(1, (int)std::lround(ch))};
    return conv.convert(src, r, dst);
}

// The frames of a produced clip at the output rate, already fitted; nullopt at the end.
class ClipFrames {
public:
    virtual ~ClipFrames() = default;
    virtual core::Result<std::optional<Frame>> next() = 0;
};

class VideoFrames final : public ClipFrames {
public:
    VideoFrames(media::VideoReader r, int w, int h) : m_reader(std::move(r)), m_w(w), m_h(h)
    {
        m_rotation = ((m_reader.info().rotation % 360) + 360) % 360;
    }

    core::Result<std::optional<Frame>> next() override
    {
        const AVFrame* src = SW_TRY(m_reader.next());
        if (!src)
            return std::optional<Frame>();
        Frame out(m_w, m_h);
        if (m_rotation == 0) {
            SW_TRY_STATUS(cover_fit(m_conv, src, out));
            return std::optional<Frame>(std::move(out));
        }
        // Rare for generated clips: upright the picture first, then fit it.
        Frame coded = SW_TRY(m_conv.convert(src, std::max(2, src->width & ~1), std::max(2, src->height & ~1)));
        Frame upright = media::rotate_frame(coded, m_rotation);
        AvFramePtr a = wrap_yuv(upright);
        if (!a)
            return make_error(ErrorCategory::Media, "out of memory");
        SW_TRY_STATUS(cover_fit(m_fit_conv, a.get(), out));
        return std::optional<Frame>(std::move(out));
    }

private:
    media::VideoReader m_reader;
    media::FrameConverter m_conv, m_fit_conv;
    int m_w, m_h, m_rotation = 0;
};

class SequenceFrames final : public ClipFrames {
public:
    SequenceFrames(std::vector<fs::path> files, int w, int h, core::Rational out_fps, core::Rational seq_fps)
        : m_files(std::move(files)), m_w(w), m_h(h), m_out(out_fps), m_seq(seq_fps)
    {
    }

    core::Result<std::optional<Frame>> next() override
    {
        // Output frame k shows the picture on screen at k / out_fps: index floor(k * seq / out).
        const int64_t k = m_k++;
        const int64_t idx = (int64_t)((__int128)k * m_seq.num * m_out.den / ((__int128)m_seq.den * m_out.num));
        if (idx >= (int64_t)m_files.size())
            return std::optional<Frame>();
        if (idx != m_loaded) {
            auto img = media::load_image(m_files[idx]);
            if (!img) {
                core::Error e = img.error();
                e.category = e.category == ErrorCategory::Cancelled ? e.category : ErrorCategory::Input;
                e.message = "picture " + std::to_string(idx + 1) + " of the sequence (" + m_files[idx].string() +
                            "): " + e.message;
                return tl::unexpected(e);
            }
            AvFramePtr a = wrap_yuv(*img);
            if (!a)
                return make_error(ErrorCategory::Media, "out of memory");
            Frame out(m_w, m_h);
            SW_TRY_STATUS(cover_fit(m_conv, a.get(), out));
            m_current = std::move(out);
            m_loaded = idx;
        }
        return std::optional<Frame>(m_current);
    }

private:
    std::vector<fs::path> m_files;
    int m_w, m_h;
    core::Rational m_out, m_seq;
    int64_t m_k = 0, m_loaded = -1;
    Frame m_current;
    media::FrameConverter m_conv;
};

class WebpFrames final : public ClipFrames {
public:
    ~WebpFrames() override
    {
        if (m_dec)
            WebPAnimDecoderDelete(m_dec);
    }

    static core::Result<std::unique_ptr<WebpFrames>> open(const fs::path& path, int w, int h, core::Rational fps)
    {
        std::unique_ptr<WebpFrames> f(new WebpFrames(w, h, fps));
        std::ifstream in(path, std::ios::binary);
        if (!in)
            return make_error(ErrorCategory::Input, "cannot read " + path.string());
        f->m_bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        WebPData data{f->m_bytes.data(), f->m_bytes.size()};
        WebPAnimDecoderOptions opt;
        if (!WebPAnimDecoderOptionsInit(&opt))
            return make_error(ErrorCategory::Internal, "libwebp version mismatch");
        opt.color_mode = MODE_RGBA;
        opt.use_threads = 0;
        f->m_dec = WebPAnimDecoderNew(&data, &opt);
        if (!f->m_dec)
            return make_error(ErrorCategory::Input, path.string() + " is not a readable WebP picture");
        WebPAnimInfo info;
        if (!WebPAnimDecoderGetInfo(f->m_dec, &info) || info.canvas_width == 0 || info.canvas_height == 0 ||
            (int64_t)info.canvas_width * info.canvas_height > media::kMaxPixels)
            return make_error(ErrorCategory::Input, path.string() + " is not a usable WebP animation (bad canvas size)");
        f->m_cw = (int)info.canvas_width;
        f->m_ch = (int)info.canvas_height;
        return f;
    }

    core::Result<std::optional<Frame>> next() override
    {
        // Output frame k is at t = k / fps; show the WebP frame whose [start, end) holds t.
        const int64_t k = m_k++;
        const double t_ms = (double)k * 1000.0 * m_fps.den / m_fps.num;
        while (!m_have || t_ms >= m_end_ms) {
            if (!WebPAnimDecoderHasMoreFrames(m_dec)) {
                if (!m_have)
                    return make_error(ErrorCategory::Input, "the WebP has no frames");
                return std::optional<Frame>();
            }
            uint8_t* buf = nullptr;
            int ts = 0;
            if (!WebPAnimDecoderGetNext(m_dec, &buf, &ts))
                return make_error(ErrorCategory::Input, "the WebP animation is damaged (frame " +
                                                             std::to_string(m_frames_decoded + 1) + ")");
            ++m_frames_decoded;
            // Zero-length frames (or a still WebP, whose end time is 0) last one output frame.
            m_end_ms = ts > m_end_ms ? ts : t_ms + 1e-3;
            m_rgba = buf;
            m_have = true;
            m_dirty = true;
        }
        if (m_dirty) {
            AvFramePtr a = wrap_rgba(m_rgba, m_cw, m_ch);
            if (!a)
                return make_error(ErrorCategory::Media, "out of memory");
            Frame out(m_w, m_h);
            SW_TRY_STATUS(cover_fit(m_conv, a.get(), out));
            m_current = std::move(out);
            m_dirty = false;
        }
        return std::optional<Frame>(m_current);
    }

private:
    WebpFrames(int w, int h, core::Rational fps) : m_w(w), m_h(h), m_fps(fps) {}

    std::vector<uint8_t> m_bytes;  // WebPAnimDecoder reads from this while decoding
    WebPAnimDecoder* m_dec = nullptr;
    int m_cw = 0, m_ch = 0, m_w, m_h;
    core::Rational m_fps;
    int64_t m_k = 0, m_frames_decoded = 0;
    double m_end_ms = 0;
    const uint8_t* m_rgba = nullptr;
    bool m_have = false, m_dirty = false;
    Frame m_current;
    media::FrameConverter m_conv;
};

core::Result<std::unique_ptr<ClipFrames>> open_frames(const fs::path& produced, int w, int h, core::Rational fps,
                                                      core::Rational seq_fps)
{
    const std::string ext = lower_ext(produced);
    if (ext == ".png" || ext == ".jpg" || ext == ".jpeg") {
        auto files = picture_sequence(produced);
        return std::unique_ptr<ClipFrames>(new SequenceFrames(std::move(files), w, h, fps, seq_fps));
    }
    bool webp = ext == ".webp";
    if (!webp) {  // a WebP under another name: RIFF....WEBP
        std::ifstream in(produced, std::ios::binary);
        char head[12] = {};
        webp = in.read(head, 12) && std::string(head, 4) == "RIFF" && std::string(head + 8, 4) == "WEBP";
    }
    if (webp) {
        auto f = SW_TRY(WebpFrames::open(produced, w, h, fps));
        return std::unique_ptr<ClipFrames>(std::move(f));
    }
    auto reader = SW_TRY(media::VideoReader::open(produced, fps));
    return std::unique_ptr<ClipFrames>(new VideoFrames(std::move(reader), w, h));
}

core::Error about_file(core::Error e, const fs::path& produced)
{
    if (e.category != ErrorCategory::Cancelled && e.category != ErrorCategory::Io)
        e.category = ErrorCategory::Input;
    if (e.message.find(produced.string()) == std::string::npos)
        e.message = "the generated clip " + produced.string() + " cannot be read: " + e.message;
    return e;
}

}  // namespace

std::vector<fs::path> picture_sequence(const fs::path& first)
{
    const std::string name = first.filename().string();
    const std::string ext = first.extension().string();
    const std::string stem = name.substr(0, name.size() - ext.size());
    // The last run of digits in the stem is the frame number.
    size_t end = stem.size();
    while (end > 0 && !std::isdigit((unsigned char)stem[end - 1]))
        --end;
    size_t begin = end;
    while (begin > 0 && std::isdigit((unsigned char)stem[begin - 1]))
        --begin;
    if (begin == end)
        return {first};
    const std::string prefix = stem.substr(0, begin), suffix = stem.substr(end) + ext;
    std::vector<std::pair<uint64_t, fs::path>> items;
    std::error_code ec;
    fs::path dir = first.parent_path().empty() ? fs::path(".") : first.parent_path();
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        std::string n = e.path().filename().string();
        if (n.size() <= prefix.size() + suffix.size() || n.compare(0, prefix.size(), prefix) != 0 ||
            n.compare(n.size() - suffix.size(), suffix.size(), suffix) != 0)
            continue;
        std::string digits = n.substr(prefix.size(), n.size() - prefix.size() - suffix.size());
        if (digits.empty() || digits.size() > 18 ||
            !std::all_of(digits.begin(), digits.end(), [](unsigned char c) { return std::isdigit(c); }))
            continue;
        if (!e.is_regular_file(ec))
            continue;
        items.emplace_back(std::stoull(digits), e.path());
    }
    std::sort(items.begin(), items.end());
    std::vector<fs::path> r;
    for (auto& [n, p] : items)
        r.push_back(first.parent_path().empty() ? p.filename() : p);
    if (r.empty())
        r.push_back(first);
    return r;
}

core::Status normalize_clip(const fs::path& produced, const fs::path& out, int width, int height, core::Rational fps,
                            int64_t frames, core::Rational sequence_fps)
{
    if (width < 2 || height < 2 || width % 2 || height % 2 || fps.num <= 0 || fps.den <= 0 || frames <= 0 ||
        sequence_fps.num <= 0 || sequence_fps.den <= 0)
        return make_error(ErrorCategory::Internal,
                          "normalize_clip: bad target " + std::to_string(width) + "x" + std::to_string(height) + " @ " +
                              fps.to_string() + " fps, " + std::to_string(frames) + " frames");
    std::error_code ec;
    if (!fs::is_regular_file(produced, ec))
        return make_error(ErrorCategory::Input, "the generated clip " + produced.string() + " does not exist");
    if (fs::file_size(produced, ec) == 0)
        return make_error(ErrorCategory::Input, "the generated clip " + produced.string() + " is empty");

    auto source = open_frames(produced, width, height, fps, sequence_fps);
    if (!source)
        return tl::unexpected(about_file(source.error(), produced));

    media::EncodeSettings settings;
    settings.width = width;
    settings.height = height;
    settings.fps = fps;
    settings.crf = 16;
    settings.preset = "veryfast";
    auto writer = SW_TRY(media::Mp4Writer::open(out, settings));

    // A short source holds its last frame; a long one is cut.
    Frame last;
    bool ended = false;
    for (int64_t k = 0; k < frames; ++k) {
        if (core::cancelled())
            return make_error(ErrorCategory::Cancelled, "cancelled while normalising " + produced.string());
        if (!ended) {
            auto f = (*source)->next();
            if (!f)
                return tl::unexpected(about_file(f.error(), produced));
            if (*f)
                last = std::move(**f);
            else
                ended = true;
        }
        if (last.empty())
            return make_error(ErrorCategory::Input, "the generated clip " + produced.string() +
                                                        " has no frames — the model produced an empty video");
        SW_TRY_STATUS(writer.write_video(last));
    }
    return writer.finish();
}

core::Status normalize_clip(const fs::path& produced, const fs::path& out, int width, int height, core::Rational fps,
                            int64_t frames)
{
    return normalize_clip(produced, out, width, height, fps, frames, fps);
}

}  // namespace sw::media
