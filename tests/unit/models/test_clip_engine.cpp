// The local clip engine: request snapping, the `command` adapter (run against a fake sd-cli
// written by the tests), normalisation of every result format, the clip cache and the scheduler.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <mutex>
#include <thread>

#include "core/cancel.h"
#include "media/clip_normalize.h"
#include "media/media.h"
#include "models/clip_adapter.h"
#include "models/clip_cache.h"
#include "models/clip_presets.h"
#include "models/clip_scheduler.h"
#include "test_support.h"

namespace sw::models {
namespace {

namespace fs = std::filesystem;
using sw::test::TempDir;
using clk = std::chrono::steady_clock;
using media::normalize_clip;
using media::picture_sequence;

// x264's statistics for every clip would bury the test output.
const bool kQuietLibav = (media::set_libav_logging(false), true);

// ---------------------------------------------------------------------------------------------
// Snapping

TEST(ClipSnap, WanFrameRule)
{
    ClipCapabilities wan;  // defaults: 4n+1 frames, 16 fps, 1..5 s, size multiple 16
    ClipRequest r;
    r.seconds = 5;
    r.fps = 30;
    EXPECT_EQ(snap_request(r, wan).frames, 81);
    EXPECT_EQ(snap_request(r, wan).fps, 16);
    r.seconds = 3.3;
    EXPECT_EQ(snap_request(r, wan).frames, 53);
    EXPECT_DOUBLE_EQ(snap_request(r, wan).seconds, 3.3);
    r.seconds = 12;  // longer than one clip: clamped (longer shots are chained)
    EXPECT_DOUBLE_EQ(snap_request(r, wan).seconds, 5);
    EXPECT_EQ(snap_request(r, wan).frames, 81);
    r.seconds = 0.1;  // shorter than the minimum
    EXPECT_EQ(snap_request(r, wan).frames, 17);
    for (double s : {1.0, 1.7, 2.2, 4.9}) {
        r.seconds = s;
        int f = snap_request(r, wan).frames;
        EXPECT_EQ((f - 1) % 4, 0) << s;
        EXPECT_LE(std::abs(f - s * 16), 2.0) << s;
    }
    // No frame rule and any fps: frames = seconds * fps.
    ClipCapabilities any;
    any.frame_multiple = 1;
    any.frame_offset = 0;
    any.native_fps = 0;
    r.seconds = 2;
    r.fps = 24;
    EXPECT_EQ(snap_request(r, any).frames, 48);
    EXPECT_EQ(snap_request(r, any).fps, 24);
}

TEST(ClipSnap, AllowedDurationsTakeTheShortestThatCovers)
{
    ClipCapabilities kling;
    kling.durations = {10, 5};
    kling.frame_multiple = 1;
    kling.frame_offset = 0;
    kling.native_fps = 24;
    ClipRequest r;
    r.seconds = 7;  // documented rule: the shortest allowed length ≥ the request
    EXPECT_DOUBLE_EQ(snap_request(r, kling).seconds, 10);
    EXPECT_EQ(snap_request(r, kling).frames, 240);
    r.seconds = 3;
    EXPECT_DOUBLE_EQ(snap_request(r, kling).seconds, 5);
    r.seconds = 5;
    EXPECT_DOUBLE_EQ(snap_request(r, kling).seconds, 5);
    r.seconds = 14;  // none covers: the longest
    EXPECT_DOUBLE_EQ(snap_request(r, kling).seconds, 10);
}

TEST(ClipSnap, SizeMultipleKeepsAspect)
{
    ClipCapabilities caps;
    ClipRequest r;
    r.width = 1080;
    r.height = 1920;
    auto s = snap_request(r, caps);
    EXPECT_EQ(s.width % 16, 0);
    EXPECT_EQ(s.height, 1920);
    EXPECT_LE(std::abs(s.width - 1080), 8);
    r.width = 100;
    r.height = 50;
    s = snap_request(r, caps);
    EXPECT_EQ(s.width, 96);
    EXPECT_EQ(s.height, 48);
    r.width = 10;
    r.height = 3;  // at least one multiple each
    s = snap_request(r, caps);
    EXPECT_EQ(s.width, 16);
    EXPECT_EQ(s.height, 16);
    caps.size_multiple = 64;
    r.width = 832;
    r.height = 480;
    s = snap_request(r, caps);
    EXPECT_EQ(s.width, 832);
    EXPECT_EQ(s.height, 512);  // 480 → 448 or 512: 832/512 is the closer aspect ratio
}

TEST(ClipSnap, DropsUnsupportedImages)
{
    ClipRequest r;
    r.init_image = "first.png";
    r.end_image = "last.png";
    ClipCapabilities t2v;
    auto s = snap_request(r, t2v);
    EXPECT_TRUE(s.init_image.empty());
    EXPECT_TRUE(s.end_image.empty());
    ClipCapabilities i2v;
    i2v.image_to_video = true;
    s = snap_request(r, i2v);
    EXPECT_EQ(s.init_image, "first.png");
    EXPECT_TRUE(s.end_image.empty());
    i2v.first_last_frame = true;
    s = snap_request(r, i2v);
    EXPECT_EQ(s.end_image, "last.png");
}

// ---------------------------------------------------------------------------------------------
// A fake sd-cli. It takes the same flags as stable-diffusion.cpp's sd-cli in video mode, plus
// `--mode M --state DIR` in front, and records its argv (NUL-separated), its calls and its
// start/end times in DIR.

const char* kFakeSdCli = R"SH(#!/bin/bash
state=/tmp
mode=ok
if [ "$1" = "--mode" ]; then mode="$2"; fi
if [ "$3" = "--state" ]; then state="$4"; fi
printf '%s\0' "$@" > "$state/args.$$"
mv "$state/args.$$" "$state/args"
echo "$$" >> "$state/calls"
pwd > "$state/cwd"
echo "start $(date +%s%N)" >> "$state/times"
W=64; H=64; frames=17; fps=16; seed=0; init=""; endimg=""; out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --mode|--state|-M|-m|-p|-n) shift 2 ;;
    -W) W="$2"; shift 2 ;;
    -H) H="$2"; shift 2 ;;
    --video-frames) frames="$2"; shift 2 ;;
    --fps) fps="$2"; shift 2 ;;
    -s) seed="$2"; shift 2 ;;
    -i) init="$2"; shift 2 ;;
    --end-img) endimg="$2"; shift 2 ;;
    -o) out="$2"; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
