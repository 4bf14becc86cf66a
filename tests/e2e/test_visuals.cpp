// End-to-end: described shots get the user's own media from a library folder, else a generated
// scene; `check` says which and why; the render shows exactly that.

#include <cmath>

#include "e2e_common.h"

using namespace sw::test;

namespace {

class Visuals : public ::testing::Test {
protected:
    void SetUp() override
    {
        fs::create_directories(dir / "lib" / "harbin");
        make_image(dir / "lib" / "harbin" / "castle.png", "color=c=red:s=640x1136");
        write_file(dir / "lib" / "harbin" / "castle.png.txt", "夜晚的冰雕城堡，彩灯闪烁");
        make_image(dir / "lib" / "street.jpg", "color=c=0x00ff00:s=640x1136");
        write_file(dir / "lib" / "street.jpg.json", R"({"description": "清晨的中央大街", "tags": ["street", "morning"]})");
        make_video(dir / "lib" / "frozen_river.mp4", "color=c=blue:s=360x640", 4.0);
        write_file(dir / "lib" / "broken.jpg", "not a picture at all");
    }
    TempDir dir{"e2e_visuals"};
};

double luma_stddev(const std::vector<uint8_t>& f, int w, int h)
{
    double s = 0, s2 = 0;
    for (int i = 0; i < w * h; ++i)
        s += f[i], s2 += double(f[i]) * f[i];
    double m = s / (w * h);
    return std::sqrt(std::max(0.0, s2 / (w * h) - m * m));
}

}  // namespace

