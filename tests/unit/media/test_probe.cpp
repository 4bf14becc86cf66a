// probe(): what it reports for good files, and the message for every kind of bad input.

#include <gtest/gtest.h>

#include <map>

#include "media/media.h"
#include "media_test_util.h"

extern "C" {
#include <libavutil/frame.h>
}

namespace sw::media::test {
namespace {

using core::ErrorCategory;

class ProbeTest : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        s_dir = std::make_unique<TempDir>();
        // One second of 64x48 video at 30 fps with a sine audio track; left half bright,
        // right half dark, top-left 16x12 block white (an orientation marker).
        s_av = cached_input("av.mp4", "-f lavfi -i \"color=c=gray:s=64x48:r=30:d=1,geq=lum='if(lt(X,16)*lt(Y,12),235,"
                                      "if(lt(X,32),160,40))':cb=128:cr=128\" -f lavfi -i sine=d=1:r=48000 -c:v libx264 "
                                      "-preset ultrafast -qp 10 -pix_fmt yuv420p -c:a aac -shortest");
        ASSERT_FALSE(s_av.empty());
        for (int r : {90, 180, 270}) {
            fs::path p = cached_input("rot" + std::to_string(r) + ".mp4", "-i " + shell_quote(s_av.string()) +
                                                                             " -c copy -metadata:s:v:0 rotate=" +
                                                                             std::to_string(r));
            ASSERT_FALSE(p.empty());
            s_rot[r] = p;
        }
    }
    static void TearDownTestSuite() { s_dir.reset(); }
    // A scratch file of this test process.
    static fs::path path(const std::string& name) { return s_dir->path() / name; }
    static std::string q(const std::string& name) { return shell_quote(path(name).string()); }
    static std::string av() { return shell_quote(s_av.string()); }

    static void expect_input_error(const fs::path& p, const std::string& phrase)
    {
        auto r = probe(p);
        ASSERT_FALSE(r) << p << " should not probe";
        EXPECT_EQ(r.error().category, ErrorCategory::Input);
        EXPECT_NE(r.error().message.find(p.string()), std::string::npos) << r.error().message;
        EXPECT_NE(r.error().message.find(phrase), std::string::npos) << r.error().message;
        // Says how to fix it, after a dash.
        EXPECT_NE(r.error().message.find(" — "), std::string::npos) << r.error().message;
        // The readers refuse the same files with the same message.
        auto v = VideoReader::open(p, {30, 1});
        ASSERT_FALSE(v);
        EXPECT_EQ(v.error().message, r.error().message);
    }

    static std::unique_ptr<TempDir> s_dir;
    static fs::path s_av;
    static std::map<int, fs::path> s_rot;
};
std::unique_ptr<TempDir> ProbeTest::s_dir;
fs::path ProbeTest::s_av;
std::map<int, fs::path> ProbeTest::s_rot;