echo "loading model"
echo "sampling: |=====>     | 3/10"
finish() { echo "end $(date +%s%N)" >> "$state/times"; }
palette=(red lime blue yellow magenta cyan white gray)
col=${palette[$((seed % 8))]}
make_clip() {
  if [ -n "$init" ]; then
    ffmpeg -v error -nostdin -y -loop 1 -framerate "$fps" -i "$init" -vf "scale=${W}:${H}" -frames:v "$frames" -c:v mjpeg -q:v 3 "$1"
  else
    ffmpeg -v error -nostdin -y -f lavfi -i "color=c=${col}:s=${W}x${H}:r=${fps}" -frames:v "$frames" -c:v mjpeg -q:v 3 "$1"
  fi
}
case "$mode" in
  ok) make_clip "$out" ;;
  slow) sleep 0.25; make_clip "$out" ;;
  fail)
    echo "[ERROR] ggml_cuda_init: failed to initialize CUDA" >&2
    echo "[ERROR] model file not found: wan2.1.gguf" >&2
    finish; exit 1 ;;
  flaky)
    if [ ! -f "$state/flaky-failed" ]; then
      touch "$state/flaky-failed"; echo "CUDA error: out of memory" >&2; finish; exit 3
    fi
    make_clip "$out" ;;
  hang) sleep 30 ;;
  stubborn) trap '' TERM; for i in $(seq 300); do sleep 0.1; done ;;
  nothing) ;;
  pngseq)
    dir=$(dirname "$out")
    ffmpeg -v error -nostdin -y -f lavfi -i "color=c=${col}:s=${W}x${H}:r=${fps}" -frames:v "$frames" -start_number 1 "$dir/frame_%04d.png" ;;
  garbage) yes "this is not a video" | head -c 20000 > "$out" ;;
esac
rc=$?
finish
exit $rc
)SH";

struct Fake {
    fs::path script;
    fs::path state;
};

Fake write_fake(const TempDir& tmp)
{
    Fake f{tmp / "sd-cli-fake.sh", tmp / "state"};
    fs::create_directories(f.state);
    test::write_file(f.script, kFakeSdCli);
    fs::permissions(f.script, fs::perms::owner_all, fs::perm_options::add);
    return f;
}

GeneratorConfig fake_config(const Fake& f, const std::string& mode)
{
    GeneratorConfig c = sdcpp_cli_preset(f.script.string(), "wan2.1-t2v-1.3b.gguf");
    c.command.insert(c.command.begin() + 1, {"--mode", mode, "--state", f.state.string()});
    c.timeout_s = 20;
    c.retries = 0;
    c.backoff_s = 0.01;
    return c;
}

ClipRequest small_request(const std::string& prompt = "a red test card", uint64_t seed = 0)
{
    ClipRequest r;
    r.prompt = prompt;
    r.seconds = 1;
    r.width = 64;
    r.height = 48;
    r.seed = seed;
    return r;
}

std::vector<std::string> read_args(const fs::path& file)
{
    std::string s = test::read_file(file);
    std::vector<std::string> v;
    size_t pos = 0;
    while (pos < s.size()) {
        size_t z = s.find('\0', pos);
        if (z == std::string::npos)
            z = s.size();
        v.push_back(s.substr(pos, z - pos));
        pos = z + 1;
    }
    return v;
}

int call_count(const Fake& f)
{
    std::ifstream in(f.state / "calls");
    std::string line;
    int n = 0;
    while (std::getline(in, line))
        ++n;
    return n;
}

