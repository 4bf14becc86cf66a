// Batch templates: {{field}} substitution with a map back to the template, and the data tables
// (CSV, JSON Lines) that fill them.

#include "script/template.h"
#include "test_helpers.h"

using namespace sw;
using script::DataRow;

namespace {

DataRow row(std::vector<std::pair<std::string, std::string>> fields, int number = 3)
{
    DataRow r;
    r.number = number;
    r.line = number + 1;
    r.fields = std::move(fields);
    return r;
}

std::string fill(std::string_view text, const DataRow& r, core::Diagnostics& d)
{
    auto f = script::fill_template(text, r, "t.md", d);
    return f ? f->text : "<failed>";
}

}  // namespace

TEST(Template, FieldsAnywhereChineseNamesAndSpaces)
{
    core::Diagnostics d;
    auto r = row({{"city", "哈尔滨"}, {"城市", "冰城"}, {"price-1", "9.9"}});
    EXPECT_EQ(fill("---\ntitle: {{city}}\n---\n# {{ 城市 }}\nmedia/{{city}}.jpg\n价格{{\tprice-1 }}元\n", r, d),
              "---\ntitle: 哈尔滨\n---\n# 冰城\nmedia/哈尔滨.jpg\n价格9.9元\n");
    EXPECT_FALSE(d.has_errors()) << d.to_string();
    EXPECT_EQ(script::template_fields("{{a}} {{ 城市 }} {{a}} {{{{b}}"), (std::vector<std::string>{"a", "城市"}));
}

TEST(Template, EscapeIsALiteralOpening)
{
    core::Diagnostics d;
    auto r = row({{"x", "1"}});
    EXPECT_EQ(fill("{{{{x}} is {{x}}; {{{{{{x}}", r, d), "{{x}} is 1; {{1");
    EXPECT_FALSE(d.has_errors()) << d.to_string();
}

TEST(Template, MissingFieldNamesRowLocationAndSuggestion)
{
    core::Diagnostics d;
    auto r = row({{"city", "Harbin"}, {"title", "Snow"}});
    auto f = script::fill_template("# A\n价格：{{ ctiy }} and {{ctiy}} {{nothing_like_it}}\n", r, "t.md", d);
    EXPECT_FALSE(f.has_value());
    ASSERT_EQ(d.error_count(), 2u) << d.to_string();  // once per name
    const auto& e = d.items()[0];
    EXPECT_EQ(e.where.file, "t.md");
    EXPECT_EQ(e.where.line, 2);
    EXPECT_EQ(e.where.col, 4);  // code points: 价 格 ： then {{
    EXPECT_NE(e.message.find("row 3"), std::string::npos) << e.message;
    EXPECT_NE(e.message.find("\"ctiy\""), std::string::npos) << e.message;
    EXPECT_NE(e.hint.find("did you mean {{city}}"), std::string::npos) << e.hint;
    EXPECT_EQ(d.items()[1].hint.find("did you mean"), std::string::npos) << d.items()[1].hint;
    EXPECT_NE(d.items()[1].hint.find("city, title"), std::string::npos) << d.items()[1].hint;
}

TEST(Template, MalformedPlaceholders)
{
    core::Diagnostics d;
    auto r = row({{"x", "1"}});
    EXPECT_FALSE(script::fill_template("a {{x\n}}", r, "t.md", d).has_value());
    EXPECT_FALSE(script::fill_template("{{a b}}", r, "t.md", d).has_value());
    EXPECT_FALSE(script::fill_template("{{}}", r, "t.md", d).has_value());
    ASSERT_EQ(d.error_count(), 3u);
    EXPECT_EQ(d.items()[0].where.col, 3);
    EXPECT_NE(d.items()[0].hint.find("{{{{"), std::string::npos);
}

TEST(Template, MultiLineValueAloneOnItsLineBecomesLines)
{
    core::Diagnostics d;
    auto r = row({{"story", "第一句。\r\n第二句。\nThird."}});
    EXPECT_EQ(fill("# A\n  {{story}}  \r\nend\n", r, d), "# A\n  第一句。\n第二句。\nThird.  \r\nend\n");
    EXPECT_FALSE(d.has_errors()) << d.to_string();
}

