#include "audio/wav.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <unistd.h>

#include "core/file.h"
#include "media/av_ptr.h"
#include "media/media.h"

namespace sw::audio {

namespace {

uint16_t rd16(const uint8_t* p) { return uint16_t(p[0] | (p[1] << 8)); }
uint32_t rd32(const uint8_t* p) { return uint32_t(p[0]) | (uint32_t(p[1]) << 8) | (uint32_t(p[2]) << 16) | (uint32_t(p[3]) << 24); }

void put16(std::vector<uint8_t>& o, uint16_t v) { o.push_back(v & 0xff); o.push_back(v >> 8); }
void put32(std::vector<uint8_t>& o, uint32_t v)
{
    for (int i = 0; i < 4; ++i)
        o.push_back(uint8_t(v >> (8 * i)));
}

constexpr uint16_t kFormatPcm = 1;
constexpr uint16_t kFormatFloat = 3;
constexpr uint16_t kFormatExtensible = 0xFFFE;

auto bad_wav(const std::string& what, const std::string& why)
{
    return core::make_error(core::ErrorCategory::Input,
                            what + " is not a usable WAV file: " + why +
                                " — write 16/24/32-bit PCM or 32-bit float WAV");
}

}  // namespace

core::Result<std::vector<float>> resample_mono(std::span<const float> in, int in_rate, int out_rate)
{
    if (in_rate == out_rate || in.empty())
        return std::vector<float>(in.begin(), in.end());
    if (in_rate <= 0)
        return core::make_error(core::ErrorCategory::Internal, "invalid sample rate " + std::to_string(in_rate));
    media::cpu_profile();
    AVChannelLayout mono = AV_CHANNEL_LAYOUT_MONO;
    SwrContext* raw = nullptr;
    if (swr_alloc_set_opts2(&raw, &mono, AV_SAMPLE_FMT_FLT, out_rate, &mono, AV_SAMPLE_FMT_FLT, in_rate, 0,
                            nullptr) < 0 || !raw)
        return core::make_error(core::ErrorCategory::Media, "could not set up audio resampling");
    media::SwrContextPtr swr(raw);
    if (swr_init(swr.get()) < 0)
        return core::make_error(core::ErrorCategory::Media, "could not set up audio resampling");
    // Exact output length from the rate ratio (rounded): keeps durations stable across rates.
    int64_t expected = av_rescale_rnd(int64_t(in.size()), out_rate, in_rate, AV_ROUND_NEAR_INF);
    std::vector<float> out(size_t(expected + 256));
    const uint8_t* in_planes[1] = {reinterpret_cast<const uint8_t*>(in.data())};
    uint8_t* out_planes[1] = {reinterpret_cast<uint8_t*>(out.data())};
    int got = swr_convert(swr.get(), out_planes, int(out.size()), in_planes, int(in.size()));
    if (got < 0)
        return core::make_error(core::ErrorCategory::Media, "audio resampling failed");
    size_t total = size_t(got);
    // Flush the filter's delay line.
    while (total < out.size()) {
        out_planes[0] = reinterpret_cast<uint8_t*>(out.data() + total);
        int n = swr_convert(swr.get(), out_planes, int(out.size() - total), nullptr, 0);
        if (n <= 0)
            break;
        total += size_t(n);
    }
    out.resize(std::min<size_t>(total, size_t(expected)));
    out.resize(size_t(expected), 0.0f);
    return out;
}

core::Result<std::vector<float>> decode_wav(std::span<const uint8_t> b, const std::string& what)
{
    if (b.size() < 12 || std::memcmp(b.data(), "RIFF", 4) != 0 || std::memcmp(b.data() + 8, "WAVE", 4) != 0)
        return bad_wav(what, "no RIFF/WAVE header");
    size_t pos = 12;
    bool have_fmt = false;
    uint16_t format = 0, channels = 0, bits = 0;
    uint32_t rate = 0;
    const uint8_t* data = nullptr;
    size_t data_len = 0;
    while (pos + 8 <= b.size()) {
        const uint8_t* ck = b.data() + pos;
        uint32_t len = rd32(ck + 4);
        size_t avail = b.size() - (pos + 8);
        if (std::memcmp(ck, "fmt ", 4) == 0) {
            if (len < 16 || len > avail)
                return bad_wav(what, "truncated fmt chunk");
            format = rd16(ck + 8);
            channels = rd16(ck + 10);
            rate = rd32(ck + 12);
            bits = rd16(ck + 22);
            if (format == kFormatExtensible && len >= 40)
                format = rd16(ck + 8 + 24);  // first two bytes of the sub-format GUID
            have_fmt = true;
        } else if (std::memcmp(ck, "data", 4) == 0) {
            data = ck + 8;
            // Streaming writers leave 0 or 0xFFFFFFFF here: take what is there.
            data_len = (len == 0 || len > avail) ? avail : len;
            break;
        }
        if (len > avail)
            break;
        pos += 8 + size_t(len) + (len & 1);
    }
    if (!have_fmt)
        return bad_wav(what, "missing fmt chunk");
    if (!data)
        return bad_wav(what, "missing data chunk");
    if (channels == 0 || rate == 0 || rate > 768000)
        return bad_wav(what, "invalid channel count or sample rate");
    bool is_float = format == kFormatFloat;
    if (!(format == kFormatPcm && (bits == 8 || bits == 16 || bits == 24 || bits == 32)) &&
        !(is_float && (bits == 32 || bits == 64)))
        return bad_wav(what, "unsupported sample format (format tag " + std::to_string(format) + ", " +
                                 std::to_string(bits) + " bits)");
    size_t bytes_per = bits / 8;
    size_t frame_bytes = bytes_per * channels;
    size_t frames = data_len / frame_bytes;
    std::vector<float> mono(frames);
    for (size_t f = 0; f < frames; ++f) {
        double acc = 0;
        for (size_t c = 0; c < channels; ++c) {
            const uint8_t* p = data + f * frame_bytes + c * bytes_per;
            double v = 0;
            if (is_float && bits == 32) {
                float x;
                std::memcpy(&x, p, 4);
                v = x;
            } else if (is_float) {
                double x;
                std::memcpy(&x, p, 8);
                v = x;
            } else if (bits == 8) {
                v = (int(p[0]) - 128) / 128.0;
            } else if (bits == 16) {
                v = int16_t(rd16(p)) / 32768.0;
            } else if (bits == 24) {
                int32_t x = int32_t((uint32_t(p[0]) << 8) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 24)) >> 8;
                v = x / 8388608.0;
            } else {
                v = int32_t(rd32(p)) / 2147483648.0;
            }
            acc += v;
        }
        mono[f] = float(acc / channels);
    }
    return resample_mono(mono, int(rate), kSpeechSampleRate);
}

