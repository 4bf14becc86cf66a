// Music fitting, ducking and summing. See mix.h for the promises.

#include "audio/mix.h"

#include "audio/loudness.h"

#include <algorithm>
#include <cmath>

namespace sw::audio {

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr int kRate = 48000;
constexpr double kGateBelowSpeech = 26;  // dB, see plan_bed

// Quarter-sine fade: 0 → 1 as x goes 0 → 1; sin² + cos² = 1 keeps uncorrelated crossfades
// at constant power (a linear crossfade dips ~3 dB at the middle of a loop seam).
inline double fade_curve(double x)
{
    x = std::clamp(x, 0.0, 1.0);
    return std::sin(x * kPi / 2);
}

}  // namespace

std::vector<float> fit_music(const std::vector<float>& music, int64_t total, const MusicSettings& s)
{
    if (total <= 0)
        return {};
    std::vector<float> out((size_t)total * 2, 0.0f);
    const int64_t n = (int64_t)music.size() / 2;
    if (n == 0)
        return out;

    // First copy, then (when looping) repeats that start kLoopCrossfade before the previous one
    // ends and crossfade into it.
    int64_t played = std::min(n, total);
    std::copy(music.begin(), music.begin() + played * 2, out.begin());
    if (s.loop && n < total) {
        const int64_t xf = std::min<int64_t>(kLoopCrossfade, n / 4);
        const int64_t period = n - xf;
        for (int64_t offset = period; offset < total; offset += period) {
            for (int64_t i = 0; i < n && offset + i < total; ++i) {
                float* o = &out[(size_t)(offset + i) * 2];
                const float* m = &music[(size_t)i * 2];
                if (i < xf) {
                    double x = (i + 0.5) / (double)xf;
                    double gin = fade_curve(x), gout = fade_curve(1 - x);
                    o[0] = (float)(o[0] * gout + m[0] * gin);
                    o[1] = (float)(o[1] * gout + m[1] * gin);
                } else {
                    o[0] = m[0];
                    o[1] = m[1];
                }
            }
        }
        played = total;
    }

    // Fades over the part that actually plays; shortened together when they would overlap.
    int64_t fin = std::max<int64_t>(0, s.fade_in), fout = std::max<int64_t>(0, s.fade_out);
    if (fin + fout > played) {
        double k = (double)played / (double)(fin + fout);
        fin = (int64_t)(fin * k);
        fout = (int64_t)(fout * k);
    }
    const double vol = std::pow(10.0, s.volume_db / 20.0);
    for (int64_t t = 0; t < played; ++t) {
        double g = vol;
        if (t < fin)
            g *= fade_curve((t + 0.5) / (double)fin);
        if (t >= played - fout)
            g *= fade_curve((played - t - 0.5) / (double)fout);
        out[(size_t)t * 2] = (float)(out[(size_t)t * 2] * g);
        out[(size_t)t * 2 + 1] = (float)(out[(size_t)t * 2 + 1] * g);
    }
    return out;
}

std::vector<float> duck_envelope(const std::vector<float>& voice, const DuckSettings& s)
{
    const int64_t n = (int64_t)voice.size();
    std::vector<float> gain((size_t)n, 1.0f);
    if (n == 0)
        return gain;

    // Control rate: one value per millisecond (48 samples), interpolated per sample at the end.
    constexpr int kHop = kRate / 1000;
    constexpr int kWin = kRate / 100;  // 10 ms RMS window, centred on the block
    const int64_t blocks = (n + kHop - 1) / kHop;

    // RMS via a prefix sum of squares (double: 90 s of audio sums millions of terms).
    std::vector<double> prefix((size_t)n + 1, 0.0);
    for (int64_t i = 0; i < n; ++i)
        prefix[(size_t)i + 1] = prefix[(size_t)i] + (double)voice[(size_t)i] * voice[(size_t)i];
    const double thr = std::pow(10.0, s.threshold_db / 10.0);  // in power
    std::vector<uint8_t> speech((size_t)blocks, 0);
    for (int64_t b = 0; b < blocks; ++b) {
        int64_t c = b * kHop + kHop / 2;
        int64_t lo = std::clamp<int64_t>(c - kWin / 2, 0, n), hi = std::clamp<int64_t>(c + kWin / 2, 0, n);
        if (hi <= lo)
            continue;
        double ms = (prefix[(size_t)hi] - prefix[(size_t)lo]) / (double)(hi - lo);
        speech[(size_t)b] = ms > thr;
    }

    // Gate shaping in blocks, with the whole voice known: bridge short gaps (both ends are
    // known, so a pause between words never lets the music up), hold after speech, then open
    // lookahead early (before speech), so both ends are known before smoothing.
    const int64_t bridge = std::max<int64_t>(0, std::llround(s.bridge_ms));
    int64_t prev_end = -1;  // block after the last speech block seen, -1 before any
    for (int64_t b = 0; b < blocks; ++b) {
        if (!speech[(size_t)b])
            continue;
        if (prev_end >= 0 && b > prev_end && b - prev_end < bridge)
            std::fill(speech.begin() + prev_end, speech.begin() + b, uint8_t(1));
        prev_end = b + 1;
    }
    const int64_t hold = std::max<int64_t>(0, std::llround(s.hold_ms));
    const int64_t look = std::max<int64_t>(0, std::llround(s.lookahead_ms));
    std::vector<uint8_t> gate((size_t)blocks, 0);
    int64_t last_speech = -1'000'000'000;
    for (int64_t b = 0; b < blocks; ++b) {
        if (speech[(size_t)b])
            last_speech = b;
        gate[(size_t)b] = (b - last_speech) <= hold;
    }
    std::vector<uint8_t> gate_la((size_t)blocks, 0);
    int64_t next_on = INT64_MAX;
    for (int64_t b = blocks - 1; b >= 0; --b) {
        if (gate[(size_t)b])
            next_on = b;
        gate_la[(size_t)b] = next_on != INT64_MAX && next_on - b <= look;
    }

    // Slew-limited gain in dB: linear ramps, attack_ms for the full depth down, release_ms up.
    const double depth = std::min(0.0, s.depth_db);
    const double down_step = s.attack_ms > 0 ? -depth / s.attack_ms : 1e9;
    const double up_step = s.release_ms > 0 ? -depth / s.release_ms : 1e9;
    std::vector<double> db((size_t)blocks + 1, 0.0);
    double g = 0;
    for (int64_t b = 0; b < blocks; ++b) {
        double target = gate_la[(size_t)b] ? depth : 0.0;
        if (g > target)
            g = std::max(target, g - down_step);
        else if (g < target)
            g = std::min(target, g + up_step);
        db[(size_t)b] = g;
    }
    db[(size_t)blocks] = g;

    // Per sample: interpolate dB between block centres (no zipper noise at 1 ms steps).
    for (int64_t i = 0; i < n; ++i) {
        int64_t b = i / kHop;
        double frac = (double)(i - b * kHop) / kHop;
        double d = db[(size_t)b] + (db[(size_t)b + 1] - db[(size_t)b]) * frac;
        gain[(size_t)i] = (float)std::pow(10.0, d / 20.0);
    }
    return gain;
}

