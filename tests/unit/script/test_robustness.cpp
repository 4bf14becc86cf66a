// Hostile and broken input: every reader ends with located errors, never a crash, a hang or time
// that grows with the square of the input. The hang guards give minutes of margin (an input of
// about a megabyte, which took minutes when a reader was quadratic, must finish within seconds);
// they are not performance targets.

#include <chrono>

#include "core/text_util.h"
#include "script/template.h"
#include "test_helpers.h"

using namespace sw;
using swtest::read_md;

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

constexpr double kHangGuardS = 5.0;

core::Result<timeline::Project> read_as(const std::string& text, script::Format f, core::Diagnostics& d)
{
    return script::read_script_text(text, f == script::Format::Json ? "p.json" : "s.md", f, ".", d);
}

bool has_message(const core::Diagnostics& d, const std::string& part)
{
    for (auto& i : d.items())
        if (i.to_string().find(part) != std::string::npos)
            return true;
    return false;
}

}  // namespace

// ---- JSON ----

TEST(Robust, JsonNumberOutOfDoubleRangeIsALocatedError)
{
    core::Diagnostics d;
    auto p = read_as("{\"shots\": [{\"name\": \"a\",\n  \"duration\": 1e309}]}", script::Format::Json, d);
    ASSERT_FALSE(p.has_value());
    EXPECT_NE(p.error().message.find("too large"), std::string::npos) << p.error().message;
    EXPECT_EQ(p.error().where.line, 2);
    EXPECT_EQ(p.error().where.col, 15);
}

