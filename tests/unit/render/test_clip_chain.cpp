// Chained model clips: joined without the duplicated start frames, colour-matched to the first
// clip, and the joints measured.

#include <gtest/gtest.h>

#include "render/clip_chain.h"
#include "test_support.h"

using namespace sw;
using namespace sw::test;

namespace {

// Clip k of a moving test pattern: frames [k*(n-1), k*(n-1)+n) of one continuous source, so it
// starts on the previous clip's last frame (as an image-to-video model started from it would),
// with a colour drift growing with k (brighter, bluer), as chained generations drift.
void make_drifting_clip(const fs::path& out, int k, int n)
{
    int start = k * (n - 1);
    std::string g = "testsrc2=s=160x96:r=30,trim=start_frame=" + std::to_string(start) + ":end_frame=" +
                    std::to_string(start + n) + ",setpts=PTS-STARTPTS,eq=brightness=" + std::to_string(0.07 * k) +
                    ":contrast=" + std::to_string(1.0 + 0.15 * k) + ",colorbalance=bm=" + std::to_string(0.12 * k);
    ffmpeg({"-f", "lavfi", "-i", g, "-frames:v", std::to_string(n), "-c:v", "libx264", "-preset", "ultrafast", "-qp",
            "0", "-pix_fmt", "yuv420p", out.string()});
}

}  // namespace

TEST(ClipChain, JoinsWithoutRepeatsAndMatchesColourToTheAnchor)
{
    TempDir dir("clip_chain");
    const int n = 20;
    std::vector<fs::path> clips;
    for (int k = 0; k < 3; ++k) {
        clips.push_back(dir / ("c" + std::to_string(k) + ".mp4"));
        make_drifting_clip(clips.back(), k, n);
    }
    auto raw = render::join_chain(clips, dir / "raw.mp4", 160, 96, {30, 1}, false);
    ASSERT_TRUE(raw) << raw.error().to_string();
    auto matched = render::join_chain(clips, dir / "matched.mp4", 160, 96, {30, 1}, true);
    ASSERT_TRUE(matched) << matched.error().to_string();
    // 3 clips of 20 frames, the two repeated start frames dropped.
    EXPECT_EQ(matched->frames, 3 * n - 2);
    EXPECT_EQ(stream(probe(dir / "matched.mp4"), "video")["nb_read_frames"], std::to_string(3 * n - 2));
    ASSERT_EQ(matched->joints.size(), 2u);
    for (size_t j = 0; j < 2; ++j) {
        SCOPED_TRACE("joint " + std::to_string(j + 1));
        EXPECT_GT(matched->joints[j].drift_before, 3.0) << "the stand-in drifts";
        EXPECT_LT(matched->joints[j].drift_after, matched->joints[j].drift_before / 3) << matched->summary();
        // Matching also makes the joint itself smoother.
        EXPECT_LT(matched->joints[j].jump_ratio, raw->joints[j].jump_ratio) << matched->summary() << " vs " << raw->summary();
    }
    EXPECT_NE(matched->summary().find("joint 2: jump"), std::string::npos) << matched->summary();
}

TEST(ClipChain, LastFrameBecomesThePngTheNextClipStartsFrom)
{
    TempDir dir("clip_last");
    ffmpeg({"-f", "lavfi", "-i", "color=c=red:s=64x48:d=0.5,format=yuv420p", "-f", "lavfi", "-i",
            "color=c=blue:s=64x48:d=0.1,format=yuv420p", "-filter_complex", "[0][1]concat=n=2:v=1", "-r", "30", "-c:v",
            "libx264", "-preset", "ultrafast", (dir / "v.mp4").string()});
    ASSERT_TRUE(render::save_last_frame_png(dir / "v.mp4", dir / "last.png"));
    auto px = run({"ffmpeg", "-v", "error", "-i", (dir / "last.png").string(), "-f", "rawvideo", "-pix_fmt", "rgb24", "-"});
    ASSERT_EQ(px.out.size(), 64u * 48 * 3);
    EXPECT_LT((unsigned char)px.out[3 * (24 * 64 + 32)], 40) << "red";
    EXPECT_GT((unsigned char)px.out[3 * (24 * 64 + 32) + 2], 200) << "blue: the last frame";
    EXPECT_FALSE(render::save_last_frame_png(dir / "missing.mp4", dir / "x.png"));
}
