// Mp4Writer: libx264 + native AAC into a faststart MP4, written to a temporary file and renamed
// on success.

#include <unistd.h>

#include <cerrno>
#include <algorithm>
#include <cstring>

#include "core/file.h"
#include "media/media_internal.h"

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
#include <libavutil/samplefmt.h>
}

namespace sw::media {

using core::ErrorCategory;
using core::make_error;

namespace {


}  // namespace

struct Mp4Writer::Impl {
    fs::path target;
    fs::path temp;
    EncodeSettings settings;
    AVRational fps{};        // reduced output rate
    OutputFormatPtr oc;
    CodecContextPtr venc;
    CodecContextPtr aenc;
    AVStream* vst = nullptr;
    AVStream* ast = nullptr;
    PacketPtr pkt;
    FramePtr silence;        // one AAC frame of silence, re-sent with new pts
    std::vector<float> audio;  // set_audio(): interleaved stereo; empty = silence
    int64_t frames_written = 0;
    int64_t samples_written = 0;
    bool temp_created = false;
    bool done = false;       // finished or aborted
    bool failed = false;     // an earlier call failed: the file cannot be completed
    bool touched = false;    // `silence` holds audio samples, not zeros

    ~Impl() { discard(); }
    core::Status open_video_encoder(AVFormatContext* oc, bool global_header);
    core::Status open_audio_encoder(AVFormatContext* oc, bool global_header);

    std::string shown() const { return detail::display_path(target); }

    // Closes everything without finishing the file and deletes the temporary file.
    void discard()
    {
        venc.reset();
        aenc.reset();
        oc.reset();  // closes the AVIOContext (fd) before the unlink
        if (temp_created) {
            std::error_code ec;
            fs::remove(temp, ec);
            temp_created = false;
        }
        done = true;
    }

    // Audio samples that belong with `frames` video frames: round(frames × rate / fps), in
    // integers, so the silence track ends with the picture however long the video is.
    int64_t samples_for_frames(int64_t frames) const
    {
        __int128 n = (__int128)frames * settings.audio_sample_rate * fps.den;
        __int128 d = fps.num;
        return (int64_t)((2 * n + d) / (2 * d));
    }

    core::Status io_error(const std::string& what, int ret)
    {
        failed = true;
        return make_error(ErrorCategory::Io,
                          what + " " + shown() + " failed — check free disk space and that the folder is writable",
                          av_error_string(ret));
    }

    // Moves every packet the encoder has ready into the muxer's interleaving queue.
    core::Status drain(AVCodecContext* enc, AVStream* st)
    {
        for (;;) {
            int ret = avcodec_receive_packet(enc, pkt.get());
            if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF)
                return {};
            if (ret < 0) {
                failed = true;
                return make_error(ErrorCategory::Media, "encoding " + shown() + " failed", av_error_string(ret));
            }
            av_packet_rescale_ts(pkt.get(), enc->time_base, st->time_base);
            pkt->stream_index = st->index;
            // The interleaving writer orders audio and video by time so players never starve
            // one stream while reading the other.
            ret = av_interleaved_write_frame(oc.get(), pkt.get());
            if (ret < 0)
                return io_error("writing", ret);
        }
    }

    core::Status send(AVCodecContext* enc, AVStream* st, const AVFrame* f)
    {
        int ret = avcodec_send_frame(enc, f);
        if (ret < 0) {
            failed = true;
            return make_error(ErrorCategory::Media, "encoding " + shown() + " failed", av_error_string(ret));
        }
        return drain(enc, st);
    }

    // The next `nb_samples` of the track: set_audio()'s samples where there are any, silence
    // after them (and always silence without set_audio()).
    core::Status send_silence(int nb_samples)
    {
        const int64_t have = (int64_t)audio.size() / 2 - samples_written;
        if (have > 0) {
            // The encoder may still reference the frame's buffer from the previous send;
            // make_writable copies it away in that case instead of changing what it holds.
            int ret = av_frame_make_writable(silence.get());
            if (ret < 0) {
                failed = true;
                return make_error(ErrorCategory::Media, "out of memory", av_error_string(ret));
            }
            float* l = reinterpret_cast<float*>(silence->extended_data[0]);
            float* r = reinterpret_cast<float*>(silence->extended_data[1]);
            const float* src = audio.data() + samples_written * 2;
            const int n = (int)std::min<int64_t>(have, nb_samples);
            for (int i = 0; i < n; ++i) {
                l[i] = src[2 * i];
                r[i] = src[2 * i + 1];
            }
            std::fill(l + n, l + nb_samples, 0.0f);
            std::fill(r + n, r + nb_samples, 0.0f);
            touched = true;
        } else if (touched) {
            // Back to silence once the given sound has ended.
            int ret = av_frame_make_writable(silence.get());
            if (ret < 0) {
                failed = true;
                return make_error(ErrorCategory::Media, "out of memory", av_error_string(ret));
            }
            av_samples_set_silence(silence->extended_data, 0, aenc->frame_size, 2, AV_SAMPLE_FMT_FLTP);
            touched = false;
        }
        silence->nb_samples = nb_samples;
        silence->pts = samples_written;
        SW_TRY_STATUS(send(aenc.get(), ast, silence.get()));
        samples_written += nb_samples;
        return {};
    }

