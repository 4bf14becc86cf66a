#include <gtest/gtest.h>

#include "core/file.h"
#include "export/subtitles_export.h"
#include "test_support.h"

using namespace sw;
using namespace sw::exporter;

namespace {
std::vector<Cue> sample()
{
    return {{0, 1'500'000, "清晨的中央大街，"},
            {1'500'000, 3'256'000, "百年面包石路\n静静延伸。"},
            {3'600'000'000LL + 61'001'000, 3'600'000'000LL + 62'994'999, "a {brace} and \\N back\\slash"}};
}
}  // namespace

TEST(SubtitlesExport, SrtGolden)
{
    EXPECT_EQ(to_srt(sample()),
              "1\n00:00:00,000 --> 00:00:01,500\n清晨的中央大街，\n\n"
              "2\n00:00:01,500 --> 00:00:03,256\n百年面包石路\n静静延伸。\n\n"
              "3\n01:01:01,001 --> 01:01:02,995\na {brace} and \\N back\\slash\n");
}

TEST(SubtitlesExport, AssGolden)
{
    text::SubtitleStyle st;
    std::string ass = to_ass(sample(), st, 1080, 1920);
    EXPECT_NE(ass.find("PlayResX: 1080\nPlayResY: 1920\nWrapStyle: 0\n"), std::string::npos) << ass;
    EXPECT_NE(ass.find("Style: Default,Noto Sans CJK SC,69,&H00FFFFFF,&H00FFFFFF,&H00000000,&H80000000,-1,0,0,0,100,"
                       "100,0,0,1,5.53,3.456,2,86,86,346,1\n"),
              std::string::npos)
        << ass;
    EXPECT_NE(ass.find("Dialogue: 0,0:00:00.00,0:00:01.50,Default,,0,0,0,,清晨的中央大街，\n"), std::string::npos);
    EXPECT_NE(ass.find("Dialogue: 0,0:00:01.50,0:00:03.26,Default,,0,0,0,,百年面包石路\\N静静延伸。\n"), std::string::npos);
    EXPECT_NE(ass.find("Dialogue: 0,1:01:01.00,1:01:02.99,Default,,0,0,0,,a \\{brace\\} and \\\xE2\x81\xA0N "
                       "back\\\xE2\x81\xA0slash\n"),
              std::string::npos)
        << ass;
    st.position = text::SubtitleStyle::Position::Top;
    st.box = true;
    st.color = {255, 200, 0};
    std::string top = to_ass({}, st, 1920, 1080);
    EXPECT_NE(top.find(",&H0000C8FF,"), std::string::npos) << top;
    EXPECT_NE(top.find(",0,0,3,"), std::string::npos) << "opaque box border style";
    EXPECT_NE(top.find(",8,154,154,86,1\n"), std::string::npos) << top;
}

TEST(SubtitlesExport, FfmpegParsesWrittenFiles)
{
    test::TempDir dir("subs_export");
    auto srt = dir / "cues.srt";
    auto ass = dir / "cues.ass";
    ASSERT_TRUE(core::write_file_atomic(srt, to_srt(sample())));
    ASSERT_TRUE(core::write_file_atomic(ass, to_ass(sample(), {}, 1080, 1920)));
    EXPECT_EQ(test::read_file(srt), to_srt(sample()));
    for (const auto& f : {srt, ass}) {
        auto r = test::run({"ffmpeg", "-v", "error", "-i", f.string(), "-f", "ass", "-"}, 60);
        EXPECT_EQ(r.exit_code, 0) << f << ": " << r.err;
        EXPECT_NE(r.out.find("Dialogue:"), std::string::npos);
        EXPECT_TRUE(r.err.empty()) << r.err;
        auto p = test::run({"ffprobe", "-v", "error", "-show_streams", f.string()}, 60);
        EXPECT_EQ(p.exit_code, 0) << p.err;
        EXPECT_NE(p.out.find("codec_type=subtitle"), std::string::npos);
    }
    // A write into a missing folder fails cleanly.
    EXPECT_FALSE(core::write_file_atomic(dir / "no/such/dir/x.srt", "x").has_value());
}

TEST(Srt, ReadsWhatPeopleAndToolsWrite)
{
    auto cues = parse_srt("\xEF\xBB\xBF" "1\r\n00:00:01,200 --> 00:00:03,500\r\n<i>Hello</i>\r\nworld\r\n\r\n"
                          "00:00:04.000 --> 00:00:05.250 X1:10 X2:20\nSecond\n",
                          "a.srt");
    ASSERT_TRUE(cues) << cues.error().message;
    ASSERT_EQ(cues->size(), 2u);
    EXPECT_EQ((*cues)[0].start_us, 1'200'000);
    EXPECT_EQ((*cues)[0].end_us, 3'500'000);
    EXPECT_EQ((*cues)[0].text, "Hello\nworld");
    EXPECT_EQ((*cues)[1].start_us, 4'000'000);
    EXPECT_EQ((*cues)[1].end_us, 5'250'000);
    EXPECT_EQ((*cues)[1].text, "Second");
    // What the writer writes, the reader reads back.
    auto again = parse_srt(to_srt(*cues), "b.srt");
    ASSERT_TRUE(again);
    ASSERT_EQ(again->size(), 2u);
    EXPECT_EQ((*again)[1].end_us, 5'250'000);
    auto bad = parse_srt("1\n00:00:03,000 --> 00:00:01,000\nbackwards\n", "c.srt");
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().message.find("c.srt:2:"), std::string::npos) << bad.error().message;
}

TEST(SrtRead, AbsurdHoursAndControlCharactersAreCleanErrors)
{
    // Hours past any video (and past int) are not a time; sscanf would wrap them.
    auto huge = parse_srt("1\n99999999999:00:00,000 --> 99999999999:00:01,000\nx\n", "h.srt");
    ASSERT_FALSE(huge);
    EXPECT_NE(huge.error().message.find("h.srt:2:"), std::string::npos) << huge.error().message;
    // A NUL in the quoted line must not cut the message short; a long line is shortened.
    auto nul = parse_srt(std::string("1\n00:00:0\0 --> x", 16) + std::string(1000, 'y') + "\n", "n.srt");
    ASSERT_FALSE(nul);
    EXPECT_EQ(nul.error().message.find('\0'), std::string::npos);
    EXPECT_NE(nul.error().message.find("not a valid SRT timing line"), std::string::npos) << nul.error().message;
    EXPECT_LT(nul.error().message.size(), 300u);
}
