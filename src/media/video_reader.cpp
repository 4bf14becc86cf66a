// VideoReader: decode a video and hand out frames at a constant output rate, the way FFmpeg's
// fps filter does, so variable-frame-rate footage comes out evenly spaced.

#include <algorithm>

#include "media/media_internal.h"

namespace sw::media {

using core::ErrorCategory;
using core::make_error;

namespace {
constexpr AVRational kMicros{1, 1000000};
}

struct VideoReader::Impl {
    fs::path path;
    InputFormatPtr fmt;
    int stream = -1;
    AVRational tb{};           // the stream's time base
    CodecContextPtr dec;
    PacketPtr pkt;
    core::Rational fps;
    int64_t origin_us = 0;     // the stream's first timestamp: "0 s into the source"
    int64_t start_us = 0;
    int64_t first_frame = 0;   // output frame number of the first frame next() returns
    int64_t tolerance_us = 0;
    int64_t fallback_duration_us = 0;  // for frames that do not say how long they last

    // `cur` is the frame on screen at the current output time; `next` is the first decoded
    // frame that starts after it (kept to know when `cur` ends).
    FramePtr cur, next;
    bool have_cur = false, have_next = false;
    int64_t cur_pts_us = 0, cur_end_us = 0, next_pts_us = 0, next_end_us = 0;
    int64_t last_pts_us = INT64_MIN;

    bool flushing = false;     // demuxer exhausted, decoder being drained
    bool decoder_done = false;
    bool end = false;          // nullptr was returned
    int64_t decoded = 0;       // frames the decoder produced
    int64_t errors = 0;        // packets or frames the decoder rejected
    int64_t output = 0;        // frames returned by next()

    std::string shown() const { return detail::display_path(path); }

    // Output time of frame k, in the stream's clock (µs), exact from integers.
    int64_t target_us(int64_t k) const { return origin_us + start_us + core::frames_to_us(first_frame + k, fps); }

    // Decodes the next frame into `f`. false at end of stream. Broken packets are skipped:
    // the decoder resynchronises at the next keyframe and we keep whatever it recovers.
    // The decoded-ahead frame becomes the current one.
    void promote_next()
    {
        std::swap(cur, next);
        cur_pts_us = next_pts_us;
        cur_end_us = next_end_us;
        have_cur = true;
        have_next = false;
        av_frame_unref(next.get());
    }