    // Keeps the audio track level with the video written so far (whole AAC frames only; the
    // partial last one is sent by finish()).
    core::Status catch_up_audio()
    {
        if (!aenc)  // a segment: video only
            return {};
        const int64_t target_samples = samples_for_frames(frames_written);
        const int fs = aenc->frame_size;
        while (samples_written + fs <= target_samples)
            SW_TRY_STATUS(send_silence(fs));
        return {};
    }
};

Mp4Writer::Mp4Writer(std::unique_ptr<Impl> impl)
    : m_impl(std::move(impl))
{
}
Mp4Writer::~Mp4Writer() = default;
Mp4Writer::Mp4Writer(Mp4Writer&&) noexcept = default;
Mp4Writer& Mp4Writer::operator=(Mp4Writer&&) noexcept = default;

const fs::path& Mp4Writer::temp_path() const { return m_impl->temp; }

core::Result<Mp4Writer> Mp4Writer::open(const fs::path& target, const EncodeSettings& s)
{
    return open_impl(target, s, nullptr);
}

core::Result<Mp4Writer> Mp4Writer::open_copy(const fs::path& target, const EncodeSettings& s, const AVCodecParameters* video)
{
    if (!video)
        return make_error(ErrorCategory::Internal, "open_copy without stream parameters");
    return open_impl(target, s, video);
}

core::Result<Mp4Writer> Mp4Writer::open_impl(const fs::path& target, const EncodeSettings& s, const AVCodecParameters* copy)
{
    const std::string shown = detail::display_path(target);
    cpu_profile();
    if (s.width <= 0 || s.height <= 0 || s.width % 2 || s.height % 2 || s.width > kMaxDimension ||
        s.height > kMaxDimension)
        return make_error(ErrorCategory::Media,
                          "the output size " + std::to_string(s.width) + "x" + std::to_string(s.height) +
                              " cannot be encoded — width and height must be even and between 2 and " +
                              std::to_string(kMaxDimension));
    if (s.fps.num <= 0 || s.fps.den <= 0 || s.fps.num > INT32_MAX || s.fps.den > INT32_MAX)
        return make_error(ErrorCategory::Media, "the output frame rate " + s.fps.to_string() + " is not valid");
    if (s.audio_sample_rate <= 0)
        return make_error(ErrorCategory::Media, "the audio sample rate must be positive");

    // Check the destination ourselves: libav's "Permission denied" does not say which folder.
    std::error_code ec;
    if (target.empty() || target.filename().empty())
        return make_error(ErrorCategory::Io, "the output path '" + shown + "' has no file name — add one, e.g. video.mp4");
    if (fs::is_directory(target, ec))
        return make_error(ErrorCategory::Io,
                          shown + " is a folder — give a file name for the video, e.g. " +
                              (target / "video.mp4").string());
    fs::path dir = target.parent_path();
    if (dir.empty())
        dir = ".";
    if (!fs::exists(dir, ec))
        return make_error(ErrorCategory::Io,
                          "cannot write " + shown + ": the folder " + dir.string() +
                              " does not exist — create it first or choose another output path");
    if (!fs::is_directory(dir, ec))
        return make_error(ErrorCategory::Io,
                          "cannot write " + shown + ": " + dir.string() + " is not a folder — choose another output path");

    auto impl = std::make_unique<Impl>();
    impl->target = target;
    const std::string part_prefix = "." + target.filename().string() + ".part-";
    impl->temp = dir / (part_prefix + std::to_string(::getpid()) + ".mp4");
    // A render killed before finish() leaves its part file (6-12 MB while joining); the next
    // render of the same output removes those whose process is gone.
    core::remove_orphaned_temps(dir, part_prefix);
    impl->settings = s;
    core::Rational fr = s.fps.reduced();
    impl->fps = AVRational{(int)fr.num, (int)fr.den};
    impl->pkt = make_packet();
    if (!impl->pkt)
        return make_error(ErrorCategory::Media, "out of memory");

    AVFormatContext* raw = nullptr;
    int ret = avformat_alloc_output_context2(&raw, nullptr, "mp4", detail::av_url(impl->temp).c_str());
    if (ret < 0 || !raw)
        return make_error(ErrorCategory::Media, "the MP4 muxer is not available", av_error_string(ret));
    impl->oc.reset(raw);
    AVFormatContext* oc = raw;
    const bool global_header = oc->oformat->flags & AVFMT_GLOBALHEADER;

    if (copy) {  // stream copy: the packets come encoded (join_segments)
        impl->vst = avformat_new_stream(oc, nullptr);
        if (!impl->vst || avcodec_parameters_copy(impl->vst->codecpar, copy) < 0)
            return make_error(ErrorCategory::Media, "out of memory");
        impl->vst->codecpar->codec_tag = 0;
        impl->vst->time_base = av_inv_q(impl->fps);
        impl->vst->avg_frame_rate = impl->fps;
        impl->vst->r_frame_rate = impl->fps;
    } else {
        SW_TRY_STATUS(impl->open_video_encoder(oc, global_header));
    }
    if (!s.segment)
        SW_TRY_STATUS(impl->open_audio_encoder(oc, global_header));
    return finish_open(std::move(impl), s, dir, shown);
}

