// join_segments: separately encoded pieces of one video, joined by stream copy.

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
}

#include <algorithm>
#include <cstring>
#include <vector>

#include "media/media_internal.h"

namespace sw::media {

using core::ErrorCategory;
using core::make_error;

namespace {

// Two segments can share one H.264 track only if their parameter sets (in the extradata) and
// picture format are identical.
bool same_stream(const AVCodecParameters* a, const AVCodecParameters* b)
{
    return a->codec_id == b->codec_id && a->width == b->width && a->height == b->height && a->format == b->format &&
           a->extradata_size == b->extradata_size &&
           (a->extradata_size == 0 || std::memcmp(a->extradata, b->extradata, (size_t)a->extradata_size) == 0);
}

// How many frames a segment's decoding runs ahead of its pictures: minus the first packet's dts
// (x264's B-frame delay, which is smaller in a segment too short to use all its B-frames).
core::Result<int64_t> decode_delay(const fs::path& seg, AVRational frame_tb, AVPacket* pkt)
{
    auto in = SW_TRY(detail::open_input(seg));
    const AVStream* st = in.fmt->streams[in.video_stream];
    while (av_read_frame(in.fmt.get(), pkt) >= 0) {
        const bool video = pkt->stream_index == in.video_stream;
        const int64_t dts = video ? av_rescale_q(pkt->dts, st->time_base, frame_tb) : 0;
        av_packet_unref(pkt);
        if (video)
            return std::max<int64_t>(0, -dts);
    }
    return int64_t(0);
}

}  // namespace

core::Result<JoinResult> join_segments(const std::vector<fs::path>& segments, const fs::path& target,
                                       const EncodeSettings& settings, std::vector<float> audio_stereo)
{
    if (segments.empty())
        return make_error(ErrorCategory::Internal, "join_segments: no segments");
    EncodeSettings s = settings;
    s.segment = false;
    const AVRational frame_tb = av_inv_q(AVRational{(int)s.fps.reduced().num, (int)s.fps.reduced().den});

    std::optional<Mp4Writer> writer;
    AVCodecParameters* first_params = avcodec_parameters_alloc();
    if (!first_params)
        return make_error(ErrorCategory::Media, "out of memory");
    struct ParamsFree {
        AVCodecParameters* p;
        ~ParamsFree() { avcodec_parameters_free(&p); }
    } params_guard{first_params};

    PacketPtr pkt = make_packet();
    // Every segment's decoding is shifted to run ahead by the largest delay of any: with a
    // smaller one, a segment's first dts would not come after the previous segment's last.
    std::vector<int64_t> delay(segments.size());
    int64_t max_delay = 0;
    for (size_t k = 0; k < segments.size(); ++k) {
        delay[k] = SW_TRY(decode_delay(segments[k], frame_tb, pkt.get()));
        max_delay = std::max(max_delay, delay[k]);
    }
    JoinResult result;
    for (size_t k = 0; k < segments.size(); ++k) {
        const fs::path& seg = segments[k];
        auto in = SW_TRY(detail::open_input(seg));
        const AVStream* st = in.fmt->streams[in.video_stream];
        if (k == 0) {
            avcodec_parameters_copy(first_params, st->codecpar);
            auto w = Mp4Writer::open_copy(target, s, first_params);
            if (!w)
                return tl::unexpected(w.error());
            writer.emplace(std::move(*w));
            if (!audio_stereo.empty())
                SW_TRY_STATUS(writer->set_audio(std::move(audio_stereo)));
        } else if (!same_stream(first_params, st->codecpar)) {
            writer->abort();
            return make_error(ErrorCategory::Internal,
                              "segment " + detail::display_path(seg) + " was encoded with other settings than " +
                                  detail::display_path(segments[0]) + " and cannot be joined to it");
        }
        // Segment-local frame numbers, shifted by the frames before it. The first packet's dts
        // is negative (B-frame delay); shifted, and moved earlier by the difference to the
        // largest delay, it stays after the previous segment's last.
        int64_t count = 0;
        for (;;) {
            int ret = av_read_frame(in.fmt.get(), pkt.get());
            if (ret == AVERROR_EOF)
                break;
            if (ret < 0) {
                writer->abort();
                return make_error(ErrorCategory::Input, "the segment " + detail::display_path(seg) + " is damaged",
                                  av_error_string(ret));
            }
            if (pkt->stream_index != in.video_stream) {
                av_packet_unref(pkt.get());
                continue;
            }
            const int64_t pts = av_rescale_q(pkt->pts, st->time_base, frame_tb);
            const int64_t dts = av_rescale_q(pkt->dts, st->time_base, frame_tb);
            auto stw = writer->write_video_packet(pkt.get(), result.frames + pts,
                                                  result.frames + dts - (max_delay - delay[k]));
            av_packet_unref(pkt.get());
            if (!stw) {
                writer->abort();
                return tl::unexpected(stw.error());
            }
            ++count;
        }
        if (count == 0) {
            writer->abort();
            return make_error(ErrorCategory::Input, "the segment " + detail::display_path(seg) + " has no frames");
        }
        result.frames += count;
    }
    SW_TRY_STATUS(writer->finish());
    return result;
}

}  // namespace sw::media
