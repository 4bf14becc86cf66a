// Bad input: every case gets a clear message naming the shot/file and its location, exit code 2
// (script/input) and no file at the output path.

#include <zlib.h>

#include "e2e_common.h"

using namespace sw::test;

namespace {

class BadInput : public ::testing::Test {
protected:
    void SetUp() override
    {
        make_image(dir / "ok.png", "color=c=red:s=320x240");
        make_video(dir / "ok.mp4", "testsrc2=s=320x240", 2.0);
    }

    // Renders `script` (written to bad.md) and expects exit 2, `needles` in stderr, no output.
    CommandResult expect_refused(const std::string& script, const std::vector<std::string>& needles,
                                 std::vector<std::string> extra = {})
    {
        write_file(dir / "bad.md", script);
        auto out = dir / "out.mp4";
        std::vector<std::string> argv{cli(), "render", (dir / "bad.md").string(), "-o", out.string(), "-q"};
        argv.insert(argv.end(), extra.begin(), extra.end());
        auto r = run(argv);
        EXPECT_EQ(r.exit_code, 2) << r.err;
        for (auto& n : needles)
            EXPECT_NE(r.err.find(n), std::string::npos) << "stderr lacks \"" << n << "\":\n" << r.err;
        EXPECT_FALSE(fs::exists(out));
        return r;
    }

    TempDir dir{"bad"};
};

const std::string kHead = "---\nsize: 320x240\n---\n";

}  // namespace

TEST_F(BadInput, MissingMedia)
{
    expect_refused(kHead + "# One\nnothere.jpg\nduration: 1s\n", {"bad.md:5:1", "nothere.jpg"});
}

TEST_F(BadInput, NotAMediaFile)
{
    write_file(dir / "fake.mp4", "this is not a video, just text\n");
    expect_refused(kHead + "# One\nfake.mp4\nduration: 1s\n", {"bad.md:5:", "fake.mp4", "One"});
}

TEST_F(BadInput, TruncatedVideo)
{
    std::string bytes = read_file(dir / "ok.mp4");
    write_file(dir / "cut.mp4", bytes.substr(0, bytes.size() / 3));
    expect_refused(kHead + "# One\ncut.mp4\nduration: 1s\n", {"bad.md:5:", "cut.mp4"});
}

TEST_F(BadInput, VideoWithoutVideoStream)
{
    ffmpeg({"-f", "lavfi", "-i", "sine=f=440:d=1", "-c:a", "aac", (dir / "audio.mp4").string()});
    expect_refused(kHead + "# One\naudio.mp4\nduration: 1s\n", {"bad.md:5:", "audio.mp4", "no video stream"});
}

TEST_F(BadInput, AbsurdImageSize)
{
    // A PNG header declaring 100000 x 100000 pixels (valid signature and CRC, no real data).
    auto be32 = [](uint32_t v) { return std::string{char(v >> 24), char(v >> 16), char(v >> 8), char(v)}; };
    std::string ihdr = "IHDR" + be32(100000) + be32(100000) + std::string("\x08\x02\x00\x00\x00", 5);
    uint32_t crc = crc32(0, reinterpret_cast<const Bytef*>(ihdr.data()), ihdr.size());
    std::string png = std::string("\x89PNG\r\n\x1a\n", 8) + be32(13) + ihdr + be32(crc);
    std::string iend = "IEND";
    png += be32(0) + iend + be32(crc32(0, reinterpret_cast<const Bytef*>(iend.data()), 4));
    write_file(dir / "huge.png", png);
    expect_refused(kHead + "# One\nhuge.png\nduration: 1s\n", {"bad.md:5:", "huge.png"});
}

TEST_F(BadInput, UnknownTransitionSuggestsName)
{
    expect_refused(kHead + "# One\nok.png\nduration: 1s\ntransition: circelopen 0.5s\n# Two\nok.png\nduration: 1s\n",
                   {"bad.md:7:", "circleopen"});
}

TEST_F(BadInput, ZeroDuration)
{
    expect_refused(kHead + "# One\nok.png\nduration: 0s\n", {"bad.md:6:"});
}

TEST_F(BadInput, TransitionLongerThanShots)
{
    expect_refused(kHead + "# One\nok.png\nduration: 1s\ntransition: fade 2s\n# Two\nok.png\nduration: 1s\n",
                   {"bad.md:7:", "longer than the shot"});
}

TEST_F(BadInput, AllErrorsReportedByCheck)
{
    write_file(dir / "many.md", kHead + "# One\nmissing1.jpg\nduraton: 2s\n# Two\nok.png\ntransition: wipeleftt\n");
    auto r = run({cli(), "check", (dir / "many.md").string()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("many.md:5:"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("many.md:6:"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("duration"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("many.md:9:"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("wipeleft"), std::string::npos) << r.err;
}

TEST_F(BadInput, UnwritableOutputFolder)
{
    write_file(dir / "good.md", kHead + "# One\nok.png\nduration: 1s\n");
    auto r = run({cli(), "render", (dir / "good.md").string(), "-o", (dir / "no/such/dir/out.mp4").string()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("does not exist"), std::string::npos) << r.err;
}

TEST_F(BadInput, OutputEqualToAnInputIsRefusedAndInputKept)
{
    write_file(dir / "good.md", kHead + "# One\nok.png\nduration: 1s\n");
    std::string before = read_file(dir / "ok.png");
    auto r = run({cli(), "render", (dir / "good.md").string(), "-o", (dir / "ok.png").string()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("is one of the inputs"), std::string::npos) << r.err;
    EXPECT_EQ(read_file(dir / "ok.png"), before);
    auto r2 = run({cli(), "render", (dir / "good.md").string(), "-o", (dir / "good.md").string()});
    EXPECT_EQ(r2.exit_code, 2);
    EXPECT_EQ(read_file(dir / "good.md"), kHead + "# One\nok.png\nduration: 1s\n");
}

TEST_F(BadInput, MissingScript)
{
    auto r = run({cli(), "render", (dir / "nope.md").string()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("nope.md"), std::string::npos) << r.err;
}