    core::Result<bool> decode_one(AVFrame* f, int64_t& pts_us, int64_t& end_us)
    {
        for (;;) {
            int ret = avcodec_receive_frame(dec.get(), f);
            if (ret == 0) {
                int64_t ts = f->best_effort_timestamp;
                int64_t dur_us = f->pkt_duration > 0 ? av_rescale_q(f->pkt_duration, tb, kMicros)
                                                     : fallback_duration_us;
                if (ts == AV_NOPTS_VALUE)
                    pts_us = last_pts_us == INT64_MIN ? origin_us : last_pts_us + dur_us;
                else
                    pts_us = av_rescale_q(ts, tb, kMicros);
                // Timestamps must move forward for "latest frame at or before t" to mean
                // anything; a broken file that repeats or reverses them is nudged along.
                if (last_pts_us != INT64_MIN && pts_us <= last_pts_us)
                    pts_us = last_pts_us + 1;
                last_pts_us = pts_us;
                end_us = pts_us + std::max<int64_t>(dur_us, 1);
                ++decoded;
                return true;
            }
            if (ret == AVERROR_EOF) {
                decoder_done = true;
                return false;
            }
            if (ret != AVERROR(EAGAIN)) {
                ++errors;  // a frame that failed to decode; carry on with the next packet
                if (flushing)
                    continue;
            }
            if (flushing) {
                decoder_done = true;
                return false;
            }
            ret = av_read_frame(fmt.get(), pkt.get());
            if (ret < 0) {
                // End of file, or a read error in a damaged file: either way there is no more
                // data. Drain what the decoder still holds (frame threads keep several).
                flushing = true;
                avcodec_send_packet(dec.get(), nullptr);
                continue;
            }
            if (pkt->stream_index != stream) {
                av_packet_unref(pkt.get());
                continue;
            }
            ret = avcodec_send_packet(dec.get(), pkt.get());
            av_packet_unref(pkt.get());
            if (ret < 0 && ret != AVERROR(EAGAIN))
                ++errors;
        }
    }
};

VideoReader::VideoReader(std::unique_ptr<Impl> impl)
    : m_impl(std::move(impl))
{
}
VideoReader::~VideoReader() = default;
VideoReader::VideoReader(VideoReader&&) noexcept = default;
VideoReader& VideoReader::operator=(VideoReader&&) noexcept = default;

int64_t VideoReader::frames_read() const { return m_impl ? m_impl->output : 0; }

core::Result<VideoReader> VideoReader::open(const fs::path& path, core::Rational fps, int64_t start_us, int threads,
                                            int64_t first_frame)
{
    if (fps.num <= 0 || fps.den <= 0)
        return make_error(ErrorCategory::Internal, "VideoReader::open: invalid output rate " + fps.to_string());
    auto in = SW_TRY(detail::open_input(path));
    auto impl = std::make_unique<Impl>();
    impl->path = path;
    impl->stream = in.video_stream;
    impl->fmt = std::move(in.fmt);
    AVStream* st = impl->fmt->streams[impl->stream];
    impl->tb = st->time_base;
    impl->fps = fps.reduced();
    impl->start_us = std::max<int64_t>(0, start_us);
    impl->first_frame = std::max<int64_t>(0, first_frame);
    impl->dec = SW_TRY(detail::open_video_decoder(path, st, threads));
    impl->pkt = make_packet();
    impl->cur = make_frame();
    impl->next = make_frame();
    if (!impl->pkt || !impl->cur || !impl->next)
        return make_error(ErrorCategory::Media, "out of memory");

    // Other streams are never read: discarding them saves the demuxer work.
    for (unsigned i = 0; i < impl->fmt->nb_streams; ++i)
        if ((int)i != impl->stream)
            impl->fmt->streams[i]->discard = AVDISCARD_ALL;

    if (st->start_time != AV_NOPTS_VALUE)
        impl->origin_us = av_rescale_q(st->start_time, st->time_base, kMicros);
    else if (impl->fmt->start_time != AV_NOPTS_VALUE)
        impl->origin_us = impl->fmt->start_time;
    const int64_t out_interval_us = core::frames_to_us(1, impl->fps);
    // Container timestamps are rounded (Matroska to 1 ms, MP4 to its timescale), so a frame
    // meant to start exactly at an output tick may be stamped a hair after it. Accept up to
    // 1 ms (or a quarter of an output frame at very high rates) of that.
    impl->tolerance_us = std::min<int64_t>(1000, out_interval_us / 4);
    AVRational src_rate = st->avg_frame_rate.num > 0 && st->avg_frame_rate.den > 0 ? st->avg_frame_rate
                                                                                   : st->r_frame_rate;
    impl->fallback_duration_us = src_rate.num > 0 && src_rate.den > 0 ? av_rescale_q(1, av_inv_q(src_rate), kMicros)
                                                                      : out_interval_us;

    if (impl->start_us > 0 || impl->first_frame > 0) {
        // Seek to the keyframe at or before the start; frames between it and the start are
        // decoded and dropped by next(). If the container cannot seek we decode from the top.
        int64_t ts = av_rescale_q(impl->target_us(0), kMicros, st->time_base);
        if (av_seek_frame(impl->fmt.get(), impl->stream, ts, AVSEEK_FLAG_BACKWARD) < 0)
            av_seek_frame(impl->fmt.get(), impl->stream, st->start_time != AV_NOPTS_VALUE ? st->start_time : 0,
                          AVSEEK_FLAG_BACKWARD);
    }
    VideoReader r(std::move(impl));
    r.m_info = std::move(in.info);
    return r;
}

core::Result<const AVFrame*> VideoReader::next()
{
    Impl& m = *m_impl;
    if (m.end)
        return nullptr;
    const int64_t t = m.target_us(m.output);

    // Advance `cur` to the latest frame starting at or before t (dropping frames when the
    // source is faster than the output, staying put — duplicating — when it is slower).
    for (;;) {
        if (m.have_next) {
            if (m.next_pts_us > t + m.tolerance_us)
                break;
            m.promote_next();
            continue;
        }
        if (m.decoder_done)
            break;
        auto got = SW_TRY(m.decode_one(m.next.get(), m.next_pts_us, m.next_end_us));
        if (!got)
            break;
        m.have_next = true;
    }

    if (!m.have_cur) {
        if (m.have_next) {
            // The picture starts after the requested time (a late first frame, or a seek that
            // landed past the start): show the first frame we have rather than nothing.
            m.promote_next();
        } else {
            m.end = true;
            if (m.decoded == 0)
                return make_error(ErrorCategory::Input,
                                  m.shown() + " contains no decodable video frames (the video data is corrupt or "
                                              "missing) — copy or export the file again");
            return nullptr;
        }
    }
    if (!m.have_next && m.decoder_done && t + m.tolerance_us >= m.cur_end_us) {
        // The last frame has been shown for its whole duration.
        m.end = true;
        if (m.output == 0 && m.first_frame == 0)
            return make_error(ErrorCategory::Input,
                              "the start time " + std::to_string(m.start_us / 1000) + " ms is past the end of " +
                                  m.shown() + " — choose an earlier start");
        return nullptr;
    }
    ++m.output;
    return m.cur.get();
}

}  // namespace sw::media
