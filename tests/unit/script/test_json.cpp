#include <fstream>
#include <nlohmann/json.hpp>

#include "effects/transition.h"
#include "test_helpers.h"

using namespace sw;
using namespace sw::timeline;
using swtest::locs;
using swtest::TempDir;

namespace {

core::Result<Project> read_json(const std::string& text, core::Diagnostics& d, const std::filesystem::path& dir = ".")
{
    return script::read_script_text(text, "p.json", script::Format::Json, dir, d);
}

}  // namespace

TEST(Json, GoodProject)
{
    TempDir t;
    t.write("media/a.jpg");
    t.write("media/b.mp4");
    core::Diagnostics d;
    auto p = read_json(R"({
  "$schema": "https://example.invalid/project.schema.json",
  "schema_version": 1,
  "title": "冰雪哈尔滨",
  "size": "9:16",
  "fps": 29.97,
  "transition": "fade 0.5s",
  "background": "#112233",
  "shots": [
    {"name": "中央大街", "visual": {"media": "media/a.jpg", "move": "zoom-in", "fit": "contain"},
     "narration": ["清晨的中央大街。", "Second line."], "duration": 4.5,
     "transition": {"name": "circleopen", "duration": "0.8s"}},
    {"name": "River", "visual": {"media": "media/b.mp4", "from": 1, "to": "5s"}, "title": "松花江",
     "transition": "cut"},
    {"visual": {"description": "夜晚的冰雕城堡"}, "narration": "夜幕降临。"}
  ]
})",
                       d, t.path());
    ASSERT_TRUE(p) << p.error().to_string();
    EXPECT_FALSE(d.has_errors()) << d.to_string();
    EXPECT_EQ(p->title, "冰雪哈尔滨");
    EXPECT_EQ(p->height, 1920);
    EXPECT_EQ(p->fps.num, 30000);
    EXPECT_EQ(p->default_transition.name, "fade");
    EXPECT_EQ(p->background.g, 0x22);
    ASSERT_EQ(p->shots.size(), 3u);
    const Shot& a = p->shots[0];
    EXPECT_EQ(a.name, "中央大街");
    EXPECT_EQ(a.visual.move, Move::ZoomIn);
    EXPECT_EQ(a.visual.fit, Fit::Contain);
    EXPECT_EQ(a.visual.path, t.path() / "media/a.jpg");
    EXPECT_EQ(a.narration.size(), 2u);
    EXPECT_EQ(a.narration_locs[0].line, 11);
    EXPECT_EQ(a.narration_locs[0].col, 21);  // the text, just inside the quote
    EXPECT_EQ(a.duration_us, 4'500'000);
    ASSERT_TRUE(a.transition_out);
    EXPECT_EQ(a.transition_out->duration_us, 800'000);
    EXPECT_EQ(a.loc.line, 10);
    EXPECT_EQ(a.loc.col, 5);
    const Shot& b = p->shots[1];
    EXPECT_EQ(b.visual.media_type, MediaType::Video);
    EXPECT_EQ(b.visual.trim_from_us, 1'000'000);
    EXPECT_EQ(b.visual.trim_to_us, 5'000'000);
    EXPECT_EQ(b.title, "松花江");
    EXPECT_EQ(b.transition_out->name, "cut");
    EXPECT_EQ(p->shots[2].name, "Shot 3");
    EXPECT_EQ(p->shots[2].visual.description, "夜晚的冰雕城堡");
}

TEST(Json, ParseErrorPosition)
{
    core::Diagnostics d;
    auto p = read_json("{\n  \"title\": \"x\",\n  \"shots\": [\n    {\"name\": \"a\",}\n  ]\n}\n", d);
    ASSERT_FALSE(p);
    EXPECT_EQ(p.error().category, core::ErrorCategory::Script);
    EXPECT_EQ(d.error_count(), 0u);  // returned, not repeated in diag
    EXPECT_EQ(p.error().where.to_string(), "p.json:4:18");  // the '}' after the trailing comma
    EXPECT_EQ(p.error().message.substr(0, 14), "invalid JSON: ");

    core::Diagnostics d2;
    auto q = read_json("[1, 2]", d2);
    ASSERT_FALSE(q);
    EXPECT_EQ(q.error().where.to_string(), "p.json:1:1");
}

