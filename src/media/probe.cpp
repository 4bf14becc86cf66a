// probe(), kind_from_extension() and the input-opening checks every reader shares.

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>

#include "media/media_internal.h"

extern "C" {
#include <libavutil/display.h>
}

namespace sw::media {

using core::ErrorCategory;
using core::make_error;

std::string av_error_string(int errnum)
{
    char buf[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(errnum, buf, sizeof buf);
    return buf;
}

void set_libav_logging(bool verbose) { av_log_set_level(verbose ? AV_LOG_WARNING : AV_LOG_FATAL); }

MediaKind kind_from_extension(const fs::path& p)
{
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return (char)std::tolower(c); });
    static constexpr const char* kImage[] = {".jpg", ".jpeg", ".png", ".webp", ".bmp", ".tif", ".tiff", ".gif"};
    static constexpr const char* kVideo[] = {".mp4", ".mov", ".m4v", ".mkv",  ".webm", ".avi", ".mts",
                                             ".m2ts", ".ts",  ".flv", ".wmv", ".mpg",  ".mpeg"};
    static constexpr const char* kAudio[] = {".wav", ".mp3", ".m4a", ".aac", ".ogg", ".opus", ".flac"};
    for (const char* e : kImage)
        if (ext == e)
            return MediaKind::Image;
    for (const char* e : kVideo)
        if (ext == e)
            return MediaKind::Video;
    for (const char* e : kAudio)
        if (ext == e)
            return MediaKind::Audio;
    return MediaKind::Unknown;
}