TEST_F(ProbeTest, DescribesAVideoFile)
{
    auto info = probe(s_av);
    ASSERT_TRUE(info) << info.error().to_string();
    EXPECT_TRUE(info->has_video);
    EXPECT_TRUE(info->has_audio);
    EXPECT_FALSE(info->is_still);
    EXPECT_EQ(info->coded_width, 64);
    EXPECT_EQ(info->coded_height, 48);
    EXPECT_EQ(info->display_width, 64);
    EXPECT_EQ(info->display_height, 48);
    EXPECT_EQ(info->rotation, 0);
    EXPECT_NEAR((double)info->duration_us, 1e6, 30'000);
    EXPECT_EQ(info->avg_frame_rate, (core::Rational{30, 1}));
    EXPECT_FALSE(info->variable_frame_rate);
    EXPECT_EQ(info->video_codec, "h264");
    EXPECT_NE(info->format_name.find("mp4"), std::string::npos);
}

TEST_F(ProbeTest, DescribesAStillImage)
{
    ASSERT_TRUE(ffmpeg("-f lavfi -i color=c=red:s=30x20 -frames:v 1 " + q("still.png")));
    auto info = probe(path("still.png"));
    ASSERT_TRUE(info) << info.error().to_string();
    EXPECT_TRUE(info->is_still);
    EXPECT_EQ(info->coded_width, 30);
    EXPECT_EQ(info->coded_height, 20);
    EXPECT_EQ(info->duration_us, -1);
    EXPECT_EQ(info->video_codec, "png");
}

// Clockwise rotation a player applies, read straight from the MP4's track header matrix
// (QuickTime: x' = a·x + c·y + tx, y' = b·x + d·y + ty). A phone's portrait video has
// a=0, b=1, c=-1: the stored top-left corner goes to the top right, i.e. 90° clockwise.
int tkhd_rotation_cw(const std::string& mp4)
{
    size_t i = mp4.find("tkhd");
    if (i == std::string::npos)
        return -1;
    const int version = (uint8_t)mp4[i + 4];
    size_t m = i + 4 + 4 + (version == 1 ? 32 : 20) + 8 + 8;
    auto be32 = [&](size_t at) {
        return (int32_t)((uint32_t)(uint8_t)mp4[at] << 24 | (uint32_t)(uint8_t)mp4[at + 1] << 16 |
                         (uint32_t)(uint8_t)mp4[at + 2] << 8 | (uint32_t)(uint8_t)mp4[at + 3]);
    };
    const int32_t a = be32(m), b = be32(m + 4), c = be32(m + 12), d = be32(m + 16);
    if (a > 0 && d > 0)
        return 0;
    if (a < 0 && d < 0)
        return 180;
    if (a == 0 && b > 0 && c < 0)
        return 90;
    if (a == 0 && b < 0 && c > 0)
        return 270;
    return -1;
}

TEST_F(ProbeTest, RotationMetadataIsReportedClockwiseWithDisplaySize)
{
    for (int r : {90, 180, 270}) {
        const fs::path p = s_rot.at(r);
        auto info = probe(p);
        ASSERT_TRUE(info) << info.error().to_string();
        // FFmpeg 5.1's muxer turns the tag rotate=R into a matrix that turns the picture R°
        // counter-clockwise (ffmpeg's own autorotate agrees); judge by the matrix itself.
        const int expected = tkhd_rotation_cw(read_file(p));
        ASSERT_NE(expected, -1);
        EXPECT_EQ(expected, (360 - r) % 360) << "FFmpeg's rotate tag handling changed";
        EXPECT_EQ(info->rotation, expected) << "tag " << r;
        EXPECT_EQ(info->coded_width, 64);
        EXPECT_EQ(info->coded_height, 48);
        const bool swap = r != 180;
        EXPECT_EQ(info->display_width, swap ? 48 : 64) << r;
        EXPECT_EQ(info->display_height, swap ? 64 : 48) << r;

        // Turning our frame by info.rotation must give what ffmpeg's own autorotate shows.
        std::string ref = decode_raw_yuv420p(p);
        const int dw = info->display_width, dh = info->display_height;
        ASSERT_GE(ref.size(), (size_t)dw * dh * 3 / 2);
        auto reader = VideoReader::open(p, {30, 1});
        ASSERT_TRUE(reader);
        auto f = reader->next();
        ASSERT_TRUE(f && *f);
        FrameConverter conv;
        auto coded = conv.convert(*f, 64, 48);
        ASSERT_TRUE(coded);
        core::Frame shown = rotate_frame(*coded, info->rotation);
        ASSERT_EQ(shown.width(), dw);
        ASSERT_EQ(shown.height(), dh);
        int mismatches = 0;
        for (int y = 0; y < dh; y += 3)
            for (int x = 0; x < dw; x += 3)
                mismatches += std::abs((int)shown.row(0, y)[x] - (uint8_t)ref[(size_t)y * dw + x]) > 12;
        EXPECT_LT(mismatches, 8) << "rotation " << r;
    }
}

TEST_F(ProbeTest, MissingFile) { expect_input_error(path("nope.mp4"), "does not exist"); }

TEST_F(ProbeTest, Folder)
{
    fs::create_directories(path("clips.mp4"));
    expect_input_error(path("clips.mp4"), "is a folder");
}

TEST_F(ProbeTest, UnreadableFile)
{
    fs::copy_file(s_av, path("secret.mp4"), fs::copy_options::overwrite_existing);
    fs::permissions(path("secret.mp4"), fs::perms::none);
    if (geteuid() != 0) {
        expect_input_error(path("secret.mp4"), "permission denied");
        return;
    }
    // Root reads anything, so check as an unprivileged user in a child process (the folder
    // must be traversable for that user, as it would be for a normal user's own files).
    fs::permissions(s_dir->path(), fs::perms::others_exec | fs::perms::others_read, fs::perm_options::add);
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        if (setgid(65534) != 0 || setuid(65534) != 0)
            _exit(3);
        auto r = probe(path("secret.mp4"));
        if (r)
            _exit(4);
        if (r.error().category != ErrorCategory::Input)
            _exit(5);
        if (r.error().message.find("permission denied") == std::string::npos ||
            r.error().message.find(path("secret.mp4").string()) == std::string::npos)
            _exit(6);
        _exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << "3: cannot drop privileges, 4: probe succeeded, 5: wrong category, "
                                         "6: message lacks 'permission denied' or the path";
}

TEST_F(ProbeTest, EmptyFile)
{
    write_file(path("empty.mp4"), "");
    expect_input_error(path("empty.mp4"), "is empty");
}

TEST_F(ProbeTest, TextFileWithAVideoExtension)
{
    write_file(path("notes.mp4"), "These are my notes for the video, not a video.\n");
    expect_input_error(path("notes.mp4"), "is not a video or image file");
}

TEST_F(ProbeTest, TruncatedMp4WithoutIndex)
{
    // Index at the end (no faststart): cutting the file loses the index entirely.
    ASSERT_TRUE(ffmpeg("-i " + av() + " -c copy -movflags -faststart " + q("whole.mp4")));
    std::string data = read_file(path("whole.mp4"));
    auto boxes_moov = data.find("moov");
    ASSERT_NE(boxes_moov, std::string::npos);
    ASSERT_GT(boxes_moov, data.find("mdat")) << "the index should be at the end for this test";
    write_file(path("cut.mp4"), data.substr(0, data.size() / 2));
    expect_input_error(path("cut.mp4"), "incomplete or corrupt");
}

TEST_F(ProbeTest, TruncatedMp4WithIndexAtTheFront)
{
    ASSERT_TRUE(ffmpeg("-i " + av() + " -c copy -movflags +faststart " + q("front.mp4")));
    std::string data = read_file(path("front.mp4"));
    ASSERT_LT(data.find("moov"), data.find("mdat"));
    write_file(path("front-cut.mp4"), data.substr(0, data.size() * 2 / 3));
    expect_input_error(path("front-cut.mp4"), "is truncated");
}

TEST_F(ProbeTest, AudioOnlyFile)
{
    ASSERT_TRUE(ffmpeg("-f lavfi -i sine=d=0.5 -c:a aac " + q("voice.m4a")));
    expect_input_error(path("voice.m4a"), "has no video stream (it contains only audio)");
}

TEST_F(ProbeTest, ErrorsCarryFfmpegDetail)
{
    write_file(path("junk.mov"), std::string(4096, '\x42'));
    auto r = probe(path("junk.mov"));
    ASSERT_FALSE(r);
    EXPECT_FALSE(r.error().detail.empty()) << "libav's own error string is kept as detail";
    EXPECT_NE(r.error().to_string().find(r.error().detail), std::string::npos);
}

TEST(KindFromExtension, ClassifiesCaseInsensitively)
{
    EXPECT_EQ(kind_from_extension("a/b/photo.JPG"), MediaKind::Image);
    EXPECT_EQ(kind_from_extension("x.jpeg"), MediaKind::Image);
    EXPECT_EQ(kind_from_extension("x.Png"), MediaKind::Image);
    EXPECT_EQ(kind_from_extension("x.webp"), MediaKind::Image);
    EXPECT_EQ(kind_from_extension("x.bmp"), MediaKind::Image);
    EXPECT_EQ(kind_from_extension("x.tif"), MediaKind::Image);
    EXPECT_EQ(kind_from_extension("x.TIFF"), MediaKind::Image);
    EXPECT_EQ(kind_from_extension("x.gif"), MediaKind::Image);
    for (const char* v : {"a.mp4", "a.MOV", "a.m4v", "a.mkv", "a.webm", "a.avi", "a.mts", "a.m2ts", "a.ts", "a.flv",
                          "a.wmv", "a.mpg", "a.mpeg"})
        EXPECT_EQ(kind_from_extension(v), MediaKind::Video) << v;
    for (const char* a : {"a.wav", "a.mp3", "a.M4A", "a.aac", "a.ogg", "a.opus", "a.flac"})
        EXPECT_EQ(kind_from_extension(a), MediaKind::Audio) << a;
    EXPECT_EQ(kind_from_extension("notes.txt"), MediaKind::Unknown);
    EXPECT_EQ(kind_from_extension("noext"), MediaKind::Unknown);
    EXPECT_EQ(kind_from_extension("archive.mp4.zip"), MediaKind::Unknown);
    EXPECT_EQ(kind_from_extension(".mp4"), MediaKind::Unknown);  // a hidden file named ".mp4"
}

}  // namespace
}  // namespace sw::media::test
