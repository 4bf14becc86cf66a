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

// The example in docs/script.md's JSON section reads without errors.
TEST(JsonSchema, FieldsInSchemaAreTheOnesTheReaderKnows)
{
    std::ifstream in(std::string(SW_SOURCE_DIR) + "/docs/schema/project.schema.json");
    ASSERT_TRUE(in);
    auto schema = nlohmann::json::parse(in);
    auto keys = [](const nlohmann::json& props) {
        std::vector<std::string> k;
        for (auto& [name, v] : props.items())
            k.push_back(name);
        std::sort(k.begin(), k.end());
        return k;
    };
    EXPECT_EQ(keys(schema.at("properties")),
              (std::vector<std::string>{"$schema", "background", "fps", "logo", "music", "schema_version", "shots", "size", "subtitles",
                                        "title", "transition", "tts", "tts_command", "voice", "voice_pitch", "voice_rate"}));
    EXPECT_EQ(keys(schema.at("$defs").at("shot").at("properties")),
              (std::vector<std::string>{"duration", "name", "narration", "title", "transition", "visual"}));
    EXPECT_EQ(keys(schema.at("$defs").at("visual").at("properties")),
              (std::vector<std::string>{"description", "fit", "from", "media", "move", "to"}));
}
