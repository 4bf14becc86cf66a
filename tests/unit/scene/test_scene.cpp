// The procedural scene generator: words → elements, determinism, picture sanity (range, no
// banding, not flat), motion without flicker, and the SIMD kernels against plain arithmetic.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <random>

#include "core/bilinear.h"
#include "scene/scene.h"

using namespace sw;
using namespace sw::scene;

namespace {

bool has_word(const SceneSpec& s, const std::string& w)
{
    return std::find(s.understood.begin(), s.understood.end(), w) != s.understood.end();
}

std::string elements_of(const SceneSpec& s)
{
    std::string out;
    for (const auto& e : s.elements)
        out += e + " ";
    return out;
}

std::unique_ptr<SceneGenerator> make(const SceneSpec& spec, int w = 270, int h = 480, int64_t n = 60,
                                     SceneStyle style = SceneStyle::Landscape)
{
    auto g = SceneGenerator::create(spec, style, w, h, n, {30, 1});
    EXPECT_TRUE(g) << (g ? "" : g.error().to_string());
    return g ? std::move(*g) : nullptr;
}

core::Frame frame(SceneGenerator& g, int64_t i)
{
    auto f = g.frame(i);
    EXPECT_TRUE(f) << (f ? "" : f.error().to_string());
    return f ? *f : core::Frame{};
}

std::vector<uint8_t> bytes(const core::Frame& f)
{
    std::vector<uint8_t> v;
    for (int p = 0; p < 3; ++p)
        for (int y = 0; y < f.plane_height(p); ++y)
            v.insert(v.end(), f.row(p, y), f.row(p, y) + f.plane_width(p));
    return v;
}

double luma_mean_abs_diff(const core::Frame& a, const core::Frame& b)
{
    double s = 0;
    for (int y = 0; y < a.height(); ++y)
        for (int x = 0; x < a.width(); ++x)
            s += std::abs(int(a.row(0, y)[x]) - int(b.row(0, y)[x]));
    return s / (double(a.width()) * a.height());
}

struct Stats {
    double mean = 0, stddev = 0;
    int min = 255, max = 0;
};
Stats luma_stats(const core::Frame& f, int y0 = 0, int y1 = -1)
{
    if (y1 < 0)
        y1 = f.height();
    Stats s;
    double sum = 0, sq = 0, n = 0;
    for (int y = y0; y < y1; ++y)
        for (int x = 0; x < f.width(); ++x) {
            const int v = f.row(0, y)[x];
            sum += v, sq += double(v) * v, n += 1;
            s.min = std::min(s.min, v);
            s.max = std::max(s.max, v);
        }
    s.mean = sum / n;
    s.stddev = std::sqrt(std::max(0.0, sq / n - s.mean * s.mean));
    return s;
}

int count_above(const core::Frame& f, int level, int y0 = 0, int y1 = -1)
{
    if (y1 < 0)
        y1 = f.height();
    int n = 0;
    for (int y = y0; y < y1; ++y)
        for (int x = 0; x < f.width(); ++x)
            n += f.row(0, y)[x] > level;
    return n;
}

void expect_limited_range(const core::Frame& f, const std::string& what)
{
    for (int p = 0; p < 3; ++p) {
        const int hi = p == 0 ? 235 : 240;
        int lo_v = 255, hi_v = 0;
        for (int y = 0; y < f.plane_height(p); ++y)
            for (int x = 0; x < f.plane_width(p); ++x) {
                lo_v = std::min<int>(lo_v, f.row(p, y)[x]);
                hi_v = std::max<int>(hi_v, f.row(p, y)[x]);
            }
        EXPECT_GE(lo_v, 16) << what << " plane " << p;
        EXPECT_LE(hi_v, hi) << what << " plane " << p;
    }
}

}  // namespace

// --- words ---------------------------------------------------------------------------------------

