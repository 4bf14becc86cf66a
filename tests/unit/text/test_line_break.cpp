#include <gtest/gtest.h>

#include <random>

#include "core/text_util.h"
#include "text/line_break.h"
#include "text/words.h"

using namespace sw;
using namespace sw::text;

namespace {

const TextMeasure& measure()
{
    static TextMeasure m("Noto Sans CJK SC", 40, true);
    return m;
}

std::string join(const std::vector<std::string>& v, const char* sep = "")
{
    std::string s;
    for (auto& x : v)
        s += (s.empty() ? "" : sep) + x;
    return s;
}

std::string strip_spaces(const std::string& s)
{
    std::string o;
    for (char c : s)
        if (c != ' ')
            o += c;
    return o;
}

}  // namespace

TEST(LineBreak, ChineseKinsokuOnManySentencesAndWidths)
{
    const std::vector<std::string> pieces = {"清晨的中央大街", "，", "百年面包石路静静延伸", "。", "「冰雪大世界」",
                                             "！", "（夜晚）", "彩灯闪烁", "？", "、", "雪花飘落", "；", "《哈尔滨》",
                                             "……", "——", "他说：", "“你好”", "点亮了整座城市"};
    std::mt19937 rng(7);
    int checked = 0;
    for (int s = 0; s < 60; ++s) {
        std::string text;
        int n = 4 + rng() % 10;
        for (int i = 0; i < n; ++i)
            text += pieces[rng() % pieces.size()];
        for (double w : {130.0, 210.0, 330.0, 470.0}) {
            auto lines = break_lines(text, measure(), w);
            ASSERT_FALSE(lines.empty());
            EXPECT_EQ(join(lines), text) << "no character may be lost or added";
            for (size_t i = 0; i < lines.size(); ++i) {
                std::u32string l = core::utf8_decode(lines[i]);
                ASSERT_FALSE(l.empty());
                if (i > 0) {
                    EXPECT_FALSE(is_no_line_start(l.front())) << "line starts with closing mark: " << lines[i] << " in " << text;
                }
                if (i + 1 < lines.size()) {
                    EXPECT_FALSE(is_no_line_end(l.back())) << "line ends with opening mark: " << lines[i] << " in " << text;
                }
                ++checked;
            }
        }
    }
    EXPECT_GT(checked, 400);
}

TEST(LineBreak, FitsWidthAndIsBalanced)
{
    std::string text = "夜幕降临，冰雪大世界点亮了整座城市，游客们在冰雕城堡间穿行";
    const double max_w = 700;
    auto lines = break_lines(text, measure(), max_w);
    ASSERT_EQ(lines.size(), 2u);
    double w0 = measure().width(lines[0]), w1 = measure().width(lines[1]);
    EXPECT_LE(w0, max_w);
    EXPECT_LE(w1, max_w);
    // Balanced: not one full line plus a stub.
    EXPECT_LT(std::abs(w0 - w1), 0.25 * std::max(w0, w1)) << lines[0] << " / " << lines[1];
}

TEST(LineBreak, EnglishNeverSplitsAWord)
{
    std::string text = "Night falls and the Ice and Snow World lights up the whole city of Harbin tonight";
    for (double w : {150.0, 260.0, 400.0, 650.0}) {
        auto lines = break_lines(text, measure(), w);
        EXPECT_EQ(join(lines, " "), text);
        for (auto& l : lines) {
            EXPECT_EQ(l.front() == ' ' || l.back() == ' ', false);
            EXPECT_LE(measure().width(l), w + 0.5) << l;
        }
    }
    // A word longer than the width stays whole.
    auto lines = break_lines("a supercalifragilisticexpialidocious word", measure(), 120);
    bool whole = false;
    for (auto& l : lines)
        whole |= l == "supercalifragilisticexpialidocious";
    EXPECT_TRUE(whole);
}

TEST(LineBreak, MixedChineseAndEnglish)
{
    std::string text = "我们在Harbin Ice Festival拍摄了4K视频，欢迎关注Shotweave频道！";
    for (double w : {200.0, 320.0, 500.0}) {
        auto lines = break_lines(text, measure(), w);
        EXPECT_EQ(strip_spaces(join(lines)), strip_spaces(text));
        for (size_t i = 0; i + 1 < lines.size(); ++i) {
            // Latin words intact: never a letter/digit on both sides of a break.
            char last = lines[i].back(), first = lines[i + 1].front();
            if (std::isalnum((unsigned char)last) && std::isalnum((unsigned char)first)) {
                EXPECT_NE(text.find(std::string(1, last) + " " + first), std::string::npos)
                    << "a word was split: " << lines[i] << " | " << lines[i + 1];
            }
            std::u32string u = core::utf8_decode(lines[i + 1]);
            EXPECT_FALSE(is_no_line_start(u.front())) << lines[i + 1];
        }
    }
}

