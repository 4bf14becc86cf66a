// decode_audio: libavformat demuxes, libavcodec decodes, libswresample converts whatever
// the file holds (any rate, layout, sample format) to interleaved float at 48 kHz.

#include "audio/audio_decode.h"

#include "media/av_ptr.h"
#include "media/media.h"
#include "media/media_internal.h"

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
}

namespace sw::audio {

using core::ErrorCategory;
using core::make_error;
using media::av_error_string;

core::Result<std::vector<float>> decode_audio(const fs::path& path, int channels)
{
    const std::string shown = media::detail::display_path(path);
    if (channels < 1 || channels > 2)
        return make_error(ErrorCategory::Internal, "decode_audio: channels must be 1 or 2");
    std::error_code ec;
    if (!fs::exists(path, ec))
        return make_error(ErrorCategory::Input,
                          "the audio file " + shown + " does not exist — check the path (relative paths start at the script's folder)");
    if (fs::is_directory(path, ec))
        return make_error(ErrorCategory::Input, "the audio file " + shown + " is a folder — name an audio file");

    auto not_audio = [&](const std::string& why, int ret) {
        return make_error(ErrorCategory::Input,
                          "the audio file " + shown + " could not be decoded (" + why +
                              ") — convert it to WAV, MP3, OGG, FLAC or M4A",
                          ret ? av_error_string(ret) : std::string());
    };

    media::cpu_profile();
    AVFormatContext* raw = nullptr;
    int ret = avformat_open_input(&raw, media::detail::av_url(path).c_str(), nullptr, nullptr);
    if (ret < 0)
        return not_audio("not a media file libav can read", ret);
    media::InputFormatPtr in(raw);
    if ((ret = avformat_find_stream_info(in.get(), nullptr)) < 0)
        return not_audio("no stream information", ret);
    const AVCodec* codec = nullptr;
    int idx = av_find_best_stream(in.get(), AVMEDIA_TYPE_AUDIO, -1, -1, &codec, 0);
    if (idx < 0 || !codec)
        return make_error(ErrorCategory::Input,
                          "the file " + shown + " has no audio stream — name a file with sound",
                          idx < 0 ? av_error_string(idx) : std::string("no decoder"));
    AVStream* st = in->streams[idx];
    // Only the chosen stream: the demuxer then skips video packets cheaply.
    for (unsigned i = 0; i < in->nb_streams; ++i)
        if ((int)i != idx)
            in->streams[i]->discard = AVDISCARD_ALL;

    media::CodecContextPtr dec(avcodec_alloc_context3(codec));
    if (!dec)
        return make_error(ErrorCategory::Media, "out of memory");
    avcodec_parameters_to_context(dec.get(), st->codecpar);
    dec->pkt_timebase = st->time_base;
    if ((ret = avcodec_open2(dec.get(), codec, nullptr)) < 0)
        return not_audio("the decoder could not be started", ret);

    // libswresample converts to mono (for mono sources) or stereo (everything else, surround
    // downmixed by its standard matrix); the last step to `channels` is ours, because swr's
    // mono→stereo puts the centre at −3 dB in each side where players play mono at full level
    // in both speakers.
    AVChannelLayout out_layout{};
    int swr_channels = 0;
    media::SwrContextPtr swr;  // created at the first frame: the decoder's real layout is known then
    AVChannelLayout in_layout{};
    int in_rate = 0;
    int in_fmt = -1;

    std::vector<float> out;
    auto convert = [&](const AVFrame* f) -> core::Status {
        const uint8_t** src = f ? (const uint8_t**)f->extended_data : nullptr;
        const int in_n = f ? f->nb_samples : 0;
        int cap = swr_get_out_samples(swr.get(), in_n);
        if (cap <= 0)
            return {};
        size_t at = out.size();
        out.resize(at + (size_t)cap * swr_channels);
        uint8_t* dst = reinterpret_cast<uint8_t*>(out.data() + at);
        int got = swr_convert(swr.get(), &dst, cap, src, in_n);
        if (got < 0)
            return make_error(ErrorCategory::Media, "resampling " + shown + " failed", av_error_string(got));
        out.resize(at + (size_t)got * swr_channels);
        return {};
    };
    auto setup = [&](const AVFrame* f) -> core::Status {
        AVChannelLayout layout{};
        if (f->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC || f->ch_layout.nb_channels <= 0)
            av_channel_layout_default(&layout, std::max(1, f->ch_layout.nb_channels));
        else
            av_channel_layout_copy(&layout, &f->ch_layout);
        if (swr && in_rate == f->sample_rate && in_fmt == f->format &&
            av_channel_layout_compare(&layout, &in_layout) == 0) {
            av_channel_layout_uninit(&layout);
            return {};
        }
        // A mid-stream format change (rare: chained OGG): flush the old converter first.
        if (swr)
            SW_TRY_STATUS(convert(nullptr));
        if (swr_channels == 0) {
            swr_channels = layout.nb_channels == 1 ? 1 : 2;
            av_channel_layout_default(&out_layout, swr_channels);
        }
        SwrContext* s = nullptr;
        int r = swr_alloc_set_opts2(&s, &out_layout, AV_SAMPLE_FMT_FLT, kSampleRate, &layout,
                                    (AVSampleFormat)f->format, f->sample_rate, 0, nullptr);
        swr.reset(s);
        if (r >= 0)
            r = swr_init(s);
        av_channel_layout_uninit(&in_layout);
        in_layout = layout;
        in_rate = f->sample_rate;
        in_fmt = f->format;
        if (r < 0)
            return make_error(ErrorCategory::Input, "the audio format of " + shown + " cannot be converted",
                              av_error_string(r));
        return {};
    };

    media::PacketPtr pkt = media::make_packet();
    media::FramePtr frame = media::make_frame();
    if (!pkt || !frame)
        return make_error(ErrorCategory::Media, "out of memory");
    int decoded_frames = 0;
    auto receive_all = [&]() -> core::Status {
        for (;;) {
            int r = avcodec_receive_frame(dec.get(), frame.get());
            if (r == AVERROR(EAGAIN) || r == AVERROR_EOF)
                return {};
            if (r < 0)
                return {};  // a damaged frame: skip it, the decoder resyncs at the next packet
            auto st2 = setup(frame.get());
            if (st2)
                st2 = convert(frame.get());
            av_frame_unref(frame.get());
            if (!st2)
                return st2;
            ++decoded_frames;
        }
    };

    int read_ret = 0;
    while ((read_ret = av_read_frame(in.get(), pkt.get())) >= 0) {
        if (pkt->stream_index == idx) {
            ret = avcodec_send_packet(dec.get(), pkt.get());
            av_packet_unref(pkt.get());
            if (ret < 0 && ret != AVERROR(EAGAIN) && ret != AVERROR_INVALIDDATA)
                return not_audio("the decoder failed", ret);
            SW_TRY_STATUS(receive_all());
        } else {
            av_packet_unref(pkt.get());
        }
    }
    avcodec_send_packet(dec.get(), nullptr);
    SW_TRY_STATUS(receive_all());
    av_channel_layout_uninit(&in_layout);
    if (decoded_frames == 0)
        return not_audio("no audio could be decoded", read_ret == AVERROR_EOF ? 0 : read_ret);
    SW_TRY_STATUS(convert(nullptr));  // the resampler's buffered tail
    av_channel_layout_uninit(&out_layout);
    if (swr_channels == channels)
        return out;
    const size_t frames = out.size() / swr_channels;
    std::vector<float> conv(frames * channels);
    if (channels == 2) {  // mono source: the same signal in both speakers
        for (size_t i = 0; i < frames; ++i)
            conv[2 * i] = conv[2 * i + 1] = out[i];
    } else {  // stereo to mono: the average keeps a centred sound at its level
        for (size_t i = 0; i < frames; ++i)
            conv[i] = 0.5f * (out[2 * i] + out[2 * i + 1]);
    }
    return conv;
}

}  // namespace sw::audio