BedPlan plan_bed(const std::vector<float>& voice, const std::vector<float>& music, const BedLevels& levels)
{
    BedPlan plan;
    std::vector<float> voice_stereo(voice.size() * 2);
    for (size_t i = 0; i < voice.size(); ++i)
        voice_stereo[i * 2] = voice_stereo[i * 2 + 1] = voice[i];
    plan.speech_lufs = integrated_lufs(voice_stereo);
    plan.music_lufs = integrated_lufs(music);
    const bool measured = std::isfinite(plan.speech_lufs) && std::isfinite(plan.music_lufs);
    // Capped so that a nearly silent file is not raised into its noise floor.
    plan.music_gain_db = measured ? std::clamp(plan.speech_lufs + levels.bed_db + levels.volume_db - plan.music_lufs,
                                               -60.0, 30.0)
                                  : levels.bed_db + levels.volume_db;
    plan.duck.depth_db = std::min(0.0, levels.duck_db - levels.bed_db);
    // A 10 ms window whose RMS is this far under the speech's loudness is a pause: under every
    // syllable's body, above breath and room noise of a clean recording.
    if (std::isfinite(plan.speech_lufs))
        plan.duck.threshold_db = plan.speech_lufs - kGateBelowSpeech;
    return plan;
}

double limiter_loss_db(const std::vector<float>& voice, const std::vector<float>& gain)
{
    const size_t n = std::min(voice.size(), gain.size());
    float top = 0;
    for (size_t i = 0; i < n; ++i)
        top = std::max(top, gain[i]);
    if (top <= 0)
        return 0;
    std::vector<float> before(n * 2), after(n * 2);
    for (size_t i = 0; i < n; ++i) {
        before[i * 2] = before[i * 2 + 1] = voice[i];
        after[i * 2] = after[i * 2 + 1] = voice[i] * (gain[i] / top);
    }
    const double a = integrated_lufs(before), b = integrated_lufs(after);
    return std::isfinite(a) && std::isfinite(b) ? std::min(0.0, b - a) : 0.0;
}

std::vector<float> mix(const std::vector<float>& voice, const std::vector<float>& music,
                       const std::vector<float>& music_gain, const std::vector<float>& other, int64_t total)
{
    if (total < 0)
        total = std::max({(int64_t)voice.size(), (int64_t)music.size() / 2, (int64_t)other.size() / 2});
    std::vector<float> out((size_t)total * 2, 0.0f);
    const int64_t nv = std::min<int64_t>(total, (int64_t)voice.size());
    for (int64_t t = 0; t < nv; ++t) {
        out[(size_t)t * 2] = voice[(size_t)t];
        out[(size_t)t * 2 + 1] = voice[(size_t)t];
    }
    const int64_t nm = std::min<int64_t>(total, (int64_t)music.size() / 2);
    for (int64_t t = 0; t < nm; ++t) {
        float g = t < (int64_t)music_gain.size() ? music_gain[(size_t)t] : 1.0f;
        out[(size_t)t * 2] += music[(size_t)t * 2] * g;
        out[(size_t)t * 2 + 1] += music[(size_t)t * 2 + 1] * g;
    }
    const int64_t no = std::min<int64_t>(total, (int64_t)other.size() / 2);
    for (int64_t i = 0; i < no * 2; ++i)
        out[(size_t)i] += other[(size_t)i];
    return out;
}

}  // namespace sw::audio