TEST(SceneWords, ChineseIceCastleNightSnow)
{
    const SceneSpec s = parse_scene("夜晚的冰雕城堡,雪花飘落", 1);
    EXPECT_TRUE(s.has("sky:night")) << elements_of(s);
    EXPECT_TRUE(s.has("castle")) << elements_of(s);
    EXPECT_TRUE(s.has("castle:ice")) << elements_of(s);
    EXPECT_TRUE(s.has("snow")) << elements_of(s);
    EXPECT_TRUE(s.has("stars")) << elements_of(s);
    EXPECT_FALSE(s.has("petals")) << "雪花 is snow, not 雪 + 花: " << elements_of(s);
    EXPECT_FALSE(s.abstract);
    for (const char* w : {"夜晚", "冰雕", "城堡", "雪花"})
        EXPECT_TRUE(has_word(s, w)) << w;
    // In order of appearance.
    ASSERT_GE(s.understood.size(), 4u);
    EXPECT_EQ(s.understood[0], "夜晚");
    EXPECT_EQ(s.understood.back(), "雪花");
}

TEST(SceneWords, EnglishSunsetOverTheSea)
{
    const SceneSpec s = parse_scene("Sunset over the SEA", 1);
    EXPECT_TRUE(s.has("sky:sunset")) << elements_of(s);
    EXPECT_TRUE(s.has("sun")) << elements_of(s);
    EXPECT_TRUE(s.has("sea")) << elements_of(s);
    EXPECT_TRUE(s.has("reflection")) << elements_of(s);
    EXPECT_TRUE(has_word(s, "Sunset"));
    EXPECT_TRUE(has_word(s, "SEA"));
    EXPECT_FALSE(s.has("sky:night"));
}

TEST(SceneWords, MoreScenes)
{
    SceneSpec s = parse_scene("清晨的山间湖泊,薄雾", 1);
    EXPECT_TRUE(s.has("sky:dawn") && s.has("mountains") && s.has("lake") && s.has("fog") && s.has("reflection"))
        << elements_of(s);
    s = parse_scene("city skyline at night with fireworks", 1);
    EXPECT_TRUE(s.has("sky:night") && s.has("city") && s.has("windows") && s.has("fireworks")) << elements_of(s);
    s = parse_scene("春天的樱花林", 1);
    EXPECT_TRUE(s.has("forest:blossom") && s.has("petals")) << elements_of(s);
    s = parse_scene("极光下的雪原", 1);
    EXPECT_TRUE(s.has("aurora") && s.has("snowfield") && s.has("sky:night")) << elements_of(s);
    s = parse_scene("floating lanterns over the river", 1);
    EXPECT_TRUE(s.has("lanterns") && s.has("river") && s.has("sky:night")) << elements_of(s);
    s = parse_scene("rainy street with neon lights", 1);
    EXPECT_TRUE(s.has("rain") && s.has("overcast") && s.has("city") && s.has("bokeh")) << elements_of(s);
    EXPECT_FALSE(s.has("stars")) << "no stars through rain clouds";
    s = parse_scene("白天的森林和小溪", 1);
    EXPECT_TRUE(s.has("sky:day") && s.has("forest") && s.has("river") && s.has("clouds")) << elements_of(s);
}

TEST(SceneWords, CameraWords)
{
    EXPECT_TRUE(parse_scene("镜头缓慢推进,海边日落", 1).has("camera:push-in"));
    EXPECT_LT(parse_scene("镜头缓慢推进,海边日落", 1).speed, 1.0);
    EXPECT_TRUE(parse_scene("aerial view of mountains", 1).has("camera:aerial"));
    EXPECT_TRUE(parse_scene("航拍雪山", 1).has("camera:aerial"));
    EXPECT_TRUE(parse_scene("mountains", 1).has("camera:drift"));
}

