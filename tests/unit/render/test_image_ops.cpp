#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "render/image_ops.h"
#include "render/shot_source.h"

using namespace sw;
using core::Frame;

namespace {

Frame ramp(int w, int h)
{
    Frame f(w, h);
    for (int p = 0; p < 3; ++p)
        for (int y = 0; y < f.plane_height(p); ++y)
            for (int x = 0; x < f.plane_width(p); ++x)
                f.row(p, y)[x] = uint8_t((x * 7 + y * 3 + p * 50) & 255);
    return f;
}

bool equal(const Frame& a, const Frame& b)
{
    for (int p = 0; p < 3; ++p)
        for (int y = 0; y < a.plane_height(p); ++y)
            if (std::memcmp(a.row(p, y), b.row(p, y), a.plane_width(p)) != 0)
                return false;
    return true;
}

}  // namespace

TEST(SampleBilinear, IdentityWindowIsExact)
{
    Frame src = ramp(64, 48), dst(64, 48);
    render::sample_bilinear(src, 0, 0, 64, 48, dst);
    EXPECT_TRUE(equal(src, dst));
}

TEST(SampleBilinear, HalfPixelShiftAverages)
{
    Frame src(8, 2), dst(6, 2);
    src.fill(0, 128, 128);
    for (int x = 0; x < 8; ++x)
        src.row(0, 0)[x] = src.row(0, 1)[x] = uint8_t(x * 20);
    render::sample_bilinear(src, 0.5, 0, 6, 2, dst);
    for (int x = 0; x < 6; ++x)
        EXPECT_EQ(dst.row(0, 0)[x], x * 20 + 10) << x;
}

TEST(SampleBilinear, RowRangesComposeToWhole)
{
    Frame src = ramp(200, 120), whole(160, 90 + 6), parts(160, 96);
    render::sample_bilinear(src, 13.25, 7.5, 170.5, 101.0, whole);
    render::sample_bilinear(src, 13.25, 7.5, 170.5, 101.0, parts, 0, 48);
    render::sample_bilinear(src, 13.25, 7.5, 170.5, 101.0, parts, 48, 96);
    EXPECT_TRUE(equal(whole, parts));
}

TEST(Place, CoverCropsContainFits)
{
    auto c = render::place(timeline::Fit::Cover, 1920, 1080, 1080, 1920);
    EXPECT_NEAR(c.sw, 1080.0 * 1080 / 1920, 1e-6);  // 607.5 source columns visible
    EXPECT_NEAR(c.sh, 1080, 1e-6);
    EXPECT_NEAR(c.sx, (1920 - c.sw) / 2, 1e-6);
    auto k = render::place(timeline::Fit::Contain, 1920, 1080, 1080, 1920);
    EXPECT_EQ(k.dw, 1080);
    EXPECT_EQ(k.dh, 608);
    EXPECT_EQ(k.dy, 656);
    auto s = render::place(timeline::Fit::Stretch, 100, 100, 1080, 1920);
    EXPECT_EQ(s.dw, 1080);
    EXPECT_EQ(s.sw, 100);
}

TEST(Blit, ClipsAtEdges)
{
    Frame dst(8, 8), src(4, 4);
    dst.fill(16, 128, 128);
    src.fill(200, 60, 70);
    render::blit(src, dst, 6, -2);
    EXPECT_EQ(dst.row(0, 0)[6], 200);
    EXPECT_EQ(dst.row(0, 1)[7], 200);
    EXPECT_EQ(dst.row(0, 2)[6], 16);
    EXPECT_EQ(dst.row(0, 0)[5], 16);
    EXPECT_EQ(dst.row(1, 0)[3], 60);
}

TEST(Ease, SmoothEndpoints)
{
    EXPECT_DOUBLE_EQ(render::ease_in_out(0), 0);
    EXPECT_DOUBLE_EQ(render::ease_in_out(1), 1);
    EXPECT_NEAR(render::ease_in_out(0.5), 0.5, 1e-12);
    EXPECT_LT(render::ease_in_out(0.01), 0.01);  // starts slower than linear
}


TEST(SampleBilinear, MatchesReferenceWithinTwoLevels)
{
    // A smooth but non-trivial picture, sampled with a zoom-like window (scale 1.13) at a
    // sub-pixel offset; compared with a plain double-precision bilinear reference.
    Frame src(300, 200), dst(250, 170);
    for (int p = 0; p < 3; ++p)
        for (int y = 0; y < src.plane_height(p); ++y)
            for (int x = 0; x < src.plane_width(p); ++x)
                src.row(p, y)[x] = uint8_t(128 + 100 * std::sin(x * 0.11 + p) * std::cos(y * 0.07));
    const double wx = 10.3, wy = 7.7, ww = 282.5, wh = 192.1;
    render::sample_bilinear(src, wx, wy, ww, wh, dst);
    int worst = 0;
    for (int p = 0; p < 3; ++p) {
        const double sc = p ? 0.5 : 1.0;
        const int sw = src.plane_width(p), sh = src.plane_height(p);
        for (int y = 0; y < dst.plane_height(p); ++y)
            for (int x = 0; x < dst.plane_width(p); ++x) {
                double sx = std::clamp(wx * sc + (x + 0.5) * (ww * sc / dst.plane_width(p)) - 0.5, 0.0, sw - 1.0);
                double sy = std::clamp(wy * sc + (y + 0.5) * (wh * sc / dst.plane_height(p)) - 0.5, 0.0, sh - 1.0);
                int ix = std::min((int)sx, sw - 2), iy = std::min((int)sy, sh - 2);
                double fx = sx - ix, fy = sy - iy;
                auto at = [&](int xx, int yy) { return double(src.row(p, yy)[xx]); };
                double ref = (at(ix, iy) * (1 - fx) + at(ix + 1, iy) * fx) * (1 - fy) +
                             (at(ix, iy + 1) * (1 - fx) + at(ix + 1, iy + 1) * fx) * fy;
                worst = std::max(worst, std::abs(int(dst.row(p, y)[x]) - (int)std::lround(ref)));
            }
    }
    EXPECT_LE(worst, 2);
}


// Title cards are built-in scenes; a project `background` colour sets their hue (brand look).
TEST(Card, ProjectBackgroundSetsTheHue)
{
    timeline::Shot shot;
    shot.name = "Welcome";
    shot.visual.kind = timeline::VisualKind::Card;
    timeline::PlannedShot planned;
    planned.frames = 10;
    auto mean_uv = [&](core::Rgb bg, double& u, double& v) {
        render::RenderContext ctx;
        ctx.width = 180;
        ctx.height = 320;
        ctx.background = bg;
        auto src = render::make_shot_source(shot, planned, ctx);
        ASSERT_TRUE(src) << src.error().message;
        auto f = (*src)->next();
        ASSERT_TRUE(f);
        double su = 0, sv = 0;
        for (int y = 0; y < 160; ++y)
            for (int x = 0; x < 90; ++x)
                su += f->row(1, y)[x], sv += f->row(2, y)[x];
        u = su / (160 * 90), v = sv / (160 * 90);
    };
    double u, v;
    mean_uv({20, 40, 160}, u, v);  // a blue brand colour
    EXPECT_GT(u, 132);
    EXPECT_LT(v, 128);
    mean_uv({170, 30, 20}, u, v);  // a red one
    EXPECT_GT(v, 132);
    EXPECT_LT(u, 128);
}