core::Result<fs::path> generate(const GeneratorConfig& c, const ClipRequest& r, const fs::path& dir,
                                double timeout_s = 20, const std::atomic<bool>* cancel = nullptr)
{
    auto adapter = make_command_adapter(c);
    EXPECT_TRUE(adapter.has_value());
    GenerateControl ctl;
    ctl.deadline = clk::now() + std::chrono::milliseconds(int64_t(timeout_s * 1000));
    ctl.cancel = cancel;
    fs::create_directories(dir);
    return (*adapter)->generate(snap_request(r, (*adapter)->capabilities()), dir, ctl);
}

double mean_luma(const fs::path& video, int64_t index, int w, int h)
{
    auto yuv = test::decode_frame_yuv(video, index, w, h);
    double s = 0;
    for (int i = 0; i < w * h; ++i)
        s += yuv[i];
    return s / (w * h);
}

void expect_video(const fs::path& file, int w, int h, const std::string& rate, int64_t frames)
{
    auto p = test::probe(file);
    auto v = test::stream(p, "video");
    ASSERT_FALSE(v.is_null()) << file;
    EXPECT_EQ(v.value("codec_name", ""), "h264");
    EXPECT_EQ(v.value("width", 0), w);
    EXPECT_EQ(v.value("height", 0), h);
    EXPECT_EQ(v.value("r_frame_rate", ""), rate);
    EXPECT_EQ(std::stoll(v.value("nb_read_frames", "0")), frames);
}

// ---------------------------------------------------------------------------------------------
// The command adapter

TEST(ClipCommand, ExpandsPlaceholdersAndDropsOptionalFlags)
{
    GeneratorConfig c = sdcpp_cli_preset("/opt/sd/sd-cli", "/models/wan.gguf");
    ClipRequest r = snap_request(small_request("literal {seed} and {prompt} stay"), c.caps);
    auto argv = expand_command(c, r, "/work/out.avi");
    auto has = [&](const std::string& a) { return std::find(argv.begin(), argv.end(), a) != argv.end(); };
    EXPECT_FALSE(has("-i"));
    EXPECT_FALSE(has("--end-img"));
    EXPECT_FALSE(has("-n"));
    EXPECT_TRUE(has("literal {seed} and {prompt} stay"));  // values are not expanded again
    EXPECT_TRUE(has("/work/out.avi"));
    EXPECT_TRUE(has("17"));  // frames for 1 s at 16 fps, 4n+1
    EXPECT_EQ(argv.front(), "/opt/sd/sd-cli");
    EXPECT_EQ(argv.size(), c.command.size() - 6);

    r.init_image = "/img/first.png";
    r.negative = "blurry";
    argv = expand_command(c, r, "/work/out.avi");
    auto it = std::find(argv.begin(), argv.end(), "-i");
    ASSERT_NE(it, argv.end());
    EXPECT_EQ(*(it + 1), "/img/first.png");
    EXPECT_TRUE(has("blurry"));
    EXPECT_FALSE(has("--end-img"));

    // Config defaults and extra parameters; unknown braces are kept.
    c.command = {"gen", "--steps={extra.steps}", "{extra.missing}", "{\"json\": 1}", "{seconds}s"};
    c.extra = {{"steps", "30"}};
    auto req = with_config_defaults(r, c);
    argv = expand_command(c, req, "/o");
    EXPECT_EQ(argv, (std::vector<std::string>{"gen", "--steps=30", "", "{\"json\": 1}", "1s"}));
}

TEST(ClipCommand, ArgvArrivesIntact)
{
    TempDir tmp("clip-argv");
    Fake f = write_fake(tmp);
    GeneratorConfig c = fake_config(f, "ok");
    const std::string prompt = "雪夜里的\"冰雕\"城堡, it's 'cold' $HOME `id`; rm -rf / & 镜头缓慢推进";
    ClipRequest r = small_request(prompt, 7);
    auto out = generate(c, r, tmp / "work");
    ASSERT_TRUE(out) << out.error().to_string();
    EXPECT_EQ(out->filename(), "out.avi");
    EXPECT_TRUE(fs::is_regular_file(*out));

    auto args = read_args(f.state / "args");
    ClipRequest snapped = snap_request(with_config_defaults(r, c), c.caps);
    auto expected = expand_command(c, snapped, fs::absolute(tmp / "work") / "out.avi");
    expected.erase(expected.begin());  // $0
    EXPECT_EQ(args, expected);
    auto p = std::find(args.begin(), args.end(), "-p");
    ASSERT_NE(p, args.end());
    EXPECT_EQ(*(p + 1), prompt);
    EXPECT_EQ(std::find(args.begin(), args.end(), "-i"), args.end());
    EXPECT_EQ(std::find(args.begin(), args.end(), "-n"), args.end());
    // The program's output is in the log.
    EXPECT_NE(test::read_file(tmp / "work" / "generate.log").find("loading model"), std::string::npos);
}