core::Status Mp4Writer::Impl::open_video_encoder(AVFormatContext* oc, bool global_header)
{
    const EncodeSettings& s = settings;
    Impl* impl = this;
    int ret = 0;
    // --- video: libx264, yuv420p, BT.709 limited range ---
    const AVCodec* vcodec = avcodec_find_encoder_by_name("libx264");
    if (!vcodec)
        return make_error(ErrorCategory::Media,
                          "this FFmpeg build has no libx264 encoder — install Debian's libavcodec59 (with x264)");
    impl->venc.reset(avcodec_alloc_context3(vcodec));
    AVCodecContext* v = impl->venc.get();
    v->width = s.width;
    v->height = s.height;
    v->pix_fmt = AV_PIX_FMT_YUV420P;
    v->sample_aspect_ratio = AVRational{1, 1};
    v->time_base = av_inv_q(impl->fps);  // one tick per frame: pts = frame index
    v->framerate = impl->fps;
    v->color_primaries = AVCOL_PRI_BT709;
    v->color_trc = AVCOL_TRC_BT709;
    v->colorspace = AVCOL_SPC_BT709;
    v->color_range = AVCOL_RANGE_MPEG;
    if (s.threads > 0)
        v->thread_count = s.threads;  // otherwise libx264's default: auto (frame threads)
    if (global_header)
        v->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    Dictionary vopts;
    vopts.set("preset", s.preset.c_str());
    // Instruction sets whose bytes are the same on every machine of the output class.
    vopts.set("x264-params", ("asm=" + cpu_profile().x264_asm).c_str());
    if (s.bitrate > 0) {
        // Average bitrate with a VBV cap, so peaks stay within what players and uploads expect.
        v->bit_rate = s.bitrate;
        v->rc_max_rate = s.bitrate * 3 / 2;
        v->rc_buffer_size = (int)std::min<int64_t>(s.bitrate * 3, INT32_MAX);
    } else {
        vopts.set("crf", std::to_string(s.crf).c_str());
    }
    ret = avcodec_open2(v, vcodec, vopts.out());
    if (ret < 0)
        return make_error(ErrorCategory::Media,
                          "the H.264 encoder could not be started (preset '" + s.preset +
                              "' must be one of ultrafast … placebo)",
                          av_error_string(ret));
    if (AVDictionaryEntry* e = av_dict_get(vopts.dict, "", nullptr, AV_DICT_IGNORE_SUFFIX))
        return make_error(ErrorCategory::Media, std::string("the H.264 encoder did not accept the option ") + e->key);
    impl->vst = avformat_new_stream(oc, nullptr);
    if (!impl->vst)
        return make_error(ErrorCategory::Media, "out of memory");
    // parameters_from_context copies the colour tags too, so the container says bt709 as well.
    avcodec_parameters_from_context(impl->vst->codecpar, v);
    impl->vst->time_base = v->time_base;
    impl->vst->avg_frame_rate = impl->fps;
    impl->vst->r_frame_rate = impl->fps;
    return {};
}

