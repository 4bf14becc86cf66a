// VideoReader: which source frames come out at the output rate. Every source frame carries its
// own number in its luma (Y = 16 + 3·N, encoded losslessly), so the tests can see exactly which
// source frame each output frame is.

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <memory>
#include <set>

#include "media/media.h"
#include "media_test_util.h"

extern "C" {
#include <libavutil/frame.h>
}

namespace sw::media::test {
namespace {

// Source frame number encoded in the picture.
int frame_number(const AVFrame* f)
{
    int y = f->data[0][(f->height / 2) * f->linesize[0] + f->width / 2];
    return (int)std::lround((y - 16) / 3.0);
}

// lavfi source whose frame N has luma 16 + 3N (geq wraps above 255: at most 80 frames).
std::string numbered_source(int rate, double seconds, int w = 64, int h = 48)
{
    return "-f lavfi -i nullsrc=s=" + std::to_string(w) + "x" + std::to_string(h) + ":r=" + std::to_string(rate) +
           ":d=" + std::to_string(seconds) + " -vf \"geq=lum='16+3*N':cb=128:cr=128";
}

const char* kLossless = " -c:v libx264 -preset ultrafast -qp 0 -pix_fmt yuv420p ";

class VideoReaderTest : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        auto make = [](const std::string& name, const std::string& args) {
            fs::path p = cached_input(name, args);
            ASSERT_FALSE(p.empty()) << "could not generate " << name;
            s_inputs[name] = p;
        };
        make("src60.mp4", numbered_source(60, 1) + "\"" + kLossless);
        make("src24.mp4", numbered_source(24, 1) + "\"" + kLossless);
        make("src30.mkv", numbered_source(30, 1) + "\"" + kLossless);
        // Variable rate: frames 0-9 two ticks apart (15 fps), then one tick apart (30 fps).
        make("vfr.mp4", numbered_source(30, 1) + ",setpts='if(lt(N,10),2*N,N+10)/30/TB'\" -fps_mode passthrough" +
                            kLossless);
        // Two seconds at 30 fps, keyframe every 10 frames with B-frames: seeking lands on a
        // keyframe before the start and must decode forward.
        make("gop.mp4", numbered_source(30, 2) + "\" -c:v libx264 -preset veryfast -qp 0 -g 10 -bf 2 -pix_fmt yuv420p");
    }
    static fs::path path(const std::string& name) { return s_inputs.at(name); }

    static std::vector<int> read_all(const fs::path& p, core::Rational fps, int64_t start_us = 0, int threads = 0)
    {
        std::vector<int> out;
        auto r = VideoReader::open(p, fps, start_us, threads);
        EXPECT_TRUE(r) << (r ? "" : r.error().to_string());
        if (!r)
            return out;
        for (int guard = 0; guard < 1000; ++guard) {
            auto f = r->next();
            EXPECT_TRUE(f) << (f ? "" : f.error().to_string());
            if (!f || !*f)
                break;
            out.push_back(frame_number(*f));
            EXPECT_EQ(r->frames_read(), (int64_t)out.size());
        }
        return out;
    }

    static std::map<std::string, fs::path> s_inputs;
};
std::map<std::string, fs::path> VideoReaderTest::s_inputs;

TEST_F(VideoReaderTest, SameRatePassesEveryFrameOnce)
{
    // Matroska stores milliseconds: 1/30 s becomes 33 ms, 67 ms, ... — slightly after the
    // exact output ticks. Every frame must still come out exactly once.
    std::vector<int> expected(30);
    for (int i = 0; i < 30; ++i)
        expected[i] = i;
    EXPECT_EQ(read_all(path("src30.mkv"), {30, 1}), expected);
}

TEST_F(VideoReaderTest, SixtyToThirtyDropsEveryOtherFrame)
{
    std::vector<int> expected;
    for (int k = 0; k < 30; ++k)
        expected.push_back(2 * k);
    EXPECT_EQ(read_all(path("src60.mp4"), {30, 1}, 0, 2), expected);
}

TEST_F(VideoReaderTest, TwentyFourToThirtyDuplicates)
{
    // Output frame k at k/30 s shows the latest source frame at or before it: floor(k·24/30).
    std::vector<int> expected;
    for (int k = 0; k < 30; ++k)
        expected.push_back(k * 24 / 30);
    EXPECT_EQ(read_all(path("src24.mp4"), {30, 1}), expected);
}

TEST_F(VideoReaderTest, NtscOutputRate)
{
    // 24 fps → 30000/1001: frame k at k·1001/30000 s shows floor(k·1001·24/30000).
    std::vector<int> expected;
    for (int k = 0;; ++k) {
        // The last source frame (23) lasts until 1 s.
        if (k * 1001 >= 30000)
            break;
        expected.push_back((int)((int64_t)k * 1001 * 24 / 30000));
    }
    EXPECT_EQ(read_all(path("src24.mp4"), {30000, 1001}), expected);
}

TEST_F(VideoReaderTest, VariableFrameRateComesOutEvenlySpaced)
{
    auto info = probe(path("vfr.mp4"));
    ASSERT_TRUE(info) << info.error().to_string();
    EXPECT_TRUE(info->variable_frame_rate) << "avg " << info->avg_frame_rate.to_string();

    // Source frame n is shown from 2n/30 s (n < 10) or (n+10)/30 s; the last one lasts 1/30 s.
    std::vector<int> expected;
    for (int k = 0; k < 40; ++k)
        expected.push_back(k < 20 ? k / 2 : k - 10);
    EXPECT_EQ(read_all(path("vfr.mp4"), {30, 1}), expected);

    auto cfr = probe(path("src30.mkv"));
    ASSERT_TRUE(cfr);
    EXPECT_FALSE(cfr->variable_frame_rate);
    EXPECT_EQ(cfr->avg_frame_rate, (core::Rational{30, 1}));
}