TEST(ClipCommand, RunsInTheConfigFilesFolder)
{
    TempDir tmp("clip-cwd");
    Fake f = write_fake(tmp);
    GeneratorConfig c = fake_config(f, "ok");
    c.config_file = tmp / "shotweave.toml";
    c.command[0] = "./" + f.script.filename().string();  // relative to the config file
    auto out = generate(c, small_request(), tmp / "work");
    ASSERT_TRUE(out) << out.error().to_string();
    EXPECT_EQ(fs::path(test::read_file(f.state / "cwd").substr(0, test::read_file(f.state / "cwd").size() - 1)),
              fs::canonical(tmp.path()));
}

TEST(ClipCommand, ReportsProgressFromTheProgramsBar)
{
    TempDir tmp("clip-progress");
    Fake f = write_fake(tmp);
    auto adapter = make_command_adapter(fake_config(f, "slow"));
    std::vector<double> seen;
    GenerateControl ctl;
    ctl.deadline = clk::now() + std::chrono::seconds(20);
    ctl.progress = [&](double p) { seen.push_back(p); };
    auto out = (*adapter)->generate(snap_request(small_request(), (*adapter)->capabilities()), tmp / "work", ctl);
    ASSERT_TRUE(out) << out.error().to_string();
    ASSERT_FALSE(seen.empty());
    EXPECT_DOUBLE_EQ(seen.back(), 0.3);  // "sampling: |=====>     | 3/10"
}

TEST(ClipCommand, FailureSaysExitCodeAndStderrTail)
{
    TempDir tmp("clip-fail");
    Fake f = write_fake(tmp);
    auto out = generate(fake_config(f, "fail"), small_request(), tmp / "work");
    ASSERT_FALSE(out);
    EXPECT_EQ(out.error().category, core::ErrorCategory::Media);
    EXPECT_NE(out.error().message.find("exited with code 1"), std::string::npos) << out.error().message;
    EXPECT_NE(out.error().message.find("model file not found: wan2.1.gguf"), std::string::npos) << out.error().message;
    EXPECT_NE(out.error().message.find("failed to initialize CUDA"), std::string::npos);
    EXPECT_NE(out.error().detail.find("generate.log"), std::string::npos);
}

TEST(ClipCommand, TimeoutKillsTheProgram)
{
    TempDir tmp("clip-timeout");
    Fake f = write_fake(tmp);
    auto t0 = clk::now();
    auto out = generate(fake_config(f, "hang"), small_request(), tmp / "work", 0.5);
    double took = std::chrono::duration<double>(clk::now() - t0).count();
    ASSERT_FALSE(out);
    EXPECT_NE(out.error().message.find("timed out after 0.5 s"), std::string::npos) << out.error().message;
    EXPECT_LT(took, 1.5);  // SIGTERM ends it at once
}

TEST(ClipCommand, TimeoutKillsAProgramIgnoringSigterm)
{
    TempDir tmp("clip-stubborn");
    Fake f = write_fake(tmp);
    auto t0 = clk::now();
    auto out = generate(fake_config(f, "stubborn"), small_request(), tmp / "work", 0.3);
    double took = std::chrono::duration<double>(clk::now() - t0).count();
    ASSERT_FALSE(out);
    EXPECT_NE(out.error().message.find("timed out"), std::string::npos) << out.error().message;
    EXPECT_GE(took, 2.0);  // SIGKILL comes 2 s after SIGTERM
    EXPECT_LT(took, 0.3 + 3.0);
}

TEST(ClipCommand, CancelStopsTheProgram)
{
    TempDir tmp("clip-cancel");
    Fake f = write_fake(tmp);
    std::atomic<bool> cancel{false};
    std::thread t([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        cancel = true;
    });
    auto t0 = clk::now();
    auto out = generate(fake_config(f, "hang"), small_request(), tmp / "work", 20, &cancel);
    t.join();
    ASSERT_FALSE(out);
    EXPECT_EQ(out.error().category, core::ErrorCategory::Cancelled);
    EXPECT_LT(std::chrono::duration<double>(clk::now() - t0).count(), 1.5);
}

TEST(ClipCommand, NoOutputAndMissingProgram)
{
    TempDir tmp("clip-nothing");
    Fake f = write_fake(tmp);
    auto out = generate(fake_config(f, "nothing"), small_request(), tmp / "work");
    ASSERT_FALSE(out);
    EXPECT_NE(out.error().message.find("exited 0 but wrote no video"), std::string::npos) << out.error().message;
    EXPECT_NE(out.error().message.find("out.avi"), std::string::npos);

    GeneratorConfig missing = sdcpp_cli_preset("shotweave-no-such-program", "m.gguf");
    out = generate(missing, small_request(), tmp / "work2");
    ASSERT_FALSE(out);
    EXPECT_EQ(out.error().category, core::ErrorCategory::Input);
    EXPECT_NE(out.error().message.find("could not be started"), std::string::npos);

    GeneratorConfig empty;
    empty.kind = "command";
    EXPECT_FALSE(make_command_adapter(empty));
}

