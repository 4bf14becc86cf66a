// A shot source started part-way (the first frame of a later segment) gives exactly the frames a
// source started at the shot's beginning gives from there: segments rendered separately join
// into the same pictures as one pass through the shot.

#include <gtest/gtest.h>

#include <cstring>
#include <unistd.h>

#include "core/frame_pool.h"
#include "render/shot_source.h"
#include "render/visual_pick.h"
#include "test_support.h"

using namespace sw;
using namespace sw::test;

namespace {

bool same_pixels(const core::Frame& a, const core::Frame& b)
{
    if (a.width() != b.width() || a.height() != b.height())
        return false;
    for (int p = 0; p < 3; ++p)
        for (int y = 0; y < a.plane_height(p); ++y)
            if (std::memcmp(a.row(p, y), b.row(p, y), (size_t)a.plane_width(p)) != 0)
                return false;
    return true;
}

class ShotOffset : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        s_dir = new TempDir("shot_offset_" + std::to_string(getpid()));
        make_video(*s_dir / "clip30.mp4", "testsrc=s=320x240", 3, 30);
        make_video(*s_dir / "clip25.mp4", "testsrc2=s=400x300", 3, 25);
        make_image(*s_dir / "still.png", "testsrc2=s=640x480");
    }
    static void TearDownTestSuite()
    {
        delete s_dir;
        s_dir = nullptr;
    }

    render::RenderContext ctx() const
    {
        render::RenderContext c;
        c.width = 240;
        c.height = 320;
        c.fps = {30, 1};
        c.pool = core::FramePool::create(c.width, c.height);
        return c;
    }

    // Every frame of the shot from 0, then sources started at each of `starts` compared with them
    // for `run` frames.
    void expect_offsets_match(const timeline::Shot& shot, int64_t frames, const std::vector<int64_t>& starts, int run = 4)
    {
        timeline::PlannedShot planned;
        planned.frames = frames;
        auto c = ctx();
        auto whole = render::make_shot_source(shot, planned, c);
        ASSERT_TRUE(whole) << whole.error().to_string();
        std::vector<core::Frame> all;
        for (int64_t k = 0; k < frames; ++k) {
            auto f = (*whole)->next();
            ASSERT_TRUE(f) << f.error().to_string();
            core::Frame copy(f->width(), f->height());
            copy.copy_from(*f);
            all.push_back(std::move(copy));
        }
        for (int64_t first : starts) {
            auto part = render::make_shot_source(shot, planned, c, first);
            ASSERT_TRUE(part) << "start " << first << ": " << part.error().to_string();
            for (int64_t k = first; k < std::min<int64_t>(frames, first + run); ++k) {
                auto f = (*part)->next();
                ASSERT_TRUE(f) << f.error().to_string();
                EXPECT_TRUE(same_pixels(*f, all[(size_t)k])) << "started at " << first << ", frame " << k;
            }
        }
    }

    static timeline::Shot media_shot(const std::string& file, timeline::MediaType type)
    {
        timeline::Shot shot;
        shot.name = file;
        shot.visual.kind = timeline::VisualKind::Media;
        shot.visual.path = *s_dir / file;
        shot.visual.path_as_written = file;
        shot.visual.media_type = type;
        return shot;
    }

    static TempDir* s_dir;
};
TempDir* ShotOffset::s_dir = nullptr;

TEST_F(ShotOffset, VideoAtTheOutputRate)
{
    auto shot = media_shot("clip30.mp4", timeline::MediaType::Video);
    // Within the clip, at its last frames, and past its end (the last frame is held).
    expect_offsets_match(shot, 120, {1, 29, 30, 31, 57, 86, 88, 89, 90, 100, 119});
}

TEST_F(ShotOffset, VideoResampledAndTrimmed)
{
    auto shot = media_shot("clip25.mp4", timeline::MediaType::Video);
    shot.visual.fit = timeline::Fit::Contain;
    shot.visual.trim_from_us = 400'000;
    shot.visual.trim_to_us = 2'200'000;  // 54 frames at 30 fps
    expect_offsets_match(shot, 90, {1, 7, 25, 52, 53, 54, 55, 80});
}

TEST_F(ShotOffset, StillWithMoves)
{
    for (auto move : {timeline::Move::ZoomIn, timeline::Move::PanLeft, timeline::Move::None}) {
        auto shot = media_shot("still.png", timeline::MediaType::Image);
        shot.visual.move = move;
        expect_offsets_match(shot, 60, {1, 30, 59}, 2);
    }
}

TEST_F(ShotOffset, GeneratedScene)
{
    timeline::Shot shot;
    shot.name = "sea";
    shot.visual.kind = timeline::VisualKind::Description;
    shot.visual.description = "sunset over the sea with clouds";
    expect_offsets_match(shot, 45, {1, 20, 44}, 2);
}

}  // namespace
