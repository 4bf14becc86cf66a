// Manual checks of the scene generator, DISABLED_ so CI does not run them:
//   test_scene --gtest_also_run_disabled_tests --gtest_filter='SceneCost.*'
// Cost: ms per 1080x1920 frame over a 5 s shot (and the one-off layer rendering), printed.
// Samples: PNG frames of several descriptions under <build>/scene-samples/ to look at.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "scene/scene.h"
#include "test_support.h"

using namespace sw;
using namespace sw::scene;

namespace {

double ms_since(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

void write_yuv(std::ofstream& f, const core::Frame& fr)
{
    for (int p = 0; p < 3; ++p)
        for (int y = 0; y < fr.plane_height(p); ++y)
            f.write(reinterpret_cast<const char*>(fr.row(p, y)), fr.plane_width(p));
}

void save_frame_png(const core::Frame& fr, const std::filesystem::path& png)
{
    std::filesystem::path raw = png;
    raw += ".yuv";
    {
        std::ofstream f(raw, std::ios::binary);
        write_yuv(f, fr);
    }
    test::ffmpeg({"-f", "rawvideo", "-pix_fmt", "yuv420p", "-color_range", "tv", "-colorspace", "bt709", "-s",
                  std::to_string(fr.width()) + "x" + std::to_string(fr.height()), "-i", raw.string(), "-vf",
                  "scale=in_color_matrix=bt709:in_range=tv:out_range=pc", "-frames:v", "1", "-update", "1",
                  png.string()});
    std::filesystem::remove(raw);
}

}  // namespace

TEST(SceneCost, DISABLED_FiveSecondsAt1080x1920)
{
    const int w = 1080, h = 1920, n = 150;
    const char* descriptions[] = {"夜晚的冰雕城堡,彩灯闪烁,雪花飘落", "sunset over the sea with clouds",
                                  "清晨的山间湖泊,薄雾", "city skyline at night with fireworks", "春天的樱花林",
                                  "quarterly revenue report"};
    const char* dump = std::getenv("SCENE_DUMP");  // write the first description's frames as raw yuv420p
    for (const char* d : descriptions) {
        auto t0 = std::chrono::steady_clock::now();
        auto gen = SceneGenerator::create(parse_scene(d, 1), SceneStyle::Landscape, w, h, n, {30, 1});
        ASSERT_TRUE(gen) << gen.error().to_string();
        const double create_ms = ms_since(t0);
        std::ofstream out;
        if (dump && d == descriptions[0])
            out.open(dump, std::ios::binary);
        double frames_ms = 0;
        for (int i = 0; i < n; ++i) {
            auto t1 = std::chrono::steady_clock::now();
            auto f = (*gen)->frame(i);
            frames_ms += ms_since(t1);
            ASSERT_TRUE(f);
            if (out.is_open())
                write_yuv(out, *f);
        }
        std::printf("%-40s create %6.1f ms, %5.2f ms/frame, total %6.1f ms for %d frames (%.2f ms/frame incl. create)\n",
                    d, create_ms, frames_ms / n, create_ms + frames_ms, n, (create_ms + frames_ms) / n);
    }
}

TEST(SceneCost, DISABLED_WriteSamples)
{
    const std::filesystem::path dir = std::filesystem::path(SW_BINARY_DIR) / "scene-samples";
    std::filesystem::create_directories(dir);
    struct S {
        const char* name;
        const char* text;
        SceneStyle style;
    };
    const S samples[] = {
        {"ice_castle_night", "夜晚的冰雕城堡,彩灯闪烁,雪花飘落", SceneStyle::Landscape},
        {"sunset_sea", "sunset over the sea with clouds", SceneStyle::Landscape},
        {"dawn_mountain_lake", "清晨的山间湖泊,薄雾", SceneStyle::Landscape},
        {"city_fireworks", "city skyline at night with fireworks", SceneStyle::Landscape},
        {"cherry_forest", "春天的樱花林", SceneStyle::Landscape},
        {"unknown_words", "quarterly revenue report", SceneStyle::Landscape},
        {"card", "冰雪哈尔滨", SceneStyle::Card},
        {"aurora_snowfield", "极光下的雪原,星空", SceneStyle::Landscape},
        {"lanterns_river", "夜晚的河上飘着孔明灯", SceneStyle::Landscape},
        {"rain_city", "rainy street with neon lights", SceneStyle::Landscape},
        {"day_mountains", "晴天的雪山和森林 航拍", SceneStyle::Landscape},
        {"harbor_night_city", "night city by the lake with moon", SceneStyle::Landscape},
        {"night_forest_snow", "夜晚的森林,雪花飘落", SceneStyle::Landscape},
    };
    const char* only = std::getenv("SCENE_ONLY");
    const int w = std::getenv("SCENE_SMALL") ? 540 : 1080, h = w * 16 / 9;
    for (const auto& s : samples) {
        if (only && std::string(only) != s.name)
            continue;
        auto gen = SceneGenerator::create(parse_scene(s.text, 1), s.style, w, h, 150, {30, 1});
        ASSERT_TRUE(gen);
        for (int i : {0, 75}) {
            auto f = (*gen)->frame(i);
            ASSERT_TRUE(f);
            save_frame_png(*f, dir / (std::string(s.name) + "_" + std::to_string(i) + ".png"));
        }
    }
}
