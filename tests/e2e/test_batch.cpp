// End-to-end: `shotweave batch` — one template, a table of rows, one small video per row.

#include <sstream>

#include "e2e_common.h"

using namespace sw::test;

namespace {

// 180x320, 1 s: a title card (half a second) then the row's picture.
const char* kTemplate = R"(---
title: {{title}}
size: 180x320
fps: 30
---

# {{ 城市 }}
visual: card
title: {{title}}
duration: 0.5s

# Picture
{{pic}} zoom-in
duration: 0.5s
{{note}}
)";

class Batch : public ::testing::Test {
protected:
    void SetUp() override
    {
        make_image(dir / "red.png", "color=c=red:s=320x240");
        make_image(dir / "blue.png", "color=c=blue:s=320x240");
        write_file(dir / "t.md", kTemplate);
        write_file(dir / "rows.csv",
                   "城市,title,pic,note\n"
                   "哈尔滨,冰雪哈尔滨,red.png,\"清晨的中央大街。\n夜幕降临。\"\n"
                   "Beijing,\"Beijing, old and new\",blue.png,The Great Wall.\n"
                   "上海,魔都,red.png,外滩的夜景。\n");
    }

    CommandResult batch(std::vector<std::string> extra = {}, const std::string& data = "rows.csv")
    {
        std::vector<std::string> argv{cli(), "batch", (dir / "t.md").string(), "--data", (dir / data).string(), "-o",
                                      (dir / "out/{{城市}}.mp4").string(), "--jobs", "2"};
        argv.insert(argv.end(), extra.begin(), extra.end());
        return run(argv);
    }

    fs::path out(const std::string& name) const { return dir / "out" / (name + ".mp4"); }

    // The summary table's line for a row: "N  status ...".
    static std::string table_line(const std::string& stdout_text, int row)
    {
        std::istringstream in(stdout_text);
        for (std::string l; std::getline(in, l);)
            if (l.rfind(std::to_string(row) + " ", 0) == 0)
                return l;
        return {};
    }

    TempDir dir{"batch"};
};

}  // namespace

TEST_F(Batch, ThreeRowsThreeVideos)
{
    auto r = batch();
    ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
    std::vector<std::string> bytes;
    for (const char* name : {"哈尔滨", "Beijing", "上海"}) {
        auto v = stream(probe(out(name)), "video");
        ASSERT_FALSE(v.is_null()) << name;
        EXPECT_EQ(v["width"], 180);
        EXPECT_EQ(v["height"], 320);
        EXPECT_NEAR(std::stod(v["duration"].get<std::string>()), 1.0, 0.02) << name;
        bytes.push_back(read_file(out(name)));
    }
    EXPECT_NE(bytes[0], bytes[1]);
    EXPECT_NE(bytes[0], bytes[2]);  // same picture, other title
    // The stamp beside each video records the row it came from.
    auto side = nlohmann::json::parse(read_file(dir / "out/Beijing.mp4.batch.json"));
    EXPECT_EQ(side["row"], 2);
    EXPECT_EQ(side["title"], "Beijing, old and new");
    EXPECT_EQ(side["fields"]["城市"], "Beijing");
    EXPECT_EQ(side["frames"], 30);
    EXPECT_EQ(nlohmann::json::parse(read_file(dir / "out/哈尔滨.mp4.batch.json"))["title"], "冰雪哈尔滨");
    // The table lists every row.
    for (int row = 1; row <= 3; ++row) {
        std::string l = table_line(r.out, row);
        EXPECT_NE(l.find("done"), std::string::npos) << r.out;
        EXPECT_NE(l.find("1.00"), std::string::npos) << l;
    }
    EXPECT_NE(table_line(r.out, 1).find("哈尔滨.mp4"), std::string::npos);
    EXPECT_NE(r.out.find("3 rows: 3 done"), std::string::npos) << r.out;
    // Progress lines per row, and no temporary files left.
    EXPECT_NE(r.err.find("row 2/3 (城市=Beijing): done"), std::string::npos) << r.err;
    for (auto& e : fs::directory_iterator(dir / "out"))
        EXPECT_EQ(e.path().filename().string().find(".part"), std::string::npos) << e.path();
}

