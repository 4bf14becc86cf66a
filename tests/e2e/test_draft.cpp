// `shotweave draft` end to end: the CLI asks a loopback stand-in for a chat-completions server,
// writes the script, and `shotweave check` accepts what it wrote; without a configured model it
// says what to set; an existing file is never replaced without --force.

#include "e2e_common.h"
#include "http_stub.h"

using namespace sw::test;

namespace {

std::string chat(const std::string& content)
{
    nlohmann::json j{{"choices", {{{"index", 0}, {"message", {{"role", "assistant"}, {"content", content}}}, {"finish_reason", "stop"}}}}};
    return j.dump();
}

const char* kAnswer = R"({"title": "冰雪哈尔滨", "shots": [
 {"name": "开场", "narration": "南方的朋友，你见过零下二十度的城市吗？", "visual": {"description": "清晨的中央大街，雪后的面包石路"}, "title": "冰雪哈尔滨", "transition": "fade"},
 {"name": "中央大街", "narration": "百年的中央大街，面包石路在脚下延伸。", "visual": {"description": "中央大街的欧式建筑"}, "title": "", "transition": "cut"},
 {"name": "松花江", "narration": "松花江封冻千里，冰面上可以滑冰。", "visual": {"description": "冰封的松花江"}, "title": "", "transition": "fade"},
 {"name": "冰雪大世界", "narration": "夜幕降临，冰雪大世界点亮整座城市。", "visual": {"description": "夜晚的冰雕城堡，彩灯闪烁"}, "title": "冰雪大世界", "transition": "fade"},
 {"name": "结尾", "narration": "这个冬天，来哈尔滨，遇见一场真正的雪。", "visual": {"description": "雪夜里温暖的窗户"}, "title": "", "transition": "cut"}]})";

class Draft : public ::testing::Test {
protected:
    // The CLI with the model's settings in its environment (and a cache of its own).
    std::vector<std::string> with_env(std::vector<std::string> args, bool configured = true)
    {
        std::vector<std::string> argv{"env", "-u", "SHOTWEAVE_LLM_URL", "-u", "SHOTWEAVE_LLM_MODEL", "-u", "SHOTWEAVE_LLM_KEY",
                                      "XDG_CACHE_HOME=" + (dir / "cache").string()};
        if (configured) {
            argv.push_back("SHOTWEAVE_LLM_URL=" + stub.base_url() + "/v1");
            argv.push_back("SHOTWEAVE_LLM_MODEL=qwen2.5:7b");
        }
        argv.push_back(cli());
        argv.insert(argv.end(), args.begin(), args.end());
        return argv;
    }

    TempDir dir{"draft-e2e"};
    HttpStub stub;
};

}  // namespace

TEST_F(Draft, DraftsAScriptThatCheckAccepts)
{
    stub.on("POST", "/v1/chat/completions", [](const StubRequest&) {
        // Fenced and introduced, as chat models like to answer.
        return StubResponse::json(chat(std::string("好的，脚本如下：\n```json\n") + kAnswer + "\n```"));
    });
    const auto out = dir / "harbin.md";
    auto r = run(with_env({"draft", "哈尔滨冬季旅游，30秒，面向南方游客", "-o", out.string()}), 120);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("wrote " + out.string() + ": 5 shots"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("removed the code fence"), std::string::npos) << r.err;
    auto req = nlohmann::json::parse(stub.requests_to("/v1/chat/completions").at(0).body);
    EXPECT_NE(req["messages"][1]["content"].get<std::string>().find("30 seconds"), std::string::npos);

    auto check = run(with_env({"check", out.string(), "--json"}), 120);
    ASSERT_EQ(check.exit_code, 0) << check.err << check.out;
    auto board = nlohmann::json::parse(check.out);
    ASSERT_EQ(board["shots"].size(), 5u);
    EXPECT_EQ(board["shots"][3]["name"], "冰雪大世界");
    EXPECT_EQ(board["diagnostics"].size(), 0u) << board["diagnostics"].dump();
    // Spoken by espeak-ng, five short lines come to about half a minute.
    double total = board["total_seconds"].get<double>();
    EXPECT_GT(total, 20);
    EXPECT_LT(total, 40);
}

TEST_F(Draft, WithoutAModelItSaysWhatToSet)
{
    write_file(dir / "article.txt", "大理古城始建于明朝。清晨的洱海边，渔民撒下第一网。\n");
    auto r = run(with_env({"draft", "--from", (dir / "article.txt").string()}, false));
    EXPECT_EQ(r.exit_code, 2);
    for (const char* s : {"SHOTWEAVE_LLM_URL", "SHOTWEAVE_LLM_MODEL", "[writer]", "docs/draft.md"})
        EXPECT_NE(r.err.find(s), std::string::npos) << s << " in " << r.err;
    EXPECT_FALSE(fs::exists(dir / "article.md"));
    // The article still renders as it always did: split into shots by sentences.
    auto check = run(with_env({"check", (dir / "article.txt").string(), "--json"}, false), 120);
    ASSERT_EQ(check.exit_code, 0) << check.err;
    EXPECT_EQ(nlohmann::json::parse(check.out)["shots"].size(), 1u);
}

TEST_F(Draft, AnExistingFileIsKeptUnlessForced)
{
    stub.on("POST", "/v1/chat/completions", [](const StubRequest&) { return StubResponse::json(chat(kAnswer)); });
    const auto out = dir / "harbin.md";
    write_file(out, "my own script\n");
    auto r = run(with_env({"draft", "哈尔滨，30秒", "-o", out.string()}));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("already exists"), std::string::npos) << r.err;
    EXPECT_EQ(read_file(out), "my own script\n");
    EXPECT_TRUE(stub.requests().empty());

    r = run(with_env({"draft", "哈尔滨，30秒", "-o", out.string(), "--force", "-q"}), 120);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(read_file(out).rfind("---\ntitle: 冰雪哈尔滨\n", 0), 0u);

    // --json writes the JSON form, which check reads as well.
    r = run(with_env({"draft", "哈尔滨，30秒", "-o", (dir / "harbin.json").string(), "--json", "--voice", "none"}), 120);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto j = nlohmann::json::parse(read_file(dir / "harbin.json"));
    EXPECT_FALSE(j.contains("voice"));
    EXPECT_EQ(run(with_env({"check", (dir / "harbin.json").string()})).exit_code, 0);
}