TEST(SceneWords, UnknownWordsGiveAPaletteOnly)
{
    const SceneSpec s = parse_scene("quarterly revenue report", 1);
    EXPECT_TRUE(s.abstract);
    EXPECT_TRUE(s.understood.empty());
    EXPECT_FALSE(s.elements.empty());
    EXPECT_TRUE(s.has("sky:gradient")) << elements_of(s);
    // The palette is a function of the text: same text, same hue; another text, another hue.
    EXPECT_EQ(s.hue, parse_scene("quarterly revenue report", 1).hue);
    int different = 0;
    for (const char* t : {"annual meeting", "新品发布", "product launch", "招聘", "hello world"})
        different += parse_scene(t, 1).hue != s.hue;
    EXPECT_GE(different, 4);
    // Camera words alone do not make a scene.
    EXPECT_TRUE(parse_scene("slow push in", 1).abstract);
}

TEST(SceneWords, VocabularyListsBothLanguages)
{
    const auto& v = scene_vocabulary();
    auto known = [&](const std::string& w) {
        return std::any_of(v.begin(), v.end(), [&](const SceneWord& e) { return w == e.word; });
    };
    for (const char* w : {"清晨", "dawn", "夜", "night", "极光", "aurora", "冰雕", "城堡", "烟花", "fireworks", "灯笼",
                          "lanterns", "彩灯", "霓虹", "bokeh", "推进", "航拍", "缓慢", "雾", "mist"})
        EXPECT_TRUE(known(w)) << w;
}

// --- rendering ----------------------------------------------------------------------------------

TEST(SceneRender, DeterministicAndSeeded)
{
    const SceneSpec spec = parse_scene("夜晚的冰雕城堡,彩灯闪烁,雪花飘落", 7);
    auto a = make(spec), b = make(spec);
    ASSERT_TRUE(a && b);
    const auto fa = bytes(frame(*a, 20));
    EXPECT_EQ(fa, bytes(frame(*b, 20)));
    // Random access: the same frame after others.
    (void)frame(*a, 45);
    (void)frame(*a, 3);
    EXPECT_EQ(fa, bytes(frame(*a, 20)));
    auto c = make(parse_scene("夜晚的冰雕城堡,彩灯闪烁,雪花飘落", 8));
    ASSERT_TRUE(c);
    EXPECT_NE(fa, bytes(frame(*c, 20)));
}

TEST(SceneRender, FramesAreInRangeAndNotFlat)
{
    for (const char* d : {"夜晚的冰雕城堡,彩灯闪烁,雪花飘落", "sunset over the sea with clouds", "清晨的山间湖泊,薄雾",
                          "city skyline at night with fireworks", "春天的樱花林", "quarterly revenue report",
                          "极光下的雪原,星空", "rainy street with neon lights", "晴天的雪山和森林", "夜晚的河上飘着孔明灯"}) {
        auto g = make(parse_scene(d, 1), 270, 480, 90);
        ASSERT_TRUE(g) << d;
        for (int64_t i : {0, 45, 89}) {
            const core::Frame f = frame(*g, i);
            ASSERT_FALSE(f.empty());
            expect_limited_range(f, d);
            const Stats s = luma_stats(f);
            EXPECT_GT(s.stddev, 8.0) << d << " frame " << i << " looks flat";
            EXPECT_GT(s.max - s.min, 60) << d;
        }
    }
    auto card = make(parse_scene("冰雪哈尔滨", 1), 270, 480, 30, SceneStyle::Card);
    ASSERT_TRUE(card);
    const core::Frame f = frame(*card, 10);
    expect_limited_range(f, "card");
    EXPECT_GT(luma_stats(f).stddev, 5.0);
}

TEST(SceneRender, FullHdPortraitFrame)
{
    auto g = make(parse_scene("夜晚的冰雕城堡,彩灯闪烁,雪花飘落", 1), 1080, 1920, 150);
    ASSERT_TRUE(g);
    EXPECT_EQ(g->width(), 1080);
    EXPECT_EQ(g->height(), 1920);
    const core::Frame f = frame(*g, 75);
    ASSERT_EQ(f.width(), 1080);
    ASSERT_EQ(f.height(), 1920);
    EXPECT_EQ(f.index, 75);
    expect_limited_range(f, "1080x1920");
    EXPECT_GT(luma_stats(f).stddev, 10.0);
}

