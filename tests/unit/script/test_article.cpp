#include "test_helpers.h"

#include "timeline/plan.h"

using namespace sw;
using namespace sw::timeline;
using swtest::read_md;

TEST(Article, ChineseSentencesGroupedByReadingTime)
{
    core::Diagnostics d;
    auto p = read_md("哈尔滨是一座美丽的城市。冬天的哈尔滨冰天雪地，“这里真冷！”游客说。中央大街上人来人往……夜幕降临，灯火辉煌。\n"
                     "\n"
                     "  松花江冰封千里！\n",
                     d, ".", script::Format::Article);
    EXPECT_FALSE(d.has_errors()) << d.to_string();
    ASSERT_EQ(p.shots.size(), 3u);
    const Shot& a = p.shots[0];
    ASSERT_EQ(a.narration.size(), 2u);
    EXPECT_EQ(a.narration[0], "哈尔滨是一座美丽的城市。");
    EXPECT_EQ(a.narration[1], "冬天的哈尔滨冰天雪地，“这里真冷！”");
    EXPECT_EQ(a.narration_locs[1].line, 1);
    EXPECT_EQ(a.narration_locs[1].col, 13);
    EXPECT_EQ(a.name, "Shot 1");
    EXPECT_EQ(a.visual.kind, VisualKind::Description);
    EXPECT_EQ(a.visual.description, "哈尔滨是一座美丽的城市。冬天的哈尔滨冰天雪地，“这里真冷！”");
    const Shot& b = p.shots[1];
    ASSERT_EQ(b.narration.size(), 3u);
    EXPECT_EQ(b.narration[0], "游客说。");
    EXPECT_EQ(b.narration_locs[0].col, 31);
    EXPECT_EQ(b.narration[1], "中央大街上人来人往……");
    EXPECT_EQ(b.narration[2], "夜幕降临，灯火辉煌。");
    // A paragraph break always ends a shot.
    const Shot& c = p.shots[2];
    ASSERT_EQ(c.narration.size(), 1u);
    EXPECT_EQ(c.narration_locs[0].line, 3);
    EXPECT_EQ(c.narration_locs[0].col, 3);
    EXPECT_EQ(c.name, "Shot 3");
    for (auto& s : p.shots)
        EXPECT_LE(estimate_reading_us(s.narration), 7'000'000);
}

TEST(Article, EnglishSentencesAcrossLines)
{
    core::Diagnostics d;
    auto p = read_md("Harbin is a city in northern China. It is famous for its ice festival.\n"
                     "\"Come and see!\" the mayor said. The festival opens in January, and it lasts\n"
                     "until the end of February. Prices are 3.5 yuan.\n",
                     d, ".", script::Format::Article);
    EXPECT_FALSE(d.has_errors()) << d.to_string();
    ASSERT_EQ(p.shots.size(), 4u);
    EXPECT_EQ(p.shots[0].narration,
              (std::vector<std::string>{"Harbin is a city in northern China.", "It is famous for its ice festival."}));
    EXPECT_EQ(p.shots[1].narration, (std::vector<std::string>{"\"Come and see!\"", "the mayor said."}));
    ASSERT_EQ(p.shots[2].narration.size(), 1u);
    EXPECT_EQ(p.shots[2].narration[0], "The festival opens in January, and it lasts until the end of February.");
    EXPECT_EQ(p.shots[2].narration_locs[0].line, 2);
    EXPECT_EQ(p.shots[2].narration_locs[0].col, 33);
    EXPECT_EQ(p.shots[3].narration[0], "Prices are 3.5 yuan.");
    EXPECT_EQ(p.shots[3].narration_locs[0].line, 3);
    EXPECT_EQ(p.shots[3].narration_locs[0].col, 28);
    EXPECT_EQ(p.shots[0].visual.description, "Harbin is a city in northern China. It is famous for its ice festival.");
}

TEST(Article, MarkdownWithoutHeadingsKeepsFrontMatter)
{
    core::Diagnostics d;
    auto p = read_md("---\nsize: 16:9\ntransition: fade 0.3s\n---\n第一句。第二句。\n", d);
    EXPECT_FALSE(d.has_errors()) << d.to_string();
    EXPECT_EQ(p.width, 1920);
    ASSERT_EQ(p.shots.size(), 1u);
    EXPECT_EQ(p.shots[0].narration.size(), 2u);
    EXPECT_EQ(p.shots[0].narration_locs[0].line, 5);
    EXPECT_EQ(p.default_transition.name, "fade");
    // Key-like lines in an article are prose.
    core::Diagnostics d2;
    auto q = read_md("duration: is just a word here.\n", d2, ".", script::Format::Article);
    EXPECT_FALSE(d2.has_errors());
    EXPECT_EQ(q.shots.size(), 1u);

    core::Diagnostics d3;
    read_md("   \n\n", d3, ".", script::Format::Article);
    EXPECT_EQ(d3.error_count(), 1u);
}

TEST(Article, FormatDetectionForTxt)
{
    EXPECT_EQ(script::format_for("a.txt", "plain text\n#tag is not a heading\n"), script::Format::Article);
    EXPECT_EQ(script::format_for("a.txt", "intro\n# Shot\n"), script::Format::Markdown);
    EXPECT_EQ(script::format_for("a.MD"), script::Format::Markdown);
    EXPECT_EQ(script::format_for("a.json"), script::Format::Json);
    EXPECT_FALSE(script::format_for("a.docx"));
}