TEST(Json, SemanticErrorsPointAtTheValue)
{
    TempDir t;
    core::Diagnostics d;
    auto p = read_json(R"({
  "size": "1081x1920",
  "shots": [
    {"name": "a", "duration": 3},
    {"name": "b", "duration": 2},
    {"name": "c", "duration": -1,
     "transition": "fadee 1s"},
    {"name": "d", "durration": 2, "visual": {"media": "missing.jpg", "from": 2}},
    {"name": "e", "narration": 5, "visual": {"description": "x", "mvoe": "zoom-in"}}
  ],
  "title": "t",
  "title": "again"
})",
                       d, t.path());
    ASSERT_TRUE(p);
    EXPECT_EQ(locs(d), "2:12 6:31 7:21 8:19 8:56 8:70 9:32 9:66 12:3 ") << d.to_string();
    ASSERT_EQ(d.error_count(), 9u);
    auto msg = [&](size_t i) { return d.items()[i].message; };
    EXPECT_EQ(msg(1), "shots[2].duration: duration -1 s is negative");
    EXPECT_EQ(d.items()[2].hint, "did you mean \"fade\"?");
    EXPECT_EQ(msg(3), "unknown field \"durration\" in shots[3]");
    EXPECT_EQ(d.items()[3].hint, "did you mean \"duration\"?");
    EXPECT_EQ(msg(4), "media file \"missing.jpg\" not found");
    EXPECT_EQ(msg(5), "\"from\" trims a video; \"missing.jpg\" is a photo");
    EXPECT_EQ(msg(6), "shots[4].narration must be a string or an array of strings, not a number");
    EXPECT_EQ(d.items()[7].hint, "did you mean \"move\"?");
    EXPECT_EQ(msg(0), "size 1081x1920 has an odd side");
    EXPECT_EQ(msg(8), "key \"title\" appears twice in the same object");
}

TEST(Json, MissingShotsAndTypes)
{
    core::Diagnostics d;
    auto p = read_json(R"({"title": 5, "fps": "abc", "transition": {"duration": 1}})", d);
    ASSERT_TRUE(p);
    EXPECT_EQ(d.error_count(), 4u) << d.to_string();
}

// The schema's transition enum is the registry's list, so neither can drift from the other.
TEST(JsonSchema, TransitionEnumMatchesRegistry)
{
    std::ifstream in(std::string(SW_SOURCE_DIR) + "/docs/schema/project.schema.json");
    ASSERT_TRUE(in) << "docs/schema/project.schema.json missing";
    auto schema = nlohmann::json::parse(in);
    EXPECT_EQ(schema.value("$schema", ""), "https://json-schema.org/draft/2020-12/schema");
    auto names = schema.at("$defs").at("transitionName").at("enum").get<std::vector<std::string>>();
    auto registry = effects::transition_names();
    EXPECT_EQ(names, registry) << "update the enum in docs/schema/project.schema.json to: "
                               << nlohmann::json(registry).dump();
}

