#include "core/text_util.h"
#include "script/storyboard.h"
#include "test_helpers.h"

using namespace sw;
using namespace sw::timeline;
using swtest::read_md;
using swtest::TempDir;

namespace {
const char* kScript = "---\ntitle: 冰雪哈尔滨\ntransition: fade 0.5s\n---\n"
                      "# 中央大街\nmedia/street.jpg zoom-in\nduration: 4s\n清晨的中央大街,百年面包石路静静延伸。\n"
                      "# River\nmedia/river.mp4 from 1s to 5s\nThe river is frozen.\ntransition: cut\n"
                      "# 结尾\nvisual: 哈尔滨的冬夜\nduration: 3s\n再见。\n";
}

TEST(Storyboard, TextTableAlignedWithCjk)
{
    TempDir t;
    t.write("media/street.jpg");
    t.write("media/river.mp4");
    core::Diagnostics d;
    auto p = read_md(kScript, d, t.path());
    Plan plan = plan_project(p, d);
    ASSERT_FALSE(d.has_errors()) << d.to_string();
    EXPECT_EQ(plan.total_frames, 120 + 120 + 90 - 15);
    std::string s = script::storyboard_text(p, plan);
    EXPECT_NE(s.find("冰雪哈尔滨\n"), std::string::npos) << s;
    EXPECT_NE(s.find("total 10.50s = 315 frames at 30 fps, 1080x1920, 3 shots, 1 transition"), std::string::npos) << s;
    EXPECT_NE(s.find("media/street.jpg zoom-in"), std::string::npos) << s;
    EXPECT_NE(s.find("media/river.mp4 from 1s to 5s"), std::string::npos) << s;
    EXPECT_NE(s.find("fade 0.50s"), std::string::npos) << s;
    // Every table row puts the "visual" column at the same display column.
    std::vector<std::string> lines;
    size_t b = 0;
    for (size_t e; (e = s.find('\n', b)) != std::string::npos; b = e + 1)
        lines.push_back(s.substr(b, e - b));
    ASSERT_GE(lines.size(), 5u);
    auto visual_col = [](const std::string& line, const std::string& needle) {
        auto pos = line.find(needle);
        return pos == std::string::npos ? size_t(-1) : core::display_width(line.substr(0, pos));
    };
    size_t header = visual_col(lines[1], "visual");
    EXPECT_EQ(visual_col(lines[2], "media/street"), header) << s;
    EXPECT_EQ(visual_col(lines[3], "media/river"), header) << s;
    EXPECT_EQ(visual_col(lines[4], "[哈尔滨"), header) << s;
    EXPECT_EQ(core::display_width("冰雪ab"), 6u);
}

TEST(Storyboard, JsonFields)
{
    TempDir t;
    t.write("media/street.jpg");
    t.write("media/river.mp4");
    core::Diagnostics d;
    auto p = read_md(kScript, d, t.path());
    Plan plan = plan_project(p, d, {-1, 90, -1});
    auto j = script::storyboard_json(p, plan, d);
    EXPECT_EQ(j["schema_version"], 1);
    EXPECT_EQ(j["output"]["width"], 1080);
    EXPECT_EQ(j["output"]["fps"]["num"], 30);
    EXPECT_EQ(j["total_frames"], 315);
    ASSERT_EQ(j["shots"].size(), 3u);
    auto& s0 = j["shots"][0];
    EXPECT_EQ(s0["start_frame"], 0);
    EXPECT_EQ(s0["frames"], 120);
    EXPECT_EQ(s0["visual"]["move"], "zoom-in");
    EXPECT_EQ(s0["transition"]["name"], "fade");
    EXPECT_EQ(s0["transition"]["frames"], 15);
    EXPECT_EQ(s0["transition"]["start_frame"], 105);
    EXPECT_EQ(s0["narration"][0]["location"]["line"], 8);
    auto& s1 = j["shots"][1];
    EXPECT_EQ(s1["start_frame"], 105);
    EXPECT_EQ(s1["visual"]["trim_from_seconds"], 1.0);
    EXPECT_EQ(s1["holds_last_frame"], true);
    EXPECT_EQ(s1["transition"]["name"], "cut");
    EXPECT_TRUE(j["shots"][2]["transition"].is_null());
    EXPECT_EQ(j["warning_count"], 1);
    EXPECT_EQ(j["diagnostics"][0]["severity"], "warning");
    EXPECT_EQ(j["diagnostics"][0]["line"], 10);
    EXPECT_EQ(j["ok"], true);
}

TEST(Storyboard, MusicLevelsUnderTheVoice)
{
    TempDir t;
    t.write("bgm.mp3");
    auto board = [&](const std::string& front) {
        core::Diagnostics d;
        auto p = read_md("---\n" + front + "---\n# A\nduration: 2s\nHello.\n", d, t.path());
        Plan plan = plan_project(p, d);
        EXPECT_FALSE(d.has_errors()) << d.to_string();
        return std::make_pair(script::storyboard_text(p, plan), script::storyboard_json(p, plan, d));
    };
    auto [text, json] = board("music: bgm.mp3 -2dB bed=-10dB duck=-20dB\nvoice: en\n");
    EXPECT_NE(text.find("under the voice: 12 dB under the speech in pauses, 22 dB while it speaks"), std::string::npos)
        << text;
    EXPECT_EQ(json["music"]["bed_db"], -10);
    EXPECT_EQ(json["music"]["duck_db"], -20);
    EXPECT_NE(board("music: bgm.mp3 duck=0\nvoice: en\n").first.find("no dip while it speaks"), std::string::npos);
    // Without a voice the music plays at its own level: nothing to say about bed and duck.
    EXPECT_EQ(board("music: bgm.mp3\n").first.find("under the voice"), std::string::npos);
}
