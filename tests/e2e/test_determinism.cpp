// End-to-end: the same script gives the same bytes — whatever the number of workers, with or
// without the segment cache, whatever the heap held before (MALLOC_PERTURB_), and with the
// instruction sets of an older x86-64 CPU (SHOTWEAVE_CPU caps what x264 and FFmpeg may use).
// The script uses every path whose pixels or samples come from a library with SIMD: a JPEG
// (BT.601 full range → BT.709 in swscale), an RGB PNG, an H.264 clip at another rate and size,
// a camera move, a video's own sound, 44.1 kHz music (resampled), espeak speech, burned-in
// subtitles, a title, a logo, and two kinds of transition.

#include <memory>

#include "e2e_common.h"

using namespace sw::test;

namespace {

const char* kScript = R"(---
size: 240x426
fps: 30
transition: fade 0.4s
voice: en
music: bgm.mp3 -6dB
logo: logo.png top-right size=20%
---

# Street
street.jpg zoom-in
duration: 1.6s
title: Morning
A quiet street at dawn.

# River
river.mp4 from 0.5s to 2.3s
audio: keep
transition: circleopen 0.5s
The river runs on.

# Chart
chart.png pan-left
duration: 1.4s
The end.
)";

class Determinism : public ::testing::Test {
protected:
    // Per test: ctest runs each test in a process of its own, side by side.
    void SetUp() override
    {
        dir = std::make_unique<TempDir>("determinism");
        const fs::path& d = dir->path();
        make_image(d / "street.jpg", "testsrc2=s=640x480:d=1");
        make_image(d / "chart.png", "testsrc=s=500x300:d=1");
        make_image(d / "logo.png", "color=c=orange@0.6:s=64x32,format=rgba");
        // 25 fps, untagged SD (BT.601 by guess), with its own sound.
        ffmpeg({"-f", "lavfi", "-i", "testsrc2=s=320x240:r=25:d=3", "-f", "lavfi", "-i",
                "sine=f=330:sample_rate=44100:d=3", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt",
                "yuv420p", "-c:a", "aac", "-shortest", (d / "river.mp4").string()});
        ffmpeg({"-f", "lavfi", "-i", "anoisesrc=d=8:c=pink:r=44100:a=0.2", "-ac", "2", "-c:a", "libmp3lame", "-b:a",
                "96k", (d / "bgm.mp3").string()});
        write_file(d / "promo.md", kScript);
    }
    // Renders promo.md to `name` under `env` (VAR=value …) with the extra options.
    std::string render(const std::string& name, const std::vector<std::string>& env,
                              const std::vector<std::string>& options)
    {
        std::vector<std::string> argv = {"env"};
        argv.insert(argv.end(), env.begin(), env.end());
        argv.insert(argv.end(), {cli(), "render", (dir->path() / "promo.md").string(), "-q", "-o",
                                 (dir->path() / name).string()});
        argv.insert(argv.end(), options.begin(), options.end());
        auto r = run(argv);
        EXPECT_EQ(r.exit_code, 0) << name << ": " << r.err << r.out;
        return read_file(dir->path() / name);
    }

    std::unique_ptr<TempDir> dir;
};