core::Result<std::vector<float>> read_wav(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return core::make_error(core::ErrorCategory::Input, "cannot open audio file " + path + " — check the path",
                                std::strerror(errno));
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return decode_wav(bytes, path);
}

std::vector<uint8_t> encode_wav(std::span<const float> s, int channels, int sample_rate, WavSampleFormat fmt)
{
    bool flt = fmt == WavSampleFormat::Float32;
    uint16_t bits = flt ? 32 : 16;
    uint32_t data_len = uint32_t(s.size() * (bits / 8));
    std::vector<uint8_t> o;
    o.reserve(44 + data_len);
    o.insert(o.end(), {'R', 'I', 'F', 'F'});
    put32(o, 36 + data_len);
    o.insert(o.end(), {'W', 'A', 'V', 'E', 'f', 'm', 't', ' '});
    put32(o, 16);
    put16(o, flt ? kFormatFloat : kFormatPcm);
    put16(o, uint16_t(channels));
    put32(o, uint32_t(sample_rate));
    put32(o, uint32_t(sample_rate * channels * (bits / 8)));
    put16(o, uint16_t(channels * (bits / 8)));
    put16(o, bits);
    o.insert(o.end(), {'d', 'a', 't', 'a'});
    put32(o, data_len);
    for (float v : s) {
        if (flt) {
            uint32_t u;
            std::memcpy(&u, &v, 4);
            put32(o, u);
        } else {
            float c = std::clamp(v, -1.0f, 1.0f);
            put16(o, uint16_t(int16_t(std::lround(c * 32767.0f))));
        }
    }
    return o;
}

core::Status write_wav(const std::string& path, std::span<const float> s, int channels, int sample_rate,
                       WavSampleFormat fmt)
{
    auto bytes = encode_wav(s, channels, sample_rate, fmt);
    return core::write_file_atomic(path, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

}  // namespace sw::audio