core::Status Mp4Writer::Impl::open_audio_encoder(AVFormatContext* oc, bool global_header)
{
    const EncodeSettings& s = settings;
    Impl* impl = this;
    int ret = 0;
    // --- audio: native AAC, silence ---
    const AVCodec* acodec = avcodec_find_encoder(AV_CODEC_ID_AAC);
    if (!acodec)
        return make_error(ErrorCategory::Media, "this FFmpeg build has no AAC encoder");
    impl->aenc.reset(avcodec_alloc_context3(acodec));
    AVCodecContext* a = impl->aenc.get();
    a->sample_fmt = AV_SAMPLE_FMT_FLTP;
    a->sample_rate = s.audio_sample_rate;
    AVChannelLayout stereo = AV_CHANNEL_LAYOUT_STEREO;
    av_channel_layout_copy(&a->ch_layout, &stereo);
    a->bit_rate = s.audio_bitrate;
    a->time_base = AVRational{1, s.audio_sample_rate};
    if (global_header)
        a->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    ret = avcodec_open2(a, acodec, nullptr);
    if (ret < 0)
        return make_error(ErrorCategory::Media, "the AAC encoder could not be started", av_error_string(ret));
    impl->ast = avformat_new_stream(oc, nullptr);
    if (!impl->ast)
        return make_error(ErrorCategory::Media, "out of memory");
    avcodec_parameters_from_context(impl->ast->codecpar, a);
    impl->ast->time_base = a->time_base;

    impl->silence = make_frame();
    AVFrame* sf = impl->silence.get();
    sf->format = a->sample_fmt;
    sf->sample_rate = a->sample_rate;
    av_channel_layout_copy(&sf->ch_layout, &a->ch_layout);
    sf->nb_samples = a->frame_size;
    if ((ret = av_frame_get_buffer(sf, 0)) < 0)
        return make_error(ErrorCategory::Media, "out of memory", av_error_string(ret));
    av_samples_set_silence(sf->extended_data, 0, sf->nb_samples, a->ch_layout.nb_channels, a->sample_fmt);
    return {};
}

core::Result<Mp4Writer> Mp4Writer::finish_open(std::unique_ptr<Impl> impl, const EncodeSettings& s, const fs::path& dir,
                                               const std::string& shown)
{
    AVFormatContext* oc = impl->oc.get();
    // --- the file ---
    int ret = avio_open(&oc->pb, detail::av_url(impl->temp).c_str(), AVIO_FLAG_WRITE);
    if (ret < 0) {
        if (ret == AVERROR(EACCES) || ret == AVERROR(EPERM) || ret == AVERROR(EROFS))
            return make_error(ErrorCategory::Io,
                              "cannot write " + shown + ": no permission to create files in the folder " +
                                  dir.string() + " — choose a writable folder or fix its permissions",
                              av_error_string(ret));
        return make_error(ErrorCategory::Io,
                          "cannot write " + shown + " (creating " + impl->temp.string() +
                              " failed) — check the folder and free disk space",
                          av_error_string(ret));
    }
    impl->temp_created = true;

    Dictionary mux_opts;
    // faststart: the index (moov) goes before the media data so players and upload
    // previews can start without reading the whole file. (Segments are read once, by the join.)
    if (!s.segment)
        mux_opts.set("movflags", "+faststart");
    ret = avformat_write_header(oc, mux_opts.out());
    if (ret < 0)
        return make_error(ErrorCategory::Io, "writing the header of " + shown + " failed", av_error_string(ret));
    return Mp4Writer(std::move(impl));
}

core::Status Mp4Writer::write_video(const core::Frame& frame)
{
    Impl& m = *m_impl;
    if (m.done || m.failed)
        return make_error(ErrorCategory::Internal, "write_video() on a finished or failed writer for " + m.shown());
    if (frame.width() != m.settings.width || frame.height() != m.settings.height)
        return make_error(ErrorCategory::Internal,
                          "frame of " + std::to_string(frame.width()) + "x" + std::to_string(frame.height()) +
                              " given to a " + std::to_string(m.settings.width) + "x" +
                              std::to_string(m.settings.height) + " writer");

    if (!m.venc)
        return make_error(ErrorCategory::Internal, "write_video() on a stream-copy writer for " + m.shown());
    // Zero copy: the AVFrame references the Frame's own buffer (shared ownership), so whatever
    // libavcodec or x264 keep after this call stays valid until they let go, and the caller's
    // frame pool recycles the buffer only then. Saves a 3 MB copy per 1080x1920 frame.
    FramePtr f = make_frame();
    if (!f)
        return make_error(ErrorCategory::Media, "out of memory");
    auto* owner = new std::shared_ptr<uint8_t[]>(frame.buffer());
    f->buf[0] = av_buffer_create(
        owner->get(), (size_t)core::Frame::buffer_size(frame.width(), frame.height()),
        [](void* opaque, uint8_t*) { delete static_cast<std::shared_ptr<uint8_t[]>*>(opaque); }, owner,
        AV_BUFFER_FLAG_READONLY);
    if (!f->buf[0]) {
        delete owner;
        return make_error(ErrorCategory::Media, "out of memory");
    }
    f->format = AV_PIX_FMT_YUV420P;
    f->width = frame.width();
    f->height = frame.height();
    f->color_primaries = AVCOL_PRI_BT709;
    f->color_trc = AVCOL_TRC_BT709;
    f->colorspace = AVCOL_SPC_BT709;
    f->color_range = AVCOL_RANGE_MPEG;
    for (int p = 0; p < 3; ++p) {
        f->data[p] = const_cast<uint8_t*>(frame.plane(p));
        f->linesize[p] = frame.stride(p);
    }
    f->pts = m.frames_written;
    SW_TRY_STATUS(m.send(m.venc.get(), m.vst, f.get()));
    ++m.frames_written;
    return m.catch_up_audio();
}

