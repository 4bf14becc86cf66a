// Words a person would not split, in a rendered video: names from the script, its `words:` and
// words.txt stay whole on every subtitle line, and a title breaks at the space the writer typed.

#include <gtest/gtest.h>

#include "core/text_util.h"
#include "e2e_common.h"

using namespace sw::test;
namespace fs = std::filesystem;

TEST(Words, NamesStayWholeOnSubtitleLinesAndTitlesBreakAtTheWritersSpace)
{
    TempDir dir("e2e_words");
    make_image(dir / "bg.png", "color=c=0x203050:s=540x960");
    write_file(dir / "words.txt", "# this client's names\n苍洱人家, 雪绒花奶茶\n");
    write_file(dir / "w.md", "---\nsize: 540x960\nwords: 山茶小筑\ntransition: cut\n---\n"
                             "# 教堂\nbg.png\ntitle: 哈尔滨 期待你的到来\nduration: 4s\n"
                             "中央大街尽头，是拜占庭式的圣索菲亚大教堂，绿色穹顶映着白雪。\n"
                             "# 民宿\nbg.png\nduration: 4s\n住进洱海边的苍洱人家，推窗就是苍山，再来一杯雪绒花奶茶。\n"
                             "# 茶\nbg.png\nduration: 4s\n古城深处的山茶小筑，每天只做三十杯手冲普洱茶。\n");
    auto out = dir / "w.mp4";
    auto r = run({cli(), "render", (dir / "w.md").string(), "-o", out.string(), "-q", "--subtitles", "srt"});
    ASSERT_EQ(r.exit_code, 0) << r.err;

    // The side file holds the lines as burned in. Each name that a cue holds is on one line.
    const std::vector<std::string> names = {"圣索菲亚大教堂", "苍洱人家", "雪绒花奶茶", "山茶小筑", "普洱茶", "中央大街"};
    auto cues = read_srt(dir / "w.srt");
    ASSERT_GE(cues.size(), 4u);
    int broken_cues = 0, names_seen = 0;
    for (const auto& cue : cues) {
        const std::string& c = cue.text;
        std::string joined;
        for (char ch : c)
            if (ch != '\n')
                joined += ch;
        broken_cues += joined.size() != c.size();
        for (const auto& n : names)
            if (joined.find(n) != std::string::npos) {
                ++names_seen;
                EXPECT_NE(c.find(n), std::string::npos) << n << " split across lines: " << c;
            }
    }
    EXPECT_GE(broken_cues, 2) << "the lines must actually break at this width";
    EXPECT_EQ(names_seen, 6);

    // The title over the first shot, read back: "哈尔滨" on one line, "期待你的到来" on the next.
    auto f = decode_frame_yuv(out, 60, 540, 960);
    save_png(f, 540, 960, dir / "title.png");
    auto bw = dir / "title_bw.png";
    ffmpeg({"-i", (dir / "title.png").string(), "-vf", "crop=540:300:0:230,format=gray,lut=y='if(gt(val,200),0,255)'",
            bw.string()});
    auto ocr = run({"tesseract", bw.string(), "-", "-l", "chi_sim", "--psm", "6"}, 60);
    ASSERT_EQ(ocr.exit_code, 0) << ocr.err;
    std::vector<std::string> lines;
    for (size_t a = 0; a < ocr.out.size();) {
        size_t b = ocr.out.find('\n', a);
        if (b == std::string::npos)
            b = ocr.out.size();
        std::string l;
        for (char ch : ocr.out.substr(a, b - a))
            if (ch != ' ')
                l += ch;
        if (!l.empty())
            lines.push_back(l);
        a = b + 1;
    }
    ASSERT_EQ(lines.size(), 2u) << ocr.out;
    EXPECT_LE(sw::core::edit_distance(lines[0], "哈尔滨"), 1u) << ocr.out;
    EXPECT_LE(sw::core::edit_distance(lines[1], "期待你的到来"), 2u) << ocr.out;
}

TEST(Words, BuiltInScenesReadTheirWordsAsWords)
{
    // 三月 is March: the spring morning over the lake gets no moon; 明月 is the moon.
    TempDir dir("e2e_scene_words");
    write_file(dir / "s.md", "---\nsize: 360x640\n---\n# 三月\nvisual: 三月的大理，清晨的洱海\nduration: 2s\n"
                             "# 夜\nvisual: 一轮明月挂在苍山上\nduration: 2s\n");
    auto r = run({cli(), "check", (dir / "s.md").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto line = [&](const std::string& start) {
        size_t a = r.out.find(start);
        return a == std::string::npos ? std::string() : r.out.substr(a, r.out.find('\n', a) - a);
    };
    const std::string march = line("shot 1: built-in scene"), night = line("shot 2: built-in scene");
    ASSERT_FALSE(march.empty()) << r.out;
    EXPECT_EQ(march.find("moon"), std::string::npos) << march;
    EXPECT_EQ(march.find("sky:night"), std::string::npos) << march;
    EXPECT_NE(march.find("sea"), std::string::npos) << march;
    EXPECT_NE(night.find("moon"), std::string::npos) << night;
}
