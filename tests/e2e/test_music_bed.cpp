// End-to-end: music under an espeak-ng voice-over, measured on the rendered MP4. The music is
// a steady 13 kHz tone: espeak-ng speaks at 22.05 kHz, so nothing of the voice reaches 11 kHz,
// and a narrow band-pass hears the music alone while a notch at the same frequency leaves the
// voice alone. (A render without music shows that the band-pass hears no voice.) Levels are
// EBU R 128 loudness (FFmpeg's ebur128), as the renderer places the bed.

#include <cmath>
#include <cstring>

#include "e2e_common.h"

using namespace sw::test;

namespace {

constexpr const char* kMusicBand = "bandpass=f=13000:width_type=h:w=200,bandpass=f=13000:width_type=h:w=200";
constexpr const char* kVoiceBand = "bandreject=f=13000:width_type=h:w=200,bandreject=f=13000:width_type=h:w=200";

// The video's sound through `filter`, as a 48 kHz WAV (exact seeking for the windows below).
fs::path separate(const fs::path& video, const char* filter, const fs::path& wav)
{
    ffmpeg({"-i", video.string(), "-map", "0:a", "-af", filter, "-ar", "48000", wav.string()});
    return wav;
}

// Integrated loudness (LUFS) of [t0, t1) of a WAV, or of all of it; -inf when all is gated out.
double lufs(const fs::path& wav, double t0 = -1, double t1 = -1)
{
    std::vector<std::string> args = {"ffmpeg", "-hide_banner", "-nostdin"};
    if (t0 >= 0)
        args.insert(args.end(), {"-ss", std::to_string(t0), "-t", std::to_string(t1 - t0)});
    args.insert(args.end(), {"-i", wav.string(), "-af", "ebur128", "-f", "null", "-"});
    auto r = run(args);
    auto at = r.err.rfind("I:");
    if (r.exit_code != 0 || at == std::string::npos)
        throw std::runtime_error("ebur128 failed on " + wav.string() + ": " + r.err);
    std::string v = r.err.substr(at + 2);
    v = v.substr(v.find_first_not_of(' '));
    return v.rfind("-inf", 0) == 0 ? -INFINITY : std::stod(v);
}

// RMS level (dBFS) of a WAV in 10 ms steps over 50 ms windows: the envelope a listener hears.
struct Envelope {
    std::vector<float> x;
    double at(double t) const
    {
        const size_t a = size_t(std::max(0.0, t) * 48000), b = std::min(x.size(), a + 2400);
        double s = 0;
        for (size_t i = a; i < b; ++i)
            s += double(x[i]) * x[i];
        return 10 * std::log10(s / std::max<size_t>(1, b - a) + 1e-20);
    }
};
Envelope envelope(const fs::path& wav)
{
    auto pcm = run({"ffmpeg", "-v", "error", "-nostdin", "-i", wav.string(), "-ac", "1", "-f", "f32le", "-"});
    if (pcm.exit_code != 0)
        throw std::runtime_error(pcm.err);
    Envelope e;
    e.x.resize(pcm.out.size() / 4);
    std::memcpy(e.x.data(), pcm.out.data(), e.x.size() * 4);
    return e;
}

struct Span {
    double from, to;
};

}  // namespace

