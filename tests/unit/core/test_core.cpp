#include <gtest/gtest.h>

#include "core/diagnostics.h"
#include "core/frame.h"
#include "core/rational.h"
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