TEST(LineBreak, ExplicitNewlinesKept)
{
    auto lines = break_lines("第一行\n第二行", measure(), 1000);
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0], "第一行");
    EXPECT_EQ(lines[1], "第二行");
}

TEST(SplitCues, RespectsMaxLinesAndPrefersClauses)
{
    std::string sentence =
        "清晨的中央大街，百年面包石路静静延伸，两旁的欧式建筑在晨光中苏醒，咖啡馆飘出面包的香气，游客们慢慢走过，"
        "拍下这座城市最温柔的时刻。";
    const double w = 420;
    auto cues = split_cues(sentence, measure(), w, 2);
    ASSERT_GE(cues.size(), 2u);
    EXPECT_EQ(join(cues), sentence);
    for (auto& c : cues) {
        EXPECT_LE(break_lines(c, measure(), w).size(), 2u) << c;
        std::u32string u = core::utf8_decode(c);
        EXPECT_FALSE(is_no_line_start(u.front())) << c;
    }
    // Every cue but the last ends at clause punctuation here (there are enough commas).
    for (size_t i = 0; i + 1 < cues.size(); ++i) {
        std::u32string u = core::utf8_decode(cues[i]);
        EXPECT_TRUE(u.back() == U'，' || u.back() == U'。') << cues[i];
    }
    // Short sentences stay whole.
    EXPECT_EQ(split_cues("你好，世界。", measure(), w, 2).size(), 1u);
    // English without punctuation still splits, on word boundaries.
    std::string en = "the quick brown fox jumps over the lazy dog and keeps running across the wide green field until night";
    auto ec = split_cues(en, measure(), 300, 1);
    EXPECT_GE(ec.size(), 3u);
    EXPECT_EQ(join(ec, " "), en);
    for (auto& c : ec)
        EXPECT_EQ(break_lines(c, measure(), 300).size(), 1u) << c;
}

TEST(LineBreak, PrefersBreakingAfterAClauseWhenNearlyBalanced)
{
    // 17 characters at 40 px: two lines either way; the comma after 4 characters is too early to
    // win, the one after the 10th is close enough to the middle to be preferred.
    std::string text = "夜幕降临的冰雪大世界，点亮了整座城市。";
    const double max_w = 0.75 * measure().width(text);
    auto lines = break_lines(text, measure(), max_w);
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0], "夜幕降临的冰雪大世界，") << lines[0] << " / " << lines[1];
    // Far from the middle, balance still wins over the comma.
    std::string early = "夜幕，降临的冰雪大世界点亮了整座城市。";
    auto l2 = break_lines(early, measure(), 0.75 * measure().width(early));
    ASSERT_EQ(l2.size(), 2u);
    EXPECT_NE(l2[0], "夜幕，");
}

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

TEST(LineBreak, ChineseLinesNeverEndInsideAWord)
{
    // The line that once broke as "夜幕降临，冰雪大世 / 界点亮了整座城市。" at this width.
    const std::vector<std::string> texts = {"夜幕降临，冰雪大世界点亮了整座城市。", "游客们在冰雕之间漫步，欣赏美丽的灯光。",
                                            "中央大街的面包石路静静延伸，两旁是百年建筑。"};
    const std::vector<std::string> words = {"世界", "点亮", "城市", "游客", "冰雕", "漫步", "欣赏", "美丽", "灯光",
                                            "中央", "大街", "面包", "延伸", "建筑", "百年"};
    for (const auto& t : texts)
        for (double frac : {0.3, 0.4, 0.55, 0.7}) {
            auto lines = break_lines(t, measure(), frac * measure().width(t));
            EXPECT_EQ(join(lines), t);
            for (size_t k = 0; k + 1 < lines.size(); ++k) {
                std::string joint = lines[k].substr(lines[k].size() - 3) + lines[k + 1].substr(0, 3);
                for (auto& w : words)
                    EXPECT_NE(joint, w) << t << " at " << frac << ": \"" << lines[k] << "\" / \"" << lines[k + 1] << "\"";
            }
        }
}
