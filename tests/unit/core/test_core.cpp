#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include "core/bt709.h"
#include "core/diagnostics.h"
#include "core/file.h"
#include "core/frame.h"
#include "core/process.h"
#include "core/rational.h"
#include "core/sha256.h"
#include "core/text_util.h"

using namespace sw::core;

TEST(Rational, MicrosecondsToFramesRounds)
{
    EXPECT_EQ(us_to_frames(500'000, {30, 1}), 15);
    EXPECT_EQ(us_to_frames(5'000'000, {30000, 1001}), 150);  // 149.85 → 150
    EXPECT_EQ(us_to_frames(16'667, {30, 1}), 1);              // 0.50001 → 1
    EXPECT_EQ(us_to_frames(16'666, {30, 1}), 0);
    EXPECT_EQ(frames_to_us(30, {30, 1}), 1'000'000);
    EXPECT_EQ(frames_to_samples(30, {30, 1}), 48'000);
    EXPECT_EQ(frames_to_samples(1, {30000, 1001}), 1601);  // 1601.6 floored
    EXPECT_EQ(samples_to_frames(1601, {30000, 1001}), 1);
    EXPECT_EQ(samples_to_frames(799, {30, 1}), 0);          // just under half a frame
    EXPECT_EQ(samples_to_frames(800, {30, 1}), 1);          // half a frame rounds up
}

TEST(TextUtil, Utf8AndEditDistance)
{
    EXPECT_EQ(utf8_length("冰雪ab"), 4u);
    EXPECT_EQ(utf8_decode("冰a").size(), 2u);
    EXPECT_EQ(utf8_decode(std::string("\xff", 1))[0], U'\uFFFD');
    EXPECT_EQ(edit_distance("circleopen", "cirleopen"), 1u);
    EXPECT_EQ(edit_distance("冰雪", "冰雨"), 1u);
    EXPECT_EQ(did_you_mean("wipeleftt", {"wipeleft", "wiperight", "fade"}), "wipeleft");
    EXPECT_EQ(did_you_mean("zzzzzz", {"wipeleft", "fade"}), "");
    EXPECT_EQ(edit_distance("fsp", "fps"), 1u);  // a transposition is one typo
    EXPECT_EQ(did_you_mean("fsp", {"title", "size", "fps"}), "fps");
}

TEST(Diagnostics, FormatsLocationAndHint)
{
    Diagnostics d;
    d.error({"promo.md", 3, 5}, "unknown key \"duraton\"", "did you mean \"duration\"?");
    d.warning({"promo.md", 9, 1}, "shot is longer than its video");
    EXPECT_TRUE(d.has_errors());
    EXPECT_EQ(d.error_count(), 1u);
    EXPECT_EQ(d.items()[0].to_string(), "promo.md:3:5: error: unknown key \"duraton\" — did you mean \"duration\"?");
    EXPECT_EQ(d.to_error().where.line, 3);
}

TEST(Frame, AllocFillClone)
{
    Frame f(64, 32);
    EXPECT_EQ(f.plane_width(1), 32);
    EXPECT_EQ(f.plane_height(2), 16);
    EXPECT_EQ(f.stride(0) % 64, 0);
    f.fill(100, 110, 120);
    Frame g = f.clone();
    EXPECT_EQ(g.row(0, 31)[63], 100);
    EXPECT_EQ(g.row(2, 15)[31], 120);
    auto white = rgb_to_yuv709({255, 255, 255});
    EXPECT_EQ(white.y, 235);
    EXPECT_EQ(white.u, 128);
}

namespace {

std::filesystem::path fresh_dir(const std::string& tag)
{
    auto d = std::filesystem::temp_directory_path() / ("sw-core-" + tag + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(d);
    std::filesystem::create_directories(d);
    return d;
}

void touch(const std::filesystem::path& p) { std::ofstream(p) << "x"; }

// The PID of a process that has exited (and been reaped): nobody has it for a while.
long dead_pid()
{
    pid_t p = ::fork();
    if (p == 0)
        ::_exit(0);
    ::waitpid(p, nullptr, 0);
    return p;
}

}  // namespace

TEST(TempFiles, OwnerPidIsReadFromTheName)
{
    EXPECT_EQ(temp_owner_pid(".out.mp4.part-1234.mp4", ".out.mp4.part-"), 1234);
    EXPECT_EQ(temp_owner_pid("0123abcd.4321.7.mp4", "", "."), 4321);
    EXPECT_EQ(temp_owner_pid("0123abcd.json.tmp.99.0", "", ".tmp."), 99);
    EXPECT_EQ(temp_owner_pid(".out.mp4.part-.mp4", ".out.mp4.part-"), 0);
    EXPECT_EQ(temp_owner_pid("other.mp4", ".out.mp4.part-"), 0);
    EXPECT_EQ(temp_owner_pid(".out.mp4.part-12345678901.mp4", ".out.mp4.part-"), 0);  // not a PID
}

TEST(TempFiles, OnlyGoneOwnersFilesAreRemoved)
{
    auto d = fresh_dir("temps");
    const long gone = dead_pid();
    touch(d / (".out.mp4.part-" + std::to_string(gone) + ".mp4"));
    touch(d / (".out.mp4.part-" + std::to_string(::getpid()) + ".mp4"));
    touch(d / ".other.mp4.part-1.mp4");
    touch(d / "out.mp4");
    EXPECT_FALSE(temp_owner_gone(::getpid()));
    EXPECT_FALSE(temp_owner_gone(0));
    EXPECT_TRUE(temp_owner_gone(gone));
    EXPECT_EQ(remove_orphaned_temps(d, ".out.mp4.part-"), 1);
    EXPECT_FALSE(std::filesystem::exists(d / (".out.mp4.part-" + std::to_string(gone) + ".mp4")));
    EXPECT_TRUE(std::filesystem::exists(d / (".out.mp4.part-" + std::to_string(::getpid()) + ".mp4")));
    EXPECT_TRUE(std::filesystem::exists(d / ".other.mp4.part-1.mp4"));
    EXPECT_TRUE(std::filesystem::exists(d / "out.mp4"));
    std::filesystem::remove_all(d);
}

TEST(OutputPath, RefusesInputsFoldersFilesAsParentsAndLongNames)
{
    auto d = fresh_dir("out");
    touch(d / "music.mp3");
    std::filesystem::create_symlink(d / "music.mp3", d / "link.mp3");
    std::filesystem::create_directory(d / "sub");
    const std::vector<ReadFile> inputs{{d / "music.mp3", "the music (a.md:3)"}};
    auto msg = [&](const std::filesystem::path& out, bool create = false) {
        auto st = check_output_path(out, "-o " + out.filename().string(), inputs, create);
        return st ? std::string() : st.error().message;
    };
    EXPECT_EQ(msg(d / "new.mp4"), "");
    EXPECT_NE(msg(d / "music.mp3").find("-o music.mp3 is the music (a.md:3) — choose another output name"),
              std::string::npos);
    EXPECT_NE(msg(d / "link.mp3").find("is the music"), std::string::npos);
    EXPECT_NE(msg(d / "sub/../music.mp3").find("is the music"), std::string::npos);
    EXPECT_NE(msg(d / "sub").find("is a folder"), std::string::npos);
    EXPECT_NE(msg(d / "music.mp3/x.mp4").find("music.mp3 is a file, not a folder"), std::string::npos);
    EXPECT_NE(msg(d / "music.mp3/deeper/x.mp4", true).find("music.mp3 is a file, not a folder"), std::string::npos);
    EXPECT_NE(msg(d / "missing/x.mp4").find("does not exist"), std::string::npos);
    EXPECT_EQ(msg(d / "missing/x.mp4", true), "");
    EXPECT_NE(msg(d / (std::string(250, 'a') + ".mp4")).find("choose a shorter name"), std::string::npos);
    EXPECT_TRUE(is_inside(d / "sub/x.mp4", d));
    EXPECT_TRUE(is_inside(d / "sub/../sub/new/x.mp4", d / "sub"));
    EXPECT_FALSE(is_inside(d, d / "sub"));
    EXPECT_FALSE(is_inside(d / "subx/a", d / "sub"));
    std::filesystem::remove_all(d);
}

TEST(Sha256, KnownAnswers)
{
    EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    EXPECT_EQ(sha256_hex(std::string(1000000, 'a')),
              "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, FileMatchesBytesAndMissingFileIsAnInputError)
{
    const std::filesystem::path dir = fresh_dir("sha256");
    const std::string bytes(200000, 'x');  // longer than one read buffer
    std::ofstream(dir / "f", std::ios::binary) << bytes;
    EXPECT_EQ(sha256_file(dir / "f").value_or(""), sha256_hex(bytes));
    auto missing = sha256_file(dir / "missing");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().category, ErrorCategory::Input);
    std::filesystem::remove_all(dir);
}

TEST(Process, ExitStatusAndCapturedStderr)
{
    ProcessSpec spec;
    spec.argv = {"sh", "-c", "echo out; echo err >&2; exit 3"};
    auto r = run_process(spec);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->stop, ProcessResult::Stop::None);
    EXPECT_FALSE(exited_ok(r->status));
    EXPECT_EQ(describe_exit(r->status), "exited with code 3");
    EXPECT_EQ(r->stderr_text, "err\n");  // stdout is dropped
}

TEST(Process, LogFileWorkingDirectoryAndMissingProgram)
{
    const std::filesystem::path dir = fresh_dir("process");
    ProcessSpec spec;
    spec.argv = {"sh", "-c", "pwd; echo err >&2"};
    spec.dir = dir;
    spec.log = dir / "log.txt";
    auto r = run_process(spec);
    ASSERT_TRUE(r);
    EXPECT_TRUE(exited_ok(r->status));
    std::ifstream in(spec.log);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(text, std::filesystem::canonical(dir).string() + "\nerr\n");

    spec.argv = {"shotweave-no-such-program-xyz"};
    auto missing = run_process(spec);
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().kind, ProcessFailure::Kind::Exec);
    std::filesystem::remove_all(dir);
}

TEST(Process, DeadlineKillsTheGroupAndStopRequestTerminates)
{
    using namespace std::chrono;
    ProcessSpec spec;
    spec.argv = {"sh", "-c", "sleep 30 & sleep 30"};
    spec.deadline = steady_clock::now() + milliseconds(200);
    auto t0 = steady_clock::now();
    auto r = run_process(spec);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->stop, ProcessResult::Stop::Deadline);
    EXPECT_LT(steady_clock::now() - t0, seconds(5));

    // A program that ignores SIGTERM is killed after the grace period.
    ProcessSpec stubborn;
    stubborn.argv = {"sh", "-c", "trap '' TERM; sleep 30"};
    stubborn.grace = milliseconds(300);
    int polls = 0;
    stubborn.stop_requested = [&] { return ++polls > 5; };
    t0 = steady_clock::now();
    r = run_process(stubborn);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->stop, ProcessResult::Stop::Requested);
    EXPECT_LT(steady_clock::now() - t0, seconds(5));
}

// The float forms of BT.709's constants are exactly the float literals the pixel code used
// before they were written once: float code keeps its exact pixels.
static_assert(sw::core::bt709::kr_f == 0.2126f && sw::core::bt709::kg_f == 0.7152f && sw::core::bt709::kb_f == 0.0722f);
static_assert(sw::core::bt709::cb_scale_f == 1.8556f && sw::core::bt709::cr_scale_f == 1.5748f);

TEST(Bt709, ScalesAndGreenFollowFromTheWeights)
{
    namespace bt = sw::core::bt709;
    EXPECT_NEAR(bt::kr + bt::kg + bt::kb, 1.0, 1e-12);
    EXPECT_NEAR(bt::cb_scale, 2 * (1 - bt::kb), 1e-12);
    EXPECT_NEAR(bt::cr_scale, 2 * (1 - bt::kr), 1e-12);
    EXPECT_NEAR(bt::g_from_cb, bt::cb_scale * bt::kb / bt::kg, 1e-4);
    EXPECT_NEAR(bt::g_from_cr, bt::cr_scale * bt::kr / bt::kg, 1e-4);
}
