#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "core/text_util.h"
#include "test_support.h"
#include "text/subtitle.h"

using namespace sw;
using namespace sw::text;

namespace {

std::string no_space(const std::string& s)
{
    std::string o;
    for (char32_t c : core::utf8_decode(s))
        if (c != U' ' && c != U'\n' && c != U'\t' && c != U'\f' && c != U'\r')
            o += core::utf8_encode(c);
    return o;
}

// Blends the cue onto flat grey, writes PNG via ffmpeg and OCRs it; returns the text.
std::string ocr_cue(const std::string& cue, const std::string& tag, const std::string& lang,
                   CueBitmap* out_bitmap = nullptr)
{
    const int W = 1080, H = 1920;
    SubtitleRenderer r(W, H);
    auto bm = r.render(cue);
    EXPECT_TRUE(bm.has_value()) << (bm ? "" : bm.error().to_string());
    if (!bm)
        return {};
    core::Frame f(W, H);
    f.fill(126, 128, 128);
    blend(f, *bm);
    if (out_bitmap)
        *out_bitmap = *bm;
    test::TempDir dir("subs_" + tag);
    std::vector<uint8_t> yuv;
    for (int p = 0; p < 3; ++p)
        for (int y = 0; y < f.plane_height(p); ++y)
            yuv.insert(yuv.end(), f.row(p, y), f.row(p, y) + f.plane_width(p));
    // Only the subtitle band, to keep OCR fast.
    test::save_png(yuv, W, H, dir / "full.png");
    test::ffmpeg({"-i", (dir / "full.png").string(), "-vf",
                  "crop=" + std::to_string(W) + ":" + std::to_string(bm->h + 40) + ":0:" + std::to_string(bm->y - 20) +
                      // White fill only, as black on white: the outline and shadow confuse OCR.
                      ",format=gray,lut=y='if(gt(val,190),0,255)'",
                  (dir / "cue.png").string()});
    auto res = test::run({"tesseract", (dir / "cue.png").string(), "-", "-l", lang, "--psm", "6"}, 60);
    EXPECT_EQ(res.exit_code, 0) << res.err;
    return res.out;
}

double cer(const std::string& ref, const std::string& got)
{
    std::string a = no_space(ref), b = no_space(got);
    return (double)core::edit_distance(a, b) / std::max<size_t>(1, core::utf8_length(a));
}

}  // namespace

// U+13000 EGYPTIAN HIEROGLYPH A001: assigned, but in none of the fonts setup-deps.sh installs.
const char* const kNoFont = "\xF0\x93\x80\x80";