TEST(Template, MultiLineValueInsideALineIsAnError)
{
    core::Diagnostics d;
    auto r = row({{"story", "one\ntwo"}});
    EXPECT_FALSE(script::fill_template("# A\nsay {{story}}\n", r, "t.md", d).has_value());
    ASSERT_EQ(d.error_count(), 1u);
    EXPECT_EQ(d.items()[0].where.line, 2);
    EXPECT_EQ(d.items()[0].where.col, 5);
    EXPECT_NE(d.items()[0].message.find("not alone on its line"), std::string::npos);
}

TEST(Template, MapPointsBackIntoTheTemplate)
{
    core::Diagnostics d;
    auto r = row({{"story", "a\nb\nc"}, {"pic", "长长的名字"}});
    auto f = script::fill_template("# A\n{{story}}\n{{pic}}.jpg zoom-inn\n", r, "t.md", d);
    ASSERT_TRUE(f.has_value()) << d.to_string();
    EXPECT_EQ(f->text, "# A\na\nb\nc\n长长的名字.jpg zoom-inn\n");
    auto at = [&](int line, int col) {
        auto l = f->map.to_template({"t.md", line, col});
        return std::to_string(l.line) + ":" + std::to_string(l.col);
    };
    EXPECT_EQ(at(1, 3), "1:3");
    EXPECT_EQ(at(4, 1), "2:1");    // inside the value: its placeholder
    EXPECT_EQ(at(5, 3), "3:1");    // inside 长长的名字
    EXPECT_EQ(at(5, 11), "3:13");  // "zoom-inn": after the value, columns advance together again
    EXPECT_EQ(at(6, 0), "4:0");
    auto other = f->map.to_template({"media.jpg", 5, 3});
    EXPECT_EQ(other.line, 5);  // other files untouched
}

TEST(Template, FilledTextReadsAsAScript)
{
    swtest::TempDir t;
    core::Diagnostics d;
    auto r = row({{"city", "哈尔滨"}, {"n", "清晨的中央大街。\n夜幕降临。"}});
    auto f = script::fill_template("---\ntitle: {{city}}\n---\n# {{city}}\n{{n}}\nduraton: 2s\n", r, "t.md", d);
    ASSERT_TRUE(f.has_value());
    auto p = swtest::read_md(f->text, d, t.path());
    EXPECT_EQ(p.title, "哈尔滨");
    ASSERT_EQ(p.shots.size(), 1u);
    EXPECT_EQ(p.shots[0].narration, (std::vector<std::string>{"清晨的中央大街。", "夜幕降临。"}));
    ASSERT_EQ(d.error_count(), 1u) << d.to_string();  // duraton: line 7 of the filled text
    auto at = f->map.to_template({"t.md", d.items()[0].where.line, d.items()[0].where.col});
    EXPECT_EQ(at.line, 6);
}

// --- CSV -------------------------------------------------------------------------------------------

TEST(Csv, QuotesCommasNewlinesCrlfBom)
{
    std::string text = "\xEF\xBB\xBF" "city, title ,note\r\n"
                       "哈尔滨,\"Ice, snow\",\"say \"\"hi\"\"\r\nsecond line\"\r\n"
                       "\r\n"
                       "北京,,plain\r\n"
                       "\"上海\",x,\"\"";  // no final line break
    auto t = script::read_csv_text(text, "rows.csv");
    ASSERT_TRUE(t.has_value()) << t.error().message;
    EXPECT_EQ(t->columns, (std::vector<std::string>{"city", "title", "note"}));
    ASSERT_EQ(t->rows.size(), 3u);
    const auto& a = t->rows[0];
    EXPECT_EQ(a.number, 1);
    EXPECT_EQ(a.line, 2);
    EXPECT_TRUE(a.error.empty()) << a.error;
    EXPECT_EQ(*a.find("city"), "哈尔滨");
    EXPECT_EQ(*a.find("title"), "Ice, snow");
    EXPECT_EQ(*a.find("note"), "say \"hi\"\nsecond line");
    EXPECT_EQ(t->rows[1].number, 2);
    EXPECT_EQ(t->rows[1].line, 5);  // the blank line is skipped, not a row
    EXPECT_EQ(*t->rows[1].find("title"), "");
    EXPECT_EQ(*t->rows[2].find("city"), "上海");
    EXPECT_EQ(*t->rows[2].find("note"), "");
    EXPECT_EQ(a.label(), "city=哈尔滨");
}