TEST_F(VideoReaderTest, StartsAtTheRequestedTimeAfterSeeking)
{
    // Start at 0.5 s (source frame 15, between keyframes 10 and 20) and at 1.3 s (frame 39).
    for (int start_frame : {15, 39}) {
        std::vector<int> expected;
        for (int n = start_frame; n < 60; ++n)
            expected.push_back(n);
        EXPECT_EQ(read_all(path("gop.mp4"), {30, 1}, start_frame * 1000000LL / 30 + 100, 2), expected)
            << "start frame " << start_frame;
    }
    // Faster output rate from a later start: 60 fps duplicates every frame.
    std::vector<int> expected;
    for (int n = 50; n < 60; ++n) {
        expected.push_back(n);
        expected.push_back(n);
    }
    EXPECT_EQ(read_all(path("gop.mp4"), {60, 1}, 50 * 1000000LL / 30), expected);
}

TEST_F(VideoReaderTest, StartPastTheEndIsAnInputError)
{
    auto r = VideoReader::open(path("src30.mkv"), {30, 1}, 5'000'000);
    ASSERT_TRUE(r);
    auto f = r->next();
    ASSERT_FALSE(f);
    EXPECT_EQ(f.error().category, core::ErrorCategory::Input);
    EXPECT_NE(f.error().message.find("past the end"), std::string::npos) << f.error().message;
}

TEST_F(VideoReaderTest, ReturnsDecodedFramesUnconvertedWithInfo)
{
    auto r = VideoReader::open(path("src60.mp4"), {30, 1});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->info().coded_width, 64);
    EXPECT_EQ(r->info().coded_height, 48);
    EXPECT_EQ(r->info().avg_frame_rate, (core::Rational{60, 1}));
    EXPECT_EQ(r->info().video_codec, "h264");
    auto f = r->next();
    ASSERT_TRUE(f && *f);
    EXPECT_EQ((*f)->format, AV_PIX_FMT_YUV420P);
    EXPECT_EQ((*f)->width, 64);
    EXPECT_EQ((*f)->height, 48);
    // The reader is movable and keeps going after a move.
    VideoReader moved = std::move(*r);
    auto g = moved.next();
    ASSERT_TRUE(g && *g);
    EXPECT_EQ(frame_number(*g), 2);
}

TEST_F(VideoReaderTest, KeepsGoingPastCorruptPackets)
{
    TempDir dir;
    const fs::path ts = dir / "damaged.ts";
    // MPEG-TS, keyframe every 10 frames, lossy so packets are small and the damage hits the
    // middle of the stream only.
    ASSERT_TRUE(ffmpeg(numbered_source(30, 2, 128, 96) +
                       "\" -c:v libx264 -preset ultrafast -qp 4 -g 10 -pix_fmt yuv420p " +
                       shell_quote(ts.string())));
    std::string data = read_file(ts);
    ASSERT_GT(data.size(), 20000u);
    // Scramble a stretch of payload in the middle (leaving TS sync bytes in place so the
    // demuxer keeps its footing, as real transmission damage usually does).
    for (size_t i = data.size() * 2 / 5; i < data.size() * 2 / 5 + 3000; ++i)
        if (i % 188 > 4)
            data[i] = (char)(i * 131 + 7);
    write_file(ts, data);

    auto frames = read_all(ts, {30, 1});
    // Timing stays intact: 60 output frames; the lost ones are covered by holding the last
    // good frame (so the damage really hit something), and decoding resumes afterwards.
    ASSERT_EQ(frames.size(), 60u);
    EXPECT_EQ(frames.front(), 0);
    EXPECT_LT(std::set<int>(frames.begin(), frames.end()).size(), 60u) << "the damage should have cost frames";
    EXPECT_EQ(frames.back(), 59) << "the decoder must recover after the damage";
    for (size_t i = 1; i < frames.size(); ++i)
        EXPECT_GE(frames[i], frames[i - 1]);
}

TEST_F(VideoReaderTest, NoDecodableFramesIsAnInputErrorNamingTheFile)
{
    TempDir dir;
    const fs::path mkv = dir / "empty-frames.mkv";
    ASSERT_TRUE(ffmpeg(numbered_source(30, 1) + "\"" + kLossless + shell_quote(mkv.string())));
    std::string data = read_file(mkv);
    // Keep the header (track description, so probing succeeds); wipe all the frame data.
    size_t cluster = data.find("\x1f\x43\xb6\x75");
    ASSERT_NE(cluster, std::string::npos);
    for (size_t i = cluster + 4; i < data.size(); ++i)
        data[i] = (char)0x00;
    write_file(mkv, data);

    auto r = VideoReader::open(mkv, {30, 1});
    ASSERT_TRUE(r) << r.error().to_string();
    auto f = r->next();
    ASSERT_FALSE(f);
    EXPECT_EQ(f.error().category, core::ErrorCategory::Input);
    EXPECT_NE(f.error().message.find(mkv.string()), std::string::npos) << f.error().message;
    EXPECT_NE(f.error().message.find("no decodable"), std::string::npos) << f.error().message;
}

}  // namespace
}  // namespace sw::media::test