// A sky without clouds or stars: adjacent rows differ by no more than dither-sized steps.
TEST(SceneRender, SkyGradientHasNoBanding)
{
    SceneSpec spec = parse_scene("sunset over the sea", 1);
    spec.clouds = false;
    for (auto [w, h] : {std::pair{270, 480}, std::pair{540, 960}}) {
        auto g = make(spec, w, h, 30);
        ASSERT_TRUE(g);
        const core::Frame f = frame(*g, 15);
        const int sky_rows = int(h * 0.45);
        // Column bands of 8 pixels averaged: the gradient itself.
        for (int x0 : {8, w / 2 - 4, w - 16}) {
            double prev = -1, worst = 0;
            for (int y = 0; y < sky_rows; ++y) {
                double s = 0;
                for (int x = x0; x < x0 + 8; ++x)
                    s += f.row(0, y)[x];
                s /= 8;
                if (prev >= 0)
                    worst = std::max(worst, std::fabs(s - prev));
                prev = s;
            }
            EXPECT_LE(worst, 2.0) << w << "x" << h << " column " << x0;
        }
        // A single column: no step larger than a couple of code values.
        int worst = 0;
        for (int y = 1; y < sky_rows; ++y)
            worst = std::max(worst, std::abs(int(f.row(0, y)[w / 4]) - int(f.row(0, y - 1)[w / 4])));
        EXPECT_LE(worst, 3) << w << "x" << h;
    }
}

TEST(SceneRender, CameraMovesWithoutFlicker)
{
    for (const char* d : {"清晨的山间湖泊", "镜头推进,夜晚的城市", "sunset over the sea with clouds"}) {
        auto g = make(parse_scene(d, 1), 270, 480, 90);
        ASSERT_TRUE(g);
        const core::Frame first = frame(*g, 0), last = frame(*g, 89);
        EXPECT_GT(luma_mean_abs_diff(first, last), 1.0) << d << ": the camera should move";
        for (int64_t i : {10, 44, 80}) {
            const double step = luma_mean_abs_diff(frame(*g, i), frame(*g, i + 1));
            EXPECT_LT(step, 2.5) << d << " frames " << i << "→" << i + 1;
            EXPECT_GT(step, 0.0) << d << " frames " << i << "→" << i + 1 << " identical";
        }
    }
}

TEST(SceneRender, NightIsDarkWithSmallBrightLights)
{
    for (const char* d : {"夜晚的城市", "night sky with stars over the mountains", "夜晚的湖上飘着孔明灯"}) {
        auto g = make(parse_scene(d, 3), 270, 480, 30);
        ASSERT_TRUE(g);
        const core::Frame f = frame(*g, 5);
        const Stats top = luma_stats(f, 0, 480 / 5);
        EXPECT_LT(top.mean, 50.0) << d << ": night sky should be dark";
        EXPECT_GT(count_above(f, 150), 15) << d << ": windows, stars or lanterns should shine";
        EXPECT_LT(count_above(f, 150), 270 * 480 / 8) << d << ": lights should be small";
    }
    // Daylight is bright.
    auto day = make(parse_scene("白天的山", 3), 270, 480, 30);
    ASSERT_TRUE(day);
    EXPECT_GT(luma_stats(frame(*day, 5), 0, 96).mean, 90.0);
}

TEST(SceneRender, SnowAddsBrightParticles)
{
    SceneSpec with = parse_scene("夜晚的森林,雪花飘落", 5);
    ASSERT_TRUE(with.snow);
    SceneSpec without = with;
    without.snow = false;
    auto a = make(with, 540, 960, 30), b = make(without, 540, 960, 30);
    ASSERT_TRUE(a && b);
    const core::Frame fa = frame(*a, 12), fb = frame(*b, 12);
    const int bright_a = count_above(fa, 120, 0, 500), bright_b = count_above(fb, 120, 0, 500);
    EXPECT_GT(bright_a, bright_b + 150) << "snowflakes in the sky: " << bright_a << " vs " << bright_b;
    // And the flakes fall: the sky region changes between frames.
    EXPECT_GT(luma_mean_abs_diff(frame(*a, 12), frame(*a, 20)), luma_mean_abs_diff(frame(*b, 12), frame(*b, 20)));
}

