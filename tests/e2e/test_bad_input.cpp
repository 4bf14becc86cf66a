// Bad input: every case gets a clear message naming the shot/file and its location, exit code 2
// (script/input) and no file at the output path.

#include <zlib.h>

#include <map>

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
    EXPECT_NE(r.err.find("is the media of shot \"One\" ("), std::string::npos) << r.err;
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

// ---- damaged pictures and content that does not match its extension ----

TEST_F(BadInput, JpegCutInHalfIsDamagedAtCheckAndRender)
{
    make_image(dir / "full.jpg", "testsrc2=s=320x240");
    std::string bytes = read_file(dir / "full.jpg");
    write_file(dir / "half.jpg", bytes.substr(0, bytes.size() / 2));
    const std::string script = kHead + "# One\nhalf.jpg\nduration: 1s\n";
    expect_refused(script, {"bad.md:5:1", "half.jpg is damaged (decoding stopped at row ", " of 240)",
                            "re-export or re-download it"});
    auto r = run({cli(), "check", (dir / "bad.md").string()});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("half.jpg is damaged"), std::string::npos) << r.err;
}

TEST_F(BadInput, PngWithShortImageDataIsDamagedAtCheck)
{
    make_image(dir / "full.png", "testsrc2=s=320x240");
    std::string bytes = read_file(dir / "full.png");
    write_file(dir / "cut.png", bytes.substr(0, bytes.size() * 6 / 10));
    write_file(dir / "c.md", kHead + "# One\ncut.png\nduration: 1s\n");
    auto r = run({cli(), "check", (dir / "c.md").string()});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("c.md:5:1"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("cut.png is damaged"), std::string::npos) << r.err;
}