TEST(Csv, RaggedRowFailsAloneWithItsLine)
{
    auto t = script::read_csv_text("a,b\n1,2\n1,2,3\nx\n5,6\n", "rows.csv");
    ASSERT_TRUE(t.has_value());
    ASSERT_EQ(t->rows.size(), 4u);
    EXPECT_TRUE(t->rows[0].error.empty());
    EXPECT_EQ(t->rows[1].number, 2);
    EXPECT_EQ(t->rows[1].line, 3);
    EXPECT_NE(t->rows[1].error.find("3 fields"), std::string::npos) << t->rows[1].error;
    EXPECT_NE(t->rows[2].error.find("1 field "), std::string::npos) << t->rows[2].error;
    EXPECT_TRUE(t->rows[3].error.empty());
    EXPECT_EQ(*t->rows[3].find("b"), "6");
}

TEST(Csv, BadQuotesAndHeaders)
{
    auto t = script::read_csv_text("a,b\n\"x\"y,2\n3,\"never closed\n4,5\n", "rows.csv");
    ASSERT_TRUE(t.has_value());
    ASSERT_EQ(t->rows.size(), 2u);
    EXPECT_NE(t->rows[0].error.find("after a closing quote"), std::string::npos) << t->rows[0].error;
    EXPECT_NE(t->rows[1].error.find("never closed"), std::string::npos) << t->rows[1].error;
    EXPECT_EQ(t->rows[1].line, 3);

    auto dup = script::read_csv_text("a,b,a\n1,2,3\n", "rows.csv");
    ASSERT_FALSE(dup.has_value());
    EXPECT_NE(dup.error().message.find("twice"), std::string::npos);
    EXPECT_EQ(dup.error().where.line, 1);
    EXPECT_FALSE(script::read_csv_text("a,,c\n", "rows.csv").has_value());
    EXPECT_FALSE(script::read_csv_text("\n\n", "rows.csv").has_value());
}

// --- JSON Lines --------------------------------------------------------------------------------------

TEST(Jsonl, StringsNumbersBlankLinesAndBadLines)
{
    std::string text = "{\"城市\": \"哈尔滨\", \"price\": 9.5, \"n\": 3, \"big\": 12345678901}\n"
                       "\n"
                       "{\"城市\": \"北京\", \"extra\": true}\r\n"
                       "{not json}\n"
                       "[1, 2]\n"
                       "{\"a\": null}\n"
                       "{\"a\": {\"b\": 1}}";
    auto t = script::read_jsonl_text(text, "rows.jsonl");
    ASSERT_TRUE(t.has_value());
    ASSERT_EQ(t->rows.size(), 6u);
    const auto& a = t->rows[0];
    EXPECT_TRUE(a.error.empty()) << a.error;
    EXPECT_EQ(a.names(), (std::vector<std::string>{"城市", "price", "n", "big"}));  // file order
    EXPECT_EQ(*a.find("城市"), "哈尔滨");
    EXPECT_EQ(*a.find("price"), "9.5");
    EXPECT_EQ(*a.find("n"), "3");
    EXPECT_EQ(*a.find("big"), "12345678901");
    EXPECT_EQ(t->rows[1].number, 2);
    EXPECT_EQ(t->rows[1].line, 3);
    EXPECT_EQ(*t->rows[1].find("extra"), "true");
    EXPECT_EQ(t->rows[2].line, 4);
    EXPECT_NE(t->rows[2].error.find("not valid JSON"), std::string::npos);
    EXPECT_NE(t->rows[3].error.find("not an object"), std::string::npos) << t->rows[3].error;
    EXPECT_NE(t->rows[4].error.find("null"), std::string::npos) << t->rows[4].error;
    EXPECT_NE(t->rows[5].error.find("object"), std::string::npos) << t->rows[5].error;
    EXPECT_EQ(t->columns, (std::vector<std::string>{"城市", "price", "n", "big", "extra"}));
}

TEST(DataFile, ByExtension)
{
    swtest::TempDir t;
    auto csv = t.write("rows.CSV", "a\n1\n");
    auto jl = t.write("rows.jsonl", "{\"a\": 1}\n");
    auto txt = t.write("rows.txt", "a\n1\n");
    auto c = script::read_data_file(csv);
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->rows.size(), 1u);
    auto j = script::read_data_file(jl);
    ASSERT_TRUE(j.has_value());
    EXPECT_EQ(*j->rows[0].find("a"), "1");
    EXPECT_FALSE(script::read_data_file(txt).has_value());
    EXPECT_FALSE(script::read_data_file(t.path() / "missing.csv").has_value());
}