namespace detail {

std::string av_url(const fs::path& p) { return "file:" + p.string(); }

std::string display_path(const fs::path& p) { return p.string(); }

namespace {

// Rotation in degrees clockwise (0/90/180/270) that a player applies when showing the stream.
int stream_rotation(const AVStream* st)
{
    size_t size = 0;
    const uint8_t* sd = av_stream_get_side_data(st, AV_PKT_DATA_DISPLAYMATRIX, &size);
    if (!sd || size < 9 * sizeof(int32_t))
        return 0;
    // av_display_rotation_get() gives the counter-clockwise angle; players (ffplay, ffmpeg's
    // autorotate) negate it to get the clockwise turn to apply. Snap to quarter turns: phones
    // only write those, and anything else cannot be shown without resampling anyway.
    double ccw = av_display_rotation_get(reinterpret_cast<const int32_t*>(sd));
    if (std::isnan(ccw))
        return 0;
    long cw = std::lround(-ccw / 90.0) * 90;
    cw %= 360;
    if (cw < 0)
        cw += 360;
    return (int)cw;
}

bool is_still_format(const char* name)
{
    std::string n = name ? name : "";
    auto ends_with = [&](const std::string& suffix) {
        return n.size() >= suffix.size() && n.compare(n.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    return n == "image2" || n == "gif" || ends_with("_pipe");
}

// Opening the file ourselves first gives precise messages for the common mistakes (missing,
// folder, permissions, empty) instead of libav's terse "No such file or directory".
core::Status check_readable(const fs::path& path)
{
    const std::string shown = display_path(path);
    std::error_code ec;
    auto st = fs::status(path, ec);
    if (ec && (ec.value() == EACCES || ec.value() == EPERM))
        return make_error(ErrorCategory::Input,
                          shown + " cannot be read (permission denied on a folder in its path) — fix the folders' "
                                  "permissions, e.g. chmod a+rx on each",
                          ec.message());
    if (ec || !fs::exists(st)) {
        return make_error(ErrorCategory::Input,
                          shown + " does not exist — check the file name and its folder (relative paths are "
                                  "relative to the script)",
                          ec ? ec.message() : std::string{});
    }
    if (fs::is_directory(st))
        return make_error(ErrorCategory::Input,
                          shown + " is a folder, not a media file — name a video or image file instead");
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int err = errno;
        if (err == EACCES || err == EPERM)
            return make_error(ErrorCategory::Input,
                              shown + " cannot be read (permission denied) — fix its permissions, e.g. chmod a+r '" +
                                  shown + "'",
                              std::strerror(err));
        return make_error(ErrorCategory::Input, shown + " cannot be opened — check that the file is accessible",
                          std::strerror(err));
    }
    ::close(fd);
    if (fs::is_regular_file(st) && fs::file_size(path, ec) == 0 && !ec)
        return make_error(ErrorCategory::Input,
                          shown + " is empty (0 bytes) — copy or export the file again");
    return {};
}

// True when the file starts like an ISO-BMFF (MP4/MOV) file: an 'ftyp'/'mdat'/'wide'... box.
bool looks_like_mp4(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    char head[8] = {};
    if (!in.read(head, sizeof head))
        return false;
    std::string type(head + 4, 4);
    return type == "ftyp" || type == "mdat" || type == "wide" || type == "moov" || type == "free";
}

struct DeclaredSize {
    int64_t width = 0;
    int64_t height = 0;
};

// The picture size written in an image file's header, read without decoding anything.
// libavformat only learns an image's size by decoding it (avformat_find_stream_info), which
// for a hostile header means allocating gigabytes first — or failing with a vague message.
// Knows PNG, JPEG, BMP, GIF, WebP and TIFF; nullopt for anything else.
std::optional<DeclaredSize> declared_image_size(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::string d(256 * 1024, '\0');
    in.read(d.data(), (std::streamsize)d.size());
    d.resize((size_t)in.gcount());
    auto u8 = [&](size_t i) -> uint32_t { return i < d.size() ? (uint8_t)d[i] : 0; };
    auto be16 = [&](size_t i) { return u8(i) << 8 | u8(i + 1); };
    auto be32 = [&](size_t i) { return be16(i) << 16 | be16(i + 2); };
    auto le16 = [&](size_t i) { return u8(i) | u8(i + 1) << 8; };
    auto le24 = [&](size_t i) { return le16(i) | u8(i + 2) << 16; };
    auto le32 = [&](size_t i) { return le16(i) | le16(i + 2) << 16; };
    auto starts = [&](const char* magic, size_t n, size_t at = 0) {
        return d.size() >= at + n && std::memcmp(d.data() + at, magic, n) == 0;
    };

    if (starts("\x89PNG\r\n\x1a\n", 8) && d.size() >= 24)
        return DeclaredSize{be32(16), be32(20)};
    if (starts("GIF8", 4) && d.size() >= 10)
        return DeclaredSize{le16(6), le16(8)};
    if (starts("BM", 2) && d.size() >= 26) {
        int32_t h = (int32_t)le32(22);  // negative height = rows stored top-down
        return DeclaredSize{(int32_t)le32(18), h < 0 ? -(int64_t)h : h};
    }
    if (starts("RIFF", 4) && starts("WEBP", 4, 8) && d.size() >= 30) {
        if (starts("VP8X", 4, 12))
            return DeclaredSize{(int64_t)le24(24) + 1, (int64_t)le24(27) + 1};
        if (starts("VP8L", 4, 12)) {
            uint32_t b = le32(21);
            return DeclaredSize{(b & 0x3fff) + 1, ((b >> 14) & 0x3fff) + 1};
        }
        if (starts("VP8 ", 4, 12))
            return DeclaredSize{le16(26) & 0x3fff, le16(28) & 0x3fff};
        return std::nullopt;
    }
    if (starts("\xff\xd8", 2)) {
        // Walk the marker segments to the first start-of-frame (SOF0-15 except DHT/JPG/DAC).
        size_t i = 2;
        while (i + 9 < d.size()) {
            if (u8(i) != 0xff)
                return std::nullopt;
            uint32_t m = u8(i + 1);
            if (m == 0xff) {  // fill byte
                ++i;
                continue;
            }
            if (m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc)
                return DeclaredSize{be16(i + 7), be16(i + 5)};
            if (m == 0xd8 || (m >= 0xd0 && m <= 0xd7) || m == 0x01) {
                i += 2;
                continue;
            }
            i += 2 + be16(i + 2);
        }
        return std::nullopt;
    }
    const bool tiff_le = starts("II*\0", 4), tiff_be = starts("MM\0*", 4);
    if (tiff_le || tiff_be) {
        auto r16 = [&](size_t i) { return tiff_le ? le16(i) : be16(i); };
        auto r32 = [&](size_t i) { return tiff_le ? le32(i) : be32(i); };
        size_t ifd = r32(4);
        if (ifd + 2 > d.size())
            return std::nullopt;
        DeclaredSize s;
        const uint32_t n = r16(ifd);
        for (uint32_t k = 0; k < n && ifd + 2 + 12 * (k + 1) <= d.size(); ++k) {
            size_t e = ifd + 2 + 12 * k;
            uint32_t tag = r16(e), type = r16(e + 2);
            uint32_t value = type == 3 ? r16(e + 8) : r32(e + 8);  // SHORT or LONG
            if (tag == 256)
                s.width = value;
            else if (tag == 257)
                s.height = value;
        }
        if (s.width > 0 && s.height > 0)
            return s;
    }
    return std::nullopt;
}

std::string too_large_message(const std::string& shown, int64_t w, int64_t h)
{
    return shown + " declares a picture of " + std::to_string(w) + "x" + std::to_string(h) +
           ", more than the supported maximum (" + std::to_string(kMaxDimension) + " pixels per side, " +
           std::to_string(kMaxPixels / 1'000'000) + " megapixels) — scale it down before using it";
}

bool too_large(int64_t w, int64_t h) { return w > kMaxDimension || h > kMaxDimension || w * h > kMaxPixels; }

}  // namespace

core::Result<OpenedInput> open_input(const fs::path& path)
{
    SW_TRY_STATUS(check_readable(path));
    const std::string shown = display_path(path);
    cpu_profile();

    AVFormatContext* raw = nullptr;
    int ret = avformat_open_input(&raw, av_url(path).c_str(), nullptr, nullptr);
    if (ret < 0) {
        if (looks_like_mp4(path))
            return make_error(ErrorCategory::Input,
                              shown + " looks like an MP4/MOV file but is incomplete or corrupt (usually a truncated "
                                      "copy or an interrupted recording) — copy or export it again",
                              av_error_string(ret));
        return make_error(ErrorCategory::Input,
                          shown + " is not a video or image file that can be read (it may be corrupt or have the "
                                  "wrong extension) — export it again as MP4, JPEG or PNG",
                          av_error_string(ret));
    }
    OpenedInput in;
    in.fmt.reset(raw);
    AVFormatContext* fmt = in.fmt.get();
    ProbeInfo& info = in.info;
    info.format_name = fmt->iformat && fmt->iformat->name ? fmt->iformat->name : "";
    info.is_still = is_still_format(info.format_name.c_str());

    // Pictures: check the size the header declares before anything gets decoded. When the
    // header gives the size, stream-info probing (which decodes the whole picture) is skipped
    // too: load_image() then decodes the picture once, not twice.
    std::optional<DeclaredSize> declared;
    if (info.is_still && fmt->nb_streams == 1 &&
        fmt->streams[0]->codecpar->codec_type == AVMEDIA_TYPE_VIDEO) {
        declared = declared_image_size(path);
        if (declared && too_large(declared->width, declared->height))
            return make_error(ErrorCategory::Input, too_large_message(shown, declared->width, declared->height));
        if (declared && (declared->width <= 0 || declared->height <= 0))
            declared.reset();
    }
    if (declared) {
        fmt->streams[0]->codecpar->width = (int)declared->width;
        fmt->streams[0]->codecpar->height = (int)declared->height;
    } else {
        ret = avformat_find_stream_info(fmt, nullptr);
        if (ret < 0)
            return make_error(ErrorCategory::Input,
                              shown + " is corrupt: its streams cannot be read — copy or export it again",
                              av_error_string(ret));
    }
    for (unsigned i = 0; i < fmt->nb_streams; ++i) {
        const AVStream* st = fmt->streams[i];
        if (st->codecpar->codec_type == AVMEDIA_TYPE_AUDIO)
            info.has_audio = true;
    }

    // Cover art in music files is a "video" stream holding one picture; it is not footage.
    int best = -1;
    for (unsigned i = 0; i < fmt->nb_streams; ++i) {
        const AVStream* st = fmt->streams[i];
        if (st->codecpar->codec_type == AVMEDIA_TYPE_VIDEO && !(st->disposition & AV_DISPOSITION_ATTACHED_PIC)) {
            best = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
            if (best < 0 || (fmt->streams[best]->disposition & AV_DISPOSITION_ATTACHED_PIC))
                best = (int)i;
            break;
        }
    }
    if (best < 0) {
        if (info.has_audio)
            return make_error(ErrorCategory::Input,
                              shown + " has no video stream (it contains only audio) — use a video file or an image");
        return make_error(ErrorCategory::Input,
                          shown + " has no video stream — use a video file or an image");
    }
    in.video_stream = best;
    info.has_video = true;
    const AVStream* st = fmt->streams[best];
    const AVCodecParameters* par = st->codecpar;

    info.coded_width = par->width;
    info.coded_height = par->height;
    if (par->width <= 0 || par->height <= 0)
        return make_error(ErrorCategory::Input,
                          shown + " has a video stream of unknown picture size (the file is probably corrupt or "
                                  "truncated) — copy or export it again");
    if (too_large(par->width, par->height))
        return make_error(ErrorCategory::Input, too_large_message(shown, par->width, par->height));

    info.rotation = stream_rotation(st);
    bool swap = info.rotation == 90 || info.rotation == 270;
    info.display_width = swap ? par->height : par->width;
    info.display_height = swap ? par->width : par->height;
    const AVCodecDescriptor* cd = avcodec_descriptor_get(par->codec_id);
    info.video_codec = cd ? cd->name : "unknown";

    if (!info.is_still) {
        if (fmt->duration != AV_NOPTS_VALUE && fmt->duration > 0)
            info.duration_us = fmt->duration;
        else if (st->duration != AV_NOPTS_VALUE && st->duration > 0)
            info.duration_us = av_rescale_q(st->duration, st->time_base, AVRational{1, 1000000});
        AVRational avg = st->avg_frame_rate, r = st->r_frame_rate;
        bool avg_ok = avg.num > 0 && avg.den > 0, r_ok = r.num > 0 && r.den > 0;
        AVRational use = avg_ok ? avg : r;
        if (use.num > 0 && use.den > 0)
            info.avg_frame_rate = core::Rational{use.num, use.den}.reduced();
        // r_frame_rate is the smallest rate at which every timestamp falls on a tick; for a
        // constant-rate file it equals the average rate. A clear gap (> 1 %) means frames are
        // spaced unevenly (phone recordings, screen captures): a variable-rate source.
        if (avg_ok && r_ok) {
            double a = av_q2d(avg), b = av_q2d(r);
            info.variable_frame_rate = std::fabs(a - b) > 0.01 * std::max(a, b);
        }

        // A file cut short keeps its index (MP4 with the index at the front): the index then
        // points past the end of the data. Catching that here gives a clear message instead
        // of a video that silently stops early.
        int n = avformat_index_get_entries_count(st);
        int64_t file_size = fmt->pb ? avio_size(fmt->pb) : -1;
        if (n > 0 && file_size > 0) {
            const AVIndexEntry* last = avformat_index_get_entry(const_cast<AVStream*>(st), n - 1);
            if (last && last->size > 0 && last->pos + last->size > file_size)
                return make_error(ErrorCategory::Input,
                                  shown + " is truncated: it ends at byte " + std::to_string(file_size) +
                                      " but its index lists video data up to byte " +
                                      std::to_string(last->pos + last->size) + " — copy or export the file again");
        }
    }
    return in;
}

core::Result<CodecContextPtr> open_video_decoder(const fs::path& path, const AVStream* st, int threads)
{
    const std::string shown = display_path(path);
    const AVCodec* codec = avcodec_find_decoder(st->codecpar->codec_id);
    if (!codec) {
        const AVCodecDescriptor* cd = avcodec_descriptor_get(st->codecpar->codec_id);
        return make_error(ErrorCategory::Input,
                          shown + " uses the video codec '" + (cd ? cd->name : "unknown") +
                              "', which this FFmpeg build cannot decode — convert it to H.264 first");
    }
    CodecContextPtr ctx(avcodec_alloc_context3(codec));
    if (!ctx)
        return make_error(ErrorCategory::Media, "out of memory opening a decoder for " + shown);
    int ret = avcodec_parameters_to_context(ctx.get(), st->codecpar);
    if (ret < 0)
        return make_error(ErrorCategory::Input, shown + " has video codec parameters that cannot be used",
                          av_error_string(ret));
    ctx->pkt_timebase = st->time_base;
    ctx->thread_count = threads;
    ctx->thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE;
    ret = avcodec_open2(ctx.get(), codec, nullptr);
    if (ret < 0)
        return make_error(ErrorCategory::Input,
                          "the video decoder for " + shown + " could not be opened (the stream may be corrupt) — "
                                                             "copy or export the file again",
                          av_error_string(ret));
    return ctx;
}

}  // namespace detail

core::Result<AudioInfo> probe_audio(const fs::path& path)
{
    SW_TRY_STATUS(detail::check_readable(path));
    const std::string shown = detail::display_path(path);
    cpu_profile();
    AVFormatContext* raw = nullptr;
    int ret = avformat_open_input(&raw, detail::av_url(path).c_str(), nullptr, nullptr);
    if (ret < 0)
        return make_error(ErrorCategory::Input,
                          shown + " is not an audio file that can be read (it may be corrupt or have the wrong "
                                  "extension) — export it again as MP3, M4A, OGG or WAV",
                          av_error_string(ret));
    std::unique_ptr<AVFormatContext, void (*)(AVFormatContext*)> fmt(raw, [](AVFormatContext* f) {
        avformat_close_input(&f);
    });
    if ((ret = avformat_find_stream_info(fmt.get(), nullptr)) < 0)
        return make_error(ErrorCategory::Input, shown + " is corrupt: its streams cannot be read — export it again",
                          av_error_string(ret));
    AudioInfo info;
    int best = av_find_best_stream(fmt.get(), AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0);
    info.has_audio = best >= 0;
    if (fmt->duration > 0)
        info.duration_us = av_rescale_q(fmt->duration, AV_TIME_BASE_Q, {1, 1000000});
    return info;
}

namespace {

struct Content {
    const char* words;      // "a JPEG picture"
    const char* extension;  // its usual extension
};

// What libav found in a file, by its still-picture codec or its container.
std::optional<Content> content_of(const ProbeInfo& info)
{
    if (info.is_still) {
        static const std::pair<const char*, Content> kStills[] = {
            {"mjpeg", {"a JPEG picture", ".jpg"}}, {"png", {"a PNG picture", ".png"}},
            {"webp", {"a WebP picture", ".webp"}}, {"bmp", {"a BMP picture", ".bmp"}},
            {"gif", {"a GIF picture", ".gif"}},    {"tiff", {"a TIFF picture", ".tif"}}};
        for (auto& [codec, c] : kStills)
            if (info.video_codec == codec)
                return c;
        return Content{"a picture", ""};
    }
    static const std::pair<const char*, Content> kVideos[] = {
        {"mp4", {"an MP4 video", ".mp4"}},         {"matroska", {"a Matroska/WebM video", ".mkv"}},
        {"avi", {"an AVI video", ".avi"}},         {"mpegts", {"an MPEG-TS video", ".ts"}},
        {"flv", {"an FLV video", ".flv"}},         {"asf", {"a WMV video", ".wmv"}},
        {"mpeg", {"an MPEG video", ".mpg"}}};
    for (auto& [name, c] : kVideos)
        if (info.format_name.find(name) != std::string::npos)
            return c;
    return info.has_video ? std::optional<Content>(Content{"a video", ""}) : std::nullopt;
}

// What an extension promises, in the same words.
std::string promised_by(const std::string& ext, MediaKind kind)
{
    static const std::pair<const char*, const char*> kWords[] = {
        {".jpg", "a JPEG picture"}, {".jpeg", "a JPEG picture"}, {".png", "a PNG picture"},
        {".webp", "a WebP picture"}, {".bmp", "a BMP picture"},  {".gif", "a GIF picture"},
        {".tif", "a TIFF picture"}, {".tiff", "a TIFF picture"}, {".mp4", "an MP4 video"},
        {".mov", "a MOV video"},    {".m4v", "an MP4 video"},    {".mkv", "a Matroska video"},
        {".webm", "a WebM video"},  {".avi", "an AVI video"}};
    for (auto& [e, w] : kWords)
        if (ext == e)
            return w;
    return kind == MediaKind::Image ? "a picture" : "a video";
}

}  // namespace

std::optional<ExtensionMismatch> extension_mismatch(const fs::path& path, const std::string& shown,
                                                    const ProbeInfo& info)
{
    const MediaKind kind = kind_from_extension(path);
    auto content = content_of(info);
    if (!content || (kind != MediaKind::Image && kind != MediaKind::Video))
        return std::nullopt;
    std::string ext = path.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return (char)std::tolower(c); });
    ExtensionMismatch m;
    m.other_kind = (kind == MediaKind::Image) != info.is_still;
    if (!m.other_kind) {
        // Two pictures: only a known codec that another extension names (PNG data in a .jpg).
        // Two containers are not judged: MP4, MOV and M4V share one demuxer, for one.
        const std::string promised = promised_by(ext, kind);
        if (!info.is_still || !*content->extension || promised == content->words)
            return std::nullopt;
    }
    m.message = shown + " is " + content->words + ", not " + promised_by(ext, kind);
    if (*content->extension)
        m.message += std::string(" — rename it to ") + content->extension;
    return m;
}