// Everything the front matter and shot keys can say, the JSON form says too, to the same effect.
TEST(Json, SameSettingsAsTheScriptForm)
{
    TempDir t;
    t.write("media/bgm.ogg");
    t.write("media/clip.mp4");
    t.write("vo/one.wav");
    core::Diagnostics dj, dm;
    auto j = read_json(R"({
  "voice": "zh",
  "loudness": {"lufs": -16, "peak_dbtp": -1.5},
  "title_animation": "pop",
  "subtitles": {"burn": false, "position": "30%", "size_percent": 5, "box": true, "color": "#ffd400",
                "outline_px": 3, "outline_color": "navy", "shadow": 0, "font": "Noto Serif CJK SC", "max_lines": 1},
  "music": {"media": "media/bgm.ogg", "volume_db": -6, "duck_db": -18, "fade_in": "0.5s", "fade_out": 3},
  "shots": [
    {"name": "A", "visual": {"media": "media/clip.mp4"}, "audio": "keep", "voice": "en", "title": "T",
     "title_animation": "fade", "narration": "Hello."},
    {"name": "B", "voice_file": "vo/one.wav"}
  ]
})",
                       dj, t.path());
    auto m = script::read_script_text(R"(---
voice: zh
loudness: -16 peak=-1.5
title-animation: pop
subtitles: off position=30% size=5% box color=#ffd400 outline=3px outline-color=navy shadow=off lines=1 font="Noto Serif CJK SC"
music: media/bgm.ogg -6dB duck=-18dB fade-in=0.5s fade-out=3s
---
# A
media/clip.mp4
audio: keep
voice: en
title: T
title-animation: fade
Hello.
# B
voice-file: vo/one.wav
)",
                                      "p.md", script::Format::Markdown, t.path(), dm);
    ASSERT_TRUE(j) << dj.to_string();
    ASSERT_TRUE(m) << dm.to_string();
    EXPECT_EQ(dj.error_count(), 0u) << dj.to_string();
    EXPECT_EQ(dm.error_count(), 0u) << dm.to_string();
    for (const Project* p : {&*j, &*m}) {
        SCOPED_TRACE(p == &*j ? "json" : "markdown");
        EXPECT_EQ(p->loudness_lufs, -16);
        EXPECT_EQ(p->true_peak_dbtp, -1.5);
        EXPECT_EQ(p->title_animation, TitleAnimation::Pop);
        EXPECT_FALSE(p->burn_subtitles);
        const auto& l = p->subtitle_look;
        EXPECT_EQ(l.position, timeline::SubtitlePosition::Percent);
        EXPECT_DOUBLE_EQ(l.percent, 0.3);
        EXPECT_DOUBLE_EQ(l.size_frac, 0.05);
        EXPECT_TRUE(l.box);
        EXPECT_EQ(l.color.r, 255);
        EXPECT_EQ(l.color.g, 0xd4);
        EXPECT_EQ(l.outline_px, 3);
        EXPECT_EQ(l.outline_color.b, 128);
        EXPECT_EQ(l.shadow, 0);
        EXPECT_EQ(l.font, "Noto Serif CJK SC");
        EXPECT_EQ(l.max_lines, 1);
        ASSERT_TRUE(p->music);
        EXPECT_EQ(p->music->volume_db, -6);
        EXPECT_EQ(p->music->duck_db, -18);
        EXPECT_EQ(p->music->fade_in_us, 500000);
        EXPECT_EQ(p->music->fade_out_us, 3000000);
        ASSERT_EQ(p->shots.size(), 2u);
        EXPECT_TRUE(p->shots[0].keep_audio);
        EXPECT_EQ(p->shots[0].voice, "en");
        EXPECT_EQ(p->shots[0].title_animation, TitleAnimation::Fade);
        EXPECT_EQ(p->shots[1].voice_file, t.path() / "vo/one.wav");
    }
    // Mistakes are named at the value, with the fix.
    core::Diagnostics bad;
    read_json(R"({"title_animation": "popp", "subtitles": {"shadow": 2}, "shots": [{"audio": "loud"}]})", bad, t.path());
    std::string msg = bad.to_string();
    EXPECT_NE(msg.find("did you mean \"pop\""), std::string::npos) << msg;
    EXPECT_NE(msg.find("shadow must be a number from 0 to 1"), std::string::npos) << msg;
    EXPECT_NE(msg.find("neither \"keep\" nor \"mute\""), std::string::npos) << msg;
}

TEST(Json, WordsAreAnArrayOfNames)
{
    core::Diagnostics d;
    auto p = read_json(R"({"words": ["圣索菲亚大教堂", "月", 7], "shots": [{"narration": "x"}]})", d);
    ASSERT_TRUE(p) << d.to_string();
    EXPECT_EQ(p->words, (std::vector<std::string>{"圣索菲亚大教堂"}));
    EXPECT_EQ(d.error_count(), 1u) << d.to_string();    // 7 is not a string
    EXPECT_EQ(d.warning_count(), 1u) << d.to_string();  // one character
}

