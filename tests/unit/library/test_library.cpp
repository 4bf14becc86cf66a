// The media library: indexing (sidecars, names, embedded tags, technical facts), incremental
// updates, search (Chinese and English), where the index lives, and per-shot picking.

#include <cairo.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <set>

#include "library/library.h"
#include "library/tokenize.h"
#include "test_support.h"

namespace sw::library {
namespace {

namespace fs = std::filesystem;
using sw::test::TempDir;
using sw::test::write_file;

// A small PNG written with Cairo: instant, unlike an ffmpeg run per picture.
void make_png(const fs::path& p, int w, int h)
{
    fs::create_directories(p.parent_path());
    cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_t* cr = cairo_create(s);
    cairo_set_source_rgb(cr, 0.2, 0.4, 0.8);
    cairo_paint(cr);
    cairo_destroy(cr);
    ASSERT_EQ(cairo_surface_write_to_png(s, p.c_str()), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(s);
}

void make_clip(const fs::path& p, double seconds, const std::vector<std::string>& extra = {})
{
    fs::create_directories(p.parent_path());
    std::vector<std::string> args{"-f", "lavfi", "-i", "testsrc=s=64x64:r=10", "-t", std::to_string(seconds),
                                  "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(p.string());
    sw::test::ffmpeg(args);
}

Library open_lib(const fs::path& dir, LibraryOptions o = {})
{
    auto lib = Library::open(dir, o);
    EXPECT_TRUE(lib) << (lib ? "" : lib.error().to_string());
    if (!lib)
        throw std::runtime_error("open failed");
    return std::move(*lib);
}

IndexStats update(Library& lib)
{
    auto s = lib.update();
    EXPECT_TRUE(s) << (s ? "" : s.error().to_string());
    if (!s)
        throw std::runtime_error("update failed");
    return *s;
}

std::vector<SearchHit> search(const Library& lib, const std::string& q, size_t limit = 20)
{
    SearchOptions o;
    o.limit = limit;
    auto h = lib.search(q, o);
    EXPECT_TRUE(h) << (h ? "" : h.error().to_string());
    return h ? *h : std::vector<SearchHit>{};
}

std::vector<std::string> paths(const std::vector<SearchHit>& hits)
{
    std::vector<std::string> v;
    for (auto& h : hits)
        v.push_back(h.asset.rel_path);
    return v;
}

// ---- tokenization -------------------------------------------------------------------------

TEST(library_tokenize, ChineseGetsWholeWordsAndNamesWhole)
{
    std::string t = " " + index_tokens("夜晚的冰雕城堡") + " ";
    EXPECT_NE(t.find(" 冰雕 "), std::string::npos) << t;
    EXPECT_EQ(t.find(" 雕城 "), std::string::npos) << t;  // no bigrams across word boundaries
    EXPECT_EQ(t.find(" 堡 "), std::string::npos) << t;    // no single characters among the words
    // A name from the lexicon is one word, and the dictionary words inside it are words too.
    std::string n = " " + index_tokens("圣索菲亚大教堂的夜景") + " ";
    EXPECT_NE(n.find(" 圣索菲亚大教堂 "), std::string::npos) << n;
    EXPECT_NE(n.find(" 大教堂 "), std::string::npos) << n;
    // A tag is a name: kept whole even when no lexicon knows it.
    std::string g = " " + tag_tokens("玉兰小巷\nnight") + " ";
    EXPECT_NE(g.find(" 玉兰小巷 "), std::string::npos) << g;
    EXPECT_EQ(char_tokens("彩灯 lights 花海"), "彩 灯 花 海");
    EXPECT_EQ(index_tokens("Snowy CASTLE, night!"), "snowy castle night");
}

TEST(library_tokenize, NamesSplitOnSeparatorsAndCamelCase)
{
    EXPECT_EQ(name_tokens("ice_castle-night.v2"), "ice castle night v2");
    EXPECT_EQ(name_tokens("IceCastle"), "ice castle");
    EXPECT_EQ(name_tokens("HDRClip"), "hdr clip");
}

TEST(library_tokenize, QueryTermsAsWrittenWithoutFunctionWords)
{
    std::vector<std::string> texts;
    for (auto& t : query_terms("雪 夜晚 冰雕 the Castles"))
        texts.push_back(t.text);
    EXPECT_EQ(texts, (std::vector<std::string>{"雪", "夜晚", "冰雕", "Castles"}));
    // Only function words: kept, or the query would be empty.
    ASSERT_EQ(query_terms("的").size(), 1u);
    EXPECT_TRUE(query_terms("  ,,, ").empty());
}

// ---- indexing and search ------------------------------------------------------------------

TEST(library, ChineseSidecarFoundByTwoCharacterQuery)
{
    TempDir dir("library");
    make_png(dir / "a.png", 64, 64);
    make_png(dir / "b.png", 64, 64);
    make_png(dir / "c.png", 64, 64);
    write_file(dir / "a.png.txt", "夜晚的冰雕城堡,彩灯闪烁");
    write_file(dir / "b.png.txt", "阳光下的金色沙滩");
    write_file(dir / "c.png.txt", "雪花飘落在老街上");
    auto lib = open_lib(dir.path());
    auto stats = update(lib);
    EXPECT_EQ(stats.indexed, 3u);

    auto hits = search(lib, "冰雕");
    ASSERT_EQ(hits.size(), 1u);
    EXPECT_EQ(hits[0].asset.rel_path, "a.png");
    EXPECT_EQ(hits[0].matched_terms, std::vector<std::string>{"冰雕"});
    EXPECT_EQ(hits[0].asset.description, "夜晚的冰雕城堡,彩灯闪烁");
    EXPECT_EQ(hits[0].asset.path, fs::canonical(dir.path()) / "a.png");

    // A query of one character finds it inside a word (雪 in 雪花); a piece of two words that
    // is no word itself (雕城 across 冰雕 | 城堡) does not: matches are whole words.
    EXPECT_EQ(paths(search(lib, "雪")), std::vector<std::string>{"c.png"});
    EXPECT_TRUE(search(lib, "雕城").empty());

    // More matched terms rank higher; scores are in 0..1 and descending.
    auto multi = search(lib, "雪花 夜晚 冰雕");
    ASSERT_EQ(multi.size(), 2u);
    EXPECT_EQ(multi[0].asset.rel_path, "a.png");
    EXPECT_EQ(multi[0].matched_terms, (std::vector<std::string>{"夜晚", "冰雕"}));
    EXPECT_EQ(multi[1].matched_terms, std::vector<std::string>{"雪花"});
    // 雪 among other words must match a whole word: 雪花 is not 雪.
    EXPECT_EQ(paths(search(lib, "雪 夜晚")), std::vector<std::string>{"a.png"});
    EXPECT_GT(multi[0].score, multi[1].score);
    for (auto& h : multi) {
        EXPECT_GE(h.score, 0.0);
        EXPECT_LE(h.score, 1.0);
    }
    EXPECT_TRUE(search(lib, "沙漠骆驼").empty());
}

TEST(library, WholeWordsOnlyAndTheLibrarysOwnNamesKeptWhole)
{
    TempDir dir("library");
    make_png(dir / "DSC_5521.png", 64, 64);
    make_png(dir / "IMG_0231.png", 64, 64);
    make_png(dir / "大理古城_001.png", 64, 64);
    write_file(dir / "DSC_5521.png.json", R"({"description": "冰雪大世界的夜晚", "tags": ["彩灯", "冰雪大世界"]})");
    write_file(dir / "IMG_0231.png.txt", "松花江上的冬泳");
    auto lib = open_lib(dir.path());
    update(lib);
    // One shared character is no match: 彩 (彩灯), 花 (松花江).
    EXPECT_TRUE(search(lib, "五彩斑斓的扎染布").empty());
    EXPECT_TRUE(search(lib, "彩色的热气球").empty());
    EXPECT_TRUE(search(lib, "花开满院的庭院").empty());
    EXPECT_TRUE(search(lib, "花瓣上的露珠").empty()) << "上 is a word of both, but one character is no match";
    // The query is segmented with the library's tags kept whole: 彩灯, not 彩 | 灯.
    auto hits = search(lib, "彩灯和冰雪");
    ASSERT_EQ(hits.size(), 1u);
    EXPECT_EQ(hits[0].matched_terms, (std::vector<std::string>{"彩灯", "冰雪"}));
    // A name from a file name, and the words inside it.
    EXPECT_EQ(paths(search(lib, "大理古城")), std::vector<std::string>{"大理古城_001.png"});
    EXPECT_EQ(paths(search(lib, "古城")), std::vector<std::string>{"大理古城_001.png"});
    // A query of one character still looks inside words.
    EXPECT_EQ(paths(search(lib, "彩")), std::vector<std::string>{"DSC_5521.png"});
    EXPECT_EQ(paths(search(lib, "花")), std::vector<std::string>{"IMG_0231.png"});
}

TEST(library, EnglishStemsAndJsonSidecars)
{
    TempDir dir("library");
    make_png(dir / "hill.png", 64, 64);
    make_png(dir / "beach.png", 64, 64);
    make_png(dir / "plain.png", 64, 64);
    write_file(dir / "hill.png.json", R"({"description": "An old castle on the hill", "tags": ["winter", "冰雪"]})");
    write_file(dir / "beach.json", R"({"tags": ["Sunny beaches", "waves"]})");  // photo.json form
    write_file(dir / "plain.png.json", "this is not json");
    auto lib = open_lib(dir.path());
    auto stats = update(lib);
    EXPECT_EQ(stats.indexed, 3u);
    ASSERT_EQ(stats.notes.size(), 1u);
    EXPECT_NE(stats.notes[0].find("plain.png.json"), std::string::npos);

    auto hits = search(lib, "castles");
    ASSERT_EQ(hits.size(), 1u);
    EXPECT_EQ(hits[0].asset.rel_path, "hill.png");
    EXPECT_EQ(hits[0].matched_terms, std::vector<std::string>{"castles"});
    EXPECT_EQ(hits[0].asset.tags, (std::vector<std::string>{"winter", "冰雪"}));
    EXPECT_EQ(paths(search(lib, "Hills")), std::vector<std::string>{"hill.png"});
    EXPECT_EQ(paths(search(lib, "冰雪")), std::vector<std::string>{"hill.png"});
    EXPECT_EQ(paths(search(lib, "beach wave")), std::vector<std::string>{"beach.png"});
}

TEST(library, FileAndFolderNamesMatch)
{
    TempDir dir("library");
    make_png(dir / "harbin" / "ice_castle-night.png", 64, 64);
    make_png(dir / "misc" / "SunsetBeach.png", 64, 64);
    auto lib = open_lib(dir.path());
    update(lib);
    auto hits = search(lib, "Harbin night");
    ASSERT_EQ(hits.size(), 1u);
    EXPECT_EQ(hits[0].asset.rel_path, "harbin/ice_castle-night.png");
    EXPECT_EQ(hits[0].matched_terms, (std::vector<std::string>{"Harbin", "night"}));
    EXPECT_EQ(paths(search(lib, "sunset")), std::vector<std::string>{"misc/SunsetBeach.png"});
    // Description words weigh more than names: a name-only match ranks below a sidecar one.
    make_png(dir / "other.png", 64, 64);
    write_file(dir / "other.png.txt", "the castle at night");
    update(lib);
    auto both = search(lib, "castle");
    ASSERT_EQ(both.size(), 2u);
    EXPECT_EQ(both[0].asset.rel_path, "other.png");
}

TEST(library, EmbeddedVideoTagsAndTechnicalFacts)
{
    TempDir dir("library");
    make_clip(dir / "clip.mp4", 1.0, {"-metadata", "title=Lantern festival", "-metadata", "comment=元宵灯会"});
    make_png(dir / "wide.png", 96, 64);
    auto lib = open_lib(dir.path());
    update(lib);
    auto hits = search(lib, "lanterns");
    ASSERT_EQ(hits.size(), 1u);
    const Asset& a = hits[0].asset;
    EXPECT_EQ(a.rel_path, "clip.mp4");
    EXPECT_NE(a.metadata.find("Lantern festival"), std::string::npos) << a.metadata;
    EXPECT_EQ(a.kind, AssetKind::Video);
    EXPECT_EQ(a.width, 64);
    EXPECT_EQ(a.height, 64);
    EXPECT_NEAR(a.duration_us, 1'000'000, 150'000);
    EXPECT_DOUBLE_EQ(a.fps.to_double(), 10.0);
    EXPECT_FALSE(a.has_audio);
    EXPECT_GT(a.size_bytes, 0);
    EXPECT_EQ(paths(search(lib, "灯会")), std::vector<std::string>{"clip.mp4"});

    auto wide = search(lib, "wide");
    ASSERT_EQ(wide.size(), 1u);
    EXPECT_EQ(wide[0].asset.kind, AssetKind::Image);
    EXPECT_EQ(wide[0].asset.width, 96);
    EXPECT_EQ(wide[0].asset.height, 64);
    EXPECT_EQ(wide[0].asset.duration_us, -1);
}

// A JPEG with an EXIF block: ImageDescription and Orientation 6 (shown turned a quarter).
std::string jpeg_with_exif(const std::string& jpeg, const std::string& description)
{
    auto le16 = [](uint32_t v) { return std::string{(char)(v & 0xff), (char)(v >> 8 & 0xff)}; };
    auto le32 = [&](uint32_t v) { return le16(v & 0xffff) + le16(v >> 16); };
    std::string tiff = "II" + le16(42) + le32(8);
    const uint32_t strings_at = 8 + 2 + 2 * 12 + 4;
    tiff += le16(2);
    tiff += le16(0x010E) + le16(2) + le32((uint32_t)description.size() + 1) + le32(strings_at);
    tiff += le16(0x0112) + le16(3) + le32(1) + le16(6) + le16(0);
    tiff += le32(0);
    tiff += description + '\0';
    std::string app1 = std::string("Exif\0\0", 6) + tiff;
    const size_t len = app1.size() + 2;
    std::string seg = std::string("\xFF\xE1", 2) + (char)(len >> 8) + (char)(len & 0xff) + app1;
    return jpeg.substr(0, 2) + seg + jpeg.substr(2);
}

TEST(library, ExifDescriptionAndOrientation)
{
    TempDir dir("library");
    sw::test::make_image(dir / "src.jpg", "color=c=red:s=96x64");
    write_file(dir / "lantern.jpg", jpeg_with_exif(sw::test::read_file(dir / "src.jpg"), "Red lanterns"));
    fs::remove(dir / "src.jpg");
    auto lib = open_lib(dir.path());
    auto stats = update(lib);
    ASSERT_EQ(stats.indexed, 1u) << (stats.skipped.empty() ? "" : stats.skipped[0].reason);
    auto hits = search(lib, "lantern");
    ASSERT_EQ(hits.size(), 1u);
    EXPECT_NE(hits[0].asset.metadata.find("Red lanterns"), std::string::npos);
    EXPECT_EQ(hits[0].asset.width, 64);  // stored 96x64, shown portrait
    EXPECT_EQ(hits[0].asset.height, 96);
}

TEST(library, IncrementalUpdate)
{
    TempDir dir("library");
    make_png(dir / "a.png", 64, 64);
    make_png(dir / "b.png", 64, 64);
    make_png(dir / "sub" / "c.png", 64, 64);
    auto before = fs::last_write_time(dir / "a.png");
    auto lib = open_lib(dir.path());
    auto s1 = update(lib);
    EXPECT_EQ(s1.indexed, 3u);
    EXPECT_EQ(s1.unchanged, 0u);
    EXPECT_EQ(s1.db_path, fs::canonical(dir.path()) / kLibraryDbName);
    EXPECT_FALSE(s1.in_cache);
    EXPECT_TRUE(s1.skipped.empty());
    EXPECT_EQ(fs::last_write_time(dir / "a.png"), before);  // the user's files are only read

    auto s2 = update(lib);
    EXPECT_EQ(s2.indexed, 0u);
    EXPECT_EQ(s2.unchanged, 3u);
    EXPECT_EQ(s2.removed, 0u);

    // A touched file is probed again; so is one whose sidecar appeared.
    fs::last_write_time(dir / "b.png", fs::last_write_time(dir / "b.png") + std::chrono::seconds(5));
    write_file(dir / "sub" / "c.png.txt", "港口的渔船");
    auto s3 = update(lib);
    EXPECT_EQ(s3.indexed, 2u);
    EXPECT_EQ(s3.unchanged, 1u);
    EXPECT_EQ(paths(search(lib, "渔船")), std::vector<std::string>{"sub/c.png"});

    // A new file, a removed one — and a fresh Library on the same folder sees the same index.
    fs::remove(dir / "a.png");
    make_png(dir / "d.png", 64, 64);
    auto lib2 = open_lib(dir.path());
    auto s4 = update(lib2);
    EXPECT_EQ(s4.indexed, 1u);
    EXPECT_EQ(s4.removed, 1u);
    EXPECT_EQ(s4.unchanged, 2u);
    EXPECT_EQ(s4.total, 3u);
    EXPECT_TRUE(search(lib2, "a").empty());
    EXPECT_EQ(paths(search(lib2, "d")), std::vector<std::string>{"d.png"});
}

TEST(library, BrokenFilesSkippedWithReason)
{
    TempDir dir("library");
    make_png(dir / "good.png", 64, 64);
    write_file(dir / "text.jpg", "this is not a picture");
    write_file(dir / "empty.mp4", "");
    write_file(dir / "notes.txt", "not media at all: ignored");
    make_png(dir / ".hidden" / "secret.png", 64, 64);
    make_png(dir / ".dotfile.png", 64, 64);
    auto lib = open_lib(dir.path());
    auto s1 = update(lib);
    EXPECT_EQ(s1.indexed, 1u);
    ASSERT_EQ(s1.skipped.size(), 2u);
    EXPECT_EQ(s1.skipped[0].rel_path, "empty.mp4");
    EXPECT_NE(s1.skipped[0].reason.find("empty"), std::string::npos) << s1.skipped[0].reason;
    EXPECT_EQ(s1.skipped[1].rel_path, "text.jpg");
    EXPECT_FALSE(s1.skipped[1].reason.empty());

    // Still reported, not probed again; a repaired file is indexed.
    auto s2 = update(lib);
    EXPECT_EQ(s2.indexed, 0u);
    EXPECT_EQ(s2.skipped.size(), 2u);
    fs::remove(dir / "text.jpg");
    make_png(dir / "text.jpg", 64, 64);  // PNG data behind a .jpg name: still a picture
    fs::last_write_time(dir / "text.jpg", fs::last_write_time(dir / "text.jpg") + std::chrono::seconds(5));
    auto s3 = update(lib);
    EXPECT_EQ(s3.indexed, 1u);
    ASSERT_EQ(s3.skipped.size(), 1u);
    EXPECT_EQ(s3.skipped[0].rel_path, "empty.mp4");
    EXPECT_EQ(s3.total, 2u);
}

// ---- where the index lives ----------------------------------------------------------------

TEST(library, SubFolderOfAnIndexedFolderSharesItsIndexRestricted)
{
    TempDir dir("library");
    make_png(dir / "media" / "harbin" / "DSC_5521.png", 64, 64);
    make_png(dir / "media" / "dali" / "erhai.png", 64, 64);
    make_png(dir / "media" / "dali" / "night" / "market.png", 64, 64);
    write_file(dir / "media" / "harbin" / "DSC_5521.png.txt", "洱海 colour lights");  // a mislabelled Harbin photo
    write_file(dir / "media" / "dali" / "erhai.png.txt", "洱海的日出");
    write_file(dir / "media" / "dali" / "night" / "market.png.txt", "洱海边的夜市");
    {
        auto parent = open_lib(dir / "media");
        EXPECT_EQ(update(parent).indexed, 3u);
        EXPECT_EQ(search(parent, "洱海").size(), 3u);
    }
    auto dali = open_lib(dir / "media" / "dali");
    EXPECT_EQ(dali.db_path(), fs::canonical(dir / "media") / kLibraryDbName) << "the parent's index is shared";
    EXPECT_FALSE(fs::exists(dir / "media" / "dali" / kLibraryDbName));
    auto stats = update(dali);
    EXPECT_EQ(stats.indexed, 0u);
    EXPECT_EQ(stats.unchanged, 2u);
    EXPECT_EQ(stats.removed, 0u);
    EXPECT_EQ(stats.total, 2u);
    // Only the sub-folder's assets are candidates, named relative to it.
    auto hits = search(dali, "洱海");
    EXPECT_EQ(paths(hits), (std::vector<std::string>{"erhai.png", "night/market.png"}));
    ASSERT_FALSE(hits.empty());
    EXPECT_EQ(hits[0].asset.path, fs::canonical(dir / "media" / "dali") / "erhai.png");
    EXPECT_EQ(dali.root(), fs::canonical(dir / "media" / "dali"));
    auto listed = dali.assets();
    ASSERT_TRUE(listed);
    std::vector<std::string> rels;
    for (auto& a : *listed)
        rels.push_back(a.rel_path);
    EXPECT_EQ(rels, (std::vector<std::string>{"erhai.png", "night/market.png"}));
    // The Harbin photo, the parent's best match, is never offered.
    auto p = pick_assets(dali, {{"洱海", 1080, 1920, 0}, {"洱海 colour lights", 1080, 1920, 0}}, 0);
    ASSERT_TRUE(p);
    for (auto& pick : *p)
        if (pick)
            EXPECT_EQ(pick->chosen.path.parent_path().filename().string().find("harbin"), std::string::npos);
    ASSERT_TRUE((*p)[0]);
    EXPECT_EQ((*p)[0]->chosen.rel_path, "erhai.png");
    // Changes in the sub-folder are indexed into the shared index; the rest is left alone.
    make_png(dir / "media" / "dali" / "cangshan.png", 64, 64);
    write_file(dir / "media" / "dali" / "cangshan.png.txt", "苍山");
    fs::remove(dir / "media" / "dali" / "night" / "market.png");
    stats = update(dali);
    EXPECT_EQ(stats.indexed, 1u);
    EXPECT_EQ(stats.removed, 1u);
    EXPECT_EQ(paths(search(dali, "苍山")), std::vector<std::string>{"cangshan.png"});
    auto parent = open_lib(dir / "media");
    stats = update(parent);
    EXPECT_EQ(stats.indexed, 0u);
    EXPECT_EQ(stats.unchanged, 3u);
    EXPECT_EQ(paths(search(parent, "苍山")), std::vector<std::string>{"dali/cangshan.png"});
    auto whole = pick_assets(parent, {{"洱海 colour lights", 1080, 1920, 0}}, 0);
    ASSERT_TRUE(whole && (*whole)[0]);
    EXPECT_EQ((*whole)[0]->chosen.rel_path, "harbin/DSC_5521.png");
    // A folder with no indexed parent keeps its own index.
    make_png(dir / "other" / "x.png", 64, 64);
    auto other = open_lib(dir / "other");
    EXPECT_EQ(other.db_path(), fs::canonical(dir / "other") / kLibraryDbName);
}

TEST(library, MissingFolderIsInputErrorNamingThePath)
{
    TempDir dir("library");
    fs::path missing = dir / "no-such-folder";
    auto lib = Library::open(missing);
    ASSERT_FALSE(lib);
    EXPECT_EQ(lib.error().category, core::ErrorCategory::Input);
    EXPECT_NE(lib.error().message.find(missing.string()), std::string::npos) << lib.error().message;
    EXPECT_NE(lib.error().message.find("does not exist"), std::string::npos);

    write_file(dir / "file.txt", "x");
    auto notdir = Library::open(dir / "file.txt");
    ASSERT_FALSE(notdir);
    EXPECT_EQ(notdir.error().category, core::ErrorCategory::Input);
    EXPECT_NE(notdir.error().message.find("not a folder"), std::string::npos);
}

int db_user_version(const fs::path& db)
{
    sqlite3* d = nullptr;
    sqlite3_open(db.c_str(), &d);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(d, "PRAGMA user_version", -1, &st, nullptr);
    int v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    sqlite3_close(d);
    return v;
}

TEST(library, OldSchemaAndDamagedIndexAreRebuilt)
{
    TempDir dir("library");
    make_png(dir / "castle.png", 64, 64);
    const fs::path db = dir / kLibraryDbName;
    {
        sqlite3* d = nullptr;
        ASSERT_EQ(sqlite3_open(db.c_str(), &d), SQLITE_OK);
        ASSERT_EQ(sqlite3_exec(d, "CREATE TABLE assets(x); INSERT INTO assets VALUES(1); PRAGMA user_version = 0;",
                               nullptr, nullptr, nullptr),
                  SQLITE_OK);
        sqlite3_close(d);
    }
    {
        auto lib = open_lib(dir.path());
        EXPECT_EQ(update(lib).indexed, 1u);
        EXPECT_EQ(paths(search(lib, "castle")), std::vector<std::string>{"castle.png"});
    }
    EXPECT_EQ(db_user_version(db), kLibrarySchemaVersion);

    // A newer (unknown) version, then a file that is no database at all.
    {
        sqlite3* d = nullptr;
        sqlite3_open(db.c_str(), &d);
        sqlite3_exec(d, "PRAGMA user_version = 999", nullptr, nullptr, nullptr);
        sqlite3_close(d);
    }
    {
        auto lib = open_lib(dir.path());
        EXPECT_EQ(update(lib).indexed, 1u);
    }
    EXPECT_EQ(db_user_version(db), kLibrarySchemaVersion);
    write_file(db, std::string(4096, 'x'));
    auto lib = open_lib(dir.path());
    EXPECT_EQ(update(lib).indexed, 1u);
    EXPECT_FALSE(lib.in_cache());
}

// Sets an environment variable for one test and restores it afterwards.
class ScopedEnv {
public:
    ScopedEnv(const char* name, const std::string& value) : m_name(name)
    {
        if (const char* old = std::getenv(name))
            m_old = old;
        setenv(name, value.c_str(), 1);
    }
    ~ScopedEnv()
    {
        if (m_old)
            setenv(m_name, m_old->c_str(), 1);
        else
            unsetenv(m_name);
    }

private:
    const char* m_name;
    std::optional<std::string> m_old;
};

TEST(library, ReadOnlyFolderUsesCacheDir)
{
    TempDir dir("library");
    fs::path media = dir / "media", cache = dir / "cache";
    make_png(media / "castle.png", 64, 64);
    ScopedEnv env("XDG_CACHE_HOME", cache.string());
    ASSERT_EQ(::chmod(media.c_str(), 0555), 0);
    struct Restore {
        fs::path p;
        ~Restore() { ::chmod(p.c_str(), 0755); }
    } restore{media};
    if (::access(media.c_str(), W_OK) == 0)
        GTEST_SKIP() << "running as root: a read-only folder is still writable";

    auto lib = open_lib(media);
    auto s = update(lib);
    EXPECT_TRUE(s.in_cache);
    EXPECT_EQ(s.db_path.parent_path(), cache / "shotweave" / "library");
    ASSERT_FALSE(s.notes.empty());
    EXPECT_NE(s.notes[0].find("read-only"), std::string::npos) << s.notes[0];
    EXPECT_FALSE(fs::exists(media / kLibraryDbName));
    EXPECT_EQ(paths(search(lib, "castle")), std::vector<std::string>{"castle.png"});
}

TEST(library, LockedIndexUsesCacheDir)
{
    TempDir dir("library");
    fs::path media = dir / "media", cache = dir / "cache";
    make_png(media / "castle.png", 64, 64);
    { auto first = open_lib(media); }  // creates the folder's own index
    ScopedEnv env("XDG_CACHE_HOME", cache.string());

    // Another process (here: another connection) is writing to the folder's index.
    sqlite3* other = nullptr;
    ASSERT_EQ(sqlite3_open((media / kLibraryDbName).c_str(), &other), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(other, "BEGIN EXCLUSIVE; DELETE FROM skipped;", nullptr, nullptr, nullptr), SQLITE_OK);
    auto lib = Library::open(media);
    sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(other);
    ASSERT_TRUE(lib) << lib.error().to_string();
    EXPECT_TRUE(lib->in_cache());
    EXPECT_EQ(lib->db_path().parent_path(), cache / "shotweave" / "library");
    auto s = update(*lib);
    EXPECT_EQ(s.indexed, 1u);
    ASSERT_FALSE(s.notes.empty());
    EXPECT_NE(s.notes[0].find("cache"), std::string::npos);

    // Without the fallback the same situation is an error.
    sqlite3_open((media / kLibraryDbName).c_str(), &other);
    sqlite3_exec(other, "BEGIN EXCLUSIVE; DELETE FROM skipped;", nullptr, nullptr, nullptr);
    LibraryOptions strict;
    strict.allow_cache_fallback = false;
    auto refused = Library::open(media, strict);
    sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(other);
    EXPECT_FALSE(refused);
}

// ---- picking ------------------------------------------------------------------------------

// `n` pictures of w x h, all described by `text` (equally relevant to a query on it).
void described(const TempDir& dir, const std::vector<std::string>& names, int w, int h, const std::string& text)
{
    for (auto& n : names) {
        make_png(dir / n, w, h);
        write_file(dir / (n + ".txt"), text);
    }
}

std::optional<Pick> pick_one(const Library& lib, const PickRequest& r, uint64_t seed = 0)
{
    auto p = pick_assets(lib, {r}, seed);
    EXPECT_TRUE(p);
    return p && !p->empty() ? (*p)[0] : std::nullopt;
}

TEST(library_pick, NoAssetUsedTwiceWhileOthersMatch)
{
    TempDir dir("library");
    described(dir, {"a.png", "b.png"}, 64, 64, "冰雕城堡");
    described(dir, {"c.png"}, 64, 64, "沙滩");
    auto lib = open_lib(dir.path());
    update(lib);
    std::vector<PickRequest> shots(3, PickRequest{"冰雕城堡", 1080, 1920, 0});
    auto picks = pick_assets(lib, shots, 0);
    ASSERT_TRUE(picks);
    ASSERT_EQ(picks->size(), 3u);
    ASSERT_TRUE((*picks)[0] && (*picks)[1] && (*picks)[2]);
    EXPECT_EQ((*picks)[0]->chosen.rel_path, "a.png");  // tie → smaller path
    EXPECT_EQ((*picks)[1]->chosen.rel_path, "b.png");  // a.png is used: the other match
    // Nothing unused matches any more: re-use rather than no picture.
    EXPECT_TRUE((*picks)[2]->chosen.rel_path == "a.png" || (*picks)[2]->chosen.rel_path == "b.png");
    ASSERT_TRUE((*picks)[0]->runner_up);
    EXPECT_EQ((*picks)[0]->runner_up->rel_path, "b.png");
    EXPECT_EQ((*picks)[0]->matched_terms, (std::vector<std::string>{"冰雕", "城堡"}));
    EXPECT_GT((*picks)[0]->score, 0.8);
}

TEST(library_pick, DeterministicAndSeedVariesNearTies)
{
    TempDir dir("library");
    described(dir, {"p1.png", "p2.png", "p3.png"}, 64, 64, "harbor boats at dawn");
    described(dir, {"q.png"}, 64, 64, "mountain lake");
    auto lib = open_lib(dir.path());
    update(lib);
    std::vector<PickRequest> shots{{"boats in the harbor", 1080, 1920, 0}, {"mountain lake", 1080, 1920, 0}};
    auto a = pick_assets(lib, shots, 7);
    auto b = pick_assets(lib, shots, 7);
    ASSERT_TRUE(a && b);
    for (size_t i = 0; i < shots.size(); ++i) {
        ASSERT_TRUE((*a)[i] && (*b)[i]);
        EXPECT_EQ((*a)[i]->chosen.rel_path, (*b)[i]->chosen.rel_path);
    }
    EXPECT_EQ((*a)[1]->chosen.rel_path, "q.png");  // no near-tie: the seed changes nothing

    auto s0 = pick_one(lib, shots[0], 0), s1 = pick_one(lib, shots[0], 1);
    ASSERT_TRUE(s0 && s1);
    EXPECT_EQ(s0->chosen.rel_path, "p1.png");
    EXPECT_NE(s0->chosen.rel_path, s1->chosen.rel_path);
    std::set<std::string> seen;
    for (uint64_t seed = 0; seed < 6; ++seed)
        seen.insert(pick_one(lib, shots[0], seed)->chosen.rel_path);
    EXPECT_EQ(seen, (std::set<std::string>{"p1.png", "p2.png", "p3.png"}));
}

TEST(library_pick, OrientationPreferredWhenRelevanceTies)
{
    TempDir dir("library");
    described(dir, {"a_wide.png"}, 96, 64, "night market");
    described(dir, {"b_tall.png"}, 64, 96, "night market");
    auto lib = open_lib(dir.path());
    update(lib);
    EXPECT_EQ(pick_one(lib, {"night market", 1080, 1920, 0})->chosen.rel_path, "b_tall.png");
    EXPECT_EQ(pick_one(lib, {"night market", 1920, 1080, 0})->chosen.rel_path, "a_wide.png");
    // Relevance still comes first: a better-described wide picture beats a weaker tall one.
    write_file(dir / "a_wide.png.txt", "night market lanterns");
    update(lib);
    EXPECT_EQ(pick_one(lib, {"night market lanterns", 1080, 1920, 0})->chosen.rel_path, "a_wide.png");
}

TEST(library_pick, ShortVideoRanksBelowLongEnoughOne)
{
    TempDir dir("library");
    make_clip(dir / "a_short.mp4", 1.0);
    make_clip(dir / "b_long.mp4", 2.0);
    write_file(dir / "a_short.mp4.txt", "waterfall");
    write_file(dir / "b_long.mp4.txt", "waterfall");
    auto lib = open_lib(dir.path());
    update(lib);
    EXPECT_EQ(pick_one(lib, {"waterfall", 64, 64, 1'500'000})->chosen.rel_path, "b_long.mp4");
    EXPECT_EQ(pick_one(lib, {"waterfall", 64, 64, 800'000})->chosen.rel_path, "a_short.mp4");  // both long enough
}

TEST(library_pick, BelowThresholdNoPick)
{
    TempDir dir("library");
    described(dir, {"a.png"}, 64, 64, "冰雕城堡 castle");
    auto lib = open_lib(dir.path());
    update(lib);
    EXPECT_FALSE(pick_one(lib, {"热带雨林的猴子", 1080, 1920, 0}));
    // One word of many matches: relevance below the default threshold.
    const std::string narration = "city streets markets bridges rivers parks museums castle";
    auto hits = search(lib, narration);
    ASSERT_EQ(hits.size(), 1u);
    EXPECT_LT(hits[0].score, kDefaultMinRelevance);
    EXPECT_FALSE(pick_one(lib, {narration, 1080, 1920, 0}));
    // The threshold is configurable.
    PickOptions lenient;
    lenient.min_relevance = 0.1;
    auto p = pick_assets(lib, {{narration, 1080, 1920, 0}}, 0, lenient);
    ASSERT_TRUE(p);
    ASSERT_TRUE((*p)[0]);
    EXPECT_EQ((*p)[0]->chosen.rel_path, "a.png");
    EXPECT_FALSE((*p)[0]->runner_up);
}

}  // namespace
}  // namespace sw::library
