// Music fitting, ducking, loudness normalisation and audio decoding, on generated signals.

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <random>
#include <regex>

#include "audio/audio_decode.h"
#include "audio/loudness.h"
#include "audio/mix.h"
#include "test_support.h"

using namespace sw::audio;
namespace fs = std::filesystem;

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr int kRate = 48000;

std::vector<float> sine_stereo(double freq, double amp, int64_t frames)
{
    std::vector<float> v((size_t)frames * 2);
    for (int64_t t = 0; t < frames; ++t)
        v[(size_t)t * 2] = v[(size_t)t * 2 + 1] = (float)(amp * std::sin(2 * kPi * freq * t / kRate));
    return v;
}

double rms(const std::vector<float>& v, size_t from = 0, size_t to = SIZE_MAX)
{
    to = std::min(to, v.size());
    double s = 0;
    for (size_t i = from; i < to; ++i)
        s += (double)v[i] * v[i];
    return to > from ? std::sqrt(s / (double)(to - from)) : 0;
}

double to_db(double x) { return 20 * std::log10(std::max(x, 1e-12)); }

// Minimal 32-bit float stereo WAV writer for the FFmpeg cross-check.
void write_wav(const fs::path& p, const std::vector<float>& stereo)
{
    std::ofstream f(p, std::ios::binary);
    auto u32 = [&](uint32_t v) { f.write((const char*)&v, 4); };
    auto u16 = [&](uint16_t v) { f.write((const char*)&v, 2); };
    uint32_t bytes = (uint32_t)(stereo.size() * 4);
    f.write("RIFF", 4); u32(36 + bytes); f.write("WAVEfmt ", 8);
    u32(16); u16(3); u16(2); u32(kRate); u32(kRate * 8); u16(8); u16(32);
    f.write("data", 4); u32(bytes);
    f.write((const char*)stereo.data(), bytes);
}

}  // namespace

// ---------- decode ----------

