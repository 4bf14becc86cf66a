// The grammar table (script/grammar.h) against what documents it and what reads it: the JSON
// Schema, docs/script.md's tables and generated key reference, and both readers' checks.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "script/grammar.h"
#include "script/readers.h"
#include "script/script.h"
#include "test_helpers.h"

using namespace sw;
using namespace sw::script;
using nlohmann::json;
using swtest::TempDir;

namespace {

std::string read_text(const std::string& rel)
{
    std::ifstream in(std::string(SW_SOURCE_DIR) + "/" + rel, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

json schema()
{
    static const json s = json::parse(read_text("docs/schema/project.schema.json"));
    return s;
}

// `p` with a "$ref": "#/$defs/x" replaced by the definition (its own fields kept over it).
json resolve(const json& p)
{
    if (!p.contains("$ref"))
        return p;
    std::string ref = p.at("$ref");
    json out = schema().at(json::json_pointer(ref.substr(1)));
    for (auto& [k, v] : p.items())
        if (k != "$ref")
            out[k] = v;
    return out;
}

// The object schema of the place `where` in the JSON form.
json object_at(uint16_t where)
{
    const json& s = schema();
    auto object_branch = [](const json& p) {
        for (auto& b : p.at("oneOf"))
            if (b.value("type", "") == "object")
                return b;
        return json();
    };
    switch (where) {
    case grammar::Project: return s;
    case grammar::Shot: return s.at("$defs").at("shot");
    case grammar::Visual: return s.at("$defs").at("visual");
    case grammar::Subtitles: return object_branch(s.at("properties").at("subtitles"));
    case grammar::Logo: return object_branch(s.at("properties").at("logo"));
    case grammar::Music: return object_branch(s.at("properties").at("music"));
    case grammar::Loudness: return object_branch(s.at("properties").at("loudness"));
    case grammar::Transition: return object_branch(s.at("$defs").at("transition"));
    }
    return {};
}

const uint16_t kJsonPlaces[] = {grammar::Project, grammar::Shot, grammar::Visual, grammar::Subtitles,
                                grammar::Logo, grammar::Music, grammar::Loudness, grammar::Transition};

std::vector<std::string> sorted(std::vector<std::string> v)
{
    std::sort(v.begin(), v.end());
    return v;
}

// The numeric form of a property: itself, or its number branch.
json number_form(const json& p)
{
    json r = resolve(p);
    if (r.contains("oneOf"))
        for (auto& b : r.at("oneOf"))
            if (b.value("type", "") == "number" || b.value("type", "") == "integer")
                return b;
    return r;
}

}  // namespace

TEST(Grammar, SchemaHasExactlyTheTablesFieldsInEachObject)
{
    for (uint16_t where : kJsonPlaces) {
        json obj = object_at(where);
        ASSERT_TRUE(obj.contains("properties")) << "place " << where;
        std::vector<std::string> in_schema;
        for (auto& [name, v] : obj.at("properties").items())
            in_schema.push_back(name);
        EXPECT_EQ(sorted(in_schema), sorted(grammar::json_names(where)))
            << "docs/schema/project.schema.json and src/script/grammar.h disagree on the fields of place " << where;
        std::vector<std::string> required;
        for (auto& k : grammar::kKeys)
            if ((k.json_where & where) && k.required)
                required.emplace_back(k.json);
        EXPECT_EQ(sorted(obj.value("required", std::vector<std::string>{})), sorted(required)) << "place " << where;
        EXPECT_EQ(obj.value("additionalProperties", true), false) << "unknown fields are errors; place " << where;
    }
}

TEST(Grammar, SchemaRangesAndNamesAreTheTables)
{
    for (auto& k : grammar::kKeys) {
        if (k.json.empty())
            continue;
        json obj = object_at(k.json_where);
        json p = resolve(obj.at("properties").at(std::string(k.json)));
        std::string what = "\"" + std::string(k.json) + "\" in docs/schema/project.schema.json";
        if (k.range.bounded && k.type != grammar::Type::Choice) {
            json n = number_form(p);
            if (n.contains("const")) {
                EXPECT_EQ(n.at("const").get<double>(), k.range.lo) << what;
                EXPECT_EQ(n.at("const").get<double>(), k.range.hi) << what;
                continue;
            }
            EXPECT_EQ(n.value("type", ""), k.type == grammar::Type::Integer ? "integer" : "number") << what;
            const char* low = k.range.lo_open ? "exclusiveMinimum" : "minimum";
            ASSERT_TRUE(n.contains(low)) << what << " has no " << low;
            EXPECT_EQ(n.at(low).get<double>(), k.range.lo) << what;
            if (std::isinf(k.range.hi))
                EXPECT_FALSE(n.contains("maximum")) << what;
            else
                EXPECT_EQ(n.value("maximum", NAN), k.range.hi) << what;
        }
        if (k.type == grammar::Type::Choice) {
            auto names = grammar::choice_names(k);
            if (p.contains("enum")) {
                EXPECT_EQ(p.at("enum").get<std::vector<std::string>>(), names) << what;
            } else {
                // "position": names or a percentage, as a pattern.
                std::string pattern = p.at("pattern");
                for (auto& name : names)
                    EXPECT_TRUE(std::regex_search(name, std::regex(pattern))) << what << " does not accept " << name;
            }
        }
        if (k.type == grammar::Type::Boolean) {
            EXPECT_TRUE(p.value("type", "") == "boolean" || p.value("const", json()) == true) << what;
        }
        if (k.type == grammar::Type::Integer && !k.range.bounded) {
            EXPECT_EQ(p.value("type", ""), "integer") << what;
        }
    }
}

// The tables of docs/script.md name exactly the keys of the table; the key reference in it is
// what grammar_doc generates.
TEST(Grammar, DocsTablesNameTheTablesKeys)
{
    std::string doc = read_text("docs/script.md");
    auto section = [&](const std::string& heading, const std::string& next) {
        size_t b = doc.find("\n" + heading + "\n");
        size_t e = doc.find("\n" + next, b + 1);
        EXPECT_NE(b, std::string::npos) << heading;
        return doc.substr(b, e - b);
    };
    // First cells of table rows: "| `size` |", "| `duration:` |", "| `title`, `background` |".
    auto first_cells = [](const std::string& text) {
        std::vector<std::string> names;
        std::regex row(R"(\n\| ([^|]+) \|)");
        for (auto it = std::sregex_iterator(text.begin(), text.end(), row); it != std::sregex_iterator(); ++it) {
            std::string cell = (*it)[1];
            std::regex name("`([^`]+)`");
            for (auto n = std::sregex_iterator(cell.begin(), cell.end(), name); n != std::sregex_iterator(); ++n)
                names.push_back((*n)[1]);
        }
        return names;
    };
    EXPECT_EQ(sorted(first_cells(section("## Front matter", "## "))), sorted(grammar::md_names(grammar::Project)));
    for (auto& reserved : grammar::md_reserved_names(grammar::Project))
        EXPECT_NE(section("## Front matter", "## ").find("`" + reserved + "` is reserved"), std::string::npos) << reserved;
    std::vector<std::string> shot_keys;
    for (auto& k : grammar::md_names(grammar::Shot))
        shot_keys.push_back(k + ":");
    EXPECT_EQ(sorted(first_cells(section("### Shot keys", "### "))), sorted(shot_keys));
    std::vector<std::string> fields;
    for (auto& f : grammar::json_names(grammar::Project))
        fields.push_back(f);
    for (auto& f : grammar::json_names(grammar::Shot))
        fields.push_back("shots[]." + f);
    EXPECT_EQ(sorted(first_cells(section("## The JSON form", "## "))), sorted(fields));
}

TEST(Grammar, DocsKeyReferenceIsGenerated)
{
    std::string doc = read_text("docs/script.md");
    size_t b = doc.find(grammar::kReferenceBegin);
    size_t e = doc.find(grammar::kReferenceEnd);
    ASSERT_NE(b, std::string::npos);
    ASSERT_NE(e, std::string::npos);
    EXPECT_EQ(doc.substr(b, e + grammar::kReferenceEnd.size() + 1 - b), grammar::key_reference_markdown())
        << "the grammar table changed: run `build/grammar_doc --write docs/script.md`";
}

TEST(Grammar, EveryRowIsReachableAndWellFormed)
{
    std::set<std::pair<uint16_t, std::string>> md, js;
    for (auto& k : grammar::kKeys) {
        EXPECT_FALSE(k.md.empty() && k.json.empty()) << k.description;
        EXPECT_FALSE(k.description.empty()) << k.md << k.json;
        if (!k.md.empty()) {
            EXPECT_TRUE(md.insert({k.md_where, std::string(k.md)}).second) << "two rows for Markdown " << k.md;
            EXPECT_FALSE(k.md_example.empty()) << k.md;
        }
        if (!k.json.empty()) {
            EXPECT_TRUE(js.insert({k.json_where, std::string(k.json)}).second) << "two rows for JSON " << k.json;
            EXPECT_FALSE(k.json_example.empty()) << k.json;
            EXPECT_TRUE(json::accept(k.json_example)) << k.json << ": " << k.json_example;
        }
        if (k.type == grammar::Type::Choice) {
            EXPECT_FALSE(k.choices.empty()) << k.md << k.json;
        }
    }
    EXPECT_EQ(front_matter_keys(), grammar::md_names(grammar::Project));
    EXPECT_EQ(shot_keys(), grammar::md_names(grammar::Shot));
}

// Each range is the readers' own: the ends are accepted, just past them is an error, in both forms.
TEST(Grammar, BothReadersTakeTheTablesRanges)
{
    struct Case {
        std::string md_line;  // a front matter line with {} for the value
        std::string json_field;
        const grammar::Key& key;
    };
    namespace g = grammar;
    const Case cases[] = {
        {"voice: en rate={}", R"("voice_rate": {})", g::md_key(g::Voice, "rate")},
        {"voice: en pitch={}", R"("voice_pitch": {})", g::md_key(g::Voice, "pitch")},
        {"loudness: {}", R"("loudness": {})", g::md_key(g::Loudness, "<lufs>")},
        {"loudness: -14 peak={}", R"("loudness": {"peak_dbtp": {}})", g::md_key(g::Loudness, "peak")},
        {"subtitles: on shadow={}", R"("subtitles": {"shadow": {}})", g::md_key(g::Subtitles, "shadow")},
        {"subtitles: on outline={}", R"("subtitles": {"outline_px": {}})", g::md_key(g::Subtitles, "outline")},
        {"subtitles: on size={}%", R"("subtitles": {"size_percent": {}})", g::md_key(g::Subtitles, "size")},
        {"subtitles: on lines={}", R"("subtitles": {"max_lines": {}})", g::md_key(g::Subtitles, "lines")},
    };
    auto fill = [](std::string s, double v) { return s.replace(s.find("{}"), 2, g::number_text(v)); };
    for (auto& c : cases) {
        double step = c.key.type == g::Type::Integer ? 1 : 0.5;
        for (double v : {c.key.range.lo, c.key.range.hi, c.key.range.lo - step, c.key.range.hi + step}) {
            bool ok = c.key.range.contains(v);
            core::Diagnostics dm, dj;
            (void)read_script_text("---\n" + fill(c.md_line, v) + "\n---\n# A\nHello.\n", "t.md", Format::Markdown, ".", dm);
            (void)read_script_text("{" + fill(c.json_field, v) + R"(, "shots": [{"narration": "Hello."}]})", "t.json",
                                   Format::Json, ".", dj);
            EXPECT_EQ(dm.has_errors(), !ok) << fill(c.md_line, v);
            EXPECT_EQ(dj.has_errors(), !ok) << fill(c.json_field, v);
        }
    }
}

TEST(Grammar, LogoCornerAndSubtitlePositionAreEnums)
{
    TempDir t;
    t.write("logo.png");
    core::Diagnostics dm, dj;
    auto m = read_script_text("---\nlogo: logo.png bottom-left\nsubtitles: on position=top\n---\n# A\nHello.\n", "t.md",
                              Format::Markdown, t.path(), dm);
    auto j = read_script_text(R"({"logo": {"media": "logo.png", "corner": "bottom-left"}, "subtitles": {"position": "top"},
                                  "shots": [{"narration": "Hello."}]})",
                              "t.json", Format::Json, t.path(), dj);
    ASSERT_TRUE(m && j);
    ASSERT_FALSE(dm.has_errors()) << dm.items().front().message;
    ASSERT_FALSE(dj.has_errors()) << dj.items().front().message;
    for (auto* p : {&*m, &*j}) {
        ASSERT_TRUE(p->logo);
        EXPECT_EQ(p->logo->corner, timeline::LogoCorner::BottomLeft);
        EXPECT_FALSE(timeline::is_right(p->logo->corner));
        EXPECT_TRUE(timeline::is_bottom(p->logo->corner));
        EXPECT_EQ(p->subtitle_look.position, timeline::SubtitlePosition::Top);
    }
    EXPECT_STREQ(timeline::to_string(timeline::LogoCorner::TopRight), "top-right");
    EXPECT_STREQ(timeline::to_string(timeline::SubtitlePosition::Percent), "percent");
}