TEST(Robust, JsonDeepNestingIsALocatedErrorNotAStackOverflow)
{
    for (int depth : {65, 50'000, 1'000'000}) {
        std::string text = "{\"shots\": " + std::string(size_t(depth), '[') + std::string(size_t(depth), ']') + "}";
        core::Diagnostics d;
        auto t0 = std::chrono::steady_clock::now();
        auto p = read_as(text, script::Format::Json, d);
        EXPECT_LT(seconds_since(t0), kHangGuardS);
        ASSERT_FALSE(p.has_value());
        EXPECT_NE(p.error().message.find("nesting deeper than 64"), std::string::npos) << p.error().message;
        EXPECT_EQ(p.error().where.line, 1);
        EXPECT_EQ(p.error().where.col, 1 + 10 + 63);  // the 64th '[' after "{" is the 65th level
    }
}

TEST(Robust, JsonWithinTheDepthLimitStillReads)
{
    core::Diagnostics d;
    std::string deep = std::string(60, '[') + std::string(60, ']');
    auto p = read_as("{\"shots\": [{\"name\": \"a\", \"narration\": \"x\"}], \"x\": " + deep + "}", script::Format::Json, d);
    ASSERT_TRUE(p.has_value());  // an unknown field, reported as such
    EXPECT_TRUE(has_message(d, "unknown field \"x\""));
}

TEST(Robust, JsonManyValuesOnOneLineIsLinear)
{
    // A minified file: every value on line 1, each one an error whose column is counted.
    std::string text = "{\"shots\": [";
    for (int i = 0; i < 40'000; ++i)
        text += std::string(i ? "," : "") + "{\"name\": 1, \"narration\": 2}";
    text += "]}";
    core::Diagnostics d;
    auto t0 = std::chrono::steady_clock::now();
    auto p = read_as(text, script::Format::Json, d);
    EXPECT_LT(seconds_since(t0), kHangGuardS);
    EXPECT_TRUE(d.has_errors());
}

// ---- Markdown ----

TEST(Robust, LongLineOfTabsIsAnErrorAtTheLimit)
{
    core::Diagnostics d;
    auto t0 = std::chrono::steady_clock::now();
    auto p = read_md("# a\n" + std::string(1'000'000, '\t') + "x\n", d);
    EXPECT_LT(seconds_since(t0), kHangGuardS);
    ASSERT_EQ(d.error_count(), 1u) << d.to_string();
    EXPECT_EQ(d.items()[0].where.line, 2);
    EXPECT_EQ(d.items()[0].where.col, int(script::kMaxLineBytes) + 1);
    EXPECT_NE(d.items()[0].message.find("longer than 20000 bytes"), std::string::npos);
}

TEST(Robust, TabsInNarrationBecomeSpaces)
{
    core::Diagnostics d;
    auto p = read_md("# a\none\ttwo\n", d);
    EXPECT_FALSE(d.has_errors()) << d.to_string();
    ASSERT_EQ(p.shots.size(), 1u);
    EXPECT_EQ(p.shots[0].narration, std::vector<std::string>{"one two"});
}

TEST(Robust, ControlCharacterIsALocatedErrorAndTheMessageIsWhole)
{
    core::Diagnostics d;
    read_md(std::string("# a\nab\0cd\n", 10), d);
    ASSERT_EQ(d.error_count(), 1u) << d.to_string();
    EXPECT_EQ(d.items()[0].where.line, 2);
    EXPECT_EQ(d.items()[0].where.col, 3);
    EXPECT_NE(d.items()[0].message.find("U+0000"), std::string::npos);
    EXPECT_EQ(d.to_string().find('\0'), std::string::npos);
}

TEST(Robust, NarrationTitleAndShotLimits)
{
    core::Diagnostics d;
    std::string line(400, 'x');  // 13 lines: 5200 characters, over the 5000 of one shot
    std::string narr;
    for (int i = 0; i < 13; ++i)
        narr += line + "\n";
    auto p = read_md("# a\ntitle: " + std::string(201, 't') + "\n" + narr + "# b\nshort\n", d);
    EXPECT_TRUE(has_message(d, "the title is 201 characters long; at most 200")) << d.to_string();
    EXPECT_TRUE(has_message(d, "is longer than 5000 characters")) << d.to_string();
    ASSERT_EQ(p.shots.size(), 2u);
    EXPECT_TRUE(p.shots[0].narration.empty());  // dropped: nothing downstream lays it out
    EXPECT_EQ(p.shots[1].narration, std::vector<std::string>{"short"});

    core::Diagnostics d2;
    std::string many;
    for (size_t i = 0; i <= script::kMaxShots; ++i)
        many += "# s\nx\n";
    auto q = read_md(many, d2);
    EXPECT_EQ(q.shots.size(), script::kMaxShots);
    EXPECT_TRUE(has_message(d2, "more than 1000 shots")) << d2.to_string();
}

TEST(Robust, StrayWordsAfterATransitionAreLinearAndCapped)
{
    std::string words;
    for (int i = 0; i < 3'000; ++i)
        words += " zz";
    std::string text;
    for (int i = 0; i < 300; ++i)  // about a megabyte; each word is an error with a column
        text += "# a\nx\ntransition: fade 0.5s" + words + "\n";
    core::Diagnostics d;
    auto t0 = std::chrono::steady_clock::now();
    read_md(text, d);
    EXPECT_LT(seconds_since(t0), kHangGuardS);
    EXPECT_GT(d.error_count(), 300'000u);
    EXPECT_EQ(d.items().size(), core::Diagnostics::kMaxItems);  // the rest counted, not kept
    EXPECT_NE(d.to_string().find("more problems not shown"), std::string::npos);
}

TEST(Robust, StrayWordsAfterAMediaPathAreLinear)
{
    std::string text = "# a\nphoto.jpg";
    for (int i = 0; i < 150'000; ++i)
        text += " zz";
    core::Diagnostics d;
    auto t0 = std::chrono::steady_clock::now();
    read_md(text, d);
    EXPECT_LT(seconds_since(t0), kHangGuardS);
}

// ---- article (.txt) ----

TEST(Robust, ArticleLongRunsOfSpacesAndMarksAreLinear)
{
    for (std::string filler : {std::string(" "), std::string("."), std::string("!"), std::string("\u3000")}) {
        std::string text = "a";
        for (size_t i = 0; i < 1'000'000 / filler.size(); ++i)
            text += filler;
        text += "b";
        core::Diagnostics d;
        auto t0 = std::chrono::steady_clock::now();
        read_md(text, d, ".", script::Format::Article);
        EXPECT_LT(seconds_since(t0), kHangGuardS) << "filler " << filler;
    }
}

TEST(Robust, ArticleParagraphOfManyLinesWithoutASentenceEndIsLinear)
{
    std::string text;
    for (int i = 0; i < 100'000; ++i)
        text += "word word\n";
    core::Diagnostics d;
    auto t0 = std::chrono::steady_clock::now();
    read_md(text, d, ".", script::Format::Article);
    EXPECT_LT(seconds_since(t0), kHangGuardS);
    EXPECT_TRUE(has_message(d, "the narration is 999999 characters long")) << d.to_string();
}

// ---- batch data and templates ----

TEST(Robust, CsvControlCharacterNamesTheRowAndField)
{
    auto t = script::read_csv_text(std::string("city,title\nHarbin,ok\nBei\0jing,x\n", 31), "rows.csv");
    ASSERT_TRUE(t.has_value());
    ASSERT_EQ(t->rows.size(), 2u);
    EXPECT_TRUE(t->rows[0].error.empty());
    EXPECT_NE(t->rows[1].error.find("field \"city\" has a control character (U+0000)"), std::string::npos)
        << t->rows[1].error;
    EXPECT_EQ(t->rows[1].error.find('\0'), std::string::npos);
}

TEST(Robust, TooManyRowsIsAnErrorForTheFile)
{
    std::string csv = "a\n";
    std::string jsonl;
    for (size_t i = 0; i <= script::kMaxBatchRows; ++i) {
        csv += "1\n";
        jsonl += "{\"a\": 1}\n";
    }
    auto c = script::read_csv_text(csv, "rows.csv");
    ASSERT_FALSE(c.has_value());
    EXPECT_NE(c.error().message.find("more than 100000 rows"), std::string::npos) << c.error().message;
    auto j = script::read_jsonl_text(jsonl, "rows.jsonl");
    ASSERT_FALSE(j.has_value());
    EXPECT_EQ(j.error().where.line, int(script::kMaxBatchRows) + 1);
}

TEST(Robust, JsonlDeepLineAndManyKeysLine)
{
    std::string deep = "{\"a\": " + std::string(100'000, '[') + "\n{\"b\": 1}\n";
    std::string wide = "{";
    for (int i = 0; i < 100'000; ++i)
        wide += std::string(i ? "," : "") + "\"k" + std::to_string(i) + "\": 1";
    wide += "}\n";
    auto t0 = std::chrono::steady_clock::now();
    auto j = script::read_jsonl_text(deep + wide, "rows.jsonl");
    EXPECT_LT(seconds_since(t0), kHangGuardS);
    ASSERT_TRUE(j.has_value());
    ASSERT_EQ(j->rows.size(), 3u);
    EXPECT_NE(j->rows[0].error.find("nesting deeper"), std::string::npos) << j->rows[0].error;
    EXPECT_TRUE(j->rows[1].error.empty());
    EXPECT_EQ(j->rows[2].fields.size(), 100'000u);
    EXPECT_EQ(j->rows[2].fields[1].first, "k1");  // the line's order
}

TEST(Robust, HugeTitleFromARowIsRefusedAtThePlaceholder)
{
    script::DataRow row;
    row.number = 1;
    row.fields = {{"title", std::string(100'000, 'T')}};
    core::Diagnostics d;
    auto filled = script::fill_template("# a\ntitle: {{title}}\nnarration\n", row, "t.md", d);
    ASSERT_TRUE(filled.has_value());
    auto t0 = std::chrono::steady_clock::now();
    auto p = script::read_script_text(filled->text, "t.md", script::Format::Markdown, ".", d);
    EXPECT_LT(seconds_since(t0), kHangGuardS);
    ASSERT_TRUE(p.has_value());
    ASSERT_TRUE(d.has_errors());
    core::SourceLoc at = filled->map.to_template(d.items()[0].where);
    EXPECT_EQ(at.line, 2);
    EXPECT_EQ(at.col, 8);  // the {{title}} placeholder
    EXPECT_TRUE(p->shots[0].title.empty());
}

TEST(Robust, ManyUnclosedPlaceholdersOnOneLineAreLinear)
{
    std::string text;
    for (int i = 0; i < 300'000; ++i)
        text += "{{ ";
    script::DataRow row;
    row.number = 1;
    core::Diagnostics d;
    auto t0 = std::chrono::steady_clock::now();
    auto f = script::fill_template(text, row, "t.md", d);
    auto names = script::template_fields(text);
    EXPECT_LT(seconds_since(t0), kHangGuardS);
    EXPECT_FALSE(f.has_value());
    EXPECT_TRUE(names.empty());
}

// ---- encodings ----

namespace {

std::string utf16(const std::string& ascii_and_cjk_utf8, bool little_endian)
{
    std::string out = little_endian ? "\xFF\xFE" : "\xFE\xFF";
    for (char32_t c : core::utf8_decode(ascii_and_cjk_utf8)) {
        char hi = char(c >> 8), lo = char(c & 0xFF);
        out += little_endian ? std::string{lo, hi} : std::string{hi, lo};
    }
    return out;
}

}  // namespace

TEST(Robust, Utf16ScriptsAreReadWithAWarning)
{
    for (bool le : {true, false}) {
        core::Diagnostics d;
        auto p = read_md(utf16("# 开场\n雪夜。\n", le), d);
        EXPECT_FALSE(d.has_errors()) << d.to_string();
        EXPECT_TRUE(has_message(d, le ? "saved as UTF-16LE" : "saved as UTF-16BE")) << d.to_string();
        ASSERT_EQ(p.shots.size(), 1u);
        EXPECT_EQ(p.shots[0].name, "开场");
        EXPECT_EQ(p.shots[0].narration, std::vector<std::string>{"雪夜。"});
    }
    core::Diagnostics d;
    auto j = read_as(utf16("{\"shots\": [{\"name\": \"a\", \"narration\": \"雪\"}]}", true), script::Format::Json, d);
    ASSERT_TRUE(j.has_value()) << j.error().message;
    EXPECT_EQ(j->shots.at(0).narration, std::vector<std::string>{"雪"});
}

TEST(Robust, GbkCsvFromExcelIsReadWithAWarning)
{
    // "城市,标题\n哈尔滨,冰雪" as Excel on Chinese Windows saves it.
    std::string gbk = "\xB3\xC7\xCA\xD0,\xB1\xEA\xCC\xE2\r\n\xB9\xFE\xB6\xFB\xB1\xF5,\xB1\xF9\xD1\xA9\r\n";
    auto t = script::read_csv_text(gbk, "rows.csv");
    ASSERT_TRUE(t.has_value());
    EXPECT_EQ(t->columns, (std::vector<std::string>{"城市", "标题"}));
    ASSERT_EQ(t->rows.size(), 1u);
    EXPECT_EQ(*t->rows[0].find("城市"), "哈尔滨");
    EXPECT_NE(t->warning.find("GB18030 (GBK)"), std::string::npos) << t->warning;

    auto j = script::read_jsonl_text(utf16("{\"城市\": \"哈尔滨\"}\n", true), "rows.jsonl");
    ASSERT_TRUE(j.has_value());
    ASSERT_EQ(j->rows.size(), 1u);
    EXPECT_EQ(*j->rows[0].find("城市"), "哈尔滨") << j->rows[0].error;
    EXPECT_NE(j->warning.find("UTF-16LE"), std::string::npos);

    auto bad = script::read_csv_text("a\nok\n\xFF\xFF\n", "rows.csv");  // neither UTF-8 nor GB18030
    ASSERT_TRUE(bad.has_value());
    ASSERT_EQ(bad->rows.size(), 2u);
    EXPECT_TRUE(bad->rows[0].error.empty());
    EXPECT_NE(bad->rows[1].error.find("not valid UTF-8"), std::string::npos) << bad->rows[1].error;
}

// ---- lines that were silently narration ----

TEST(Robust, NearHeadingsAndNearKeysWarn)
{
    core::Diagnostics d;
    auto p = read_md("# 开场\n"
                     "雪夜。\n"
                     "#结尾\n"
                     "＃ 结尾\n"
                     "Duration: 4s\n"  // a key in any case (docs/script.md)
                     "Duraton: 4s\n"
                     "视觉：冰灯\n"
                     "时长: 4秒\n"
                     "media/central_street\n"
                     "Note: prices rise in winter.\n"
                     "价格：三元一张。\n"
                     "See https://example.com/a\n",
                     d);
    EXPECT_FALSE(d.has_errors()) << d.to_string();
    std::string w;
    for (auto& i : d.items())
        w += std::to_string(i.where.line) + ":" + std::to_string(i.where.col) + " ";
    EXPECT_EQ(w, "3:1 4:1 6:1 7:1 8:1 9:1 ") << d.to_string();
    EXPECT_TRUE(has_message(d, "did you mean `duration:`?")) << d.to_string();
    EXPECT_EQ(p.shots.at(0).duration_us, 4'000'000);
    EXPECT_TRUE(has_message(d, "did you mean `visual:`?")) << d.to_string();
    EXPECT_TRUE(has_message(d, "looks like a file path without an extension")) << d.to_string();
    EXPECT_TRUE(has_message(d, "write `# 结尾` to start a shot")) << d.to_string();
    ASSERT_EQ(p.shots.size(), 1u);  // still narration: warnings, not a change of meaning
}