TEST(DecodeAudio, OggMp3FlacLengthAndLevel)
{
    sw::test::TempDir dir("decode");
    // 2 s of a 440 Hz sine at amplitude 0.5 (RMS −9 dBFS), at 44.1 kHz mono: resampled and upmixed.
    for (std::string ext : {"ogg", "mp3", "flac"}) {
        fs::path f = dir / ("tone." + ext);
        auto r = sw::test::run({"ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                                "aevalsrc=0.5*sin(2*PI*440*t):s=44100:d=2", "-ac", "1", f.string()});
        ASSERT_EQ(r.exit_code, 0) << r.err;
        auto pcm = decode_audio(f, 2);
        ASSERT_TRUE(pcm) << pcm.error().to_string();
        const double frames = pcm->size() / 2.0;
        // Lossy codecs add encoder delay/padding (MP3 up to ~50 ms); FLAC is exact.
        EXPECT_NEAR(frames, 2.0 * kRate, ext == "flac" ? 2 : 0.06 * kRate) << ext;
        double level = to_db(rms(*pcm, (size_t)kRate / 2, (size_t)kRate * 3));  // the middle
        EXPECT_NEAR(level, to_db(0.5 / std::sqrt(2.0)), 0.5) << ext;
        // Both channels carry the mono signal.
        EXPECT_NEAR((*pcm)[kRate * 2], (*pcm)[kRate * 2 + 1], 1e-4) << ext;
        auto mono = decode_audio(f, 1);
        ASSERT_TRUE(mono);
        EXPECT_NEAR((double)mono->size(), frames, 2) << ext;
    }
}

TEST(DecodeAudio, ErrorsNameTheFile)
{
    sw::test::TempDir dir("decode-err");
    auto missing = decode_audio(dir / "nope.ogg");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().category, sw::core::ErrorCategory::Input);
    EXPECT_NE(missing.error().message.find("nope.ogg"), std::string::npos);

    sw::test::write_file(dir / "junk.mp3", std::string(5000, 'x'));
    auto junk = decode_audio(dir / "junk.mp3");
    ASSERT_FALSE(junk);
    EXPECT_EQ(junk.error().category, sw::core::ErrorCategory::Input);
    EXPECT_NE(junk.error().message.find("junk.mp3"), std::string::npos);

    sw::test::make_video(dir / "silent.mp4", "color=c=blue:s=64x64", 0.5);
    auto nosound = decode_audio(dir / "silent.mp4");
    ASSERT_FALSE(nosound);
    EXPECT_EQ(nosound.error().category, sw::core::ErrorCategory::Input);
    EXPECT_NE(nosound.error().message.find("silent.mp4"), std::string::npos);
    EXPECT_NE(nosound.error().message.find("no audio"), std::string::npos);
}

// ---------- fit_music ----------

TEST(FitMusic, LoopIsExactAndSeamless)
{
    // 1.01 s of a sine whose loop point is deliberately discontinuous (not a whole number of cycles).
    auto music = sine_stereo(330, 0.5, 48480);
    MusicSettings s;
    s.fade_in = 0;
    s.fade_out = 0;
    const int64_t total = 5 * kRate + 17;
    auto out = fit_music(music, total, s);
    ASSERT_EQ(out.size(), (size_t)total * 2);
    // Largest sample-to-sample step: a 330 Hz sine at 0.5 moves at most 2π·330/48000·0.5 ≈ 0.022.
    double max_jump = 0;
    for (int64_t t = 1; t < total; ++t)
        max_jump = std::max(max_jump, (double)std::fabs(out[t * 2] - out[(t - 1) * 2]));
    EXPECT_LT(max_jump, 0.03);
    // Whole-file level stays that of the music (the crossfades do not dip or bump).
    EXPECT_NEAR(to_db(rms(out)), to_db(rms(music)), 0.5);
    // Without looping: played once, then silence.
    s.loop = false;
    auto once = fit_music(music, total, s);
    ASSERT_EQ(once.size(), (size_t)total * 2);
    EXPECT_EQ(rms(once, 48480 * 2), 0.0);
    // Trimmed when longer.
    auto cut = fit_music(music, 1000, s);
    EXPECT_EQ(cut.size(), 2000u);
}

TEST(FitMusic, FadesAndVolume)
{
    auto music = sine_stereo(200, 0.5, 10 * kRate);
    MusicSettings s;  // 1 s in, 2 s out
    s.volume_db = -6;
    const int64_t total = 6 * kRate;
    auto out = fit_music(music, total, s);
    ASSERT_EQ(out.size(), (size_t)total * 2);
    EXPECT_LT(std::fabs(out[0]), 1e-3);
    EXPECT_LT(std::fabs(out.back()), 1e-3);
    // The middle is the music at −6 dB.
    double mid = to_db(rms(out, 2 * kRate * 2, 3 * kRate * 2));
    EXPECT_NEAR(mid, to_db(0.5 / std::sqrt(2.0)) - 6, 0.2);
    // Fades rise and fall monotonically (block RMS over 100 ms).
    double prev = -1;
    for (int b = 0; b < 10; ++b) {
        double r = rms(out, (size_t)b * 4800 * 2, (size_t)(b + 1) * 4800 * 2);
        EXPECT_GT(r, prev);
        prev = r;
    }
    prev = 10;
    for (int b = 40; b < 60; ++b) {
        double r = rms(out, (size_t)b * 4800 * 2, (size_t)(b + 1) * 4800 * 2);
        EXPECT_LT(r, prev);
        prev = r;
    }
}

// ---------- duck_envelope ----------

TEST(Duck, EnvelopeFollowsTheVoice)
{
    // Speech-like voice: bursts of noise and sine separated by pauses.
    // 0-1 s silence, 1-3 s speech, 3-5 s pause, 5-6 s speech, 6-8 s silence.
    const int64_t n = 8 * kRate;
    std::vector<float> voice((size_t)n, 0.0f);
    std::mt19937 rng(1);
    std::normal_distribution<float> noise(0.0f, 0.1f);
    for (int64_t t = 0; t < n; ++t) {
        bool on = (t >= kRate && t < 3 * kRate) || (t >= 5 * kRate && t < 6 * kRate);
        // Short gaps inside the speech (60 ms every 400 ms), like pauses between words.
        bool word_gap = (t % 19200) >= 16320;
        if (on && !word_gap)
            voice[(size_t)t] = (t < 3 * kRate) ? noise(rng) : (float)(0.3 * std::sin(2 * kPi * 220 * t / kRate));
    }
    DuckSettings s;
    auto g = duck_envelope(voice, s);
    ASSERT_EQ(g.size(), voice.size());
    auto db_at = [&](double sec) { return to_db(g[(size_t)(sec * kRate)]); };

    // Silence before: no ducking.
    EXPECT_NEAR(db_at(0.5), 0, 0.01);
    // During speech (after the attack completes) at most depth + 1 dB, word gaps included.
    const double settle = (s.attack_ms - s.lookahead_ms) / 1000.0 + 0.01;
    for (double sec = 1 + settle; sec < 3; sec += 0.005)
        ASSERT_LE(db_at(sec), s.depth_db + 1) << sec;
    for (double sec = 5 + settle; sec < 6; sec += 0.005)
        ASSERT_LE(db_at(sec), s.depth_db + 1) << sec;
    // Back to 0 dB in the pause, after hold + release.
    const double back = (s.hold_ms + s.release_ms) / 1000.0 + 0.02;
    EXPECT_NEAR(db_at(3 + back), 0, 0.01);
    EXPECT_NEAR(db_at(4.5), 0, 0.01);
    EXPECT_NEAR(db_at(7.5), 0, 0.01);
    // Not a static level: somewhere in between during the release.
    EXPECT_LT(db_at(3 + s.hold_ms / 1000.0 + 0.2), -2);
    EXPECT_GT(db_at(3 + s.hold_ms / 1000.0 + 0.2), s.depth_db + 2);
    // The attack starts ≈ lookahead before the voice (RMS window adds up to 5 ms).
    int64_t first_down = -1;
    for (int64_t t = 0; t < n; ++t)
        if (g[(size_t)t] < 0.999f) {
            first_down = t;
            break;
        }
    const double lead_ms = (kRate - first_down) * 1000.0 / kRate;
    EXPECT_NEAR(lead_ms, s.lookahead_ms, 8);
    // Smooth: no per-sample step larger than the attack slope allows (~0.15 dB/ms).
    double max_step = 0;
    for (size_t t = 1; t < g.size(); ++t)
        max_step = std::max(max_step, std::fabs(to_db(g[t]) - to_db(g[t - 1])));
    EXPECT_LT(max_step, 0.01);
}

namespace {

std::vector<float> pinkish_noise(int64_t frames, double amp)
{
    // Paul Kellet's economy pink filter on white noise: a speech/music-like spectrum tilt.
    std::mt19937 rng(7);
    std::uniform_real_distribution<float> u(-1, 1);
    std::vector<float> v((size_t)frames * 2);
    for (int ch = 0; ch < 2; ++ch) {
        double b0 = 0, b1 = 0, b2 = 0;
        for (int64_t t = 0; t < frames; ++t) {
            double w = u(rng);
            b0 = 0.99765 * b0 + w * 0.0990460;
            b1 = 0.96300 * b1 + w * 0.2965164;
            b2 = 0.57000 * b2 + w * 1.0526913;
            v[(size_t)t * 2 + ch] = (float)(amp * (b0 + b1 + b2 + w * 0.1848) * 0.25);
        }
    }
    return v;
}

// A voice track from (start, end) seconds of "speech" (noise at 0.1 RMS, -20 dBFS); silence between.
std::vector<float> voice_of(const std::vector<std::pair<double, double>>& parts, double seconds)
{
    std::vector<float> v((size_t)(seconds * kRate), 0.0f);
    std::mt19937 rng(3);
    std::normal_distribution<float> noise(0.0f, 0.1f);
    for (auto [a, b] : parts)
        for (int64_t t = (int64_t)(a * kRate); t < (int64_t)(b * kRate) && t < (int64_t)v.size(); ++t)
            v[(size_t)t] = noise(rng);
    return v;
}

// The first time (s) from `from` on at which the gain reaches `db` going up (or down when `down`).
double first_at(const std::vector<float>& g, double from, double db, bool down)
{
    for (size_t t = (size_t)(from * kRate); t < g.size(); ++t)
        if (down ? to_db(g[t]) <= db : to_db(g[t]) >= db)
            return (double)t / kRate;
    return -1;
}

}  // namespace

TEST(Duck, AttackLeadsTheVoiceAndReleaseReturnsWithinHalfASecond)
{
    // 1 s silence, 2 s speech, 3 s pause, 1 s speech, 1 s silence.
    auto voice = voice_of({{1, 3}, {6, 7}}, 8);
    DuckSettings s;  // the defaults the renderer uses: depth -9, attack 40, release 300, hold 100
    auto g = duck_envelope(voice, s);
    ASSERT_EQ(g.size(), voice.size());
    // The dip starts a look-ahead before the first syllable and is complete by the time it
    // starts: attack (40 ms) is shorter than the look-ahead (60 ms).
    const double starts = first_at(g, 0, -0.01, true), reaches = first_at(g, 0, s.depth_db + 0.01, true);
    EXPECT_NEAR(1.0 - starts, s.lookahead_ms / 1000, 0.008) << "dip starts at " << starts;
    EXPECT_NEAR(reaches - starts, s.attack_ms / 1000, 0.004) << "full depth at " << reaches;
    EXPECT_LE(reaches, 1.0);
    EXPECT_NEAR(to_db(g[(size_t)(1.0 * kRate)]), s.depth_db, 0.01);
    // Held for hold_ms after the last word, then back at the bed over release_ms.
    const double leaves = first_at(g, 3, s.depth_db + 0.01, false), back = first_at(g, 3, -0.01, false);
    EXPECT_NEAR(leaves - 3, s.hold_ms / 1000, 0.008) << "release starts at " << leaves;
    EXPECT_NEAR(back - leaves, s.release_ms / 1000, 0.004) << "back at " << back;
    EXPECT_LE(back - 3, 0.5) << "the music is back within half a second of the last word";
    std::printf("[ duck    ] dip starts %.0f ms before the voice, full depth %.0f ms later; "
                "back at the bed %.0f ms after the last word\n",
                (1.0 - starts) * 1000, (reaches - starts) * 1000, (back - 3) * 1000);
    // And stays there through the pause, until the next dip starts (again a look-ahead early).
    for (double t = back; t < 6 - s.lookahead_ms / 1000 - 0.01; t += 0.01)
        ASSERT_NEAR(to_db(g[(size_t)(t * kRate)]), 0, 0.01) << t;
    EXPECT_NEAR(to_db(g[(size_t)(6.0 * kRate)]), s.depth_db, 0.01);
}

TEST(Duck, ShortGapsDoNotPump)
{
    // Speech with gaps like espeak-ng's: 40 ms between words, 150-190 ms at commas, ~300 ms at
    // full stops, and one 390 ms hesitation: the music must stay down through all of them. Then
    // a 1.2 s pause, where it must come back.
    std::vector<std::pair<double, double>> parts = {{1.0, 1.5}, {1.54, 2.0}, {2.15, 2.6}, {2.79, 3.2},
                                                    {3.5, 4.0}, {4.39, 5.0}, {6.2, 7.0}};
    auto voice = voice_of(parts, 8);
    DuckSettings s;
    auto g = duck_envelope(voice, s);
    float top = 0;
    for (size_t t = (size_t)(1.0 * kRate); t < (size_t)(5.0 * kRate); ++t)
        top = std::max(top, g[t]);
    EXPECT_NEAR(to_db(top), s.depth_db, 0.01) << "the music rose in a gap shorter than " << s.bridge_ms << " ms";
    EXPECT_NEAR(to_db(g[(size_t)(5.6 * kRate)]), 0, 0.01) << "back in the 1.2 s pause";

    // Just over the bridge the music breathes: it rises, but not all the way.
    auto g2 = duck_envelope(voice_of({{1.0, 2.0}, {2.45, 3.0}}, 4), s);
    float top2 = 0;
    for (size_t t = (size_t)(2.0 * kRate); t < (size_t)(2.45 * kRate); ++t)
        top2 = std::max(top2, g2[t]);
    EXPECT_GT(to_db(top2), s.depth_db + 2);
    EXPECT_LT(to_db(top2), -0.3);

    // Without the bridge the same commas and full stops would pump (the test can tell).
    DuckSettings no_bridge = s;
    no_bridge.bridge_ms = 0;
    auto g3 = duck_envelope(voice, no_bridge);
    float top3 = 0;
    for (size_t t = (size_t)(1.0 * kRate); t < (size_t)(5.0 * kRate); ++t)
        top3 = std::max(top3, g3[t]);
    EXPECT_GT(to_db(top3), s.depth_db + 3);
}

TEST(Duck, BedIsPlacedAgainstTheSpeech)
{
    // Speech-like bursts (pink noise, on 0.5 s / off 0.3 s) and a quieter, steady music bed.
    const int64_t n = 20 * kRate;
    auto noise = pinkish_noise(n, 0.3);
    std::vector<float> voice((size_t)n, 0.0f);
    for (int64_t t = 0; t < n; ++t)
        if (t % (kRate * 8 / 10) < kRate / 2)
            voice[(size_t)t] = noise[(size_t)t * 2];
    auto music = sine_stereo(440, 0.05, n);
    std::vector<float> voice_st((size_t)n * 2);
    for (int64_t t = 0; t < n; ++t)
        voice_st[(size_t)t * 2] = voice_st[(size_t)t * 2 + 1] = voice[(size_t)t];
    const double speech = measure(voice_st).integrated_lufs, own = measure(music).integrated_lufs;

    BedLevels levels;  // bed -8, duck -17
    BedPlan p = plan_bed(voice, music, levels);
    EXPECT_NEAR(p.speech_lufs, speech, 0.01);
    EXPECT_NEAR(p.music_lufs, own, 0.01);
    EXPECT_NEAR(own + p.music_gain_db - speech, -8, 0.01);
    EXPECT_DOUBLE_EQ(p.duck.depth_db, -9);
    EXPECT_NEAR(p.duck.threshold_db, speech - 26, 0.01);  // the gate follows the speech

    levels.volume_db = -3;  // the bare gain shifts the bed
    EXPECT_NEAR(own + plan_bed(voice, music, levels).music_gain_db - speech, -11, 0.01);
    levels = {.bed_db = -6, .duck_db = -6};  // a duck not under the bed: no dip
    EXPECT_DOUBLE_EQ(plan_bed(voice, music, levels).duck.depth_db, 0);
    levels = {.bed_db = -6, .duck_db = 0};   // duck=0 (the old "none"): no dip either
    EXPECT_DOUBLE_EQ(plan_bed(voice, music, levels).duck.depth_db, 0);
    // Silent music: nothing to measure, it keeps its own level shifted by bed (no huge gain).
    BedPlan q = plan_bed(voice, std::vector<float>(music.size(), 0.0f), BedLevels{});
    EXPECT_DOUBLE_EQ(q.music_gain_db, -8);
}

TEST(Duck, LimiterLossOfTheVoice)
{
    auto noise = pinkish_noise(4 * kRate, 0.3);
    std::vector<float> voice((size_t)4 * kRate);
    for (size_t t = 0; t < voice.size(); ++t)
        voice[t] = noise[t * 2];
    // A constant gain (normalisation alone) costs the voice nothing.
    EXPECT_NEAR(limiter_loss_db(voice, std::vector<float>(voice.size(), 0.5f)), 0, 0.01);
    // 6 dB less over half of it: about 10·log10((1 + 1/4) / 2) = -2 LU.
    std::vector<float> g(voice.size(), 2.0f);
    for (size_t t = 0; t < g.size() / 2; ++t)
        g[t] = 1.0f;
    EXPECT_NEAR(limiter_loss_db(voice, g), 10 * std::log10(1.25 / 2), 0.15);
    // The gain normalize() reports is the one it applied.
    auto loud = pinkish_noise(4 * kRate, 0.9);
    auto copy = loud;
    std::vector<float> applied;
    normalize(copy, -14, -1, &applied);
    ASSERT_EQ(applied.size(), loud.size() / 2);
    for (size_t t = 0; t < applied.size(); t += 997)
        ASSERT_NEAR(copy[t * 2], loud[t * 2] * applied[t], 1e-5) << t;
}

TEST(Duck, MixCentresTheVoice)
{
    std::vector<float> voice(1000, 0.25f);
    auto music = sine_stereo(100, 0.5, 2000);
    std::vector<float> gain(500, 0.5f);
    auto out = mix(voice, music, gain);
    ASSERT_EQ(out.size(), 4000u);
    EXPECT_FLOAT_EQ(out[20], 0.25f + music[20] * 0.5f);
    EXPECT_FLOAT_EQ(out[21], 0.25f + music[21] * 0.5f);
    EXPECT_FLOAT_EQ(out[1200 * 2], music[1200 * 2]);  // past the gain vector: unity
    auto empty_music = mix(voice, {}, {}, {}, 3000);
    ASSERT_EQ(empty_music.size(), 6000u);
    EXPECT_EQ(empty_music[5000], 0.0f);
}

// ---------- loudness ----------

namespace {

std::vector<float> square_with_peaks(int64_t frames)
{
    std::vector<float> v((size_t)frames * 2);
    for (int64_t t = 0; t < frames; ++t) {
        float s = ((t / 60) % 2) ? 0.9f : -0.9f;  // 400 Hz square, near full scale
        if (t % 24000 < 48)
            s = (t % 2) ? 1.0f : -1.0f;  // bursts of full-scale alternation: huge inter-sample peaks
        v[(size_t)t * 2] = v[(size_t)t * 2 + 1] = s;
    }
    return v;
}

}  // namespace

TEST(Loudness, NormalizesGeneratedSignals)
{
    struct Case {
        const char* name;
        std::vector<float> signal;
    };
    std::vector<Case> cases;
    cases.push_back({"quiet sine", sine_stereo(1000, 0.01, 6 * kRate)});
    cases.push_back({"pinkish noise", pinkish_noise(6 * kRate, 0.3)});
    cases.push_back({"loud square", square_with_peaks(6 * kRate)});
    // A voice-like mix of the ducked-music kind: near-full-scale tones with sharp transients.
    auto hot = sine_stereo(997, 0.99, 6 * kRate);
    for (int64_t t = 0; t < 6 * kRate; t += 9600)
        hot[(size_t)t * 2] = hot[(size_t)t * 2 + 1] = 1.0f;
    cases.push_back({"hot sine with clicks", hot});
    for (auto& c : cases) {
        normalize(c.signal);
        Loudness m = measure(c.signal);
        EXPECT_NEAR(m.integrated_lufs, -14, 0.5) << c.name;
        EXPECT_LE(m.true_peak_dbtp, -1.0) << c.name;
    }
}

TEST(Loudness, SilenceStaysSilent)
{
    std::vector<float> silent(4 * kRate * 2, 0.0f);
    Loudness m = measure(silent);
    EXPECT_TRUE(std::isinf(m.integrated_lufs) && m.integrated_lufs < 0);
    EXPECT_TRUE(std::isinf(m.true_peak_dbtp) && m.true_peak_dbtp < 0);
    normalize(silent);
    for (float v : silent)
        ASSERT_EQ(v, 0.0f);
    std::vector<float> empty;
    normalize(empty);
    EXPECT_TRUE(empty.empty());
}

TEST(Loudness, AgreesWithFfmpegEbur128)
{
    sw::test::TempDir dir("loudness");
    // Pink-ish noise with loud square bursts: both the gain and the limiter have work to do.
    auto sig = pinkish_noise(8 * kRate, 0.2);
    // (A plain square: the Nyquist-rate bursts of square_with_peaks have no well-defined true
    // peak, and FFmpeg's and libebur128's interpolators disagree on them by more than a dB.)
    for (int64_t t = 2 * kRate; t < 3 * kRate; ++t) {
        float sq = ((t / 60) % 2) ? 0.9f : -0.9f;
        sig[(size_t)t * 2] += sq;
        sig[(size_t)t * 2 + 1] += sq;
    }
    normalize(sig, -14, -1);
    Loudness ours = measure(sig);
    write_wav(dir / "mix.wav", sig);
    auto r = sw::test::run({"ffmpeg", "-nostdin", "-hide_banner", "-nostats", "-i", (dir / "mix.wav").string(),
                            "-af", "ebur128=peak=true", "-f", "null", "-"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // The summary at the end: "I:  -14.0 LUFS" ... "Peak:  -1.2 dBFS".
    std::smatch mi, mp;
    const std::string& e = r.err;
    std::string summary = e.substr(e.rfind("Summary:") == std::string::npos ? 0 : e.rfind("Summary:"));
    ASSERT_TRUE(std::regex_search(summary, mi, std::regex(R"(I:\s+(-?[0-9.]+) LUFS)"))) << summary;
    ASSERT_TRUE(std::regex_search(summary, mp, std::regex(R"(Peak:\s+(-?[0-9.]+) dBFS)"))) << summary;
    const double ff_i = std::stod(mi[1]), ff_peak = std::stod(mp[1]);
    EXPECT_NEAR(ff_i, -14, 0.5);
    EXPECT_LE(ff_peak, -1.0 + 0.05);  // FFmpeg prints one decimal
    EXPECT_NEAR(ff_i, ours.integrated_lufs, 0.2);
    EXPECT_NEAR(ff_peak, ours.true_peak_dbtp, 0.3);
}