TEST(SceneRender, RejectsBadSizes)
{
    const SceneSpec s = parse_scene("sea", 1);
    EXPECT_FALSE(SceneGenerator::create(s, SceneStyle::Landscape, 271, 480, 10, {30, 1}));
    EXPECT_FALSE(SceneGenerator::create(s, SceneStyle::Landscape, 270, 480, 0, {30, 1}));
    auto g = make(s, 64, 64, 10);
    ASSERT_TRUE(g);
    EXPECT_FALSE(g->frame(10));
    EXPECT_FALSE(g->frame(-1));
}

// --- kernels ------------------------------------------------------------------------------------

TEST(SceneKernels, BlendOverMatchesArithmetic)
{
    std::mt19937 rng(3);
    for (int offset : {16, 128}) {
        const int hi = offset == 16 ? 235 : 240;
        for (int n : {1, 15, 16, 33, 100}) {
            std::vector<uint8_t> out(n), v(n), a(n), expect(n);
            for (int i = 0; i < n; ++i) {
                out[i] = uint8_t(16 + rng() % (hi - 15));
                a[i] = uint8_t(rng() % 256);
                if (i % 7 == 0)
                    a[i] = 255;
                if (i % 5 == 0)
                    a[i] = 0;
                // A premultiplied value: offset + (colour − offset)·a.
                const int colour = 16 + int(rng() % (hi - 15));
                v[i] = uint8_t(std::lround(offset + (colour - offset) * a[i] / 255.0));
                const int ap = a[i] + (a[i] >> 7);
                const int r = v[i] + (((out[i] - offset) * (256 - ap) + 128) >> 8);
                expect[i] = uint8_t(std::clamp(r, 16, hi));
            }
            kernels::blend_over(out.data(), v.data(), a.data(), n, offset, hi);
            EXPECT_EQ(out, expect) << "offset " << offset << " n " << n;
        }
    }
}

TEST(SceneKernels, SampleSpanMatchesBilinear)
{
    std::mt19937 rng(4);
    const int sw = 200;
    std::vector<uint8_t> r0(sw + 64), r1(sw + 64), scratch(sw + 64);
    for (int i = 0; i < sw; ++i)
        r0[i] = uint8_t(rng()), r1[i] = uint8_t(rng());
    for (double scale : {1.0, 1.07, 1.3}) {
        core::bilinear::Axis ax;
        const int n = 150;
        core::bilinear::make_axis(ax, n, 10.3, 1.0 / scale, sw);
        for (int wy : {0, 77, 256}) {
            std::vector<uint8_t> out(n + 16, 0);
            core::bilinear::sample_span(r0.data(), r1.data(), wy, ax, 3, n - 2, scratch.data(), out.data());
            for (int i = 3; i < n - 2; ++i) {
                const auto& t = ax.taps[i];
                auto at = [&](int x) {
                    return double(r0[x]) + (double(r1[x]) - r0[x]) * wy / 256.0;
                };
                const double e = at(t.index) + (at(t.index + 1) - at(t.index)) * t.weight / 256.0;
                EXPECT_NEAR(out[i], e, 1.01) << "scale " << scale << " wy " << wy << " i " << i;
            }
            EXPECT_EQ(out[0], 0);  // outside [o0, o1) untouched
            EXPECT_EQ(out[n - 1], 0);
        }
    }
}