core::Status Mp4Writer::set_audio(std::vector<float> stereo)
{
    Impl& m = *m_impl;
    if (m.done || m.failed)
        return make_error(ErrorCategory::Internal, "set_audio() on a finished or failed writer for " + m.shown());
    if (stereo.size() % 2)
        return make_error(ErrorCategory::Internal,
                          "set_audio() needs interleaved stereo (an even number of samples) for " + m.shown());
    m.audio = std::move(stereo);
    return {};
}

core::Status Mp4Writer::finish()
{
    Impl& m = *m_impl;
    if (m.done)
        return make_error(ErrorCategory::Internal, "finish() called twice for " + m.shown());
    if (m.failed) {
        m.discard();
        return make_error(ErrorCategory::Io, "the video " + m.shown() + " could not be completed after an earlier error");
    }
    if (m.frames_written == 0) {
        m.discard();
        return make_error(ErrorCategory::Internal, "no frames were written to " + m.shown());
    }
    auto fail = [&](core::Error e) -> core::Status {
        m.discard();
        return tl::unexpected(std::move(e));
    };

    // The audio's last AAC frame is partial: exactly round(frames × rate / fps) samples in
    // total. The encoder marks the short frame's duration so the muxer's edit list trims it.
    if (auto st = m.catch_up_audio(); !st)
        return fail(st.error());
    int64_t rest = m.aenc ? m.samples_for_frames(m.frames_written) - m.samples_written : 0;
    if (rest > 0)
        if (auto st = m.send_silence((int)rest); !st)
            return fail(st.error());
    if (m.venc)
        if (auto st = m.send(m.venc.get(), m.vst, nullptr); !st)
            return fail(st.error());
    if (m.aenc)
        if (auto st = m.send(m.aenc.get(), m.ast, nullptr); !st)
            return fail(st.error());

    int ret = av_write_trailer(m.oc.get());
    if (ret < 0)
        return fail(m.io_error("finishing", ret).error());
    ret = avio_closep(&m.oc->pb);
    if (ret < 0)
        return fail(m.io_error("closing", ret).error());

    std::error_code ec;
    fs::rename(m.temp, m.target, ec);
    if (ec)
        return fail(core::Error{ErrorCategory::Io,
                                "cannot move the finished video to " + m.shown() +
                                    " — check that the path is writable and not a folder",
                                ec.message(),
                                {}});
    m.temp_created = false;
    m.venc.reset();
    m.aenc.reset();
    m.oc.reset();
    m.done = true;
    return {};
}

core::Status Mp4Writer::write_video_packet(AVPacket* packet, int64_t pts_frames, int64_t dts_frames)
{
    Impl& m = *m_impl;
    if (m.done || m.failed || m.venc)
        return make_error(ErrorCategory::Internal, "write_video_packet() on a finished or encoding writer for " + m.shown());
    const AVRational frame_tb = av_inv_q(m.fps);
    packet->pts = av_rescale_q(pts_frames, frame_tb, m.vst->time_base);
    packet->dts = av_rescale_q(dts_frames, frame_tb, m.vst->time_base);
    packet->duration = av_rescale_q(1, frame_tb, m.vst->time_base);
    packet->stream_index = m.vst->index;
    packet->pos = -1;
    int ret = av_interleaved_write_frame(m.oc.get(), packet);
    if (ret < 0)
        return m.io_error("writing", ret);
    ++m.frames_written;
    return m.catch_up_audio();
}

void Mp4Writer::abort()
{
    if (m_impl)
        m_impl->discard();
}

}  // namespace sw::media
