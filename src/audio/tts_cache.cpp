// TtsCache: synthesised speech on disk, keyed by content, so unchanged lines are not spoken again.
// Entry <key>.wav holds float samples; <key>.txt holds the timings in a line format:
//   shotweave-tts-cache 1
//   samples <count> exact <0|1>
//   s|w <start> <end> <text_begin> <text_end>     (one per sentence / word)
//   end
// The sample count and the final "end" line let a truncated or mismatched pair be detected.

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "audio/tts.h"
#include "core/file.h"

namespace sw::audio {

namespace fs = std::filesystem;

namespace {

// FNV-1a, 128-bit: no crypto needed (keys are not adversarial), and no extra dependency.
std::string fnv1a_128_hex(const std::string& data)
{
    unsigned __int128 h = (unsigned __int128)0x6c62272e07bb0142ULL << 64 | 0x62b821756295c58dULL;
    const unsigned __int128 prime = (unsigned __int128)0x0000000001000000ULL << 64 | 0x000000000000013BULL;
    for (unsigned char c : data) {
        h ^= c;
        h *= prime;
    }
    char buf[33];
    std::snprintf(buf, sizeof buf, "%016llx%016llx", (unsigned long long)(h >> 64), (unsigned long long)h);
    return buf;
}

std::optional<Speech> load_entry(const std::string& base)
{
    std::ifstream meta(base + ".txt");
    if (!meta)
        return std::nullopt;
    std::string magic;
    int version = 0;
    std::string tag;
    int64_t count = -1;
    std::string exact_tag;
    int exact = 0;
    if (!(meta >> magic >> version) || magic != "shotweave-tts-cache" || version != 1)
        return std::nullopt;
    if (!(meta >> tag >> count >> exact_tag >> exact) || tag != "samples" || exact_tag != "exact" || count < 0)
        return std::nullopt;
    Speech s;
    s.timings_exact = exact != 0;
    bool ended = false;
    while (meta >> tag) {
        if (tag == "end") {
            ended = true;
            break;
        }
        SpeechTiming t;
        if ((tag != "s" && tag != "w") || !(meta >> t.start_sample >> t.end_sample >> t.text_begin >> t.text_end))
            return std::nullopt;
        if (t.start_sample < 0 || t.end_sample < t.start_sample || t.end_sample > count)
            return std::nullopt;
        (tag == "s" ? s.sentences : s.words).push_back(t);
    }
    if (!ended)
        return std::nullopt;
    auto samples = read_wav(base + ".wav");
    if (!samples || int64_t(samples->size()) != count)
        return std::nullopt;
    s.samples = std::move(*samples);
    return s;
}

}  // namespace

std::string TtsCache::default_dir()
{
    return core::user_cache_dir("tts").string();
}

TtsCache::TtsCache(std::string dir) : m_dir(dir.empty() ? default_dir() : std::move(dir)) {}

std::string TtsCache::key(const TtsEngine& engine, const SpeechRequest& r) const
{
    std::string k = "v1";
    for (const std::string& part : {engine.id(), r.voice, std::to_string(r.rate_wpm), std::to_string(r.pitch), r.text}) {
        k += '\0';
        k += std::to_string(part.size());  // length-prefixed: no two tuples share a key string
        k += ':';
        k += part;
    }
    return fnv1a_128_hex(k);
}

core::Result<Speech> TtsCache::get_or_synthesize(TtsEngine& engine, const SpeechRequest& request)
{
    std::string base = m_dir + "/" + key(engine, request);
    if (auto hit = load_entry(base))
        return std::move(*hit);

    Speech speech = SW_TRY(engine.synthesize(request));

    // A cache that cannot be written only costs time: synthesis succeeded, so return it.
    std::error_code ec;
    fs::create_directories(m_dir, ec);
    if (ec)
        return speech;
    auto wav = encode_wav(speech.samples, 1, kSpeechSampleRate, WavSampleFormat::Float32);
    std::ostringstream meta;
    meta << "shotweave-tts-cache 1\nsamples " << speech.samples.size() << " exact " << (speech.timings_exact ? 1 : 0)
         << "\n";
    for (auto& t : speech.sentences)
        meta << "s " << t.start_sample << ' ' << t.end_sample << ' ' << t.text_begin << ' ' << t.text_end << '\n';
    for (auto& t : speech.words)
        meta << "w " << t.start_sample << ' ' << t.end_sample << ' ' << t.text_begin << ' ' << t.text_end << '\n';
    meta << "end\n";
    // WAV first: a reader that sees the new .txt always finds the matching .wav (the sample
    // count in .txt rejects a stale one).
    if (core::write_file_atomic(base + ".wav", std::string_view(reinterpret_cast<const char*>(wav.data()), wav.size())))
        (void)core::write_file_atomic(base + ".txt", meta.str());
    return speech;
}

}  // namespace sw::audio
