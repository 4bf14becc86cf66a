#include <gtest/gtest.h>

#include "core/diagnostics.h"
#include "script/values.h"

using namespace sw;
using namespace sw::script;

TEST(Values, Durations)
{
    EXPECT_EQ(*parse_duration_us("4s"), 4'000'000);
    EXPECT_EQ(*parse_duration_us(" 0.000001s "), 1);
    EXPECT_EQ(*parse_duration_us("1.0000005"), 1'000'001);  // rounded, not truncated
    EXPECT_EQ(*parse_duration_us("250ms"), 250'000);
    EXPECT_EQ(*parse_duration_us("1500毫秒"), 1'500'000);
    EXPECT_EQ(*parse_duration_us("0s", true), 0);
    EXPECT_FALSE(parse_duration_us("0s"));
    EXPECT_FALSE(parse_duration_us("-0.5s"));
    EXPECT_FALSE(parse_duration_us("4m"));
    EXPECT_EQ(parse_duration_us("4m").error().offset, 1u);
    EXPECT_FALSE(parse_duration_us("7200s"));
    EXPECT_FALSE(parse_duration_us(""));
    EXPECT_EQ(*seconds_to_us(2.5), 2'500'000);
    EXPECT_FALSE(seconds_to_us(0));
    EXPECT_FALSE(seconds_to_us(-1));
}

TEST(Values, SizesFpsColours)
{
    EXPECT_EQ(parse_size("720 × 1280")->height, 1280);
    EXPECT_EQ(parse_size("1280X720")->width, 1280);
    EXPECT_FALSE(parse_size("1280x"));
    EXPECT_FALSE(parse_size("15x16"));
    EXPECT_FALSE(parse_size("7682x16"));
    EXPECT_TRUE(parse_size("7680x16"));
    EXPECT_EQ(*parse_fps("25"), (core::Rational{25, 1}));
    EXPECT_EQ(*parse_fps("23.976"), (core::Rational{24000, 1001}));
    EXPECT_EQ(*parse_fps("59.94"), (core::Rational{60000, 1001}));
    EXPECT_EQ(*parse_fps("12.5"), (core::Rational{25, 2}));
    EXPECT_EQ(*parse_fps("30000/1001"), (core::Rational{30000, 1001}));
    EXPECT_EQ(*parse_fps("30 fps"), (core::Rational{30, 1}));
    EXPECT_FALSE(parse_fps("0"));
    EXPECT_FALSE(parse_fps("241"));
    EXPECT_FALSE(parse_fps("30/0"));
    EXPECT_EQ(parse_color("#fff")->r, 255);
    EXPECT_EQ(parse_color("#0B1a2A")->g, 0x1a);
    EXPECT_EQ(parse_color("White")->b, 255);
    EXPECT_FALSE(parse_color("#ggg"));
    EXPECT_EQ(color_to_hex({11, 26, 42}), "#0b1a2a");
}

TEST(Values, TransitionSpecs)
{
    core::Diagnostics d;
    Span s{{"x.md", 3, 13}, "fade 1.5s"};
    auto t = read_transition(s, 500'000, d);
    ASSERT_TRUE(t);
    EXPECT_EQ(t->duration_us, 1'500'000);
    EXPECT_EQ(t->loc.col, 13);
    auto c = read_transition({{"x.md", 3, 13}, "cut"}, 500'000, d);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->duration_us, 0);
    EXPECT_FALSE(d.has_errors());
    EXPECT_FALSE(read_transition({{"x.md", 3, 13}, "wipeleftt 1s"}, 500'000, d));
    EXPECT_FALSE(read_transition({{"x.md", 3, 13}, "fade 1s 2s"}, 500'000, d));
    EXPECT_FALSE(read_transition({{"x.md", 3, 13}, "fade =3"}, 500'000, d));
    ASSERT_EQ(d.error_count(), 3u);
    EXPECT_EQ(d.items()[0].hint, "did you mean \"wipeleft\"?");
    EXPECT_EQ(d.items()[1].where.col, 21);
    EXPECT_EQ(d.items()[2].where.col, 18);
}

TEST(Values, MediaKindsMatchMediaModuleList)
{
    for (auto e : {"a.jpg", "a.JPEG", "a.png", "a.webp", "a.bmp", "a.tif", "a.tiff", "a.gif"})
        EXPECT_EQ(file_kind_from_extension(e), FileKind::Image) << e;
    for (auto e : {"a.mp4", "a.MOV", "a.m4v", "a.mkv", "a.webm", "a.avi", "a.mts", "a.m2ts", "a.ts", "a.flv", "a.wmv",
                   "a.mpg", "a.mpeg"})
        EXPECT_EQ(file_kind_from_extension(e), FileKind::Video) << e;
    for (auto e : {"a.wav", "a.mp3", "a.m4a", "a.aac", "a.ogg", "a.opus", "a.flac"})
        EXPECT_EQ(file_kind_from_extension(e), FileKind::Audio) << e;
    for (auto e : {"a", "a.txt", "dir.jpg/file", "3.5", "jpg"})
        EXPECT_EQ(file_kind_from_extension(e), FileKind::Other) << e;
}