TEST(SceneWords, OneCharacterTriggersOnlyAsWordsThatMeanThem)
{
    // "三月" is March, not a moon; each one-character trigger, once where it names its thing and
    // once where the word around it means something else.
    struct Case {
        const char* trigger;
        const char* means;
        const char* other;
        std::function<bool(const SceneSpec&)> on;
    };
    const std::vector<Case> cases = {
        {"晴", "天气晴，草原辽阔", "一件晴纶毛衣", [](const SceneSpec& s) { return s.sun; }},
        {"夜", "夜色中的古城", "三天两夜的行程", [](const SceneSpec& s) { return s.time == TimeOfDay::Night; }},
        {"星", "漫天繁星", "下个星期见", [](const SceneSpec& s) { return s.stars; }},
        {"星", "漫天繁星", "五星级酒店", [](const SceneSpec& s) { return s.stars; }},
        {"月", "一轮弯月挂在天边", "三月的大理", [](const SceneSpec& s) { return s.moon; }},
        {"月", "一轮弯月挂在天边", "岁月静好", [](const SceneSpec& s) { return s.moon; }},
        {"月", "一轮弯月挂在天边", "月份牌", [](const SceneSpec& s) { return s.moon; }},
        {"云", "蓝天白云", "云南的早晨", [](const SceneSpec& s) { return s.clouds; }},
        {"山", "远处的青山", "山东的早晨", [](const SceneSpec& s) { return s.mountains; }},
        {"海", "海边的灯塔", "上海的早晨", [](const SceneSpec& s) { return s.sea; }},
        {"湖", "湖边的小屋", "湖南的美食", [](const SceneSpec& s) { return s.lake; }},
        {"江", "江边漫步", "浙江的小城", [](const SceneSpec& s) { return s.river; }},
        {"河", "河畔的柳树", "河南的美食", [](const SceneSpec& s) { return s.river; }},
        {"树", "一棵老树", "树立品牌形象", [](const SceneSpec& s) { return s.forest; }},
        {"林", "穿过竹林", "吉林的早晨", [](const SceneSpec& s) { return s.forest; }},
        {"松", "苍翠的松", "周末放松一下", [](const SceneSpec& s) { return s.forest; }},
        {"冰", "冰封的湖面", "打开冰箱", [](const SceneSpec& s) { return s.ice; }},
        {"冰", "冰封的湖面", "一根马迭尔冰棍", [](const SceneSpec& s) { return s.ice; }},
        {"街", "繁华的街道", "年轻人在跳街舞", [](const SceneSpec& s) { return s.city; }},
        {"雪", "雪落无声", "一瓶雪碧", [](const SceneSpec& s) { return s.snow; }},
        {"雨", "雨中的西湖", "买一把雨伞", [](const SceneSpec& s) { return s.rain; }},
        {"雾", "薄雾笼罩", "一台雾化器", [](const SceneSpec& s) { return s.fog; }},
        {"花", "满地落花", "不用花钱", [](const SceneSpec& s) { return s.petals; }},
        // (A description with no scene word is drawn abstract, with bokeh: ask what was understood.)
        {"灯", "窗前一盏灯", "换个灯泡",
         [](const SceneSpec& s) { return std::find(s.understood.begin(), s.understood.end(), "灯") != s.understood.end(); }},
        {"春", "春回大地", "春节快乐", [](const SceneSpec& s) { return s.season == Season::Spring; }},
        {"夏", "夏日海滩", "华夏文明", [](const SceneSpec& s) { return s.season == Season::Summer; }},
        {"秋", "秋意正浓", "荡秋千", [](const SceneSpec& s) { return s.season == Season::Autumn; }},
        {"冬", "冬日暖阳", "一碗冬瓜汤", [](const SceneSpec& s) { return s.season == Season::Winter; }},
        {"慢", "慢慢走", "傲慢与偏见", [](const SceneSpec& s) { return s.speed < 1.0; }},
    };
    for (const auto& c : cases) {
        EXPECT_TRUE(c.on(parse_scene(c.means, 1))) << c.trigger << " should name its thing in " << c.means;
        EXPECT_FALSE(c.on(parse_scene(c.other, 1))) << c.trigger << " means something else in " << c.other;
    }
    // Segmentation, not substrings: 登上|海边 keeps its sea although 上海 is written there.
    EXPECT_TRUE(parse_scene("登上海边的礁石", 1).sea);
    EXPECT_FALSE(parse_scene("三月的大理，春风拂面", 1).moon);
    EXPECT_TRUE(parse_scene("三月的大理，春风拂面", 1).season == Season::Spring);
}