TEST_F(Visuals, DescribedShotsTakeLibraryMediaElseAGeneratedScene)
{
    write_file(dir / "p.md", "---\nsize: 360x640\nlibrary: lib\nsubtitles: off\n---\n"
                             "# Castle\nvisual: 冰雕城堡\nduration: 2s\n"
                             "# Street\nvisual: 中央大街的早晨\nduration: 2s\n"
                             "# River\nvisual: frozen river\nduration: 2s\n"
                             "# Report\nvisual: quarterly revenue report\nduration: 2s\n"
                             "# Forced\nvisual: generate 夜晚的冰雕城堡,雪花飘落\nduration: 2s\n");
    auto chk = run({cli(), "check", (dir / "p.md").string(), "--json"});
    ASSERT_EQ(chk.exit_code, 0) << chk.err;
    auto j = nlohmann::json::parse(chk.out);
    auto choice = [&](int i) { return j["shots"][i]["visual"]["choice"]; };
    EXPECT_EQ(choice(0)["how"], "library");
    EXPECT_EQ(choice(0)["asset"], "harbin/castle.png");
    EXPECT_GT(choice(0)["score"].get<double>(), 0.2);
    EXPECT_FALSE(choice(0)["matched"].empty());
    EXPECT_EQ(choice(1)["asset"], "street.jpg");
    EXPECT_EQ(choice(2)["asset"], "frozen_river.mp4");
    EXPECT_EQ(choice(3)["how"], "scene") << choice(3).dump();
    EXPECT_EQ(choice(4)["how"], "scene") << "generate never takes the library, even with a match";
    auto elements = choice(4)["elements"].get<std::vector<std::string>>();
    EXPECT_NE(std::find(elements.begin(), elements.end(), "snow"), elements.end()) << choice(4).dump();
    // The table says the same, with the score and what matched.
    auto txt = run({cli(), "check", (dir / "p.md").string()});
    EXPECT_NE(txt.out.find("shot 1: library harbin/castle.png (score"), std::string::npos) << txt.out;
    EXPECT_NE(txt.out.find("shot 5: built-in scene"), std::string::npos) << txt.out;
    EXPECT_NE(txt.err.find("broken.jpg"), std::string::npos) << "the skipped file is named: " << txt.err;

    auto out = dir / "p.mp4";
    auto r = run({cli(), "render", (dir / "p.md").string(), "-o", out.string(), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(stream(probe(out), "video")["nb_read_frames"], "300");
    // Mid-shot colours: red castle, green street, blue river.
    expect_colour(decode_frame_yuv(out, 30, 360, 640), 360, 640, 40, 40, 320, 600, kRed, 6, "castle from the library");
    expect_colour(decode_frame_yuv(out, 90, 360, 640), 360, 640, 40, 40, 320, 600, kGreen, 6, "street from the library");
    expect_colour(decode_frame_yuv(out, 150, 360, 640), 360, 640, 40, 40, 320, 600, kBlue, 6, "river clip from the library");
    // Generated scenes are pictures, not flat cards.
    for (int64_t idx : {210, 270}) {
        auto f = decode_frame_yuv(out, idx, 360, 640);
        EXPECT_GT(luma_stddev(f, 360, 640), 8.0) << "frame " << idx;
    }
}

TEST_F(Visuals, NoAssetTwiceWhileOthersMatchAndNarrationIsTheQuery)
{
    make_image(dir / "lib" / "castle2.png", "color=c=yellow:s=640x1136");
    write_file(dir / "lib" / "castle2.png.txt", "冰雕城堡");
    // Two shots ask for the castle (one by its narration only): each gets a different one.
    write_file(dir / "p.md", "---\nsize: 360x640\nlibrary: lib\nsubtitles: off\n---\n"
                             "# A\nvisual: 冰雕城堡\nduration: 2s\n"
                             "# B\n冰雕城堡在夜晚闪烁。\nduration: 2s\n");
    auto chk = run({cli(), "check", (dir / "p.md").string(), "--json"});
    ASSERT_EQ(chk.exit_code, 0) << chk.err;
    auto j = nlohmann::json::parse(chk.out);
    std::string a = j["shots"][0]["visual"]["choice"]["asset"], b = j["shots"][1]["visual"]["choice"]["asset"];
    EXPECT_NE(a, b);
    EXPECT_TRUE((a == "castle2.png" || a == "harbin/castle.png") && (b == "castle2.png" || b == "harbin/castle.png")) << a << " " << b;
    // The same inputs pick the same way; --seed may choose differently among near-equal matches
    // but still never repeats.
    auto again = nlohmann::json::parse(run({cli(), "check", (dir / "p.md").string(), "--json"}).out);
    EXPECT_EQ(again["shots"][0]["visual"]["choice"]["asset"], a);
    auto seeded = nlohmann::json::parse(run({cli(), "check", (dir / "p.md").string(), "--json", "--seed", "1"}).out);
    EXPECT_NE(seeded["shots"][0]["visual"]["choice"]["asset"], seeded["shots"][1]["visual"]["choice"]["asset"]);
}

TEST_F(Visuals, TitleCardAndLibraryErrors)
{
    write_file(dir / "c.md", "---\nsize: 360x640\nsubtitles: off\n---\n# 冰雪哈尔滨\nvisual: card\nduration: 2s\n");
    auto out = dir / "c.mp4";
    auto r = run({cli(), "render", (dir / "c.md").string(), "-o", out.string(), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto f = decode_frame_yuv(out, 30, 360, 640);
    int bright = 0;
    for (int y = 200; y < 320; ++y)
        for (int x = 0; x < 360; ++x)
            bright += f[size_t(y) * 360 + x] > 200;
    EXPECT_GT(bright, 300) << "the card shows its name as a title";
    EXPECT_GT(luma_stddev(f, 360, 640), 5.0);
    // A library folder that is not there: an error at its line, no output.
    write_file(dir / "m.md", "---\nsize: 360x640\nlibrary: footage\n---\n# A\nvisual: snow\nduration: 1s\n");
    auto m = run({cli(), "render", (dir / "m.md").string(), "-o", (dir / "m.mp4").string(), "-q"});
    EXPECT_EQ(m.exit_code, 2);
    EXPECT_NE(m.err.find("m.md:3:10"), std::string::npos) << m.err;
    EXPECT_NE(m.err.find("\"footage\" does not exist"), std::string::npos) << m.err;
    EXPECT_FALSE(fs::exists(dir / "m.mp4"));
    // --library on the command line does the same for a script without one.
    auto c = run({cli(), "check", (dir / "c.md").string(), "--library", (dir / "nope").string()});
    EXPECT_EQ(c.exit_code, 2);
    EXPECT_NE(c.err.find("does not exist"), std::string::npos) << c.err;
}

TEST_F(Visuals, SubFolderLibraryAndWeakMatchesFallBackWithAWarning)
{
    // An editor's media folder holds two cities; the Dali article names only its sub-folder.
    fs::create_directories(dir / "media" / "harbin");
    fs::create_directories(dir / "media" / "dali");
    make_image(dir / "media" / "harbin" / "DSC_5521.jpg", "color=c=red:s=640x1136");
    write_file(dir / "media" / "harbin" / "DSC_5521.jpg.json", R"({"description": "冰雪大世界的彩灯", "tags": ["彩灯", "冰雪大世界"]})");
    make_image(dir / "media" / "harbin" / "IMG_0231.jpg", "color=c=red:s=640x1136");
    write_file(dir / "media" / "harbin" / "IMG_0231.jpg.txt", "松花江上的冬泳");
    make_image(dir / "media" / "dali" / "erhai.jpg", "color=c=0x00ff00:s=640x1136");
    write_file(dir / "media" / "dali" / "erhai.jpg.txt", "洱海上的日出");
    auto idx = run({cli(), "library", "index", (dir / "media").string()});
    ASSERT_EQ(idx.exit_code, 0) << idx.err;

    write_file(dir / "d.md", "---\nsize: 360x640\nlibrary: media/dali/\nsubtitles: off\n---\n"
                             "# Erhai\nvisual: 洱海的日出\nduration: 1s\n"
                             "# Lights\nvisual: 冰雪大世界的彩灯\nduration: 1s\n"
                             "# Cloth\nvisual: 五彩斑斓的扎染布\nduration: 1s\n");
    auto chk = run({cli(), "check", (dir / "d.md").string(), "--json"});
    ASSERT_EQ(chk.exit_code, 0) << chk.err;
    auto j = nlohmann::json::parse(chk.out);
    auto choice = [&](int i) { return j["shots"][i]["visual"]["choice"]; };
    EXPECT_EQ(choice(0)["how"], "library");
    EXPECT_EQ(choice(0)["asset"], "erhai.jpg");
    EXPECT_EQ(choice(1)["how"], "scene") << "the Harbin photo is outside media/dali/: " << choice(1).dump();
    EXPECT_EQ(choice(2)["how"], "scene") << choice(2).dump();
    EXPECT_FALSE(fs::exists(dir / "media" / "dali" / ".shotweave-library.sqlite")) << "the parent's index is shared";

    // The whole folder: the Harbin photo matches the lights shot fully, and the cloth shot
    // (one shared character, 彩) still gets no photo.
    write_file(dir / "h.md", "---\nsize: 360x640\nlibrary: media\nsubtitles: off\n---\n"
                             "# Lights\nvisual: 冰雪大世界的彩灯\nduration: 1s\n"
                             "# Cloth\nvisual: 五彩斑斓的扎染布\nduration: 1s\n"
                             "# Erhai\nvisual: 洱海边的咖啡馆和书店，游客很多\nduration: 1s\n");
    auto h = run({cli(), "check", (dir / "h.md").string()});
    ASSERT_EQ(h.exit_code, 0) << h.err;
    EXPECT_NE(h.out.find("shot 1: library harbin/DSC_5521.jpg"), std::string::npos) << h.out;
    EXPECT_NE(h.out.find("shot 2: built-in scene"), std::string::npos) << h.out;
    // A weak candidate is named with its score at the shot's visual: line, and check marks it.
    EXPECT_NE(h.err.find("h.md:13:9: warning: no library asset fits"), std::string::npos) << h.err;
    EXPECT_NE(h.err.find("dali/erhai.jpg (score 0."), std::string::npos) << h.err;
    EXPECT_NE(h.out.find("shot 3: built-in scene"), std::string::npos) << h.out;
    EXPECT_NE(h.out.find("weak library match dali/erhai.jpg"), std::string::npos) << h.out;

    // The render shows it: the green Dali photo, then generated scenes (never the red Harbin one).
    auto out = dir / "d.mp4";
    auto r = run({cli(), "render", (dir / "d.md").string(), "-o", out.string(), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    expect_colour(decode_frame_yuv(out, 15, 360, 640), 360, 640, 40, 40, 320, 600, kGreen, 6, "Dali photo");
    for (int64_t idx_frame : {45, 75}) {
        auto f = decode_frame_yuv(out, idx_frame, 360, 640);
        EXPECT_GT(luma_stddev(f, 360, 640), 8.0) << "frame " << idx_frame << " is a generated scene";
    }
}