// Every row's examples are read without an error by its reader, so the table's examples (shown in
// hints and docs) are true and each reader knows each row.
TEST(Grammar, EveryExampleReadsWithoutErrors)
{
    namespace g = grammar;
    TempDir t;
    for (const char* f : {"media/street.jpg", "media/clip.mp4", "media/bgm.mp3", "media/logo.png", "vo/shot3.wav",
                          "models/wan.toml"})
        t.write(f);
    auto expect_clean = [&](const std::string& text, Format format, const std::string& what) {
        core::Diagnostics d;
        auto p = read_script_text(text, format == Format::Json ? "t.json" : "t.md", format, t.path(), d);
        ASSERT_TRUE(p) << what << ": " << p.error().message;
        for (auto& i : d.items())
            EXPECT_NE(i.severity, core::Severity::Error) << what << ": " << i.message << " — " << i.hint << "\n" << text;
    };
    // The value a Markdown row's own line needs around it.
    auto md_line = [](const g::Key& k) -> std::string {
        std::string word = k.md_bare ? std::string(k.md_example) : std::string(k.md) + "=" + std::string(k.md_example);
        switch (k.md_where) {
        case g::Voice: return "voice: zh " + word;
        case g::Subtitles: return "subtitles: on " + word;
        case g::Logo: return k.md_bare && k.type == g::Type::Path ? "logo: " + word : "logo: media/logo.png " + word;
        case g::Music: return k.md_bare && k.type == g::Type::Path ? "music: " + word : "music: media/bgm.mp3 " + word;
        case g::Loudness: return "loudness: " + word;
        }
        return std::string(k.md) + ": " + std::string(k.md_example);
    };
    for (const g::Key& k : g::kKeys) {
        if (!k.md.empty() && !(k.md_where & (g::Visual | g::Transition)) && !k.reserved) {
            std::string line = md_line(k);
            if (k.md_where & g::Shot)
                expect_clean("# A\nHello.\n" + line + "\n", Format::Markdown, line);
            else
                expect_clean("---\n" + line + "\n---\n# A\nHello.\n", Format::Markdown, line);
        }
        if (k.md_where & g::Visual) {
            std::string path = k.type == g::Type::Duration ? "media/clip.mp4" : "media/street.jpg";
            std::string line = k.type == g::Type::Path ? std::string(k.md_example)
                             : path + " " + (k.md_bare ? "" : std::string(k.md) + " ") + std::string(k.md_example);
            expect_clean("# A\n" + line + "\n", Format::Markdown, line);
        }
        if (k.json.empty())
            continue;
        std::string field = "\"" + std::string(k.json) + "\": " + std::string(k.json_example);
        const std::string shot = R"({"narration": "Hello."})";
        std::string doc;
        switch (k.json_where) {
        case g::Project:
            doc = k.json == "shots" ? "{" + field + "}" : "{" + field + ", \"shots\": [" + shot + "]}";
            break;
        case g::Shot: doc = "{\"shots\": [{" + field + "}]}"; break;
        case g::Visual:
            doc = "{\"shots\": [{\"visual\": {" + field
                + (k.json == "media" || k.json == "description" || k.json == "generate" || k.json == "card"
                       ? std::string()
                       : std::string(", \"media\": \"media/") + (k.type == g::Type::Duration ? "clip.mp4\"" : "street.jpg\""))
                + "}}]}";
            break;
        case g::Subtitles: doc = "{\"subtitles\": {" + field + "}, \"shots\": [" + shot + "]}"; break;
        case g::Logo: doc = "{\"logo\": {\"media\": \"media/logo.png\", " + field + "}, \"shots\": [" + shot + "]}"; break;
        case g::Music: doc = "{\"music\": {\"media\": \"media/bgm.mp3\", " + field + "}, \"shots\": [" + shot + "]}"; break;
        case g::Loudness: doc = "{\"loudness\": {" + field + "}, \"shots\": [" + shot + "]}"; break;
        case g::Transition:
            doc = "{\"transition\": {\"name\": \"fade\", " + field + "}, \"shots\": [" + shot + ", " + shot + "]}";
            break;
        }
        // A repeated "media"/"name" (the row that is the required field itself) is a duplicate.
        if ((k.json_where & (g::Logo | g::Music)) && k.json == "media")
            doc = "{\"" + std::string(k.json_where == g::Logo ? "logo" : "music") + "\": {" + field + "}, \"shots\": [" + shot + "]}";
        if (k.json_where == g::Transition && k.json == "name")
            doc = "{\"transition\": {" + field + "}, \"shots\": [" + shot + ", " + shot + "]}";
        expect_clean(doc, Format::Json, field);
    }
}
