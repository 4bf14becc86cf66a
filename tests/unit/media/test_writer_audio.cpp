// Mp4Writer::set_audio: the given sound is what ends up in the AAC track, exactly as long as the
// video (cut or padded), and without it the track stays silence.

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "media/media.h"
#include "media_test_util.h"

namespace sw::media::test {
namespace {

constexpr int kRate = 48000;
constexpr double kPi = 3.14159265358979323846;

core::Frame grey_frame(int w, int h)
{
    core::Frame f(w, h);
    for (int p = 0; p < 3; ++p)
        for (int y = 0; y < f.plane_height(p); ++y)
            std::memset(f.row(p, y), p == 0 ? 100 : 128, (size_t)f.plane_width(p));
    return f;
}

std::vector<float> tone(int64_t frames, double amp)
{
    std::vector<float> v((size_t)frames * 2);
    for (int64_t t = 0; t < frames; ++t) {
        v[(size_t)t * 2] = (float)(amp * std::sin(2 * kPi * 440 * t / kRate));
        v[(size_t)t * 2 + 1] = (float)(amp * std::sin(2 * kPi * 660 * t / kRate));
    }
    return v;
}

double rms(const float* v, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; ++i)
        s += (double)v[i] * v[i];
    return n ? std::sqrt(s / (double)n) : 0;
}

// Writes `frames` frames at 30 fps with the given sound (or none) and returns the path.
fs::path write_clip(const TempDir& dir, const std::string& name, int frames, const std::vector<float>* audio)
{
    EncodeSettings s;
    s.width = 64;
    s.height = 64;
    s.preset = "ultrafast";
    auto w = Mp4Writer::open(dir / name, s);
    EXPECT_TRUE(w) << (w ? "" : w.error().to_string());
    if (!w)
        return {};
    if (audio) {
        auto st = w->set_audio(*audio);
        EXPECT_TRUE(st);
    }
    core::Frame f = grey_frame(64, 64);
    for (int i = 0; i < frames; ++i) {
        auto st = w->write_video(f);
        EXPECT_TRUE(st) << (st ? "" : st.error().to_string());
    }
    auto st = w->finish();
    EXPECT_TRUE(st) << (st ? "" : st.error().to_string());
    return dir / name;
}

double stream_duration(const fs::path& file, const std::string& type)
{
    RunResult r = run("ffprobe -v error -select_streams " + std::string(type == "audio" ? "a" : "v") +
                      " -show_entries stream=duration -of csv=p=0 " + shell_quote(file.string()));
    return r.exit_code == 0 ? std::atof(r.out.c_str()) : -1;
}

std::vector<float> decode_pcm(const fs::path& file)
{
    RunResult r = run("ffmpeg -nostdin -hide_banner -loglevel error -i " + shell_quote(file.string()) +
                      " -map 0:a -f f32le -ac 2 -ar 48000 -");
    std::vector<float> v(r.out.size() / 4);
    std::memcpy(v.data(), r.out.data(), v.size() * 4);
    return v;
}

TEST(WriterAudio, SoundIsEncodedAndPaddedToTheVideo)
{
    TempDir dir;
    auto sound = tone(2 * kRate, 0.3);  // 2 s of sound under 2.5 s of video
    fs::path out = write_clip(dir, "padded.mp4", 75, &sound);
    const double v = stream_duration(out, "video"), a = stream_duration(out, "audio");
    EXPECT_NEAR(v, 2.5, 0.001);
    EXPECT_NEAR(a, v, 1024.0 / kRate);
    auto pcm = decode_pcm(out);
    ASSERT_GE(pcm.size(), (size_t)(2.4 * kRate) * 2);
    // The tone's level survives AAC (away from the edges), per channel pair.
    const size_t from = (size_t)(0.2 * kRate) * 2, to = (size_t)(1.8 * kRate) * 2;
    const double want = rms(sound.data() + from, to - from), got = rms(pcm.data() + from, to - from);
    EXPECT_NEAR(20 * std::log10(got / want), 0, 0.5);
    // Silence after the sound ends.
    const size_t tail = (size_t)(2.1 * kRate) * 2;
    EXPECT_LT(rms(pcm.data() + tail, pcm.size() - tail), 1e-3);
}

TEST(WriterAudio, LongerSoundIsCutAtTheVideo)
{
    TempDir dir;
    auto sound = tone(4 * kRate, 0.3);
    fs::path out = write_clip(dir, "cut.mp4", 45, &sound);  // 1.5 s of video
    const double v = stream_duration(out, "video"), a = stream_duration(out, "audio");
    EXPECT_NEAR(v, 1.5, 0.001);
    EXPECT_NEAR(a, v, 1024.0 / kRate);
    auto pcm = decode_pcm(out);
    const size_t from = (size_t)(0.2 * kRate) * 2, to = (size_t)(1.3 * kRate) * 2;
    ASSERT_GE(pcm.size(), to);
    EXPECT_NEAR(20 * std::log10(rms(pcm.data() + from, to - from) / rms(sound.data() + from, to - from)), 0, 0.5);
}

TEST(WriterAudio, WithoutSoundTheTrackIsSilence)
{
    TempDir dir;
    fs::path out = write_clip(dir, "silent.mp4", 30, nullptr);
    EXPECT_NEAR(stream_duration(out, "audio"), stream_duration(out, "video"), 1024.0 / kRate);
    auto pcm = decode_pcm(out);
    ASSERT_FALSE(pcm.empty());
    EXPECT_EQ(rms(pcm.data(), pcm.size()), 0.0);
}

TEST(WriterAudio, RejectsOddSampleCount)
{
    TempDir dir;
    EncodeSettings s;
    s.width = 64;
    s.height = 64;
    auto w = Mp4Writer::open(dir / "x.mp4", s);
    ASSERT_TRUE(w);
    EXPECT_FALSE(w->set_audio(std::vector<float>(3, 0.0f)));
    w->abort();
}

}  // namespace
}  // namespace sw::media::test