TEST_F(BadInput, WholePicturesStillPass)
{
    make_image(dir / "full.jpg", "testsrc2=s=320x240");
    write_file(dir / "g.md", kHead + "# One\nfull.jpg\nduration: 1s\n# Two\nok.png\nduration: 1s\n");
    auto r = run({cli(), "check", (dir / "g.md").string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err.find("warning"), std::string::npos) << r.err;
}

TEST_F(BadInput, VideoNamedAsPictureIsNamed)
{
    fs::copy_file(dir / "ok.mp4", dir / "x.jpg");
    expect_refused(kHead + "# One\nx.jpg\nduration: 1s\n",
                   {"bad.md:5:1", "x.jpg is an MP4 video, not a JPEG picture — rename it to .mp4"});
}

TEST_F(BadInput, PictureNamedAsVideoIsNamed)
{
    fs::copy_file(dir / "ok.png", dir / "clip.mp4");
    expect_refused(kHead + "# One\nclip.mp4\nduration: 1s\n",
                   {"bad.md:5:1", "clip.mp4 is a PNG picture, not an MP4 video — rename it to .png"});
}

TEST_F(BadInput, PngNamedJpegIsAWarning)
{
    fs::copy_file(dir / "ok.png", dir / "p.jpg");
    write_file(dir / "p.md", kHead + "# One\np.jpg\nduration: 1s\n");
    auto r = run({cli(), "check", (dir / "p.md").string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("p.md:5:1: warning: shot \"One\": p.jpg is a PNG picture, not a JPEG picture — rename it to .png"),
              std::string::npos) << r.err;
}

// ---- outputs never overwrite what the project reads ----

class Outputs : public BadInput {
protected:
    void SetUp() override
    {
        BadInput::SetUp();
        ffmpeg({"-f", "lavfi", "-i", "sine=f=440:d=1", (dir / "bgm.mp3").string()});
        ffmpeg({"-f", "lavfi", "-i", "sine=f=660:d=1", (dir / "vo.wav").string()});
        write_file(dir / "vo.srt", "1\n00:00:00,000 --> 00:00:00,900\nHello there.\n");
        make_image(dir / "logo.png", "color=c=white:s=64x32");
        write_file(dir / "promo.md", "---\nsize: 320x240\nmusic: bgm.mp3\nlogo: logo.png\n---\n"
                                     "# One\nok.png\nvoice-file: vo.wav\nHello there.\n");
    }

    // Renders promo.md with `args` and expects exit 2 with `needles`; every input is unchanged.
    CommandResult expect_kept(std::vector<std::string> args, const std::vector<std::string>& needles)
    {
        std::map<std::string, std::string> before;
        for (auto f : {"bgm.mp3", "vo.wav", "vo.srt", "logo.png", "ok.png", "promo.md"})
            before[f] = read_file(dir / f);
        std::vector<std::string> argv{cli(), "render", (dir / "promo.md").string(), "-q"};
        argv.insert(argv.end(), args.begin(), args.end());
        auto r = run(argv);
        EXPECT_EQ(r.exit_code, 2) << r.err;
        for (auto& n : needles)
            EXPECT_NE(r.err.find(n), std::string::npos) << "stderr lacks \"" << n << "\":\n" << r.err;
        for (auto& [f, bytes] : before)
            EXPECT_EQ(read_file(dir / f), bytes) << f << " was changed";
        return r;
    }
};

TEST_F(Outputs, MusicIsNotOverwritten)
{
    expect_kept({"-o", (dir / "bgm.mp3").string()},
                {"bgm.mp3 is the music this script plays (", "promo.md:3:", "choose another output name"});
}

TEST_F(Outputs, LogoVoiceAndItsSubtitlesAreNotOverwritten)
{
    expect_kept({"-o", (dir / "logo.png").string()}, {"logo.png is the logo this script shows", "promo.md:4:"});
    expect_kept({"-o", (dir / "vo.wav").string()}, {"vo.wav is the recorded voice of shot \"One\"", "promo.md:8:"});
    expect_kept({"-o", (dir / "vo.srt").string()}, {"vo.srt is the subtitles of the recorded voice of shot \"One\""});
}

TEST_F(Outputs, SubtitleSideFilesAreChecked)
{
    // -o vo.mp4 --subtitles srt would write vo.srt, the recording's subtitles.
    expect_kept({"-o", (dir / "vo.mp4").string(), "--subtitles", "srt"},
                {"--subtitles srt writes ", "vo.srt, which is the subtitles of the recorded voice"});
    EXPECT_FALSE(fs::exists(dir / "vo.mp4"));
}

TEST_F(Outputs, SymlinksDotDotAndHardLinksAreSeenThrough)
{
    fs::create_directory(dir / "sub");
    fs::create_symlink(dir / "bgm.mp3", dir / "link.mp3");
    fs::create_hard_link(dir / "bgm.mp3", dir / "hard.mp3");
    expect_kept({"-o", (dir / "link.mp3").string()}, {"is the music this script plays"});
    expect_kept({"-o", (dir / "sub/../bgm.mp3").string()}, {"is the music this script plays"});
    expect_kept({"-o", (dir / "hard.mp3").string()}, {"is the music this script plays"});
}

TEST_F(Outputs, ParentThatIsAFileIsNamed)
{
    write_file(dir / "afile", "x");
    expect_kept({"-o", (dir / "afile/out.mp4").string()}, {"afile is a file, not a folder"});
}

TEST_F(Outputs, LibraryFilesAreNotOverwritten)
{
    fs::create_directory(dir / "lib");
    make_image(dir / "lib/beach.png", "color=c=yellow:s=320x240");
    std::string before = read_file(dir / "lib/beach.png");
    expect_kept({"--library", (dir / "lib").string(), "-o", (dir / "lib/beach.png").string()},
                {"is a file in the library folder", "choose an output outside it"});
    EXPECT_EQ(read_file(dir / "lib/beach.png"), before);
}

TEST_F(Outputs, BatchRowsAreChecked)
{
    write_file(dir / "rows.csv", "name\nbgm\n" + std::string(300, 'a') + "\n");
    write_file(dir / "t.md", "---\nsize: 320x240\nmusic: bgm.mp3\n---\n# One\nok.png\nduration: 1s\n");
    std::string music = read_file(dir / "bgm.mp3");
    // Row 2's name is too long: refused up front, nothing rendered.
    auto r = run({cli(), "batch", (dir / "t.md").string(), "--data", (dir / "rows.csv").string(), "-o",
                  (dir / "{{name}}.mp3").string(), "-q"});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("row 2's output"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("choose a shorter name"), std::string::npos) << r.err;
    // Row 1 alone would write over the music.
    write_file(dir / "rows.csv", "name\nbgm\n");
    r = run({cli(), "batch", (dir / "t.md").string(), "--data", (dir / "rows.csv").string(), "-o",
             (dir / "{{name}}.mp3").string(), "-q"});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("row 1's output"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("is the music this script plays"), std::string::npos) << r.err;
    EXPECT_EQ(read_file(dir / "bgm.mp3"), music);
}

TEST_F(BadInput, VideoCutShortIsAWarning)
{
    ffmpeg({"-f", "lavfi", "-i", "testsrc2=s=320x240:r=25", "-t", "10", "-c:v", "libx264", "-preset", "ultrafast",
            (dir / "full.mkv").string()});
    std::string bytes = read_file(dir / "full.mkv");
    write_file(dir / "cut.mkv", bytes.substr(0, bytes.size() * 3 / 10));  // the header still says 10 s
    write_file(dir / "v.md", kHead + "# One\ncut.mkv\nduration: 2s\n");
    auto r = run({cli(), "check", (dir / "v.md").string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("v.md:5:1: warning: shot \"One\": cut.mkv stops at "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("although it says it is 10.0 s long (the file was cut short)"), std::string::npos) << r.err;
    // A whole clip says nothing.
    write_file(dir / "w.md", kHead + "# One\nfull.mkv\nduration: 2s\n");
    r = run({cli(), "check", (dir / "w.md").string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err.find("cut short"), std::string::npos) << r.err;
}

TEST_F(Outputs, CacheDirNeitherAnInputNorInTheLibrary)
{
    fs::create_directory(dir / "lib");
    make_image(dir / "lib/beach.png", "color=c=yellow:s=320x240");
    expect_kept({"--library", (dir / "lib").string(), "--cache-dir", (dir / "lib/cache").string(), "-o",
                 (dir / "out.mp4").string()},
                {"--cache-dir ", "lies in the library folder"});
    EXPECT_FALSE(fs::exists(dir / "lib/cache"));
    expect_kept({"--cache-dir", (dir / "bgm.mp3").string(), "-o", (dir / "out.mp4").string()},
                {"--cache-dir ", "is the music this script plays"});
}

TEST_F(BadInput, VideoWithNoDecodableFramesIsRefusedAtCheck)
{
    // The container is intact; every byte of the video data is zero.
    std::string bytes = read_file(dir / "ok.mp4");
    size_t mdat = bytes.find("mdat");
    ASSERT_NE(mdat, std::string::npos);
    size_t size = (uint8_t)bytes[mdat - 4] << 24 | (uint8_t)bytes[mdat - 3] << 16 | (uint8_t)bytes[mdat - 2] << 8 |
                  (uint8_t)bytes[mdat - 1];
    std::fill(bytes.begin() + mdat + 4, bytes.begin() + std::min(bytes.size(), mdat - 4 + size), '\0');
    write_file(dir / "zero.mp4", bytes);
    write_file(dir / "z.md", kHead + "# One\nzero.mp4\nduration: 1s\n");
    auto r = run({cli(), "check", (dir / "z.md").string()});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("z.md:5:1: error: shot \"One\": "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("zero.mp4"), std::string::npos) << r.err;
}