TEST(ClipFactory, KindsAndDidYouMean)
{
    GeneratorConfig c = sdcpp_cli_preset("sd-cli", "wan.gguf");
    auto a = make_clip_adapter(c);
    ASSERT_TRUE(a) << a.error().to_string();
    EXPECT_EQ((*a)->kind(), "command");
    EXPECT_EQ((*a)->capabilities().frame_multiple, 4);
    c.kind = "comand";
    auto b = make_clip_adapter(c);
    ASSERT_FALSE(b);
    EXPECT_EQ(b.error().category, core::ErrorCategory::Input);
    EXPECT_NE(b.error().message.find("did you mean \"command\""), std::string::npos) << b.error().message;
}

// ---------------------------------------------------------------------------------------------
// Normalisation

TEST(ClipNormalize, MjpgAviToExactFramesSizeAndRate)
{
    TempDir tmp("clip-norm-avi");
    Fake f = write_fake(tmp);
    auto avi = generate(fake_config(f, "ok"), small_request(), tmp / "work");  // 64x48, 17 frames @ 16
    ASSERT_TRUE(avi) << avi.error().to_string();
    // Longer than the source (held last frame), other aspect (cover), other rate.
    auto st = normalize_clip(*avi, tmp / "long.mp4", 96, 64, {24, 1}, 40);
    ASSERT_TRUE(st) << st.error().to_string();
    expect_video(tmp / "long.mp4", 96, 64, "24/1", 40);
    // Shorter: cut.
    st = normalize_clip(*avi, tmp / "short.mp4", 48, 80, {30000, 1001}, 7);
    ASSERT_TRUE(st) << st.error().to_string();
    expect_video(tmp / "short.mp4", 48, 80, "30000/1001", 7);
    // Red stays red: Y of BT.709 red is about 63.
    EXPECT_NEAR(mean_luma(tmp / "long.mp4", 39, 96, 64), 63, 8);
}

TEST(ClipNormalize, PngSequenceFromTheProgram)
{
    TempDir tmp("clip-norm-png");
    Fake f = write_fake(tmp);
    auto first = generate(fake_config(f, "pngseq"), small_request("blue", 2), tmp / "work");
    ASSERT_TRUE(first) << first.error().to_string();
    EXPECT_EQ(first->filename(), "frame_0001.png");
    EXPECT_EQ(picture_sequence(*first).size(), 17u);
    auto st = normalize_clip(*first, tmp / "seq.mp4", 64, 48, {16, 1}, 20);
    ASSERT_TRUE(st) << st.error().to_string();
    expect_video(tmp / "seq.mp4", 64, 48, "16/1", 20);

    // A sequence starting at 000, with the model's rate given: 8 pictures at 8 fps = 1 s.
    fs::create_directories(tmp / "seq");
    // Each picture is brighter than the one before.
    test::ffmpeg({"-f", "lavfi", "-i", "color=c=black:s=80x60:r=8", "-vf", "format=yuv420p,geq=lum='40+N*20':cb=128:cr=128",
                  "-frames:v", "8", "-start_number", "0", (tmp / "seq" / "%03d.png").string()});
    st = normalize_clip(tmp / "seq" / "000.png", tmp / "seq8.mp4", 64, 64, {24, 1}, 24, {8, 1});
    ASSERT_TRUE(st) << st.error().to_string();
    expect_video(tmp / "seq8.mp4", 64, 64, "24/1", 24);
    // Each picture lasts 3 output frames: frames 0-2 alike, frame 3 the next picture.
    const fs::path v = tmp / "seq8.mp4";
    EXPECT_NEAR(mean_luma(v, 2, 64, 64), mean_luma(v, 0, 64, 64), 1.5);
    EXPECT_GT(mean_luma(v, 3, 64, 64) - mean_luma(v, 2, 64, 64), 10);
    EXPECT_GT(mean_luma(v, 23, 64, 64) - mean_luma(v, 20, 64, 64), 10);
}

TEST(ClipNormalize, AnimatedWebp)
{
    TempDir tmp("clip-norm-webp");
    auto r = test::run({"ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-f", "lavfi", "-i",
                        "testsrc=s=64x64:d=1:r=10", "-c:v", "libwebp_anim", "-loop", "0",
                        (tmp / "anim.webp").string()});
    if (r.exit_code != 0)
        GTEST_SKIP() << "this ffmpeg cannot write animated WebP (libwebp_anim encoder missing): " << r.err;
    auto st = normalize_clip(tmp / "anim.webp", tmp / "webp.mp4", 64, 64, {20, 1}, 30);
    ASSERT_TRUE(st) << st.error().to_string();
    expect_video(tmp / "webp.mp4", 64, 64, "20/1", 30);
    // The animation moves (testsrc changes every frame), then holds its last frame past 1 s.
    auto f0 = test::decode_frame_yuv(tmp / "webp.mp4", 0, 64, 64);
    auto f10 = test::decode_frame_yuv(tmp / "webp.mp4", 10, 64, 64);
    auto f25 = test::decode_frame_yuv(tmp / "webp.mp4", 25, 64, 64);
    auto f29 = test::decode_frame_yuv(tmp / "webp.mp4", 29, 64, 64);
    EXPECT_GT(test::mean_abs_diff(f0, f10), 1.0);
    EXPECT_LT(test::mean_abs_diff(f25, f29), 1.0);
}

