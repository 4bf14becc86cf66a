// `shotweave library index|search`: output, JSON, exit codes, usage errors.

#include <cairo.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "test_support.h"

namespace sw::test {
namespace {

void make_png(const fs::path& p, int w, int h)
{
    fs::create_directories(p.parent_path());
    cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    ASSERT_EQ(cairo_surface_write_to_png(s, p.c_str()), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(s);
}

// A small library: two described pictures, one clip named after what it shows, one broken file.
void make_library(const TempDir& dir)
{
    make_png(dir / "harbin" / "castle.png", 64, 96);
    write_file(dir / "harbin" / "castle.png.txt", "夜晚的冰雕城堡,彩灯闪烁");
    make_png(dir / "beach.png", 96, 64);
    write_file(dir / "beach.png.json", R"({"description": "sunny beach", "tags": ["sea"]})");
    fs::create_directories(dir / "clips");
    make_video(dir / "clips" / "snow_night.mp4", "testsrc=s=64x64:r=10", 1.0, 10);
    write_file(dir / "broken.jpg", "not a picture");
}

CommandResult library(const std::vector<std::string>& args)
{
    std::vector<std::string> argv{cli(), "library"};
    argv.insert(argv.end(), args.begin(), args.end());
    return run(argv, 60);
}

TEST(library_cli, IndexReportsCountsSkippedAndWhere)
{
    TempDir dir("library-cli");
    make_library(dir);
    auto r = library({"index", dir.path().string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("indexed 3 new or changed, 0 unchanged, 0 removed, 1 skipped"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("index: " + (fs::canonical(dir.path()) / ".shotweave-library.sqlite").string()),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("skipped broken.jpg: "), std::string::npos) << r.out;

    auto again = library({"index", dir.path().string()});
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_NE(again.out.find("indexed 0 new or changed, 3 unchanged"), std::string::npos) << again.out;
}

TEST(library_cli, SearchPrintsRankedResults)
{
    TempDir dir("library-cli");
    make_library(dir);
    // No explicit index: search brings the index up to date first.
    auto r = library({"search", dir.path().string(), "夜晚 冰雕 night"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    size_t castle = r.out.find("harbin/castle.png"), clip = r.out.find("clips/snow_night.mp4");
    ASSERT_NE(castle, std::string::npos) << r.out;
    ASSERT_NE(clip, std::string::npos) << r.out;
    EXPECT_LT(castle, clip) << r.out;  // two matched terms before one (in a name)
    EXPECT_NE(r.out.find("夜晚, 冰雕"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("1.0s"), std::string::npos) << r.out;  // the clip's length
    EXPECT_NE(r.out.find("64x96"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("beach"), std::string::npos) << r.out;

    auto none = library({"search", dir.path().string(), "camel"});
    EXPECT_EQ(none.exit_code, 0);
    EXPECT_NE(none.err.find("no matches"), std::string::npos) << none.err;
}

TEST(library_cli, SearchJsonAndLimit)
{
    TempDir dir("library-cli");
    make_library(dir);
    auto r = library({"search", dir.path().string(), "beaches night", "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto j = nlohmann::json::parse(r.out);
    ASSERT_EQ(j["results"].size(), 2u) << r.out;
    for (auto& hit : j["results"]) {
        EXPECT_GT(hit["score"].get<double>(), 0.0);
        EXPECT_LE(hit["score"].get<double>(), 1.0);
    }
    EXPECT_EQ(j["results"][0]["rel_path"], "beach.png");  // a description match beats a name match
    EXPECT_EQ(j["results"][0]["matched_terms"], nlohmann::json::array({"beaches"}));
    EXPECT_EQ(j["results"][0]["tags"], nlohmann::json::array({"sea"}));
    EXPECT_EQ(j["results"][1]["kind"], "video");
    EXPECT_NEAR(j["results"][1]["duration_s"].get<double>(), 1.0, 0.15);
    ASSERT_EQ(j["skipped"].size(), 1u);
    EXPECT_EQ(j["skipped"][0]["path"], "broken.jpg");

    auto one = library({"search", dir.path().string(), "beaches night", "--json", "--limit", "1"});
    ASSERT_EQ(one.exit_code, 0) << one.err;
    EXPECT_EQ(nlohmann::json::parse(one.out)["results"].size(), 1u);
}

TEST(library_cli, InputAndUsageErrorsExit2)
{
    TempDir dir("library-cli");
    fs::path missing = dir / "nowhere";
    auto r = library({"index", missing.string()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find(missing.string()), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("does not exist"), std::string::npos) << r.err;

    auto s = library({"search", missing.string(), "castle"});
    EXPECT_EQ(s.exit_code, 2);
    EXPECT_NE(s.err.find(missing.string()), std::string::npos) << s.err;

    for (const auto& args : std::vector<std::vector<std::string>>{
             {}, {"index"}, {"search", dir.path().string()}, {"search", dir.path().string(), "x", "--limit", "zero"},
             {"search", dir.path().string(), "x", "--frobnicate"}}) {
        auto u = library(args);
        EXPECT_EQ(u.exit_code, 2) << u.err;
        EXPECT_NE(u.err.find("usage: shotweave library"), std::string::npos) << u.err;
    }
    auto typo = library({"serch", dir.path().string(), "x"});
    EXPECT_EQ(typo.exit_code, 2);
    EXPECT_NE(typo.err.find("did you mean \"search\""), std::string::npos) << typo.err;

    auto top = run({cli(), "librray"});
    EXPECT_EQ(top.exit_code, 2);
    EXPECT_NE(top.err.find("did you mean \"library\""), std::string::npos) << top.err;
    auto help = run({cli(), "--help"});
    EXPECT_NE(help.out.find("shotweave library search DIR"), std::string::npos);
}

}  // namespace
}  // namespace sw::test
