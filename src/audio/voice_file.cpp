// Recorded narration (`voice-file:`): any audio libav decodes, as 48 kHz mono float.

#include <algorithm>
#include <cstring>

#include "audio/tts.h"
#include "media/av_ptr.h"

namespace sw::audio {

namespace {

std::string av_err(int e)
{
    char buf[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(e, buf, sizeof buf);
    return buf;
}

auto decode_error(const std::string& path, const std::string& why, int e = 0)
{
    return core::make_error(core::ErrorCategory::Input,
                            "cannot decode the voice file " + path + ": " + why +
                                " — convert it to WAV, MP3, FLAC or OGG",
                            e ? av_err(e) : std::string());
}

}  // namespace

core::Result<Speech> load_voice_file(const std::string& path)
{
    // Plain WAV: the module's own reader, which needs no codec.
    if (path.size() > 4 && std::equal(path.end() - 4, path.end(), ".wav", [](char a, char b) { return std::tolower(a) == b; })) {
        auto samples = read_wav(path);
        if (samples) {
            Speech s;
            s.samples = std::move(*samples);
            return s;
        }
        // Not a PCM/float WAV (e.g. ADPCM): let libav try.
    }
    AVFormatContext* raw_fmt = nullptr;
    int e = avformat_open_input(&raw_fmt, path.c_str(), nullptr, nullptr);
    if (e < 0)
        return core::make_error(core::ErrorCategory::Input, "cannot open the voice file " + path + " — check the path",
                                av_err(e));
    media::InputFormatPtr fmt(raw_fmt);
    if ((e = avformat_find_stream_info(fmt.get(), nullptr)) < 0)
        return decode_error(path, "unreadable container", e);
    const AVCodec* codec = nullptr;
    int stream = av_find_best_stream(fmt.get(), AVMEDIA_TYPE_AUDIO, -1, -1, &codec, 0);
    if (stream < 0 || !codec)
        return decode_error(path, "no audio stream", stream);
    media::CodecContextPtr dec(avcodec_alloc_context3(codec));
    avcodec_parameters_to_context(dec.get(), fmt->streams[stream]->codecpar);
    if ((e = avcodec_open2(dec.get(), codec, nullptr)) < 0)
        return decode_error(path, "unsupported audio codec", e);

    AVChannelLayout mono = AV_CHANNEL_LAYOUT_MONO;
    media::SwrContextPtr swr;
    std::vector<float> out;
    media::PacketPtr pkt(av_packet_alloc());
    media::FramePtr frame(av_frame_alloc());
    auto drain = [&]() -> core::Status {
        while (true) {
            int r = avcodec_receive_frame(dec.get(), frame.get());
            if (r == AVERROR(EAGAIN) || r == AVERROR_EOF)
                return {};
            if (r < 0)
                return decode_error(path, "corrupt audio data", r);
            if (!swr) {
                SwrContext* s = nullptr;
                if (swr_alloc_set_opts2(&s, &mono, AV_SAMPLE_FMT_FLT, kSpeechSampleRate, &frame->ch_layout,
                                        AVSampleFormat(frame->format), frame->sample_rate, 0, nullptr) < 0 ||
                    swr_init(s) < 0) {
                    swr_free(&s);
                    return decode_error(path, "unsupported sample layout");
                }
                swr.reset(s);
            }
            int cap = swr_get_out_samples(swr.get(), frame->nb_samples);
            size_t at = out.size();
            out.resize(at + size_t(std::max(cap, 0)));
            uint8_t* dst[1] = {reinterpret_cast<uint8_t*>(out.data() + at)};
            int got = swr_convert(swr.get(), dst, cap, const_cast<const uint8_t**>(frame->extended_data),
                                  frame->nb_samples);
            out.resize(at + size_t(std::max(got, 0)));
            av_frame_unref(frame.get());
        }
    };
    while (av_read_frame(fmt.get(), pkt.get()) >= 0) {
        if (pkt->stream_index == stream) {
            e = avcodec_send_packet(dec.get(), pkt.get());
            av_packet_unref(pkt.get());
            if (e < 0 && e != AVERROR(EAGAIN))
                return decode_error(path, "corrupt audio data", e);
            SW_TRY_STATUS(drain());
        } else {
            av_packet_unref(pkt.get());
        }
    }
    avcodec_send_packet(dec.get(), nullptr);
    SW_TRY_STATUS(drain());
    if (swr) {
        int cap = swr_get_out_samples(swr.get(), 0);
        size_t at = out.size();
        out.resize(at + size_t(std::max(cap, 0)));
        uint8_t* dst[1] = {reinterpret_cast<uint8_t*>(out.data() + at)};
        int got = swr_convert(swr.get(), dst, cap, nullptr, 0);
        out.resize(at + size_t(std::max(got, 0)));
    }
    if (out.empty())
        return decode_error(path, "it contains no audio samples");
    Speech s;
    s.samples = std::move(out);
    return s;
}

}  // namespace sw::audio