int64_t video_data_end_us(const fs::path& path)
{
    auto in = detail::open_input(path);
    if (!in || in->info.is_still || in->info.duration_us <= 0)
        return -1;
    AVFormatContext* fmt = in->fmt.get();
    const AVStream* st = fmt->streams[in->video_stream];
    const int64_t start = fmt->start_time != AV_NOPTS_VALUE ? fmt->start_time : 0;
    // From 3 s before the declared end: a keyframe at or before it, so the last packets follow.
    const int64_t at = start + std::max<int64_t>(0, in->info.duration_us - 3'000'000);
    if (av_seek_frame(fmt, -1, at, AVSEEK_FLAG_BACKWARD) < 0)
        return -1;
    PacketPtr pkt = make_packet();
    if (!pkt)
        return -1;
    int64_t end = -1;
    while (av_read_frame(fmt, pkt.get()) >= 0) {
        if (pkt->stream_index == in->video_stream) {
            int64_t ts = pkt->pts != AV_NOPTS_VALUE ? pkt->pts : pkt->dts;
            if (ts != AV_NOPTS_VALUE)
                end = std::max(end, av_rescale_q(ts + std::max<int64_t>(0, pkt->duration), st->time_base,
                                                 AVRational{1, 1000000}) - start);
        }
        av_packet_unref(pkt.get());
    }
    return end;
}

core::Result<ProbeInfo> probe(const fs::path& path)
{
    auto in = SW_TRY(detail::open_input(path));
    return std::move(in.info);
}

}  // namespace sw::media
