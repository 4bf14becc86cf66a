// Words: ICU segmentation, the lexicon of names kept whole, and the two together.

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "lang/lexicon.h"
#include "lang/words.h"

using namespace sw::lang;

namespace {

std::vector<std::string> pieces(const std::string& s, const std::vector<Span>& spans)
{
    std::vector<std::string> out;
    for (auto& sp : spans)
        out.push_back(s.substr(sp.begin, sp.end - sp.begin));
    return out;
}

}  // namespace

TEST(Words, ChineseIsSegmentedByDictionary)
{
    std::string s = "冰雪大世界点亮了整座城市";
    auto b = word_boundaries(s);
    ASSERT_EQ(b.size(), s.size() + 1);
    EXPECT_TRUE(b[0] && b[s.size()]);
    auto at = [&](const char* prefix) { return b[std::string_view(prefix).size()]; };
    EXPECT_FALSE(at("冰雪大世")) << "世界 is one word";
    EXPECT_FALSE(at("冰雪大世界点")) << "点亮 is one word";
    EXPECT_TRUE(at("冰雪大世界")) << "a boundary after 大世界";
    EXPECT_TRUE(at("冰雪大世界点亮了整座")) << "a boundary before 城市";
    // English words are whole, and spaces separate them.
    std::string en = "snow city";
    auto e = word_boundaries(en);
    EXPECT_FALSE(e[2]);
    EXPECT_TRUE(e[4] && e[5]);
}

TEST(Lexicon, FindsTermsLeftmostLongest)
{
    Lexicon lx;
    EXPECT_TRUE(lx.add("大理"));
    EXPECT_TRUE(lx.add("大理古城"));
    EXPECT_TRUE(lx.add("Saint Sophia"));
    EXPECT_FALSE(lx.add("月")) << "one character is not a term";
    EXPECT_FALSE(lx.add("一二三四五六七八九十一二三四五六七")) << "17 characters";
    std::string s = "三月的大理古城和saint sophia";
    EXPECT_EQ(pieces(s, lx.find(s)), (std::vector<std::string>{"大理古城", "saint sophia"}));
    EXPECT_TRUE(lx.contains("SAINT SOPHIA"));
}

TEST(Lexicon, PhrasesGiveTheNamesInsideThem)
{
    Lexicon lx;
    lx.add_phrases("visual: 圣索菲亚大教堂 夜景，IMG_2041_鲜花饼.jpg");
    EXPECT_TRUE(lx.contains("圣索菲亚大教堂"));
    EXPECT_TRUE(lx.contains("夜景"));
    EXPECT_TRUE(lx.contains("鲜花饼"));
    EXPECT_FALSE(lx.contains("visual")) << "English words are never split anyway";
    EXPECT_FALSE(lx.contains("jpg"));
    // A run too long to be a name (a whole clause) is not taken.
    lx.add_phrases("雪夜里的冰雕城堡镜头缓慢推进");
    EXPECT_FALSE(lx.contains("雪夜里的冰雕城堡镜头缓慢推进"));
}

TEST(Lexicon, BuiltinKnowsPlacesAndDishes)
{
    const Lexicon& b = Lexicon::builtin();
    EXPECT_GT(b.size(), 300u);
    for (const char* t : {"圣索菲亚大教堂", "鲜花饼", "哈尔滨", "冰雪大世界", "洱海", "过桥米线", "中央大街"})
        EXPECT_TRUE(b.contains(t)) << t;
}

TEST(Words, TermsStayWhole)
{
    // ICU alone splits the transliterated name; with the lexicon there is no boundary inside it.
    const std::string s = "拜占庭式的圣索菲亚大教堂，";
    const std::string name = "圣索菲亚大教堂";
    const size_t at = s.find(name);
    std::vector<bool> plain = word_boundaries(s);
    bool split = false;
    for (size_t i = at + 1; i < at + name.size(); ++i)
        split = split || plain[i];
    EXPECT_TRUE(split) << "ICU's dictionary does not know the name (else this test proves nothing)";
    std::vector<bool> kept = word_boundaries(s, Lexicon::builtin());
    for (size_t i = at + 1; i < at + name.size(); ++i)
        EXPECT_FALSE(kept[i]) << i;
    EXPECT_TRUE(kept[at] && kept[at + name.size()]);
}

TEST(Words, WordsSkipSpacesAndPunctuation)
{
    const std::string s = "三月的大理，风花雪月。 Spring!";
    auto w = pieces(s, words(s, &Lexicon::builtin()));
    ASSERT_FALSE(w.empty());
    EXPECT_EQ(w.front(), "三月");
    EXPECT_EQ(w.back(), "Spring");
    for (auto& x : w)
        EXPECT_TRUE(x.find("，") == std::string::npos && x.find(' ') == std::string::npos) << x;
}

TEST(Lexicon, FindIsLinearInTheTextsLength)
{
    // 2 MB of a character that starts many terms: each position tries at most a few lengths.
    std::string s;
    for (int i = 0; i < 700000; ++i)
        s += "大";
    auto t0 = std::chrono::steady_clock::now();
    auto found = Lexicon::builtin().find(s);
    double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_TRUE(found.empty());
    EXPECT_LT(took, 5.0) << "quadratic time would take minutes";
}