TEST(ClipNormalize, GarbageIsAnInputErrorNamingTheFile)
{
    TempDir tmp("clip-norm-garbage");
    Fake f = write_fake(tmp);
    auto out = generate(fake_config(f, "garbage"), small_request(), tmp / "work");
    ASSERT_TRUE(out) << out.error().to_string();
    auto st = normalize_clip(*out, tmp / "x.mp4", 64, 48, {16, 1}, 17);
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().category, core::ErrorCategory::Input);
    EXPECT_NE(st.error().message.find(out->string()), std::string::npos) << st.error().message;
    EXPECT_FALSE(fs::exists(tmp / "x.mp4"));

    test::write_file(tmp / "empty.avi", "");
    st = normalize_clip(tmp / "empty.avi", tmp / "x.mp4", 64, 48, {16, 1}, 17);
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().category, core::ErrorCategory::Input);
    test::write_file(tmp / "bad.webp", "RIFF1234WEBPnonsense");
    st = normalize_clip(tmp / "bad.webp", tmp / "x.mp4", 64, 48, {16, 1}, 17);
    ASSERT_FALSE(st);
    EXPECT_NE(st.error().message.find("bad.webp"), std::string::npos) << st.error().message;
}

// ---------------------------------------------------------------------------------------------
// Cache

TEST(ClipCache, KeysFollowWhatDecidesTheClip)
{
    TempDir tmp("clip-keys");
    NormalizeTarget t{64, 48, {16, 1}, 17};
    ClipRequest r = small_request("prompt", 1);
    auto k = [&](const ClipRequest& req, const NormalizeTarget& tt = {64, 48, {16, 1}, 17}) {
        auto key = clip_cache_key("command:x", "m", req, tt);
        EXPECT_TRUE(key.has_value());
        return key.value_or("");
    };
    const std::string base = k(r);
    EXPECT_EQ(base.size(), 64u);
    EXPECT_EQ(base, k(r));
    ClipRequest r2 = r;
    r2.prompt = "prompt!";
    EXPECT_NE(k(r2), base);
    r2 = r;
    r2.seed = 2;
    EXPECT_NE(k(r2), base);
    r2 = r;
    r2.extra["steps"] = "20";
    EXPECT_NE(k(r2), base);
    EXPECT_NE(k(r, {64, 48, {24, 1}, 17}), base);
    EXPECT_NE(clip_cache_key("command:y", "m", r, t).value(), base);
    // Images count by their bytes, not their name.
    test::write_file(tmp / "a.png", "picture one");
    r2 = r;
    r2.init_image = tmp / "a.png";
    const std::string with_a = k(r2);
    EXPECT_NE(with_a, base);
    test::write_file(tmp / "a.png", "picture two");
    EXPECT_NE(k(r2), with_a);
    r2.init_image = tmp / "missing.png";
    auto bad = clip_cache_key("command:x", "m", r2, t);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().category, core::ErrorCategory::Input);
}

TEST(ClipCache, DefaultFolderFollowsTheEnvironment)
{
    std::string saved_cache = getenv("SHOTWEAVE_CACHE_DIR") ? getenv("SHOTWEAVE_CACHE_DIR") : "";
    std::string saved_xdg = getenv("XDG_CACHE_HOME") ? getenv("XDG_CACHE_HOME") : "";
    setenv("SHOTWEAVE_CACHE_DIR", "/x/clips-here", 1);
    EXPECT_EQ(default_clip_cache_dir(), fs::path("/x/clips-here"));
    unsetenv("SHOTWEAVE_CACHE_DIR");
    setenv("XDG_CACHE_HOME", "/y", 1);
    EXPECT_EQ(default_clip_cache_dir(), fs::path("/y/shotweave/clips"));
    if (saved_cache.empty())
        unsetenv("SHOTWEAVE_CACHE_DIR");
    else
        setenv("SHOTWEAVE_CACHE_DIR", saved_cache.c_str(), 1);
    if (saved_xdg.empty())
        unsetenv("XDG_CACHE_HOME");
    else
        setenv("XDG_CACHE_HOME", saved_xdg.c_str(), 1);
}

struct Run {
    std::vector<ClipJobResult> results;
    std::vector<ClipProgress> progress;
};

Run run_jobs(ClipAdapter& adapter, const GeneratorConfig& c, const TempDir& tmp, const std::vector<ClipJob>& jobs)
{
    Run run;
    std::mutex mu;
    ClipSchedulerOptions o;
    o.cache_dir = tmp / "cache";
    o.work_dir = tmp / "work";
    o.on_progress = [&](const ClipProgress& p) {
        std::lock_guard lk(mu);
        run.progress.push_back(p);
    };
    ClipScheduler s(adapter, c, o);
    run.results = s.run(jobs);
    return run;
}

ClipJob job(const std::string& label, const ClipRequest& r)
{
    ClipJob j;
    j.label = label;
    j.request = r;
    j.target = NormalizeTarget{64, 48, {16, 1}, 17};
    return j;
}

