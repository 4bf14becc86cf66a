// End-to-end: `visual: generate` shots drawn by an external text-to-video model. The model is a
// stand-in program that takes sd-cli's flags and writes an MJPG AVI, so the whole path runs:
// config, snapping, chained clips started from the previous clip's last frame, normalisation,
// the clip cache, --offline, fallbacks and --strict.

#include <cstdlib>

#include "e2e_common.h"

using namespace sw::test;

namespace {

class Clips : public ::testing::Test {
protected:
    void SetUp() override
    {
        setenv("SHOTWEAVE_CACHE_DIR", (dir / "cache").c_str(), 1);
        write_file(dir / "fake-sd-cli",
                   "#!/bin/bash\n"
                   "printf '%s\\n' \"$*\" >> '" + (dir / "calls.log").string() + "'\n"
                   "while [ $# -gt 0 ]; do case \"$1\" in -p) P=\"$2\"; shift;; -W) W=\"$2\"; shift;; -H) H=\"$2\"; shift;;\n"
                   "  --video-frames) F=\"$2\"; shift;; --fps) R=\"$2\"; shift;; -s) S=\"$2\"; shift;; -i) I=\"$2\"; shift;;\n"
                   "  -o) O=\"$2\"; shift;; esac; shift; done\n"
                   "case \"$P\" in *fail*) echo 'CUDA error: out of memory' >&2; exit 1;; esac\n"
                   "[ -n \"$I\" ] && [ ! -s \"$I\" ] && { echo \"no init image $I\" >&2; exit 3; }\n"
                   "C=(0xff0000 0x00ff00 0x0000ff); c=${C[$((S % 3))]}\n"
                   "if [ -n \"$I\" ]; then  # image-to-video: the clip starts on the given picture\n"
                   "  exec ffmpeg -v error -loop 1 -framerate \"$R\" -i \"$I\" -f lavfi -i \"color=c=$c:s=${W}x${H}:r=$R\" "
                   "-filter_complex \"[0]scale=${W}:${H},setsar=1,format=yuv420p,trim=end_frame=1[a];[1]format=yuv420p,"
                   "trim=end_frame=$((F-1))[b];[a][b]concat=n=2:v=1\" -frames:v \"$F\" -c:v mjpeg -q:v 2 \"$O\"\n"
                   "fi\n"
                   "exec ffmpeg -v error -f lavfi -i \"color=c=$c:s=${W}x${H}:r=$R\" -frames:v \"$F\" -c:v mjpeg -q:v 2 \"$O\"\n");
        fs::permissions(dir / "fake-sd-cli", fs::perms::owner_all);
        write_file(dir / "gen.toml", "[generator]\nkind = \"command\"\nname = \"fake-wan\"\nmodel = \"stand-in\"\n"
                                     "timeout_s = 60\nretries = 0\n"
                                     "command = [\"./fake-sd-cli\", \"-M\", \"vid_gen\", \"-p\", \"{prompt}\", \"-W\", \"{width}\", \"-H\", \"{height}\",\n"
                                     "  \"--video-frames\", \"{frames}\", \"--fps\", \"{fps}\", \"-s\", \"{seed}\", \"-i\", \"{init_image}\", \"-o\", \"{output}\"]\n"
                                     "optional_flags = [\"-i\"]\n"
                                     "[generator.capabilities]\nimage_to_video = true\nmax_seconds = 2\nnative_fps = 16\n"
                                     "frame_multiple = 4\nframe_offset = 1\nsize_multiple = 16\nmax_concurrency = 2\n");
    }
    void TearDown() override { unsetenv("SHOTWEAVE_CACHE_DIR"); }
    int calls() const
    {
        if (!fs::exists(dir / "calls.log"))
            return 0;
        std::string s = read_file(dir / "calls.log");
        return (int)std::count(s.begin(), s.end(), '\n');
    }
    TempDir dir{"e2e_clips"};
};

const char* kScript = "---\nsize: 360x640\nsubtitles: off\ngenerator: gen.toml\n---\n"
                      "# 城堡\nvisual: generate 雪夜里的\"冰雕\"城堡,镜头缓慢推进\nduration: 3s\n"
                      "# Sunset\nvisual: generate sunset over the sea\nduration: 1.5s\n";

}  // namespace