TEST(MusicBed, BreathesBetweenSentencesAtBroadcastLevels)
{
    TempDir dir("e2e_music_bed");
    make_image(dir / "red.png", "color=c=0x802020:s=180x320");
    // Longer than the video, so no loop seam falls in a measured window.
    ffmpeg({"-f", "lavfi", "-i", "sine=f=13000:d=30:sample_rate=48000", "-ac", "2", (dir / "tone.wav").string()});
    // Three spoken shots with 2 s silent shots between them (pauses of 2.7 s with the voice's
    // lead-in and tail); inside the shots commas and full stops (150-300 ms gaps) that must not
    // make the music pump.
    const std::string body = "# One\nred.png\nThe festival opens tonight, with music and lights along the river. "
                             "Everyone is welcome.\n\n"
                             "# Pause\nred.png\nduration: 2s\n\n"
                             "# Two\nred.png\nThe bridges glow until midnight, and the markets stay open late.\n\n"
                             "# Pause again\nred.png\nduration: 2s\n\n"
                             "# Three\nred.png\nBring a friend, and bring a warm coat.\n";
    auto script = [&](const std::string& name, const std::string& music) {
        write_file(dir / name, "---\nsize: 180x320\nvoice: en\nsubtitles: off\n" + music + "---\n" + body);
        return dir / name;
    };

    auto chk = run({cli(), "check", script("plain.md", "").string(), "--json"});
    ASSERT_EQ(chk.exit_code, 0) << chk.err;
    auto j = nlohmann::json::parse(chk.out);
    std::vector<Span> spoken;
    for (auto& s : j["shots"])
        if (!s["voice"].is_null())
            spoken.push_back({s["voice"]["start_seconds"].get<double>(),
                              s["voice"]["start_seconds"].get<double>() + s["voice"]["seconds"].get<double>()});
    ASSERT_EQ(spoken.size(), 3u) << chk.out;

    // The voice alone: the music band hears nothing of it (so the figures below are the music's).
    auto plain = dir / "plain.mp4";
    ASSERT_EQ(run({cli(), "render", (dir / "plain.md").string(), "-o", plain.string(), "-q"}).exit_code, 0);
    const double voice_only_speech = lufs(separate(plain, kVoiceBand, dir / "plain_v.wav"));
    const double leak = lufs(separate(plain, kMusicBand, dir / "plain_m.wav"));
    EXPECT_LT(leak, voice_only_speech - 40) << "the voice leaks into the music's band";

    struct Case {
        std::string music;
        double bed_lo, bed_hi, duck_lo, duck_hi;
    };
    const Case cases[] = {
        // The defaults: broadcast practice, 6-10 dB under the speech in pauses, 15-20 under words.
        {"music: tone.wav\n", -10, -6, -20, -15},
        // Set on the music line: bed=-12dB duck=-24dB.
        {"music: tone.wav bed=-12dB duck=-24dB\n", -13, -11, -25.5, -23},
    };
    for (size_t c = 0; c < std::size(cases); ++c) {
        const Case& k = cases[c];
        SCOPED_TRACE(k.music);
        const std::string tag = "mix" + std::to_string(c);
        auto out = dir / (tag + ".mp4");
        auto r = run({cli(), "render", script(tag + ".md", k.music).string(), "-o", out.string(), "-q"});
        ASSERT_EQ(r.exit_code, 0) << r.err;
        auto music = separate(out, kMusicBand, dir / (tag + "_m.wav"));
        auto voice = separate(out, kVoiceBand, dir / (tag + "_v.wav"));
        const double speech = lufs(voice);  // gated: the speech's level, pauses left out
        const Envelope env = envelope(music);

        for (size_t i = 0; i < spoken.size(); ++i) {
            // Under the words (the inner part of each shot's speech).
            const Span& s = spoken[i];
            const double under = lufs(music, s.from + 0.3, s.to - 0.3) - speech;
            std::printf("[ bed     ] %s shot %zu: music under speech %+.1f LU against the speech\n", tag.c_str(), i, under);
            EXPECT_GE(under, k.duck_lo) << "shot " << i;
            EXPECT_LE(under, k.duck_hi) << "shot " << i;
            if (i + 1 == spoken.size())
                break;
            // The pause that follows: from 0.6 s after the last word to 0.2 s before the next.
            const Span pause{s.to, spoken[i + 1].from};
            const double bed = lufs(music, pause.from + 0.6, pause.to - 0.2) - speech;
            std::printf("[ bed     ] %s pause %zu (%.1f s): music %+.1f LU against the speech\n", tag.c_str(), i,
                        pause.to - pause.from, bed);
            EXPECT_GE(bed, k.bed_lo) << "pause " << i;
            EXPECT_LE(bed, k.bed_hi) << "pause " << i;
            EXPECT_LT(lufs(voice, pause.from + 0.6, pause.to - 0.2), -60) << "the notch left music in the voice";

            // Back within half a second: the first 50 ms window within 1 dB of the bed.
            const double bed_rms = env.at((pause.from + pause.to) / 2);
            double back = -1;
            for (double t = pause.from; t < pause.to; t += 0.01)
                if (env.at(t) >= bed_rms - 1) {
                    back = t - pause.from;
                    break;
                }
            std::printf("[ bed     ] %s pause %zu: music back %.0f ms after the last word\n", tag.c_str(), i, back * 1000);
            EXPECT_GE(back, 0);
            EXPECT_LE(back, 0.55);
            // Down before the next sentence starts (look-ahead): its first 50 ms are already ducked.
            EXPECT_LE(env.at(pause.to), bed_rms - 6) << "the first syllable of shot " << i + 1 << " is not ducked";
            // No pumping inside the sentences: the music never comes back up there, commas and
            // full stops included (the true-peak limiter still moves it a little on loud syllables).
            for (const Span& w : {s, spoken[i + 1]})
                for (double t = w.from + 0.1; t + 0.05 < w.to - 0.1; t += 0.01)
                    ASSERT_LE(env.at(t), bed_rms - 5) << "the music rose under speech at " << t << " s";
        }
    }
}
