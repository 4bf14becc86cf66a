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

TEST(Music, BedAndDuckLevels)
{
    TempDir t;
    t.write("bgm.mp3");
    core::Diagnostics d;
    auto p = read_md("---\nmusic: bgm.mp3 -3dB bed=-10dB duck=-22\n---\n# A\nduration: 2s\n", d, t.path());
    EXPECT_FALSE(d.has_errors()) << d.to_string();
    ASSERT_TRUE(p.music.has_value());
    EXPECT_DOUBLE_EQ(p.music->volume_db, -3);
    EXPECT_DOUBLE_EQ(p.music->bed_db, -10);
    EXPECT_DOUBLE_EQ(p.music->duck_db, -22);  // "dB" may be left off after `duck=`
    // The defaults: 8 dB under the speech in pauses, 17 under it while words are spoken.
    core::Diagnostics d0;
    auto q = read_md("---\nmusic: bgm.mp3\n---\n# A\nduration: 2s\n", d0, t.path());
    ASSERT_TRUE(q.music.has_value());
    EXPECT_DOUBLE_EQ(q.music->bed_db, -8);
    EXPECT_DOUBLE_EQ(q.music->duck_db, -17);
}

TEST(Music, BedAndDuckErrors)
{
    TempDir t;
    t.write("bgm.mp3");
    // Out of range: the error points at the value and gives the range.
    core::Diagnostics d;
    auto p = read_md("---\nmusic: bgm.mp3 bed=-50dB\n---\n# A\nduration: 2s\n", d, t.path());
    ASSERT_EQ(locs(d), "2:20 ");
    EXPECT_NE(d.items()[0].message.find("from -40 to 0 dB"), std::string::npos) << d.to_string();
    EXPECT_NE(d.items()[0].hint.find("bed=-8dB"), std::string::npos) << d.to_string();
    EXPECT_FALSE(p.music.has_value());
    // Not a number.
    core::Diagnostics d2;
    read_md("---\nmusic: bgm.mp3 duck=low\n---\n# A\nduration: 2s\n", d2, t.path());
    ASSERT_EQ(locs(d2), "2:21 ");
    EXPECT_NE(d2.items()[0].message.find("under speech"), std::string::npos) << d2.to_string();
    // A gain above zero for duck (music over the voice) is refused too.
    core::Diagnostics d3;
    read_md("---\nmusic: bgm.mp3 duck=+3dB\n---\n# A\nduration: 2s\n", d3, t.path());
    EXPECT_EQ(locs(d3), "2:21 ");
    // A misspelt word: did you mean.
    core::Diagnostics d4;
    read_md("---\nmusic: bgm.mp3 bedd=-8dB\n---\n# A\nduration: 2s\n", d4, t.path());
    ASSERT_EQ(locs(d4), "2:16 ");
    EXPECT_NE(d4.items()[0].hint.find("did you mean `bed=`"), std::string::npos) << d4.to_string();
    core::Diagnostics d5;
    read_md("---\nmusic: bgm.mp3 duk=-18dB\n---\n# A\nduration: 2s\n", d5, t.path());
    EXPECT_NE(d5.items()[0].hint.find("did you mean `duck=`"), std::string::npos) << d5.to_string();
    // A bare gain out of range says so (it is not an unknown word).
    core::Diagnostics d6;
    read_md("---\nmusic: bgm.mp3 -90dB\n---\n# A\nduration: 2s\n", d6, t.path());
    ASSERT_EQ(locs(d6), "2:16 ");
    EXPECT_NE(d6.items()[0].message.find("out of range"), std::string::npos) << d6.to_string();
}

TEST(Music, JsonBedAndDuck)
{
    TempDir t;
    t.write("bgm.flac");
    core::Diagnostics d;
    auto p = script::read_script_text(
        R"({"music": {"media": "bgm.flac", "bed_db": -6, "duck_db": -20}, "shots": [{"name": "a", "duration": 1}]})",
        "p.json", script::Format::Json, t.path(), d);
    ASSERT_TRUE(p);
    EXPECT_FALSE(d.has_errors()) << d.to_string();
    ASSERT_TRUE(p->music);
    EXPECT_DOUBLE_EQ(p->music->bed_db, -6);
    EXPECT_DOUBLE_EQ(p->music->duck_db, -20);
    core::Diagnostics d2;
    auto q = script::read_script_text(
        "{\"music\": {\"media\": \"bgm.flac\",\n \"bed_db\": 4}, \"shots\": [{\"name\": \"a\", \"duration\": 1}]}",
        "p.json", script::Format::Json, t.path(), d2);
    ASSERT_TRUE(q);
    ASSERT_EQ(d2.error_count(), 1u) << d2.to_string();
    EXPECT_EQ(d2.items()[0].where.line, 2);
    EXPECT_NE(d2.items()[0].message.find("from -40 to 0"), std::string::npos) << d2.to_string();
    EXPECT_FALSE(q->music);
    core::Diagnostics d3;
    script::read_script_text(
        R"({"music": {"media": "bgm.flac", "bed": -6}, "shots": [{"name": "a", "duration": 1}]})", "p.json",
        script::Format::Json, t.path(), d3);
    ASSERT_EQ(d3.error_count(), 1u) << d3.to_string();
    EXPECT_NE(d3.to_string().find("bed_db"), std::string::npos) << d3.to_string();  // did you mean
}
