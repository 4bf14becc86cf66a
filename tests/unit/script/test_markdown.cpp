#include "test_helpers.h"

#include "timeline/plan.h"

using namespace sw;
using namespace sw::timeline;
using swtest::locs;
using swtest::read_md;
using swtest::TempDir;

TEST(FrontMatter, EveryKey)
{
    core::Diagnostics d;
    auto p = read_md("---\n"
                     "title: 冰雪哈尔滨\n"
                     "size: 1920x1080\n"
                     "fps: 29.97\n"
                     "transition: wipeleft 0.8s\n"
                     "background: #0b1a2a\n"
                     "---\n"
                     "# A\nhello\n",
                     d);
    EXPECT_FALSE(d.has_errors()) << d.to_string();
    EXPECT_EQ(p.title, "冰雪哈尔滨");
    EXPECT_EQ(p.width, 1920);
    EXPECT_EQ(p.height, 1080);
    EXPECT_EQ(p.fps.num, 30000);
    EXPECT_EQ(p.fps.den, 1001);
    EXPECT_EQ(p.default_transition.name, "wipeleft");
    EXPECT_EQ(p.default_transition.duration_us, 800'000);
    EXPECT_EQ(p.background.r, 0x0b);
    EXPECT_EQ(p.background.b, 0x2a);
    EXPECT_EQ(p.size_loc.line, 3);
    EXPECT_EQ(p.size_loc.col, 7);
    ASSERT_EQ(p.shots.size(), 1u);
}

TEST(FrontMatter, DefaultsPresetsFullWidthColonAndComments)
{
    core::Diagnostics d;
    auto p = read_md("---\n# a comment\nsize： 4:5\nbackground: navy\ntransition: fade\n---\n# A\nx\n", d);
    EXPECT_FALSE(d.has_errors()) << d.to_string();
    EXPECT_EQ(p.width, 1080);
    EXPECT_EQ(p.height, 1350);
    EXPECT_EQ(p.fps.num, 30);
    EXPECT_EQ(p.background.b, 128);
    EXPECT_EQ(p.default_transition.duration_us, 500'000);

    core::Diagnostics d2;
    auto q = read_md("# A\nx\n", d2);
    EXPECT_EQ(q.width, 1080);
    EXPECT_EQ(q.height, 1920);
    EXPECT_EQ(q.default_transition.name, "cut");

    for (auto [preset, w, h] : {std::tuple{"9:16", 1080, 1920}, {"16:9", 1920, 1080}, {"1:1", 1080, 1080}}) {
        core::Diagnostics d3;
        auto r = read_md(std::string("---\nsize: ") + preset + "\n---\n# A\nx\n", d3);
        EXPECT_EQ(r.width, w);
        EXPECT_EQ(r.height, h);
    }
}

TEST(FrontMatter, BadValuesAllReportedAtTheirColumns)
{
    core::Diagnostics d;
    read_md("---\n"
            "size: 1081x1920\n"      // odd
            "fps: fast\n"            // garbage
            "transition: fdae 1s\n"  // misspelt
            "background: blu\n"      // misspelt colour
            "duraton: 3s\n"          // unknown key
            "---\n"
            "# A\nx\n",
            d);
    ASSERT_EQ(d.error_count(), 5u) << d.to_string();
    EXPECT_EQ(locs(d), "2:7 3:6 4:13 5:13 6:1 ");
    EXPECT_NE(d.items()[0].hint.find("1082x1920"), std::string::npos);
    EXPECT_EQ(d.items()[2].hint, "did you mean \"fade\"?");
    EXPECT_EQ(d.items()[3].hint, "did you mean \"blue\"? (or write `#rrggbb`)");
    EXPECT_NE(d.items()[4].message.find("unknown key \"duraton\""), std::string::npos);
}

TEST(FrontMatter, RangesAndUnclosed)
{
    for (const char* bad : {"size: 8x8", "size: 9000x1080", "size: 3:2", "fps: 0", "fps: 500", "fps: -5",
                            "background: #12345", "transition: fade -1s", "transition: cut 2s extra"}) {
        core::Diagnostics d;
        read_md(std::string("---\n") + bad + "\n---\n# A\nx\n", d);
        EXPECT_TRUE(d.has_errors()) << bad;
    }
    core::Diagnostics d;
    read_md("---\ntitle: x\n# A\nhello\n", d);
    ASSERT_EQ(d.error_count(), 1u) << d.to_string();
    EXPECT_EQ(locs(d), "1:1 ");
}

TEST(Shots, KeysNarrationAndTransitions)
{
    TempDir t;
    t.write("media/street.jpg");
    core::Diagnostics d;
    auto p = read_md("---\ntransition: fade 0.4s\n---\n"
                     "# 中央大街\n"
                     "media/street.jpg zoom-in contain\n"
                     "清晨的中央大街,百年面包石路静静延伸。\n"
                     "  Note: prices rise in winter.\n"
                     "transition: circleopen\n"
                     "\n"
                     "# 冰雪大世界\n"
                     "visual: 夜晚的冰雕城堡,彩灯闪烁\n"
                     "duration: 4秒\n"
                     "title: 冰雪大世界\n"
                     "Time: 8pm, every night.\n"
                     "\\duration: is narration here\n",
                     d, t.path());
    EXPECT_FALSE(d.has_errors()) << d.to_string();
    ASSERT_EQ(p.shots.size(), 2u);
    const Shot& a = p.shots[0];
    EXPECT_EQ(a.name, "中央大街");
    EXPECT_EQ(a.loc.line, 4);
    EXPECT_EQ(a.visual.kind, VisualKind::Media);
    EXPECT_EQ(a.visual.media_type, MediaType::Image);
    EXPECT_EQ(a.visual.move, Move::ZoomIn);
    EXPECT_EQ(a.visual.fit, Fit::Contain);
    EXPECT_EQ(a.visual.path, t.path() / "media/street.jpg");
    ASSERT_EQ(a.narration.size(), 2u);
    EXPECT_EQ(a.narration[1], "Note: prices rise in winter.");
    EXPECT_EQ(a.narration_locs[1].line, 7);
    EXPECT_EQ(a.narration_locs[1].col, 3);
    ASSERT_TRUE(a.transition_out);
    EXPECT_EQ(a.transition_out->name, "circleopen");
    EXPECT_EQ(a.transition_out->duration_us, 400'000);  // the front matter's default duration
    EXPECT_EQ(a.transition_out->loc.col, 13);
    const Shot& b = p.shots[1];
    EXPECT_EQ(b.visual.kind, VisualKind::Description);
    EXPECT_EQ(b.visual.description, "夜晚的冰雕城堡,彩灯闪烁");
    EXPECT_EQ(b.duration_us, 4'000'000);
    EXPECT_EQ(b.title, "冰雪大世界");
    ASSERT_EQ(b.narration.size(), 2u);
    EXPECT_EQ(b.narration[0], "Time: 8pm, every night.");
    EXPECT_EQ(b.narration[1], "duration: is narration here");
    EXPECT_EQ(b.narration_locs[1].col, 2);
}

TEST(Shots, MisspeltKeysAndTransitionsGetSuggestions)
{
    core::Diagnostics d;
    read_md("# A\n"
            "duraton: 3s\n"
            "visaul: a lake\n"
            "transition: circelopen 1s\n"
            "fps: 30\n"
            "# B\nb\n",
            d);
    ASSERT_EQ(d.error_count(), 4u) << d.to_string();
    EXPECT_EQ(locs(d), "2:1 3:1 4:13 5:1 ");
    EXPECT_EQ(d.items()[0].message, "unknown key \"duraton\"");
    EXPECT_EQ(d.items()[0].hint.substr(0, 25), "did you mean \"duration\"? ");
    EXPECT_EQ(d.items()[1].hint.substr(0, 23), "did you mean \"visual\"? ");
    EXPECT_EQ(d.items()[2].hint, "did you mean \"circleopen\"?");
    EXPECT_NE(d.items()[3].message.find("project setting"), std::string::npos);
    EXPECT_EQ(d.items()[0].to_string().substr(0, 34), "s.md:2:1: error: unknown key \"dura");
}

TEST(Shots, ThreeMistakesThreeErrors)
{
    TempDir t;
    core::Diagnostics d;
    read_md("# 开场\n"
            "media/missing.jpg zoom-in\n"  // 1: missing file
            "duration: -3s\n"              // 2: negative duration
            "narration line\n"
            "transition: fade 1x\n"        // 3: bad duration unit
            "# 结尾\n"
            "bye\n",
            d, t.path());
    ASSERT_EQ(d.error_count(), 3u) << d.to_string();
    EXPECT_EQ(locs(d), "2:1 3:11 5:19 ");
}

TEST(Shots, TransitionParamsRefusedAndLastShotWarning)
{
    core::Diagnostics d;
    auto p = read_md("# A\na\ntransition: fade 1s nosuch=1\n# B\nb\ntransition: fade\n", d);
    EXPECT_EQ(d.error_count(), 1u) << d.to_string();
    EXPECT_EQ(d.warning_count(), 1u) << d.to_string();
    EXPECT_EQ(locs(d), "3:21 ");  // the parameter word: transitions take none (a variant is a name)
    EXPECT_NE(d.items()[0].message.find("no parameters"), std::string::npos) << d.to_string();
    EXPECT_NE(d.items()[0].hint.find("wipeleft"), std::string::npos) << d.to_string();
    EXPECT_EQ(d.items()[1].where.line, 6);  // the warning, at the last shot's `transition:`
    EXPECT_EQ(d.items()[1].where.col, 1);

    core::Diagnostics d2;
    read_md("# A\na\ntransition: cut 1s\n# B\nb\n", d2);
    EXPECT_FALSE(d2.has_errors());
    EXPECT_EQ(d2.warning_count(), 1u);
}

TEST(Shots, DuplicatesHeadingsAndOrphans)
{
    core::Diagnostics d;
    read_md("before any shot\n"
            "# A\n"
            "duration: 2s\n"
            "duration: 3s\n"
            "## sub\n"
            "#话题# is narration\n"
            "#\n",
            d);
    ASSERT_EQ(d.error_count(), 4u) << d.to_string();
    EXPECT_EQ(locs(d), "1:1 4:1 5:1 7:1 ");
}

TEST(MediaLines, MissingFileAtPathColumnWithSuggestion)
{
    TempDir t;
    t.write("media/street.jpg");
    core::Diagnostics d;
    read_md("# A\n  media/stret.jpg\n# B\nvisual: media/none.mp4\n", d, t.path());
    ASSERT_EQ(d.error_count(), 2u) << d.to_string();
    EXPECT_EQ(locs(d), "2:3 4:9 ");
    EXPECT_EQ(d.items()[0].message, "media file \"media/stret.jpg\" not found");
    EXPECT_EQ(d.items()[0].hint, "did you mean \"media/street.jpg\"?");
}

TEST(MediaLines, VideoTrimFitAndErrors)
{
    TempDir t;
    t.write("clip.mp4");
    t.write("photo.png");
    t.write("my photo.jpg");
    t.write("CLIP2.MP4");
    core::Diagnostics d;
    auto p = read_md("# A\nclip.mp4 from 3s to 8.5s stretch\n"
                     "# B\n\"my photo.jpg\" pan-left\n"
                     "# C\nCLIP2.MP4 to 2s\n",
                     d, t.path());
    EXPECT_FALSE(d.has_errors()) << d.to_string();
    ASSERT_EQ(p.shots.size(), 3u);
    EXPECT_EQ(p.shots[0].visual.media_type, MediaType::Video);
    EXPECT_EQ(p.shots[0].visual.trim_from_us, 3'000'000);
    EXPECT_EQ(p.shots[0].visual.trim_to_us, 8'500'000);
    EXPECT_EQ(p.shots[0].visual.fit, Fit::Stretch);
    EXPECT_EQ(p.shots[1].visual.path_as_written, "my photo.jpg");
    EXPECT_EQ(p.shots[1].visual.loc.col, 2);
    EXPECT_EQ(p.shots[1].visual.move, Move::PanLeft);
    EXPECT_FALSE(p.shots[2].visual.trim_from_us);
    EXPECT_EQ(p.shots[2].visual.trim_to_us, 2'000'000);

    core::Diagnostics e;
    read_md("# A\nclip.mp4 zoom-in\n"          // move on video
            "# B\nphoto.png from 1s\n"         // trim on image
            "# C\nphoto.png zoom-inn\n"        // misspelt move
            "# D\nclip.mp4 from 5s to 2s\n"    // ends before it starts
            "# E\nmy photo.jpg zoom-in\n"      // needs quotes
            "# F\nmusic.mp3\n"                 // audio
            "# G\nphoto.png\nclip.mp4\n",      // second visual
            e, t.path());
    ASSERT_EQ(e.error_count(), 7u) << e.to_string();
    EXPECT_EQ(locs(e), "2:10 4:11 6:11 8:18 10:1 12:1 15:1 ");
    EXPECT_EQ(e.items()[2].hint, "did you mean \"zoom-in\"?");
}

TEST(Durations, SyntaxInScripts)
{
    struct Case {
        const char* text;
        int64_t us;
    };
    for (auto c : {Case{"4s", 4'000'000}, Case{"4.5s", 4'500'000}, Case{"500ms", 500'000}, Case{"1.5", 1'500'000},
                   Case{"4秒", 4'000'000}, Case{"2 s", 2'000'000}, Case{"0.1s", 100'000}, Case{"3 seconds", 3'000'000}}) {
        core::Diagnostics d;
        auto p = read_md(std::string("# A\nduration: ") + c.text + "\n", d);
        EXPECT_FALSE(d.has_errors()) << c.text << ": " << d.to_string();
        ASSERT_EQ(p.shots.size(), 1u);
        EXPECT_EQ(p.shots[0].duration_us, c.us) << c.text;
    }
    for (auto bad : {"0s", "-1s", "abc", "3x", "s", "5h"}) {
        core::Diagnostics d;
        read_md(std::string("# A\nduration: ") + bad + "\n", d);
        ASSERT_EQ(d.error_count(), 1u) << bad;
        EXPECT_EQ(d.items()[0].where.line, 2) << bad;
        EXPECT_GE(d.items()[0].where.col, 11) << bad;
    }
}

TEST(Comments, HtmlCommentsAreIgnoredAndColumnsKept)
{
    core::Diagnostics d;
    auto p = read_md("# A\n<!-- 备注 --> hello\n<!-- a\nmulti-line\ncomment --> duraton: 3s\n", d);
    ASSERT_EQ(d.error_count(), 1u) << d.to_string();
    EXPECT_EQ(locs(d), "5:13 ");
    ASSERT_EQ(p.shots[0].narration.size(), 1u);
    EXPECT_EQ(p.shots[0].narration[0], "hello");
    EXPECT_EQ(p.shots[0].narration_locs[0].col, 13);
}

TEST(ReadScript, FilesFormatsAndMissing)
{
    TempDir t;
    t.write("a.md", "# A\nhello\n");
    t.write("b.txt", "Just an article. Two sentences.\n");
    t.write("c.txt", "# Heading\nSo markdown.\n");
    t.write("d.doc", "x");
    core::Diagnostics d;
    auto a = script::read_script(t.path() / "a.md", d);
    ASSERT_TRUE(a);
    EXPECT_EQ(a->base_dir, t.path());
    EXPECT_EQ(a->shots[0].loc.file, (t.path() / "a.md").string());
    auto b = script::read_script(t.path() / "b.txt", d);
    ASSERT_TRUE(b);
    EXPECT_EQ(b->shots[0].name, "Shot 1");
    auto c = script::read_script(t.path() / "c.txt", d);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->shots[0].name, "Heading");
    EXPECT_FALSE(d.has_errors()) << d.to_string();

    auto missing = script::read_script(t.path() / "nope.md", d);
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().category, core::ErrorCategory::Input);
    EXPECT_NE(missing.error().message.find("script file not found"), std::string::npos);
    EXPECT_EQ(d.error_count(), 0u);  // returned, not repeated in diag
    auto doc = script::read_script(t.path() / "d.doc", d);
    ASSERT_FALSE(doc);
    EXPECT_EQ(doc.error().category, core::ErrorCategory::Script);
}

TEST(Examples, HarbinPromoChecksWhenMediaExist)
{
    // The shipped example, read with stand-in media so only the script itself is judged.
    std::ifstream in(std::string(SW_SOURCE_DIR) + "/examples/harbin/promo.md");
    if (!in)
        GTEST_SKIP() << "no example";
    std::string text((std::istreambuf_iterator<char>(in)), {});
    TempDir t;
    for (auto f : {"media/street.jpg", "media/river.mp4", "media/church.jpg", "media/lights.mp4", "media/bgm.ogg", "media/logo.png"})
        t.write(f);
    core::Diagnostics d;
    auto p = read_md(text, d, t.path());
    EXPECT_FALSE(d.has_errors()) << d.to_string();
    EXPECT_GE(p.shots.size(), 5u);
    Plan plan = plan_project(p, d);
    EXPECT_FALSE(d.has_errors()) << d.to_string();
    EXPECT_GT(plan.total_frames, 0);
}

TEST(Encoding, Gb18030IsReadWithAWarning)
{
    core::Diagnostics d;
    // "哈尔滨" in GBK on the second line, after "ab": what Notepad on Chinese Windows saves.
    auto p = read_md("# A\nab\xB9\xFE\xB6\xFB\xB1\xF5\n", d);
    EXPECT_FALSE(d.has_errors()) << d.to_string();
    ASSERT_EQ(d.warning_count(), 1u);
    EXPECT_NE(d.items()[0].message.find("GB18030 (GBK)"), std::string::npos) << d.to_string();
    ASSERT_EQ(p.shots.size(), 1u);
    EXPECT_EQ(p.shots[0].narration[0], "ab哈尔滨");
}

TEST(Encoding, NonUtf8IsAnErrorAtItsPosition)
{
    core::Diagnostics d;
    // Bytes that are neither UTF-8 nor GB18030 (0xFF is never valid in either).
    auto p = read_md("# A\nab\xFF\xFF" "cd\n", d);
    ASSERT_EQ(d.error_count(), 1u) << d.to_string();
    EXPECT_EQ(locs(d), "2:3 ");
    EXPECT_NE(d.items()[0].hint.find("UTF-8"), std::string::npos);
    ASSERT_EQ(p.shots.size(), 1u);
    // The text handed on is valid UTF-8 (U+FFFD in place of the bad bytes).
    EXPECT_EQ(p.shots[0].narration[0].substr(0, 5), "ab\xEF\xBF\xBD");
}

TEST(FrontMatter, WordsListAndWordsFileBesideTheScript)
{
    swtest::TempDir t;
    t.write("words.txt", "# this client's names\n苍洱人家, 雪绒花奶茶\n花\n\n鲜花饼 # a dish\n");
    core::Diagnostics d;
    auto p = read_md("---\nwords: 圣索菲亚大教堂，山茶小筑、月, 一二三四五六七八九十一二三四五六七\n---\n# A\nx\n", d, t.path());
    EXPECT_EQ(p.words, (std::vector<std::string>{"圣索菲亚大教堂", "山茶小筑", "苍洱人家", "雪绒花奶茶", "鲜花饼"}));
    EXPECT_EQ(p.words_file, t.path() / "words.txt");
    // One character and seventeen: warnings at their columns (script and word list), left out.
    EXPECT_EQ(d.error_count(), 0u) << d.to_string();
    std::string where;
    for (auto& i : d.items())
        where += std::filesystem::path(i.where.file).filename().string() + ":" + std::to_string(i.where.line) + ":" +
                 std::to_string(i.where.col) + " ";
    EXPECT_EQ(where, "s.md:2:21 s.md:2:24 words.txt:3:1 ") << d.to_string();
    ASSERT_EQ(d.items().size(), 3u);
    EXPECT_NE(d.items()[0].message.find("one character"), std::string::npos) << d.items()[0].message;
    EXPECT_NE(d.items()[1].message.find("longer than 16"), std::string::npos) << d.items()[1].message;
}