TEST_F(Clips, GeneratedOnceCachedChainedAndRendered)
{
    write_file(dir / "p.md", kScript);
    // check never calls the model; it says what a render will do.
    auto chk = run({cli(), "check", (dir / "p.md").string(), "--json"});
    ASSERT_EQ(chk.exit_code, 0) << chk.err;
    EXPECT_EQ(calls(), 0);
    auto j = nlohmann::json::parse(chk.out);
    EXPECT_NE(j["shots"][0]["visual"]["choice"].value("note", "").find("a render generates 2 clips with fake-wan"),
              std::string::npos)
        << j["shots"][0]["visual"]["choice"].dump();

    auto out = dir / "p.mp4";
    auto r = run({cli(), "render", (dir / "p.md").string(), "-o", out.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // 3.5 s wanted at most 2 s a clip: two chained clips for the castle, one for the sunset.
    EXPECT_EQ(calls(), 3);
    std::string log = read_file(dir / "calls.log");
    EXPECT_NE(log.find("雪夜里的\"冰雕\"城堡,镜头缓慢推进"), std::string::npos) << "prompt passed intact: " << log;
    EXPECT_NE(log.find("--video-frames 33"), std::string::npos) << "2 s at 16 fps, 4n+1: " << log;
    size_t with_init = 0;
    for (size_t p = 0; (p = log.find(" -i ", p)) != std::string::npos; ++p)
        ++with_init;
    EXPECT_EQ(with_init, 1u) << "only the second castle clip starts from an image: " << log;
    EXPECT_NE(r.err.find("城堡 (clip 2/2): done"), std::string::npos) << "per-shot progress: " << r.err;
    EXPECT_NE(r.err.find("shot 1 城堡: joint 1: jump"), std::string::npos) << "continuity report: " << r.err;
    auto p = probe(out);
    EXPECT_EQ(stream(p, "video")["nb_read_frames"], "135");
    // The sunset shot shows its clip (seed 1000 + 0 → green), not a scene or a card.
    expect_colour(decode_frame_yuv(out, 110, 360, 640), 360, 640, 40, 40, 320, 600, kGreen, 8, "generated sunset clip");

    // Chaining: the second castle clip (as cached, normalised) starts on the first one's last frame.
    std::vector<fs::path> cached;
    for (auto& e : fs::directory_iterator(dir / "cache"))
        if (e.path().extension() == ".mp4" && e.path().filename().string().rfind("chain-", 0) != 0)
            cached.push_back(e.path());
    ASSERT_EQ(cached.size(), 3u);
    auto last_of = [&](const fs::path& v) {
        int n = std::stoi(stream(probe(v), "video")["nb_read_frames"].get<std::string>());
        return decode_frame_yuv(v, n - 1, 360, 640);
    };
    bool chained = false;
    for (auto& a : cached)
        for (auto& b : cached)
            if (a != b && psnr(last_of(a), decode_frame_yuv(b, 0, 360, 640)) > 35 &&
                psnr(decode_frame_yuv(b, 0, 360, 640), last_of(b)) < 20)
                chained = true;
    EXPECT_TRUE(chained) << "no clip starts on another clip's last frame";

    // A second render (and check) makes no calls: everything comes from the cache.
    r = run({cli(), "render", (dir / "p.md").string(), "-o", out.string(), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(calls(), 3);
    chk = run({cli(), "check", (dir / "p.md").string()});
    EXPECT_NE(chk.out.find("shot 1: generated by fake-wan (2 clips, 2 from the cache; joint 1: jump"), std::string::npos)
        << chk.out;

    // `generate` alone reports the same without rendering.
    auto g = run({cli(), "generate", (dir / "p.md").string()});
    EXPECT_EQ(g.exit_code, 0) << g.err;
    EXPECT_NE(g.out.find("2 shots with generated clips"), std::string::npos) << g.out;
}

TEST_F(Clips, OfflineFailureFallbackAndStrict)
{
    std::string s = kScript;
    write_file(dir / "p.md", s.replace(s.find("sunset"), 6, "dawn"));
    // --offline: nothing cached, so both shots fall back (listed), the video is still made.
    auto out = dir / "o.mp4";
    auto r = run({cli(), "render", (dir / "p.md").string(), "-o", out.string(), "-q", "--offline"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(calls(), 0);
    EXPECT_NE(r.err.find("not in the clip cache (--offline)"), std::string::npos) << r.err;
    EXPECT_TRUE(fs::exists(out));

    // A model that fails: a warning naming the shot and the cause, a built-in scene instead.
    write_file(dir / "f.md", "---\nsize: 360x640\nsubtitles: off\ngenerator: gen.toml\n---\n"
                             "# Broken\nvisual: generate this will fail\nduration: 1s\n");
    r = run({cli(), "render", (dir / "f.md").string(), "-o", (dir / "f.mp4").string(), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("shot \"Broken\": its clip could not be generated by fake-wan"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("out of memory"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("using a built-in scene"), std::string::npos) << r.err;
    // --strict: an error at the shot's visual, no output.
    r = run({cli(), "render", (dir / "f.md").string(), "-o", (dir / "s.mp4").string(), "-q", "--strict"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("f.md:7:9"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir / "s.mp4"));
    // A broken generator file is named with its line.
    write_file(dir / "gen.toml", "[generator]\nkind = \"comand\"\n");
    auto c = run({cli(), "check", (dir / "f.md").string()});
    EXPECT_EQ(c.exit_code, 2);
    EXPECT_NE(c.err.find("gen.toml:2"), std::string::npos) << c.err;
}

TEST_F(Clips, ContinueStartsFromThePreviousShotsLastFrame)
{
    make_image(dir / "photo.png", "color=c=0x2040a0:s=320x240");
    write_file(dir / "c.md", "---\nsize: 360x640\nsubtitles: off\ngenerator: gen.toml\n---\n"
                             "# Photo\nphoto.png\nduration: 1s\n"
                             "# Next\nvisual: generate the same street at night\ncontinue: true\nduration: 1s\n");
    auto r = run({cli(), "render", (dir / "c.md").string(), "-o", (dir / "c.mp4").string(), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::string log = read_file(dir / "calls.log");
    EXPECT_NE(log.find(" -i " + (dir / "photo.png").string()), std::string::npos) << "starts from the photo: " << log;
}