TEST(Glyphs, MissingCharactersAreFoundAndLeftOut)
{
    // Private use (U+E000), a non-character-bearing plane (U+10FFFD) and an assigned character no
    // installed font has: each found at its byte offset, every occurrence.
    const std::string text = std::string("价格\xF4\x8F\xBF\xBD元 private \xEE\x80\x80 use ") + kNoFont + "!" + kNoFont;
    auto miss = missing_glyphs(text);
    ASSERT_EQ(miss.size(), 4u) << text;
    EXPECT_EQ(miss[0].c, U'\U0010FFFD');
    EXPECT_EQ(miss[0].byte, 6u);
    EXPECT_EQ(miss[1].c, U'\uE000');
    EXPECT_EQ(miss[2].c, U'\U00013000');
    EXPECT_EQ(miss[3].c, U'\U00013000');
    EXPECT_EQ(text.substr(miss[3].byte), kNoFont);
    EXPECT_EQ(without_missing_glyphs(text), "价格元 private  use !");
    EXPECT_EQ(character_name(U'\U00013000'), "U+13000 EGYPTIAN HIEROGLYPH A001");
    EXPECT_EQ(character_name(U'\uE000'), "U+E000 <private use area-E000>");
    EXPECT_EQ(character_name(U'\U0001F389'), "U+1F389 PARTY POPPER");

    // Chinese, Latin, punctuation and emoji (Noto Color Emoji, by fontconfig's fallback) all
    // have glyphs; line breaks and tabs are not characters to draw.
    EXPECT_TRUE(missing_glyphs("清晨的中央大街，百年面包石路「静静」延伸。Hello, world! (1-2) 100% — …\n\t").empty());
    EXPECT_TRUE(missing_glyphs("欢迎再来🎉❄️！👍🏽 👨‍👩‍👧 1️⃣ ©").empty());
    EXPECT_TRUE(missing_glyphs("").empty());
    // In another configured font too.
    EXPECT_TRUE(missing_glyphs("冬天❄️到了🎉", "Noto Serif CJK SC", false).empty());
    EXPECT_TRUE(is_emoji(U'\U0001F389'));
    EXPECT_TRUE(is_emoji(U'\u2744'));
    EXPECT_FALSE(is_emoji(U'1'));
    EXPECT_FALSE(is_emoji(U'中'));
    // What the voice speaks: emoji blanked byte for byte (offsets unchanged), everything else kept.
    const std::string said = "好🎉! 1️⃣ 👍🏽ok";
    const std::string blank = blank_emoji(said);
    EXPECT_EQ(blank.size(), said.size());
    EXPECT_EQ(blank, "好    ! 1\xEF\xB8\x8F\xE2\x83\xA3 " + std::string(8, ' ') + "ok");

    // The renderer leaves the character out rather than drawing a box: the same picture as
    // the text without it.
    SubtitleRenderer r(1080, 1920);
    auto with = r.render(std::string("坏") + kNoFont + "字");
    auto without = r.render("坏字");
    ASSERT_TRUE(with.has_value()) << with.error().to_string();
    ASSERT_TRUE(without.has_value());
    EXPECT_EQ(with->lines, std::vector<std::string>{"坏字"});
    EXPECT_EQ(with->w, without->w);
    EXPECT_EQ(with->luma, without->luma);
    // Nothing drawable at all: an empty bitmap, not an error.
    auto none = r.render(kNoFont);
    ASSERT_TRUE(none.has_value());
    EXPECT_TRUE(none->empty());
}

TEST(SubtitleRender, ChineseCueReadsBackByOcr)
{
    const std::string cue = "夜幕降临，冰雪大世界点亮了整座城市。";
    CueBitmap bm;
    std::string got = ocr_cue(cue, "zh", "chi_sim", &bm);  // chi_sim+eng misreads a line of pure Chinese as Latin
    EXPECT_LE(cer(cue, got), 0.05) << "OCR read: " << got;
}

// Chroma samples of the bitmap that are opaque and strongly coloured (white text with a black
// outline has none).
int coloured_samples(const CueBitmap& b)
{
    int n = 0;
    for (size_t i = 0; i < b.calpha.size(); ++i)
        if (b.calpha[i] > 3500 && std::hypot(b.cu[i] / 16.0, b.cv[i] / 16.0) > 30)
            ++n;
    return n;
}

TEST(SubtitleRender, EmojiAreDrawnInColourAndTakeTheirWidth)
{
    SubtitleRenderer r(1080, 1920);
    const double size = r.style().resolved_size(1920);
    auto a = r.render("欢迎再来🎉❄️！");
    auto again = r.render("欢迎再来🎉❄️！");
    auto plain = r.render("欢迎再来！");
    ASSERT_TRUE(a.has_value()) << a.error().to_string();
    ASSERT_TRUE(again && plain);
    EXPECT_EQ(a->luma, again->luma);
    EXPECT_EQ(a->cu, again->cu);
    EXPECT_EQ(a->cv, again->cv);
    EXPECT_EQ(coloured_samples(*plain), 0);
    // Two emoji of about an em each: a few hundred coloured chroma samples (a silhouette filled
    // with the text colour, or a black blob, would have none).
    EXPECT_GT(coloured_samples(*a), 300);
    EXPECT_GE(a->w - plain->w, (int)(2 * size));
    // The outline still frames the text: dark opaque pixels exist around the glyphs.
    int dark = 0;
    for (size_t i = 0; i < a->luma.size(); ++i)
        dark += a->alpha[i] > 4000 && a->luma[i] < 40 * 16;
    EXPECT_GT(dark, 1000);
    // With the outline and shadow off, nothing dark is drawn around the emoji either.
    SubtitleStyle bare;
    bare.outline_px = 0;
    bare.shadow = 0;
    auto b = SubtitleRenderer(1080, 1920, bare).render("欢迎再来🎉❄️！");
    ASSERT_TRUE(b.has_value());
    EXPECT_GT(coloured_samples(*b), 300);
    int bare_dark = 0;
    for (size_t i = 0; i < b->luma.size(); ++i)
        bare_dark += b->alpha[i] > 4000 && b->luma[i] < 40 * 16;
    EXPECT_LT(bare_dark, 50) << "only the emoji's own dark details";
}