TEST_F(Batch, BadRowsFailAloneWithTheirNumbers)
{
    write_file(dir / "rows.jsonl",
               "{\"城市\": \"哈尔滨\", \"title\": \"冰城\", \"pic\": \"red.png\", \"note\": \"雪。\"}\n"
               "{\"城市\": \"Beijing\", \"titel\": \"Typo\", \"pic\": \"blue.png\", \"note\": \"x\"}\n"
               "\n"
               "{\"城市\": \"上海\", \"title\": 2024, \"pic\": \"missing.png\", \"note\": \"y\"}\n"
               "{\"城市\": \"广州\", \"title\": \"Bad\"\n"
               "{\"城市\": \"深圳\", \"title\": 3.5, \"pic\": \"blue.png\", \"note\": \"\"}\n");
    auto r = batch({"-q"}, "rows.jsonl");
    EXPECT_EQ(r.exit_code, 2) << r.err << r.out;
    EXPECT_TRUE(fs::exists(out("哈尔滨")));
    EXPECT_TRUE(fs::exists(out("深圳")));
    EXPECT_FALSE(fs::exists(out("Beijing")));
    EXPECT_FALSE(fs::exists(out("上海")));
    // Row 2: the missing field at the template's placeholder (line 2, col 8), with a suggestion.
    std::string t = (dir / "t.md").string();
    EXPECT_NE(r.err.find(t + ":2:8: error: row 2 has no field \"title\" — did you mean {{titel}}?"), std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("rows.jsonl:2: note: in row 2 (城市=Beijing)"), std::string::npos) << r.err;
    // Row 3: a missing picture, reported at the template's line with the row named.
    EXPECT_NE(r.err.find(t + ":13:1: error: media file \"missing.png\" not found"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("rows.jsonl:4: note: in row 3 (城市=上海)"), std::string::npos) << r.err;
    // Row 4: bad JSON, with its line.
    EXPECT_NE(r.err.find("rows.jsonl:5: error: row 4: not valid JSON"), std::string::npos) << r.err;
    EXPECT_EQ(nlohmann::json::parse(read_file(dir / "out/深圳.mp4.batch.json"))["title"], "3.5");
    EXPECT_NE(table_line(r.out, 1).find("done"), std::string::npos) << r.out;
    EXPECT_NE(table_line(r.out, 2).find("failed"), std::string::npos) << r.out;
    EXPECT_NE(table_line(r.out, 2).find("no field \"title\""), std::string::npos) << r.out;
    EXPECT_NE(table_line(r.out, 3).find("failed"), std::string::npos) << r.out;
    EXPECT_NE(table_line(r.out, 4).find("failed"), std::string::npos) << r.out;
    EXPECT_NE(table_line(r.out, 5).find("done"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("5 rows: 2 done, 3 failed"), std::string::npos) << r.out;
    EXPECT_EQ(r.err.find("rendering →"), std::string::npos) << "-q prints no progress";
}

TEST_F(Batch, RerunSkipsUpToDateRowsAndRendersChangedOnes)
{
    auto r = batch({"-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto mtimes = [&] {
        std::vector<fs::file_time_type> t;
        for (const char* name : {"哈尔滨", "Beijing", "上海"})
            t.push_back(fs::last_write_time(out(name)));
        return t;
    };
    auto first = mtimes();

    r = batch();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(mtimes(), first);
    for (int row = 1; row <= 3; ++row)
        EXPECT_NE(table_line(r.out, row).find("up to date"), std::string::npos) << r.out;
    EXPECT_NE(table_line(r.out, 2).find("1.00"), std::string::npos) << "video length kept in the stamp: " << r.out;

    // Row 2's title changes (and the data file is newer than every output): only row 2 renders.
    write_file(dir / "rows.csv",
               "城市,title,pic,note\n"
               "哈尔滨,冰雪哈尔滨,red.png,\"清晨的中央大街。\n夜幕降临。\"\n"
               "Beijing,Beijing by night,blue.png,The Great Wall.\n"
               "上海,魔都,red.png,外滩的夜景。\n");
    r = batch();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto second = mtimes();
    EXPECT_EQ(second[0], first[0]);
    EXPECT_NE(second[1], first[1]);
    EXPECT_EQ(second[2], first[2]);
    EXPECT_NE(table_line(r.out, 2).find("done"), std::string::npos) << r.out;
    EXPECT_EQ(nlohmann::json::parse(read_file(dir / "out/Beijing.mp4.batch.json"))["title"], "Beijing by night");

    // A picture newer than the videos using it: rows 1 and 3 render again.
    fs::last_write_time(dir / "red.png", fs::file_time_type::clock::now() + std::chrono::seconds(5));
    r = batch();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto third = mtimes();
    EXPECT_NE(third[0], second[0]);
    EXPECT_EQ(third[1], second[1]);
    EXPECT_NE(third[2], second[2]);

    // Other render options are another stamp; --force renders everything.
    r = batch({"--force", "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto fourth = mtimes();
    for (int k = 0; k < 3; ++k)
        EXPECT_NE(fourth[k], third[k]) << k;
    r = batch({"--crf", "30", "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("3 rows: 3 done"), std::string::npos) << r.out;
}

TEST_F(Batch, DuplicateOutputsRefusedBeforeRendering)
{
    write_file(dir / "dup.csv",
               "城市,title,pic,note,group\n"
               "A,a,red.png,x,north\n"
               "B,b,red.png,x,south\n"
               "C,c,red.png,x,north\n");
    auto r = run({cli(), "batch", (dir / "t.md").string(), "--data", (dir / "dup.csv").string(), "-o",
                  (dir / "out/{{group}}.mp4").string()});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("rows 1 (城市=A) and 3 (城市=C) both write"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("nothing rendered"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir / "out"));

    // -o is required, and a missing field in it fails the row.
    r = run({cli(), "batch", (dir / "t.md").string(), "--data", (dir / "dup.csv").string()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("-o is required"), std::string::npos) << r.err;
}