TEST_F(Determinism, WorkersCacheHeapAndOlderCpusGiveTheSameBytes)
{
    const std::string cache = (dir->path() / "cache").string();
    const std::string base = render("base.mp4", {}, {"--no-cache", "--threads", "2"});
    ASSERT_GT(base.size(), 10000u);
    auto video = stream(probe(dir->path() / "base.mp4"), "video");
    ASSERT_FALSE(video.is_null());
    EXPECT_EQ(video["width"], 240);

    struct Variant {
        std::string name;
        std::vector<std::string> env, options;
    };
    const std::vector<Variant> variants = {
        {"one-worker.mp4", {"MALLOC_PERTURB_=85"}, {"--no-cache", "--threads", "1"}},
        {"cache-cold.mp4", {"MALLOC_PERTURB_=170"}, {"--cache-dir", cache, "--threads", "2"}},
        {"cache-warm.mp4", {"MALLOC_PERTURB_=51"}, {"--cache-dir", cache, "--threads", "1"}},
        {"ssse3.mp4", {"SHOTWEAVE_CPU=ssse3"}, {"--no-cache", "--threads", "2"}},
        {"sse4.mp4", {"SHOTWEAVE_CPU=sse4.2", "MALLOC_PERTURB_=204"}, {"--no-cache", "--threads", "1"}},
        {"avx2.mp4", {"SHOTWEAVE_CPU=avx2"}, {"--no-cache", "--threads", "2"}},
    };
    for (const Variant& v : variants)
        EXPECT_TRUE(render(v.name, v.env, v.options) == base) << v.name << " differs from a 2-worker render";
}

// A CPU without SSSE3 is an output class of its own (x264's plain SSE2 code gives other bytes),
// but within it renders are just as repeatable, and its segments never enter the other class's
// cache entries.
TEST_F(Determinism, AnSse2OnlyCpuIsItsOwnRepeatableClass)
{
    const std::string cache = (dir->path() / "cache-sse2").string();
    const std::string a = render("sse2-a.mp4", {"SHOTWEAVE_CPU=sse2"}, {"--cache-dir", cache, "--threads", "2"});
    const std::string b = render("sse2-b.mp4", {"SHOTWEAVE_CPU=sse2", "MALLOC_PERTURB_=99"}, {"--no-cache", "--threads", "1"});
    EXPECT_TRUE(a == b) << "two SSE2-only renders differ";
    // The same cache folder, now from a full CPU: no SSE2 segment may be joined into it.
    auto r = run({cli(), "render", (dir->path() / "promo.md").string(), "-o", (dir->path() / "native.mp4").string(),
                  "--cache-dir", cache});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find(" 0 reused"), std::string::npos) << r.err;
    EXPECT_TRUE(read_file(dir->path() / "native.mp4") == render("native-nocache.mp4", {}, {"--no-cache"}));
}

TEST_F(Determinism, AnUnknownCpuCapIsNamed)
{
    auto r = run({"env", "SHOTWEAVE_CPU=pentium", cli(), "render", (dir->path() / "promo.md").string(), "-q", "-o",
                  (dir->path() / "cap.mp4").string(), "--no-cache"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("SHOTWEAVE_CPU=pentium"), std::string::npos) << r.err;
}

}  // namespace

namespace {

// A tiny render under valgrind's memcheck: no value the program computes from memory that was
// never written (ours, or FFmpeg's and x264's reading our buffers) may decide a branch or reach
// the file. --error-exitcode makes any such report fail the render.
TEST_F(Determinism, ATinyRenderUnderMemcheckUsesNoUninitialisedMemory)
{
    const fs::path& d = dir->path();
    write_file(d / "tiny.md", R"(---
size: 96x160
fps: 25
transition: fade 0.3s
music: bgm.mp3
logo: logo.png
---

# One
street.jpg zoom-in
duration: 0.8s
title: Hi
A street.

# Two
river.mp4 from 0.5s
duration: 0.8s
transition: wipeleft 0.3s

# Three
chart.png
duration: 0.6s
)");
    auto r = run({"env", std::string("LD_PRELOAD=") + SW_HWY_SHIM, "valgrind", "-q", "--error-exitcode=99",
                  "--track-origins=yes", "--leak-check=no", cli(), "render", (d / "tiny.md").string(), "-q", "-o",
                  (d / "tiny.mp4").string(), "--no-cache", "--threads", "2"},
                 600);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err.find("uninitialised"), std::string::npos) << r.err;
    auto video = stream(probe(d / "tiny.mp4"), "video");
    ASSERT_FALSE(video.is_null());
    EXPECT_EQ(video["nb_read_frames"], "39");  // 20 + 20 + 15 frames − two transitions of 8 (0.3 s)
}

}  // namespace