TEST(SubtitleRender, EnglishCueReadsBackByOcr)
{
    const std::string cue = "Night falls and the whole city lights up.";
    std::string got = ocr_cue(cue, "en", "chi_sim+eng");
    EXPECT_LE(cer(cue, got), 0.05) << "OCR read: " << got;
}

TEST(SubtitleRender, StaysInsideSafeArea)
{
    const int W = 1080, H = 1920;
    SubtitleStyle st;
    SubtitleRenderer r(W, H, st);
    auto bm = r.render("清晨的中央大街，百年面包石路静静延伸");
    ASSERT_TRUE(bm) << bm.error().to_string();
    EXPECT_EQ(bm->lines.size(), 2u);
    EXPECT_GE(bm->x, (int)(0.08 * W) - 1);
    EXPECT_LE(bm->x + bm->w, W - (int)(0.08 * W) + 1);
    EXPECT_LE(bm->y + bm->h, (int)(H * (1 - 0.18)));
    EXPECT_GT(bm->y + bm->h, (int)(H * (1 - 0.18)) - 8) << "sits on the safe line";
    // A very long English word is shrunk to fit, not let past the margin.
    auto lw = r.render("Pneumonoultramicroscopicsilicovolcanoconiosis");
    ASSERT_TRUE(lw);
    EXPECT_LE(lw->x + lw->w, W - (int)(0.08 * W) + 1);
    // Too many lines is an error that says so.
    auto many = r.render(std::string(400, 'a') == "" ? "" :
                         "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"
                         "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十");
    EXPECT_FALSE(many.has_value());
    // Top and box styles.
    st.position = SubtitleStyle::Position::Top;
    st.box = true;
    auto top = SubtitleRenderer(W, H, st).render("标题 Title");
    ASSERT_TRUE(top);
    EXPECT_GE(top->y, (int)(0.08 * H) - 2);
    EXPECT_LT(top->y, H / 4);
}

TEST(SubtitleRender, BlendOnlyTouchesTheRectangleAndHonoursOpacity)
{
    const int W = 640, H = 360;
    SubtitleRenderer r(W, H);
    auto bm = r.render("Hello 你好");
    ASSERT_TRUE(bm);
    core::Frame f(W, H), g(W, H);
    f.fill(100, 128, 128);
    g.fill(100, 128, 128);
    blend(f, *bm, 1.0);
    blend(g, *bm, 0.0);
    int changed_outside = 0, changed_inside = 0, maxdiff_half = 0;
    for (int y = 0; y < H; ++y)
        for (int x = 0; x < W; ++x) {
            bool in = x >= bm->x && x < bm->x + bm->w && y >= bm->y && y < bm->y + bm->h;
            bool ch = f.row(0, y)[x] != 100;
            (in ? changed_inside : changed_outside) += ch;
            EXPECT_EQ(g.row(0, y)[x], 100);
        }
    EXPECT_EQ(changed_outside, 0);
    EXPECT_GT(changed_inside, 200);
    core::Frame h(W, H);
    h.fill(100, 128, 128);
    blend(h, *bm, 0.5);
    for (int y = bm->y; y < bm->y + bm->h; ++y)
        for (int x = bm->x; x < bm->x + bm->w; ++x) {
            int full = f.row(0, y)[x] - 100, half = h.row(0, y)[x] - 100;
            maxdiff_half = std::max(maxdiff_half, std::abs(half * 2 - full));
        }
    EXPECT_LE(maxdiff_half, 3);
}