TEST(ClipCache, SecondRunMakesNoCallsAndDamageIsRegenerated)
{
    TempDir tmp("clip-cache-run");
    Fake f = write_fake(tmp);
    GeneratorConfig c = fake_config(f, "ok");
    auto adapter = make_command_adapter(c);
    ASSERT_TRUE(adapter);
    std::vector<ClipJob> jobs = {job("one", small_request("first", 0)), job("two", small_request("second", 1))};

    auto first = run_jobs(**adapter, c, tmp, jobs);
    ASSERT_TRUE(first.results[0].ok()) << first.results[0].error->to_string();
    ASSERT_TRUE(first.results[1].ok()) << first.results[1].error->to_string();
    EXPECT_EQ(call_count(f), 2);
    EXPECT_FALSE(first.results[0].cached);
    EXPECT_EQ(first.results[0].clip.parent_path(), tmp / "cache");
    expect_video(first.results[0].clip, 64, 48, "16/1", 17);
    // The json records the request and the checksum, and nothing from the environment.
    std::string key = first.results[0].clip.stem().string();
    auto meta = nlohmann::json::parse(test::read_file(tmp / "cache" / (key + ".json")));
    EXPECT_EQ(meta["request"]["prompt"], "first");
    EXPECT_EQ(meta["sha256"].get<std::string>().size(), 64u);
    EXPECT_EQ(meta["bytes"].get<uint64_t>(), fs::file_size(first.results[0].clip));
    EXPECT_EQ(meta["label"], "one");

    auto second = run_jobs(**adapter, c, tmp, jobs);
    EXPECT_EQ(call_count(f), 2);
    EXPECT_TRUE(second.results[0].cached);
    EXPECT_TRUE(second.results[1].cached);
    EXPECT_EQ(second.results[0].clip, first.results[0].clip);
    EXPECT_EQ(second.results[0].attempts, 0);

    // A truncated entry is a miss, deleted, and made again.
    const fs::path clip = first.results[1].clip;
    fs::resize_file(clip, fs::file_size(clip) / 2);
    ClipCache cache(tmp / "cache");
    EXPECT_FALSE(cache.lookup(clip.stem().string()));
    EXPECT_FALSE(fs::exists(clip));
    fs::resize_file(first.results[0].clip, fs::file_size(first.results[0].clip) - 1);
    auto third = run_jobs(**adapter, c, tmp, jobs);
    EXPECT_EQ(call_count(f), 4);
    ASSERT_TRUE(third.results[0].ok());
    EXPECT_FALSE(third.results[0].cached);
    expect_video(third.results[0].clip, 64, 48, "16/1", 17);

    // A changed prompt or seed misses; the others still hit.
    jobs[0].request.prompt = "first, changed";
    jobs[1].request.seed = 5;
    jobs.push_back(job("three", small_request("second", 1)));
    auto fourth = run_jobs(**adapter, c, tmp, jobs);
    EXPECT_EQ(call_count(f), 6);
    EXPECT_FALSE(fourth.results[0].cached);
    EXPECT_FALSE(fourth.results[1].cached);
    EXPECT_TRUE(fourth.results[2].cached);
}

// ---------------------------------------------------------------------------------------------
// Scheduler

TEST(ClipScheduler, RetriesAFlakyProgram)
{
    TempDir tmp("clip-retry");
    Fake f = write_fake(tmp);
    GeneratorConfig c = fake_config(f, "flaky");
    c.retries = 2;
    auto adapter = make_command_adapter(c);
    auto t0 = clk::now();
    auto run = run_jobs(**adapter, c, tmp, {job("flaky", small_request())});
    ASSERT_TRUE(run.results[0].ok()) << run.results[0].error->to_string();
    EXPECT_EQ(run.results[0].attempts, 2);
    EXPECT_EQ(call_count(f), 2);
    EXPECT_LT(std::chrono::duration<double>(clk::now() - t0).count(), 5.0);
    bool saw_retry = false, saw_done = false;
    for (auto& p : run.progress) {
        if (p.state == ClipJobState::Retrying) {
            saw_retry = true;
            EXPECT_NE(p.message.find("out of memory"), std::string::npos);
            EXPECT_EQ(p.attempt, 1);
        }
        saw_done |= p.state == ClipJobState::Done && p.attempt == 2;
    }
    EXPECT_TRUE(saw_retry);
    EXPECT_TRUE(saw_done);
    // The failed attempt's folder (with its log) is kept; the successful one is removed.
    EXPECT_TRUE(fs::exists(tmp / "work" / "job0-try1" / "generate.log"));
    EXPECT_FALSE(fs::exists(tmp / "work" / "job0-try2"));
}

