// End-to-end: scripts rendered by the real `shotweave` binary, outputs checked with ffprobe and
// by decoding frames with ffmpeg.

#include <cmath>
#include <sstream>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/text_util.h"
#include "e2e_common.h"

using namespace sw::test;

namespace {

const char* kBasic = R"(---
title: Basic
size: 360x640
fps: 30
transition: fade 0.5s
---

# Red
red.png
duration: 2s
A red still, cover-fitted.

# Clip
clip.mp4 from 1s to 3s
duration: 2s
transition: wipeleft 0.5s

# Card
visual: a calm blue sea at dawn
duration: 1.5s
The end.
)";

class Render : public ::testing::Test {
protected:
    void SetUp() override
    {
        make_image(dir / "red.png", "color=c=red:s=640x480");
        make_video(dir / "clip.mp4", "color=c=0x00ff00:s=320x240", 4.0);
        write_file(dir / "basic.md", kBasic);
    }
    TempDir dir{"e2e"};
};

}  // namespace

TEST_F(Render, BasicScriptProducesExactVideo)
{
    auto out = dir / "basic.mp4";
    auto r = run({cli(), "render", (dir / "basic.md").string(), "-o", out.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto p = probe(out);
    auto v = stream(p, "video");
    ASSERT_FALSE(v.is_null());
    EXPECT_EQ(v["codec_name"], "h264");
    EXPECT_EQ(v["pix_fmt"], "yuv420p");
    EXPECT_EQ(v["width"], 360);
    EXPECT_EQ(v["height"], 640);
    EXPECT_EQ(v.value("color_space", ""), "bt709");
    // 60 + 60 + 45 frames, minus two 15-frame overlaps.
    EXPECT_EQ(v["nb_read_frames"], "135");
    EXPECT_NEAR(std::stod(v["duration"].get<std::string>()), 4.5, 0.02);
    auto a = stream(p, "audio");
    ASSERT_FALSE(a.is_null()) << "no audio track";
    EXPECT_EQ(a["codec_name"], "aac");
    EXPECT_NEAR(std::stod(a["duration"].get<std::string>()), 4.5, 0.05);
    // faststart: the index comes before the media data.
    std::string bytes = read_file(out);
    EXPECT_LT(bytes.find("moov"), bytes.find("mdat"));
    // Decodes with no errors at all.
    auto dec = run({"ffmpeg", "-v", "error", "-nostdin", "-i", out.string(), "-f", "null", "-"});
    EXPECT_EQ(dec.exit_code, 0);
    EXPECT_EQ(dec.err, "");
    // No temporary files left beside the output.
    for (auto& e : fs::directory_iterator(dir.path()))
        EXPECT_EQ(e.path().filename().string().find(".part"), std::string::npos) << e.path();
}

TEST_F(Render, PixelsFollowThePlan)
{
    auto out = dir / "basic.mp4";
    auto r = run({cli(), "render", (dir / "basic.md").string(), "-o", out.string(), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const int W = 360, H = 640;
    // Frame 20: the red still alone.
    auto f20 = decode_frame_yuv(out, 20, W, H);
    expect_colour(f20, W, H, 20, 20, W - 20, H - 20, kRed, 4, "frame 20 (red shot)");
    // Frame 80: the green clip alone.
    auto f80 = decode_frame_yuv(out, 80, W, H);
    expect_colour(f80, W, H, 20, 20, W - 20, H - 20, kGreen, 4, "frame 80 (green clip)");
    // Frame 45 + 6 = the fade at xfade progress 1 - 6/15: a mix of red and green.
    auto fx = decode_frame_yuv(out, 51, W, H);
    const double p = 1.0 - 6.0 / 15.0;
    Yuv3 mix{(int)std::lround(kRed.y * p + kGreen.y * (1 - p)), (int)std::lround(kRed.u * p + kGreen.u * (1 - p)),
             (int)std::lround(kRed.v * p + kGreen.v * (1 - p))};
    expect_colour(fx, W, H, 20, 20, W - 20, H - 20, mix, 5, "frame 51 (fade red → green)");
    // The card: neither black nor flat (a gradient).
    auto fc = decode_frame_yuv(out, 130, W, H);
    double top = plane_mean(fc, W, H, 0, 0, 0, W, 40), bottom = plane_mean(fc, W, H, 0, 0, H - 40, W, H);
    EXPECT_GT(top, 30) << "card is too dark";
    EXPECT_GT(std::abs(top - bottom), 8) << "card has no gradient";
}

TEST_F(Render, PreviewIsHalfSizeSameTiming)
{
    auto out = dir / "preview.mp4";
    auto r = run({cli(), "render", (dir / "basic.md").string(), "--preview", "-o", out.string(), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto v = stream(probe(out), "video");
    EXPECT_EQ(v["width"], 180);
    EXPECT_EQ(v["height"], 320);
    EXPECT_EQ(v["nb_read_frames"], "135");
}

TEST_F(Render, CoverCropsContainLetterboxesWithBlurredBars)
{
    // Landscape picture, left half red, right half blue, into a portrait frame.
    make_image(dir / "halves.png", "color=c=red:s=640x360[l];color=c=blue:s=640x360[r];[l][r]hstack,scale=640:360");
    write_file(dir / "fit.md", R"(---
size: 360x640
---
# Cover
halves.png
duration: 1s

# Contain
halves.png contain
duration: 1s
)");
    auto out = dir / "fit.mp4";
    auto r = run({cli(), "render", (dir / "fit.md").string(), "-o", out.string(), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const int W = 360, H = 640;
    auto cover = decode_frame_yuv(out, 10, W, H);
    expect_colour(cover, W, H, 10, 10, 150, H - 10, kRed, 5, "cover: left of centre is red");
    expect_colour(cover, W, H, 210, 10, W - 10, H - 10, kBlue, 5, "cover: right of centre is blue");
    auto contain = decode_frame_yuv(out, 40, W, H);
    // Picture 360x202 centred at y = 218..420: left quarter red, right quarter blue.
    expect_colour(contain, W, H, 10, 240, 80, 400, kRed, 6, "contain: picture left");
    expect_colour(contain, W, H, 280, 240, 350, 400, kBlue, 6, "contain: picture right");
    // Bars: a darkened copy — darker than the picture, but not black.
    double bar = plane_mean(contain, W, H, 0, 0, 0, W, 150);
    double pic = plane_mean(contain, W, H, 0, 0, 240, W, 400);
    EXPECT_LT(bar, pic - 5);
    EXPECT_GT(bar, 17);
}

TEST_F(Render, RotatedVideoIsShownUpright)
{
    // Coded 320x180, left half red / right half blue, tagged BT.709, with a display rotation.
    ffmpeg({"-f", "lavfi", "-i", "color=c=red:s=160x180[l];color=c=blue:s=160x180[r];[l][r]hstack", "-t", "1",
            "-r", "30", "-vf", "scale=out_color_matrix=bt709,format=yuv420p", "-colorspace", "bt709", "-c:v",
            "libx264", "-preset", "ultrafast", (dir / "raw.mp4").string()});
    ffmpeg({"-i", (dir / "raw.mp4").string(), "-c", "copy", "-metadata:s:v:0", "rotate=90",
            (dir / "rot.mp4").string()});
    // What ffmpeg itself shows (it honours the display matrix by default).
    auto ref = run({"ffmpeg", "-v", "error", "-nostdin", "-i", (dir / "rot.mp4").string(), "-frames:v", "1", "-vf",
                    "scale=180:320,format=yuv420p", "-f", "rawvideo", "-"});
    ASSERT_EQ(ref.exit_code, 0) << ref.err;
    std::vector<uint8_t> refv(ref.out.begin(), ref.out.end());
    ASSERT_EQ(refv.size(), 180u * 320 * 3 / 2);
    write_file(dir / "rot.md", "---\nsize: 180x320\n---\n# R\nrot.mp4\nduration: 0.5s\n");
    auto out = dir / "rot-out.mp4";
    auto r = run({cli(), "render", (dir / "rot.md").string(), "-o", out.string(), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto f = decode_frame_yuv(out, 5, 180, 320);
    EXPECT_LT(mean_abs_diff(f, refv), 3.0) << "our frame differs from ffmpeg's rotated display";
    // And it is really turned: one colour on top, the other below (not side by side).
    double top_v = plane_mean(f, 180, 320, 2, 0, 0, 180, 150), bottom_v = plane_mean(f, 180, 320, 2, 0, 170, 180, 320);
    double left_v = plane_mean(f, 180, 320, 2, 0, 0, 80, 320), right_v = plane_mean(f, 180, 320, 2, 100, 0, 180, 320);
    EXPECT_GT(std::abs(top_v - bottom_v), 80);
    EXPECT_LT(std::abs(left_v - right_v), 10);
}

TEST_F(Render, ShortClipHoldsLastFrameAndCheckSaysSo)
{
    make_video(dir / "short.mp4", "color=c=blue:s=320x240", 1.0);
    write_file(dir / "hold.md", "---\nsize: 360x640\n---\n# Short\nshort.mp4\nduration: 2s\n");
    auto chk = run({cli(), "check", (dir / "hold.md").string()});
    EXPECT_EQ(chk.exit_code, 0) << chk.err;
    EXPECT_NE((chk.out + chk.err).find("held"), std::string::npos) << chk.out << chk.err;
    auto out = dir / "hold.mp4";
    auto r = run({cli(), "render", (dir / "hold.md").string(), "-o", out.string(), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto v = stream(probe(out), "video");
    EXPECT_EQ(v["nb_read_frames"], "60");
    expect_colour(decode_frame_yuv(out, 55, 360, 640), 360, 640, 0, 0, 360, 640, kBlue, 4, "held last frame");
}

TEST_F(Render, CheckJsonIsMachineReadable)
{
    auto r = run({cli(), "check", (dir / "basic.md").string(), "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["schema_version"], 1);
    ASSERT_TRUE(j.contains("shots"));
    EXPECT_EQ(j["shots"].size(), 3u);
}

TEST_F(Render, ListTransitionsShowsTheXfadeCatalogue)
{
    auto r = run({cli(), "list", "transitions"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    r.out = "\n" + r.out;
    for (const char* name : {"cut", "fade", "wipeleft", "circleopen", "dissolve", "pixelize", "zoomin", "hblur"})
        EXPECT_NE(r.out.find(std::string("\n") + name + " "), std::string::npos) << name;
}

namespace {

// Starts a long render, sends `sig` after 1.5 s; returns the exit status and how long it took to stop.
void interrupt_render(const TempDir& dir, int sig, int& exit_code, double& seconds)
{
    write_file(dir / "long.md", "---\nsize: 720x1280\n---\n# A\nred.png zoom-in\nduration: 60s\n");
    auto out = dir / "long.mp4";
    pid_t pid = fork();
    if (pid == 0) {
        int devnull = open("/dev/null", O_WRONLY);
        dup2(devnull, 1);
        dup2(devnull, 2);
        execl(cli().c_str(), cli().c_str(), "render", (dir / "long.md").c_str(), "-o", out.c_str(), "-q", nullptr);
        _exit(127);
    }
    usleep(1500 * 1000);
    kill(pid, sig);
    int status = 0;
    auto t0 = std::chrono::steady_clock::now();
    waitpid(pid, &status, 0);
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

TEST_F(Render, InterruptStopsPromptlyAndLeavesNothing)
{
    for (int sig : {SIGINT, SIGTERM}) {
        int code = 0;
        double secs = 0;
        interrupt_render(dir, sig, code, secs);
        EXPECT_EQ(code, 128 + sig) << "signal " << sig;
        EXPECT_LT(secs, 5.0) << "took too long to stop";
        EXPECT_FALSE(fs::exists(dir / "long.mp4"));
        for (auto& e : fs::directory_iterator(dir.path()))
            EXPECT_EQ(e.path().filename().string().find(".part"), std::string::npos) << e.path();
    }
}

// `--progress json`: the engine's events, one JSON object per line on stdout, for other programs.
TEST_F(Render, ProgressJsonIsOneEventPerLineEndingInDone)
{
    auto out = dir / "basic.mp4";
    auto r = run({cli(), "render", (dir / "basic.md").string(), "-o", out.string(), "--progress", "json", "--no-cache"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "");  // everything went to stdout as events
    std::vector<nlohmann::json> events;
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) {
        auto j = nlohmann::json::parse(line, nullptr, false);
        ASSERT_FALSE(j.is_discarded()) << "not JSON: " << line;
        events.push_back(j);
    }
    ASSERT_GE(events.size(), 8u);
    EXPECT_EQ(events.front()["event"], "phase");
    EXPECT_EQ(events.front()["phase"], "read");
    int64_t last = -1;
    for (auto& e : events)
        if (e["event"] == "progress") {
            EXPECT_EQ(e["frames_total"], 135);
            EXPECT_GE(e["frames_done"].get<int64_t>(), last);
            last = e["frames_done"];
        }
    EXPECT_EQ(last, 135);
    const auto& done = events.back();
    EXPECT_EQ(done["event"], "done");
    EXPECT_EQ(done["status"], "done");
    EXPECT_EQ(done["output"], out.string());
    EXPECT_NEAR(done["video_s"].get<double>(), 4.5, 1e-9);
    EXPECT_EQ(stream(probe(out), "video")["nb_read_frames"], "135");

    // A script with errors: the problems as a diagnostics event, then done with "failed"; exit 2.
    write_file(dir / "bad.md", "# A\nred.png\nduration: soon\n");
    r = run({cli(), "render", (dir / "bad.md").string(), "--progress", "json"});
    EXPECT_EQ(r.exit_code, 2);
    bool listed = false;
    nlohmann::json last_event;
    std::istringstream bad(r.out);
    for (std::string line; std::getline(bad, line);) {
        last_event = nlohmann::json::parse(line);
        if (last_event["event"] == "diagnostics")
            for (auto& d : last_event["diagnostics"])
                listed |= d["severity"] == "error" && d["line"] == 3 && d["file"] == (dir / "bad.md").string();
    }
    EXPECT_TRUE(listed) << r.out;
    EXPECT_EQ(last_event["event"], "done");
    EXPECT_EQ(last_event["status"], "failed");
    EXPECT_FALSE(fs::exists(dir / "bad.mp4"));
}

TEST_F(Render, ArticleAndJsonFormsRenderTheirPlannedFrames)
{
    write_file(dir / "article.txt",
               "---\nsize: 180x320\ntransition: dissolve 0.4s\n---\n"
               "哈尔滨的冬天很冷。但是冰雪大世界非常美丽！每年都有很多游客。\n\n"
               "The ice sculptures glow at night. Visitors walk for hours. Then they warm up with hot soup.\n");
    write_file(dir / "project.json", R"({
  "schema_version": 1,
  "size": "180x320",
  "transition": "wipeup 0.3s",
  "shots": [
    {"name": "Red", "visual": {"media": "red.png", "move": "zoom-out"}, "duration": 1.2},
    {"name": "Green", "visual": {"media": "clip.mp4", "from": 0.5}, "duration": "1s", "narration": "Green."},
    {"name": "End", "visual": {"description": "a quiet night"}, "duration": 0.8}
  ]
})");
    for (const char* name : {"article.txt", "project.json"}) {
        auto chk = run({cli(), "check", (dir / name).string(), "--json"});
        ASSERT_EQ(chk.exit_code, 0) << name << ": " << chk.err << chk.out;
        auto j = nlohmann::json::parse(chk.out);
        int64_t planned = j["total_frames"];
        EXPECT_GT(planned, 0);
        auto out = dir / (std::string(name) + ".mp4");
        auto r = run({cli(), "render", (dir / name).string(), "-o", out.string(), "-q"});
        ASSERT_EQ(r.exit_code, 0) << name << ": " << r.err;
        auto v = stream(probe(out), "video");
        EXPECT_EQ(v["nb_read_frames"], std::to_string(planned)) << name;
        EXPECT_EQ(v["width"], 180);
    }
    // The JSON project's 1.2 s + 1 s + 0.8 s with two 0.3 s wipes = 2.4 s = 72 frames.
    auto v = stream(probe(dir / "project.json.mp4"), "video");
    EXPECT_EQ(v["nb_read_frames"], "72");
}

TEST_F(Render, VideoContainHasBlurredBarsEveryFrame)
{
    write_file(dir / "vc.md", "---\nsize: 360x640\n---\n# V\nclip.mp4 contain\nduration: 1s\n");
    auto out = dir / "vc.mp4";
    auto r = run({cli(), "render", (dir / "vc.md").string(), "-o", out.string(), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // 320x240 → 360x270 centred at y = 184..454; bars are a darkened green, not black.
    for (int64_t idx : {0, 29}) {
        auto f = decode_frame_yuv(out, idx, 360, 640);
        expect_colour(f, 360, 640, 10, 200, 350, 440, kGreen, 5, "contain: picture");
        double bar = plane_mean(f, 360, 640, 0, 0, 0, 360, 150);
        EXPECT_LT(bar, kGreen.y - 20);
        EXPECT_GT(bar, 40) << "bars should be a dimmed copy, not black";
    }
}

TEST_F(Render, MusicIsFittedAndNormalised)
{
    // 2 s of quiet music for a 3.5 s video: looped, faded, normalised to -14 LUFS, peaks under -1 dBTP.
    ffmpeg({"-f", "lavfi", "-i", "sine=f=330:d=2:sample_rate=44100,volume=-25dB", "-ac", "2", "-c:a", "libvorbis",
            (dir / "bgm.ogg").string()});
    write_file(dir / "m.md", "---\nsize: 180x320\nmusic: bgm.ogg -3dB\n---\n# A\nred.png\nduration: 3.5s\n");
    auto chk = run({cli(), "check", (dir / "m.md").string()});
    ASSERT_EQ(chk.exit_code, 0) << chk.err;
    EXPECT_NE(chk.out.find("music bgm.ogg"), std::string::npos) << chk.out;
    auto out = dir / "m.mp4";
    auto r = run({cli(), "render", (dir / "m.md").string(), "-o", out.string(), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto p = probe(out);
    auto a = stream(p, "audio");
    ASSERT_FALSE(a.is_null());
    EXPECT_NEAR(std::stod(a["duration"].get<std::string>()), 3.5, 0.03);
    auto l = measure_loudness(out);
    EXPECT_NEAR(l.integrated, -14.0, 1.0) << l.summary;
    EXPECT_LE(l.true_peak, -1.0) << l.summary;  // the -1 dBTP ceiling holds after AAC encoding
}

namespace {

// RMS level (dBFS) of the first audio channel over [from, to) seconds.
double rms_db(const fs::path& media, double from, double to)
{
    auto r = run({"ffmpeg", "-v", "error", "-nostdin", "-i", media.string(), "-map", "0:a", "-ac", "1", "-ar", "48000",
                  "-f", "f32le", "-"});
    const float* x = reinterpret_cast<const float*>(r.out.data());
    size_t n = r.out.size() / 4, a = size_t(from * 48000), b = std::min(n, size_t(to * 48000));
    double sum = 0;
    for (size_t i = a; i < b; ++i)
        sum += double(x[i]) * x[i];
    return 10 * std::log10(sum / std::max<size_t>(1, b - a) + 1e-12);
}

}  // namespace

TEST_F(Render, MusicFadeLengthsFollowTheScript)
{
    ffmpeg({"-f", "lavfi", "-i", "sine=f=330:d=6:sample_rate=48000,volume=-20dB", "-ac", "2", (dir / "bgm.wav").string()});
    write_file(dir / "long.md", "---\nsize: 180x320\nmusic: bgm.wav fade-in=3s fade-out=0\n---\n# A\nred.png\nduration: 6s\n");
    write_file(dir / "none.md", "---\nsize: 180x320\nmusic: bgm.wav fade-in=0 fade-out=0\n---\n# A\nred.png\nduration: 6s\n");
    for (const char* n : {"long", "none"}) {
        auto r = run({cli(), "render", (dir / (std::string(n) + ".md")).string(), "-o", (dir / (std::string(n) + ".mp4")).string(), "-q"});
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    // A 3 s equal-power fade-in: the first half second is far below the steady level; without
    // fades the music starts (after AAC's priming) and ends at that level.
    double steady = rms_db(dir / "long.mp4", 4.0, 5.0);
    EXPECT_LT(rms_db(dir / "long.mp4", 0.05, 0.5), steady - 10);
    EXPECT_NEAR(rms_db(dir / "long.mp4", 5.5, 5.95), steady, 1.0) << "fade-out=0 keeps the level to the end";
    double steady_none = rms_db(dir / "none.mp4", 3.0, 4.0);
    EXPECT_NEAR(rms_db(dir / "none.mp4", 0.05, 0.5), steady_none, 1.0);
    // The default fades out over the last 2 s.
    write_file(dir / "def.md", "---\nsize: 180x320\nmusic: bgm.wav\n---\n# A\nred.png\nduration: 6s\n");
    auto r = run({cli(), "render", (dir / "def.md").string(), "-o", (dir / "def.mp4").string(), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_LT(rms_db(dir / "def.mp4", 5.6, 5.95), rms_db(dir / "def.mp4", 2.0, 3.0) - 10);
}

TEST_F(Render, SubtitleOutlineAndShadowCanBeTurnedOff)
{
    // White text over red (Y = 63): the outline and shadow are the only pixels darker than red.
    auto dark_in_band = [&](const std::string& look) {
        write_file(dir / "o.md", "---\nsize: 360x640\nsubtitles: on " + look + "\n---\n# A\nred.png\nduration: 2s\n"
                                 "Snow falls on the harbour.\n");
        auto r = run({cli(), "render", (dir / "o.md").string(), "-o", (dir / "o.mp4").string(), "-q"});
        EXPECT_EQ(r.exit_code, 0) << r.err;
        auto f = decode_frame_yuv(dir / "o.mp4", 30, 360, 640);
        int dark = 0, bright = 0;
        for (int y = 400; y < 560; ++y)
            for (int x = 0; x < 360; ++x) {
                dark += f[size_t(y) * 360 + x] < 35;
                bright += f[size_t(y) * 360 + x] > 200;
            }
        return std::pair{dark, bright};
    };
    auto [dark_default, bright_default] = dark_in_band("");
    auto [dark_off, bright_off] = dark_in_band("outline=off shadow=off");
    auto [dark_thick, bright_thick] = dark_in_band("outline=6px shadow=off");
    EXPECT_GT(bright_default, 300);
    EXPECT_GT(bright_off, 300);
    EXPECT_GT(dark_default, 300) << "default: outlined";
    EXPECT_LT(dark_off, 30) << "outline=off shadow=off: nothing drawn darker than the picture";
    EXPECT_GT(dark_thick, dark_default) << "a 6 px outline is thicker than the default";
}

TEST_F(Render, SubtitleLinesPerCueSetting)
{
    auto cue_count = [&](const std::string& look) {
        write_file(dir / "l.md", "---\nsize: 360x640\nsubtitles: off " + look + "\n---\n# A\nred.png\nduration: 6s\n"
                                 "清晨的中央大街，百年面包石路静静延伸，两旁是风格各异的欧式建筑，游客们在这里漫步拍照。\n");
        auto r = run({cli(), "render", (dir / "l.md").string(), "-o", (dir / "l.mp4").string(), "-q", "--subtitles", "srt"});
        EXPECT_EQ(r.exit_code, 0) << r.err;
        std::string srt = read_file(dir / "l.srt");
        size_t n = 0;
        for (size_t p = 0; (p = srt.find(" --> ", p)) != std::string::npos; ++p)
            ++n;
        return n;
    };
    size_t one = cue_count("lines=1"), two = cue_count("lines=2"), four = cue_count("lines=4");
    EXPECT_GT(one, two);
    EXPECT_GE(two, four);
    EXPECT_GE(one, 3u);
}

TEST_F(Render, MusicWithoutSoundIsRefused)
{
    write_file(dir / "m.md", "---\nsize: 180x320\nmusic: clip.mp4\n---\n# A\nred.png\nduration: 1s\n");
    auto r = run({cli(), "render", (dir / "m.md").string(), "-o", (dir / "m.mp4").string(), "-q"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("m.md:3:8"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("no sound"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir / "m.mp4"));
}

TEST_F(Render, VoiceOverSetsShotLengthsAndIsMixedUnderLoudnessTarget)
{
    write_file(dir / "v.md", "---\nsize: 180x320\nvoice: en\ntransition: fade 0.5s\n---\n"
                             "# One\nred.png\nWelcome to the city of ice and snow.\n\n"
                             "# Two\nvisual: lights\nThe lights come on at night.\n");
    auto chk = run({cli(), "check", (dir / "v.md").string(), "--json"});
    ASSERT_EQ(chk.exit_code, 0) << chk.err;
    auto j = nlohmann::json::parse(chk.out);
    // Lengths come from the spoken narration, not from a reading estimate.
    for (auto& s : j["shots"])
        EXPECT_FALSE(s["duration_estimated"].get<bool>()) << s.dump();
    int64_t planned = j["total_frames"];
    auto out = dir / "v.mp4";
    auto r = run({cli(), "render", (dir / "v.md").string(), "-o", out.string(), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto p = probe(out);
    EXPECT_EQ(stream(p, "video")["nb_read_frames"], std::to_string(planned));
    auto l = measure_loudness(out);
    EXPECT_NEAR(l.integrated, -14.0, 1.0) << l.summary;
    EXPECT_LE(l.true_peak, -1.0) << l.summary;
}

TEST_F(Render, UnknownVoiceIsAnErrorAtItsLine)
{
    write_file(dir / "v.md", "---\nsize: 180x320\nvoice: enn\n---\n# One\nred.png\nHello.\n");
    auto r = run({cli(), "check", (dir / "v.md").string()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("v.md:3:8"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("unknown voice"), std::string::npos) << r.err;
}

namespace {

// Bright (text) pixels in the lower subtitle band of every frame of a small video.
std::vector<int> subtitle_ink_per_frame(const fs::path& video, int w, int h)
{
    auto r = run({"ffmpeg", "-v", "error", "-nostdin", "-i", video.string(), "-pix_fmt", "yuv420p", "-f", "rawvideo", "-"});
    const size_t fsz = size_t(w) * h * 3 / 2;
    std::vector<int> ink;
    for (size_t off = 0; off + fsz <= r.out.size(); off += fsz) {
        int n = 0;
        for (int y = h * 55 / 100; y < h * 85 / 100; ++y)
            for (int x = 0; x < w; ++x)
                n += (unsigned char)r.out[off + size_t(y) * w + x] > 200;
        ink.push_back(n);
    }
    return ink;
}

}  // namespace

TEST_F(Render, SubtitlesAreReadableAndStartWithTheVoice)
{
    const std::string line = "Snow falls on the quiet harbour.";
    write_file(dir / "s.md", "---\nsize: 360x640\nvoice: en\n---\n# Night\nvisual: dark\n" + line + "\n");
    auto out = dir / "s.mp4";
    auto r = run({cli(), "render", (dir / "s.md").string(), "-o", out.string(), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;

    // Speech onset from the audio (silence detection), subtitle onset from the pictures.
    auto sd = run({"ffmpeg", "-hide_banner", "-nostdin", "-i", out.string(), "-map", "0:a", "-af",
                   "silencedetect=noise=-40dB:d=0.05", "-f", "null", "-"});
    auto pos = sd.err.find("silence_end: ");
    ASSERT_NE(pos, std::string::npos) << sd.err;
    double speech_onset = std::stod(sd.err.substr(pos + 13));
    auto ink = subtitle_ink_per_frame(out, 360, 640);
    int first = -1;
    for (size_t i = 0; i < ink.size(); ++i)
        if (ink[i] > 200) {
            first = int(i);
            break;
        }
    ASSERT_GE(first, 0) << "no subtitle found";
    EXPECT_NEAR(first / 30.0, speech_onset, 1.0 / 30 + 0.005) << "cue starts at frame " << first;

    // OCR of a frame while the cue shows.
    auto frame = decode_frame_yuv(out, first + 10, 360, 640);
    save_png(frame, 360, 640, dir / "cue.png");
    auto ocr = run({"tesseract", (dir / "cue.png").string(), "-", "-l", "eng", "--psm", "6"});
    ASSERT_EQ(ocr.exit_code, 0) << ocr.err;
    auto squash = [](std::string s) {
        std::string o;
        for (char c : s)
            if (!isspace((unsigned char)c))
                o += c;
        return o;
    };
    std::string got = squash(ocr.out), want = squash(line);
    auto pos_text = got.find(want.substr(0, 4));
    std::string window = pos_text == std::string::npos ? got : got.substr(pos_text, want.size());
    double cer = double(sw::core::edit_distance(window, want)) / want.size();
    EXPECT_LE(cer, 0.05) << "OCR read: " << ocr.out;
}

TEST_F(Render, SubtitlesOffKeepsThePictureCleanAndSideFilesAreWritten)
{
    write_file(dir / "o.md", "---\nsize: 360x640\nsubtitles: off\n---\n# Night\nvisual: dark\nduration: 2s\n"
                             "Snow falls on the quiet harbour.\n");
    auto out = dir / "o.mp4";
    auto r = run({cli(), "render", (dir / "o.md").string(), "-o", out.string(), "-q", "--subtitles", "srt,ass"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    for (int n : subtitle_ink_per_frame(out, 360, 640))
        EXPECT_LT(n, 50) << "subtitle drawn although `subtitles: off`";
    // The side files carry the lines as they would be burned in: two at this width.
    std::string srt = read_file(dir / "o.srt");
    const size_t cue = srt.find("00:00:00,000 --> 00:00:02,000\nSnow falls on");
    ASSERT_NE(cue, std::string::npos) << srt;
    std::string text = srt.substr(cue + 30, std::string("Snow falls on the quiet harbour.").size());
    EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1) << srt;
    std::replace(text.begin(), text.end(), '\n', ' ');
    EXPECT_EQ(text, "Snow falls on the quiet harbour.") << srt;
    std::string ass = read_file(dir / "o.ass");
    EXPECT_NE(ass.find("PlayResY: 640"), std::string::npos);
    EXPECT_NE(ass.find("Dialogue: 0,0:00:00.00,0:00:02.00,Default,,0,0,0,,Snow falls"), std::string::npos) << ass;
    // Both parse as subtitles.
    for (const char* f : {"o.srt", "o.ass"}) {
        auto p = run({"ffprobe", "-v", "error", (dir / f).string()});
        EXPECT_EQ(p.exit_code, 0) << f << ": " << p.err;
    }
}

TEST_F(Render, TitleFadesInOverThePicture)
{
    write_file(dir / "t.md", "---\nsize: 360x640\nsubtitles: off\n---\n# T\nred.png\ntitle: HARBIN\nduration: 2s\n");
    auto out = dir / "t.mp4";
    auto r = run({cli(), "render", (dir / "t.md").string(), "-o", out.string(), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto bright_in_title_band = [&](int64_t idx) {
        auto f = decode_frame_yuv(out, idx, 360, 640);
        int n = 0;
        for (int y = 200; y < 320; ++y)
            for (int x = 0; x < 360; ++x)
                n += f[size_t(y) * 360 + x] > 180;  // white text over red (Y = 63)
        return n;
    };
    EXPECT_LT(bright_in_title_band(0), 100) << "the title should start faded out";
    EXPECT_GT(bright_in_title_band(30), 800) << "the title should be on screen mid-shot";
}

namespace {

struct Box {
    int x0 = 1 << 30, y0 = 1 << 30, x1 = -1, y1 = -1;
    int width() const { return x1 - x0 + 1; }
};

// Bounding box of the title's ink (brighter than the red backdrop, Y = 63) in the middle band.
Box title_box(const fs::path& video, int64_t idx)
{
    auto f = decode_frame_yuv(video, idx, 360, 640);
    Box b;
    for (int y = 150; y < 400; ++y)
        for (int x = 0; x < 360; ++x)
            if (f[size_t(y) * 360 + x] > 95)
                b.x0 = std::min(b.x0, x), b.x1 = std::max(b.x1, x), b.y0 = std::min(b.y0, y), b.y1 = std::max(b.y1, y);
    return b;
}

}  // namespace

TEST_F(Render, TitleAnimationsSlideFadeAndPop)
{
    write_file(dir / "a.md", "---\nsize: 360x640\nsubtitles: off\ntitle-animation: fade\n---\n"
                             "# Fade\nred.png\ntitle: HARBIN\nduration: 2s\n"
                             "# Slide\nred.png\ntitle: HARBIN\ntitle-animation: slide-up\nduration: 2s\n"
                             "# Pop\nred.png\ntitle: HARBIN\ntitle-animation: pop\nduration: 2s\n");
    auto out = dir / "a.mp4";
    auto r = run({cli(), "render", (dir / "a.md").string(), "-o", out.string(), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // Early in each shot's title (a third of the way in; pop: a sixth) against the settled title
    // mid-shot (cuts: shots start at 0, 60, 120).
    for (int64_t start : {0, 60, 120}) {
        Box early = title_box(out, start + (start == 120 ? 1 : 3)), settled = title_box(out, start + 30);
        ASSERT_GT(settled.width(), 100) << "shot at " << start;
        ASSERT_GT(early.width(), 0) << "title invisible two frames in, shot at " << start;
        if (start == 0) {  // fade: in place, full size
            EXPECT_NEAR(early.width(), settled.width(), 10);  // faint edges may fall below the ink threshold
            EXPECT_NEAR(early.y0, settled.y0, 3);
        } else if (start == 60) {  // slide-up: full size, lower, rising
            EXPECT_NEAR(early.width(), settled.width(), 10);
            EXPECT_GT(early.y0, settled.y0 + 8);
        } else {  // pop: smaller, growing about its centre
            EXPECT_LT(early.width(), 0.92 * settled.width());
            EXPECT_NEAR((early.x0 + early.x1) / 2.0, (settled.x0 + settled.x1) / 2.0, 3);
        }
    }
    // A misspelt animation is named with a suggestion.
    write_file(dir / "bad.md", "---\nsize: 360x640\n---\n# A\nred.png\ntitle: X\ntitle-animation: popp\n");
    auto c = run({cli(), "check", (dir / "bad.md").string()});
    EXPECT_EQ(c.exit_code, 2);
    EXPECT_NE(c.err.find("bad.md:7:18"), std::string::npos) << c.err;
    EXPECT_NE(c.err.find("did you mean \"pop\""), std::string::npos) << c.err;
}

TEST_F(Render, MusicIsDuckedUnderTheVoice)
{
    // The music is a 55 Hz hum (far below the voice's pitch), so a narrow band-pass hears only it.
    ffmpeg({"-f", "lavfi", "-i", "sine=f=55:d=3:sample_rate=48000,volume=-12dB", "-ac", "2", (dir / "hum.wav").string()});
    write_file(dir / "d.md", "---\nsize: 180x320\nvoice: en\nmusic: hum.wav\nsubtitles: off\n---\n"
                             "# Speak\nred.png\nThe festival opens tonight with music and lights.\n\n"
                             "# Quiet\nred.png\nduration: 2.5s\n\n"
                             "# Speak again\nred.png\nEveryone is welcome.\n");
    auto chk = run({cli(), "check", (dir / "d.md").string(), "--json"});
    ASSERT_EQ(chk.exit_code, 0) << chk.err;
    auto j = nlohmann::json::parse(chk.out);
    double v0 = j["shots"][0]["voice"]["start_seconds"], v1 = v0 + j["shots"][0]["voice"]["seconds"].get<double>();
    double q0 = j["shots"][1]["start_seconds"], q1 = q0 + j["shots"][1]["duration_seconds"].get<double>();
    auto out = dir / "d.mp4";
    auto r = run({cli(), "render", (dir / "d.md").string(), "-o", out.string(), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto pcm = run({"ffmpeg", "-v", "error", "-nostdin", "-i", out.string(), "-af",
                    "bandpass=f=55:width_type=h:w=10,bandpass=f=55:width_type=h:w=10", "-ac", "1", "-ar", "48000", "-f",
                    "f32le", "-"});
    ASSERT_EQ(pcm.exit_code, 0) << pcm.err;
    const float* x = reinterpret_cast<const float*>(pcm.out.data());
    const size_t n = pcm.out.size() / 4;
    auto level_db = [&](double t0, double t1) {
        size_t a = size_t(t0 * 48000), b = std::min(n, size_t(t1 * 48000));
        double s = 0;
        for (size_t i = a; i < b; ++i)
            s += double(x[i]) * x[i];
        return 10 * std::log10(s / std::max<size_t>(1, b - a) + 1e-20);
    };
    // Middle of the first spoken sentence vs. the middle of the quiet shot (after the release).
    double speech = level_db(v0 + 0.3 * (v1 - v0), v0 + 0.7 * (v1 - v0));
    double pause = level_db(q0 + 0.35 * (q1 - q0), q0 + 0.65 * (q1 - q0));
    EXPECT_GE(pause - speech, 8.0) << "music under speech " << speech << " dB, in the pause " << pause << " dB";
}

TEST_F(Render, CommandTtsAndSpeakingRate)
{
    // The same sentence through the espeak-ng command-line program, at two speaking rates.
    const std::string body = "# A\nred.png\nThe northern lights dance above the frozen river tonight.\n";
    write_file(dir / "slow.md", "---\nsize: 180x320\nsubtitles: off\nvoice: en rate=120\n"
                                "tts: command espeak-ng -v {voice} -s {rate} -w {output} {text}\n---\n" + body);
    write_file(dir / "fast.md", "---\nsize: 180x320\nsubtitles: off\nvoice: en rate=260\n"
                                "tts: command espeak-ng -v {voice} -s {rate} -w {output} {text}\n---\n" + body);
    auto seconds = [&](const char* name) {
        auto r = run({cli(), "check", (dir / name).string(), "--json"});
        EXPECT_EQ(r.exit_code, 0) << r.err;
        auto j = nlohmann::json::parse(r.out);
        return j["shots"][0]["voice"]["seconds"].get<double>();
    };
    double slow = seconds("slow.md"), fast = seconds("fast.md");
    EXPECT_GT(slow, fast * 1.6) << "slow " << slow << " s, fast " << fast << " s";
    auto out = dir / "fast.mp4";
    auto r = run({cli(), "render", (dir / "fast.md").string(), "-o", out.string(), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_FALSE(stream(probe(out), "audio").is_null());
}

TEST_F(Render, CommandTtsFailureNamesTheShot)
{
    write_file(dir / "f.md", "---\nsize: 180x320\nvoice: en\ntts: command false {output}\n---\n# Opening\nred.png\nHello.\n");
    auto r = run({cli(), "check", (dir / "f.md").string()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("f.md:8:1"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("Opening"), std::string::npos) << r.err;
}

TEST_F(Render, LogoSitsInItsCornerWithItsOpacity)
{
    // A white square logo with a transparent border, at half opacity, bottom-left.
    ffmpeg({"-f", "lavfi", "-i", "color=c=white:s=80x80,format=rgba,pad=100:100:10:10:color=black@0", "-frames:v", "1",
            (dir / "logo.png").string()});
    write_file(dir / "l.md", "---\nsize: 360x640\nsubtitles: off\nlogo: logo.png bottom-left opacity=0.5 size=20%\n---\n"
                             "# A\nred.png\nduration: 1s\n");
    auto out = dir / "l.mp4";
    auto r = run({cli(), "render", (dir / "l.md").string(), "-o", out.string(), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto f = decode_frame_yuv(out, 15, 360, 640);
    // Logo 72x72 at x = 14, y = 640 - 14 - 72; its opaque middle is half-way between red and white.
    double mid = plane_mean(f, 360, 640, 0, 30, 570, 70, 610);
    EXPECT_NEAR(mid, (kRed.y + 235) / 2.0, 8);
    expect_colour(f, 360, 640, 200, 20, 340, 300, kRed, 4, "away from the logo");
    expect_colour(f, 360, 640, 14, 20, 80, 80, kRed, 4, "top-left stays clear");
    // A non-PNG logo is refused at its line.
    write_file(dir / "bad.md", "---\nlogo: red.jpg\n---\n# A\nred.png\nduration: 1s\n");
    auto b = run({cli(), "check", (dir / "bad.md").string()});
    EXPECT_EQ(b.exit_code, 2);
    EXPECT_NE(b.err.find("bad.md:2:7"), std::string::npos) << b.err;
}

TEST_F(Render, SubtitleLookFollowsTheScript)
{
    write_file(dir / "st.md", "---\nsize: 360x640\nsubtitles: on position=top size=5% box color=#ffd400\n---\n"
                              "# A\nred.png\nduration: 1s\nGolden words at the top.\n");
    auto out = dir / "st.mp4";
    auto r = run({cli(), "render", (dir / "st.md").string(), "-o", out.string(), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto f = decode_frame_yuv(out, 15, 360, 640);
    // Yellow text (high Y, low U) on a dark box near the top; the bottom band untouched.
    int yellow_top = 0, changed_bottom = 0;
    for (int y = 0; y < 640; ++y)
        for (int x = 0; x < 360; ++x) {
            int Y = f[size_t(y) * 360 + x], U = f[size_t(360) * 640 + size_t(y / 2) * 180 + x / 2];
            if (y < 200 && Y > 170 && U < 80)
                ++yellow_top;
            if (y > 440 && std::abs(Y - kRed.y) > 12)
                ++changed_bottom;
        }
    EXPECT_GT(yellow_top, 300);
    EXPECT_LT(changed_bottom, 50);
    write_file(dir / "bad.md", "---\nsubtitles: on place=top\n---\n# A\nred.png\nduration: 1s\n");
    auto b = run({cli(), "check", (dir / "bad.md").string()});
    EXPECT_EQ(b.exit_code, 2);
    EXPECT_NE(b.err.find("bad.md:2:15"), std::string::npos) << b.err;
}

TEST_F(Render, RecordedNarrationAndPerShotVoice)
{
    // A "recording" made with the espeak-ng program, 3.x s long.
    auto rec = run({"espeak-ng", "-v", "en", "-w", (dir / "vo.wav").string(), "Welcome aboard. Enjoy the ride."});
    ASSERT_EQ(rec.exit_code, 0) << rec.err;
    write_file(dir / "r.md", "---\nsize: 180x320\nsubtitles: off\nvoice: zh\n---\n"
                             "# Recorded\nred.png\nvoice-file: vo.wav\nWelcome aboard. Enjoy the ride.\n\n"
                             "# English\nred.png\nvoice: en\nThank you.\n");
    auto chk = run({cli(), "check", (dir / "r.md").string(), "--json"});
    ASSERT_EQ(chk.exit_code, 0) << chk.err;
    auto j = nlohmann::json::parse(chk.out);
    double recorded = j["shots"][0]["voice"]["seconds"];
    auto wav = probe(dir / "vo.wav");
    EXPECT_NEAR(recorded, std::stod(wav["format"]["duration"].get<std::string>()), 0.05);
    EXPECT_FALSE(j["shots"][1]["voice"].is_null());
    auto r = run({cli(), "render", (dir / "r.md").string(), "-o", (dir / "r.mp4").string(), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // A missing recording is an error at its line.
    write_file(dir / "m.md", "---\nsize: 180x320\n---\n# A\nred.png\nvoice-file: nope.wav\n");
    auto m = run({cli(), "check", (dir / "m.md").string()});
    EXPECT_EQ(m.exit_code, 2);
    EXPECT_NE(m.err.find("m.md:6:13"), std::string::npos) << m.err;
}

TEST_F(Render, LoudnessTargetFromTheScript)
{
    ffmpeg({"-f", "lavfi", "-i", "sine=f=440:d=2:sample_rate=48000", "-ac", "2", (dir / "tone.wav").string()});
    write_file(dir / "l.md", "---\nsize: 180x320\nmusic: tone.wav\nloudness: -20 peak=-3\n---\n# A\nred.png\nduration: 3s\n");
    auto out = dir / "l.mp4";
    auto r = run({cli(), "render", (dir / "l.md").string(), "-o", out.string(), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto l = measure_loudness(out);
    EXPECT_NEAR(l.integrated, -20.0, 1.0) << l.summary;
    EXPECT_LE(l.true_peak, -3.0) << l.summary;
}

TEST_F(Render, ClipSoundIsKeptOnlyWhenAsked)
{
    ffmpeg({"-f", "lavfi", "-i", "testsrc2=s=320x240:r=30", "-f", "lavfi", "-i", "sine=f=1000:sample_rate=48000", "-t",
            "3", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
            (dir / "talk.mp4").string()});
    auto rms_db = [&](const fs::path& video) {
        auto pcm = run({"ffmpeg", "-v", "error", "-nostdin", "-i", video.string(), "-ac", "1", "-f", "f32le", "-"});
        const float* x = reinterpret_cast<const float*>(pcm.out.data());
        size_t n = pcm.out.size() / 4;
        double s = 0;
        for (size_t i = n / 4; i < 3 * n / 4; ++i)
            s += double(x[i]) * x[i];
        return 10 * std::log10(s / std::max<size_t>(1, n / 2) + 1e-20);
    };
    write_file(dir / "k.md", "---\nsize: 180x320\n---\n# A\ntalk.mp4\naudio: keep\nduration: 2s\n");
    write_file(dir / "m.md", "---\nsize: 180x320\n---\n# A\ntalk.mp4\nduration: 2s\n");
    ASSERT_EQ(run({cli(), "render", (dir / "k.md").string(), "-o", (dir / "k.mp4").string(), "-q"}).exit_code, 0);
    ASSERT_EQ(run({cli(), "render", (dir / "m.md").string(), "-o", (dir / "m.mp4").string(), "-q"}).exit_code, 0);
    EXPECT_GT(rms_db(dir / "k.mp4"), -30);
    EXPECT_LT(rms_db(dir / "m.mp4"), -80);
    write_file(dir / "bad.md", "---\nsize: 180x320\n---\n# A\nred.png\naudio: keep\nduration: 1s\n");
    auto b = run({cli(), "check", (dir / "bad.md").string()});
    EXPECT_EQ(b.exit_code, 2);
    EXPECT_NE(b.err.find("bad.md:6:8"), std::string::npos) << b.err;
}

TEST_F(Render, RecordedNarrationTimedByItsSubtitlesFile)
{
    // Two tone bursts stand for two spoken lines, at 0.5-1.5 s and 2.0-3.2 s of a 4 s recording;
    // the .srt beside it says exactly that, so the subtitles follow it rather than a guess.
    ffmpeg({"-f", "lavfi", "-i", "sine=f=440:d=4:r=48000", "-af",
            "volume=enable='not(between(t,0.5,1.5)+between(t,2.0,3.2))':volume=0", (dir / "vo.wav").string()});
    write_file(dir / "vo.srt", "\xEF\xBB\xBF" "1\r\n00:00:00,500 --> 00:00:01,500\r\nWelcome <i>aboard</i>.\r\n\r\n"
                               "2\r\n00:00:02,000 --> 00:00:03,200\r\nEnjoy the ride.\r\n");
    write_file(dir / "r.md", "---\nsize: 180x320\n---\n# Recorded\nred.png\nvoice-file: vo.wav\n"
                             "Welcome aboard.\nEnjoy the ride.\n");
    auto r = run({cli(), "render", (dir / "r.md").string(), "-o", (dir / "r.mp4").string(), "-q", "--subtitles", "srt"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::string srt = read_file(dir / "r.srt");
    // The voice starts 0.2 s into the shot (its lead-in), so the cues start at 0.7 s and 2.2 s.
    EXPECT_NE(srt.find("00:00:00,700 --> "), std::string::npos) << srt;
    EXPECT_NE(srt.find("00:00:02,200 --> "), std::string::npos) << srt;
    EXPECT_NE(srt.find("Welcome aboard."), std::string::npos) << srt;

    // An .srt that says something else is named, and timings fall back to the pauses.
    write_file(dir / "vo.srt", "1\n00:00:00,500 --> 00:00:01,500\nGood night.\n");
    auto c = run({cli(), "check", (dir / "r.md").string()});
    EXPECT_EQ(c.exit_code, 0) << c.err;
    EXPECT_NE(c.err.find("cue 1 of vo.srt (\"Good night.\") is not in the shot's narration"), std::string::npos) << c.err;
    // A broken timing line is named with the file and line.
    write_file(dir / "vo.srt", "1\n00:00:00,500 -> 00:00:01,500\nWelcome aboard.\n\n2\n00:00:02 --> 3\nx\n");
    c = run({cli(), "check", (dir / "r.md").string()});
    EXPECT_NE(c.err.find("vo.srt:6: \"00:00:02 --> 3\" is not a valid SRT timing line"), std::string::npos) << c.err;
}
