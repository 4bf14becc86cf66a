// `music:` in the front matter and "music" in the JSON form.

#include "test_helpers.h"

using namespace sw;
using swtest::locs;
using swtest::read_md;
using swtest::TempDir;

TEST(Music, PathAndGain)
{
    TempDir t;
    t.write("media/bgm.mp3");
    core::Diagnostics d;
    auto p = read_md("---\nmusic: media/bgm.mp3 -6dB\n---\n# A\nduration: 2s\n", d, t.path());
    EXPECT_FALSE(d.has_errors()) << d.to_string();
    ASSERT_TRUE(p.music.has_value());
    EXPECT_EQ(p.music->path_as_written, "media/bgm.mp3");
    EXPECT_EQ(p.music->path, t.path() / "media/bgm.mp3");
    EXPECT_DOUBLE_EQ(p.music->volume_db, -6);
    EXPECT_EQ(p.music->loc.line, 2);
    EXPECT_EQ(p.music->loc.col, 8);
}

TEST(Music, QuotedPathWithSpaces)
{
    TempDir t;
    t.write("my music/theme song.ogg");
    core::Diagnostics d;
    auto p = read_md("---\nmusic: \"my music/theme song.ogg\"\n---\n# A\nduration: 2s\n", d, t.path());
    EXPECT_FALSE(d.has_errors()) << d.to_string();
    ASSERT_TRUE(p.music.has_value());
    EXPECT_EQ(p.music->path_as_written, "my music/theme song.ogg");
}

TEST(Music, ErrorsPointAtTheWord)
{
    TempDir t;
    t.write("bgm.mp3");
    t.write("photo.jpg");
    core::Diagnostics d;
    read_md("---\nmusic: bgm.mp4x\n---\n# A\nduration: 2s\n", d, t.path());
    EXPECT_EQ(locs(d), "2:8 ");  // not an audio extension
    core::Diagnostics d2;
    read_md("---\nmusic: bgm.mp3 loud\n---\n# A\nduration: 2s\n", d2, t.path());
    EXPECT_EQ(locs(d2), "2:16 ");
    core::Diagnostics d3;
    read_md("---\nmusic: bgn.mp3\n---\n# A\nduration: 2s\n", d3, t.path());
    ASSERT_EQ(locs(d3), "2:8 ");
    EXPECT_NE(d3.items()[0].hint.find("bgm.mp3"), std::string::npos) << d3.to_string();
    core::Diagnostics d4;
    read_md("---\nmusic: photo.jpg\n---\n# A\nduration: 2s\n", d4, t.path());
    EXPECT_EQ(locs(d4), "2:8 ");
}

TEST(Music, JsonStringAndObject)
{
    TempDir t;
    t.write("bgm.flac");
    core::Diagnostics d;
    auto p = script::read_script_text(R"({"music": "bgm.flac", "shots": [{"name": "a", "duration": 1}]})", "p.json",
                                      script::Format::Json, t.path(), d);
    ASSERT_TRUE(p);
    EXPECT_FALSE(d.has_errors()) << d.to_string();
    ASSERT_TRUE(p->music);
    EXPECT_DOUBLE_EQ(p->music->volume_db, 0);
    core::Diagnostics d2;
    auto q = script::read_script_text(
        "{\"music\": {\"media\": \"bgm.flac\", \"volume_db\": -9, \"fade\": 2},\n \"shots\": [{\"name\": \"a\", \"duration\": 1}]}",
        "p.json", script::Format::Json, t.path(), d2);
    ASSERT_TRUE(q);
    EXPECT_EQ(d2.error_count(), 1u) << d2.to_string();  // unknown field "fade"
    EXPECT_EQ(d2.items()[0].where.line, 1);
}