TEST(ClipScheduler, GivesUpAfterRetriesAndFailsDependents)
{
    TempDir tmp("clip-giveup");
    Fake f = write_fake(tmp);
    GeneratorConfig c = fake_config(f, "fail");
    c.retries = 1;
    auto adapter = make_command_adapter(c);
    std::vector<ClipJob> jobs = {job("opening", small_request()), job("next", small_request("b"))};
    bool prepared = false;
    jobs[1].depends_on = 0;
    jobs[1].prepare = [&](ClipRequest&, const fs::path&) -> core::Status {
        prepared = true;
        return {};
    };
    auto run = run_jobs(**adapter, c, tmp, jobs);
    ASSERT_FALSE(run.results[0].ok());
    EXPECT_EQ(run.results[0].attempts, 2);
    EXPECT_EQ(call_count(f), 2);
    const std::string& msg = run.results[0].error->message;
    EXPECT_NE(msg.find("\"opening\""), std::string::npos) << msg;
    EXPECT_NE(msg.find("exited with code 1"), std::string::npos) << msg;
    EXPECT_NE(msg.find("gave up after 2 attempts"), std::string::npos) << msg;
    ASSERT_FALSE(run.results[1].ok());
    EXPECT_FALSE(prepared);
    EXPECT_NE(run.results[1].error->message.find("which failed"), std::string::npos);
}

TEST(ClipScheduler, RespectsMaxConcurrency)
{
    TempDir tmp("clip-concurrency");
    Fake f = write_fake(tmp);
    GeneratorConfig c = fake_config(f, "slow");
    c.caps.max_concurrency = 2;
    auto adapter = make_command_adapter(c);
    std::vector<ClipJob> jobs;
    for (int i = 0; i < 4; ++i)
        jobs.push_back(job("shot " + std::to_string(i), small_request("p" + std::to_string(i), i)));
    auto run = run_jobs(**adapter, c, tmp, jobs);
    for (auto& r : run.results)
        ASSERT_TRUE(r.ok()) << r.error->to_string();
    EXPECT_EQ(call_count(f), 4);
    // Sweep the programs' start/end times.
    std::ifstream in(f.state / "times");
    std::vector<std::pair<long long, int>> events;
    std::string what;
    long long t;
    while (in >> what >> t)
        events.emplace_back(t, what == "start" ? 1 : -1);
    std::sort(events.begin(), events.end());  // an end before a start at the same instant
    int live = 0, most = 0;
    for (auto& [when, d] : events) {
        live += d;
        most = std::max(most, live);
    }
    EXPECT_EQ(events.size(), 8u);
    EXPECT_EQ(most, 2);
}

TEST(ClipScheduler, DependentJobStartsFromThePreviousClip)
{
    TempDir tmp("clip-chain");
    Fake f = write_fake(tmp);
    GeneratorConfig c = fake_config(f, "ok");
    c.caps.max_concurrency = 2;
    auto adapter = make_command_adapter(c);
    std::vector<ClipJob> jobs = {job("part 1", small_request("castle", 0)),   // red
                                 job("part 2", small_request("castle", 1))};  // would be lime
    fs::path seen;
    jobs[1].depends_on = 0;
    jobs[1].prepare = [&](ClipRequest& r, const fs::path& previous) -> core::Status {
        seen = previous;
        if (!fs::is_regular_file(previous))
            return core::make_error(core::ErrorCategory::Internal, "no previous clip");
        // The previous clip's last frame becomes this clip's first frame.
        test::ffmpeg({"-sseof", "-0.2", "-i", previous.string(), "-update", "1", "-frames:v", "1",
                      (tmp / "last.png").string()});
        r.init_image = tmp / "last.png";
        return {};
    };
    auto run = run_jobs(**adapter, c, tmp, jobs);
    ASSERT_TRUE(run.results[0].ok()) << run.results[0].error->to_string();
    ASSERT_TRUE(run.results[1].ok()) << run.results[1].error->to_string();
    EXPECT_EQ(seen, run.results[0].clip);
    auto args = read_args(f.state / "args");  // the second call's
    auto i = std::find(args.begin(), args.end(), "-i");
    ASSERT_NE(i, args.end());
    EXPECT_EQ(*(i + 1), fs::absolute(tmp / "last.png").string());
    // The fake loops its first frame: the second clip is red too, not lime.
    EXPECT_NEAR(mean_luma(run.results[1].clip, 5, 64, 48), mean_luma(run.results[0].clip, 16, 64, 48), 6);
}

TEST(ClipScheduler, CancelBeforeStartRunsNothing)
{
    TempDir tmp("clip-sched-cancel");
    Fake f = write_fake(tmp);
    GeneratorConfig c = fake_config(f, "ok");
    auto adapter = make_command_adapter(c);
    std::atomic<bool> cancel{true};
    ClipSchedulerOptions o;
    o.cache_dir = tmp / "cache";
    o.work_dir = tmp / "work";
    o.cancel = &cancel;
    ClipScheduler s(**adapter, c, o);
    auto results = s.run({job("a", small_request()), job("b", small_request("b"))});
    ASSERT_EQ(results.size(), 2u);
    for (auto& r : results) {
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error->category, core::ErrorCategory::Cancelled);
    }
    EXPECT_EQ(call_count(f), 0);
}

}  // namespace
}  // namespace sw::models
