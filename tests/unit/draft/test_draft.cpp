// shotweave draft: the writer's settings, reading answers, the Markdown it writes, and whole
// drafts against a loopback stand-in for a chat-completions server (tests/support/http_stub.h).

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <thread>

#include "core/text_util.h"
#include "draft/draft.h"
#include "engine/draft.h"
#include "http_stub.h"
#include "script/script.h"
#include "timeline/plan.h"
#include "test_support.h"

using namespace sw;
using sw::test::HttpStub;
using sw::test::StubRequest;
using sw::test::StubResponse;
using sw::test::TempDir;
namespace fs = std::filesystem;

namespace {

draft::EnvLookup env(std::map<std::string, std::string> vars)
{
    return [vars](const std::string& k) -> std::optional<std::string> {
        auto it = vars.find(k);
        if (it == vars.end())
            return std::nullopt;
        return it->second;
    };
}

// A chat-completions answer carrying `content`.
StubResponse chat(const std::string& content, const std::string& finish = "stop")
{
    nlohmann::json j{{"id", "chatcmpl-1"},
                     {"object", "chat.completion"},
                     {"choices", {{{"index", 0}, {"message", {{"role", "assistant"}, {"content", content}}}, {"finish_reason", finish}}}}};
    return StubResponse::json(j.dump());
}

// A Harbin script in the answer's form: `shots` shots of `chars` Han characters of narration.
std::string harbin_answer(int shots = 8, int chars = 14, const std::string& transition = "fade")
{
    static const char32_t kHan[] = U"冰雪大世界的灯光照亮了整座城市游客们在松花江上滑冰孩子笑着冲下冰滑梯";
    nlohmann::json j{{"title", "冰雪哈尔滨"}, {"shots", nlohmann::json::array()}};
    for (int i = 0; i < shots; ++i) {
        std::u32string n;
        for (int k = 0; k < chars; ++k)
            n += kHan[(i * 7 + k) % (sizeof kHan / sizeof kHan[0] - 1)];
        n += U"。";
        std::string narration;
        for (char32_t c : n)
            narration += core::utf8_encode(c);
        j["shots"].push_back({{"name", "镜头" + std::to_string(i + 1)},
                              {"narration", narration},
                              {"visual", {{"description", "夜晚的冰雕城堡，彩灯闪烁"}}},
                              {"title", i == 0 ? "冰雪哈尔滨" : ""},
                              {"transition", transition}});
    }
    return j.dump();
}

struct DraftFixture : ::testing::Test {
    TempDir dir{"draft"};
    HttpStub stub;
    engine::Engine eng{engine::EngineOptions{.use_cache = false, .tts_cache_dir = (dir / "tts").string()}};

    engine::DraftRequest request(const std::string& out = "harbin.md", std::map<std::string, std::string> extra = {})
    {
        engine::DraftRequest r;
        r.topic = "哈尔滨冬季旅游，60秒，面向南方游客";
        r.output = dir / out;
        r.config = dir / "none.toml";
        write_file(r.config, "# no [writer] table: the environment decides\n");
        std::map<std::string, std::string> vars{{"SHOTWEAVE_LLM_URL", stub.base_url() + "/v1"},
                                                {"SHOTWEAVE_LLM_MODEL", "qwen2.5:7b"}};
        for (auto& [k, v] : extra)
            vars[k] = v;
        r.getenv = env(vars);
        return r;
    }
    static void write_file(const fs::path& p, const std::string& s) { sw::test::write_file(p, s); }
};

nlohmann::json body_of(const StubRequest& r) { return nlohmann::json::parse(r.body); }

std::string all_messages(const nlohmann::json& body)
{
    std::string s;
    for (auto& m : body["messages"])
        s += m["content"].get<std::string>() + "\n";
    return s;
}

}  // namespace

// ---- settings ----------------------------------------------------------------------------------

TEST(WriterConfig, ReadsTheWriterTableAndIgnoresOthers)
{
    auto c = draft::parse_writer_config("[generator]\nkind = \"command\"\n\n[writer]\nurl = \"http://localhost:11434/v1\"\n"
                                        "model = \"qwen2.5:7b\"\ntimeout_s = 90\ntemperature = 0.4\nmax_retries = 3\n"
                                        "json_mode = \"object\"\n",
                                        "shotweave.toml");
    ASSERT_TRUE(c) << c.error().to_string();
    ASSERT_TRUE(c->has_value());
    EXPECT_EQ((*c)->url, "http://localhost:11434/v1");
    EXPECT_EQ((*c)->model, "qwen2.5:7b");
    EXPECT_EQ((*c)->timeout_s, 90);
    EXPECT_DOUBLE_EQ((*c)->temperature, 0.4);
    EXPECT_EQ((*c)->max_retries, 3);
    EXPECT_EQ((*c)->json_mode, draft::JsonMode::Object);
    auto none = draft::parse_writer_config("[generator]\nkind = \"command\"\n", "shotweave.toml");
    ASSERT_TRUE(none);
    EXPECT_FALSE(none->has_value());
}

TEST(WriterConfig, BadSettingsAreErrorsAtTheirLine)
{
    auto typo = draft::parse_writer_config("[writer]\nurl = \"http://x/v1\"\nmodle = \"m\"\n", "dir/shotweave.toml");
    ASSERT_FALSE(typo);
    EXPECT_EQ(typo.error().where.file, "dir/shotweave.toml");
    EXPECT_EQ(typo.error().where.line, 3);
    EXPECT_EQ(typo.error().where.col, 1);
    EXPECT_NE(typo.error().message.find("did you mean `model`?"), std::string::npos) << typo.error().message;

    auto range = draft::parse_writer_config("[writer]\n\ntemperature = 7\n", "s.toml");
    ASSERT_FALSE(range);
    EXPECT_EQ(range.error().where.line, 3);
    EXPECT_NE(range.error().message.find("from 0 to 2"), std::string::npos) << range.error().message;

    auto key = draft::parse_writer_config("[writer]\napi_key = \"sk-secret\"\n", "s.toml");
    ASSERT_FALSE(key);
    EXPECT_EQ(key.error().where.line, 2);
    EXPECT_NE(key.error().message.find("api_key_env"), std::string::npos) << key.error().message;
    EXPECT_EQ(key.error().message.find("sk-secret"), std::string::npos);

    auto mode = draft::parse_writer_config("[writer]\njson_mode = \"grammar\"\n", "s.toml");
    ASSERT_FALSE(mode);
    EXPECT_EQ(mode.error().where.line, 2);

    auto syntax = draft::parse_writer_config("[writer]\nurl = http://x\n", "s.toml");
    ASSERT_FALSE(syntax);
    EXPECT_EQ(syntax.error().where.line, 2);
    EXPECT_NE(syntax.error().message.find("invalid TOML"), std::string::npos);
}

TEST(WriterConfig, EnvironmentOverTheFileAndSaysWhatToSetWhenNothingIs)
{
    TempDir dir("writer-config");
    sw::test::write_file(dir / "shotweave.toml",
                         "[writer]\nurl = \"http://file/v1\"\nmodel = \"file-model\"\napi_key_env = \"DEEPSEEK_API_KEY\"\n");
    auto c = draft::resolve_writer_config(dir / "shotweave.toml",
                                          env({{"SHOTWEAVE_LLM_MODEL", "env-model"}, {"DEEPSEEK_API_KEY", "sk-1"}}));
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_EQ(c->url, "http://file/v1");
    EXPECT_EQ(c->model, "env-model");
    EXPECT_EQ(c->api_key, "sk-1");

    auto no_key = draft::resolve_writer_config(dir / "shotweave.toml", env({}));
    ASSERT_FALSE(no_key);
    EXPECT_NE(no_key.error().message.find("DEEPSEEK_API_KEY"), std::string::npos) << no_key.error().message;

    auto nothing = draft::resolve_writer_config(dir / "missing.toml", env({}));
    ASSERT_FALSE(nothing);
    for (const char* v : {"SHOTWEAVE_LLM_URL", "SHOTWEAVE_LLM_MODEL", "SHOTWEAVE_LLM_KEY", "[writer]"})
        EXPECT_NE(nothing.error().message.find(v), std::string::npos) << v << " in " << nothing.error().message;

    auto no_model = draft::resolve_writer_config(dir / "missing.toml", env({{"SHOTWEAVE_LLM_URL", "http://x"}}));
    ASSERT_FALSE(no_model);
    EXPECT_NE(no_model.error().message.find("SHOTWEAVE_LLM_MODEL"), std::string::npos);
}

TEST(WriterConfig, ChatUrlFromTheUsualBaseUrls)
{
    EXPECT_EQ(draft::chat_url("http://localhost:11434/v1"), "http://localhost:11434/v1/chat/completions");
    EXPECT_EQ(draft::chat_url("http://localhost:11434/"), "http://localhost:11434/v1/chat/completions");
    EXPECT_EQ(draft::chat_url("https://api.deepseek.com"), "https://api.deepseek.com/v1/chat/completions");
    EXPECT_EQ(draft::chat_url("https://dashscope.aliyuncs.com/compatible-mode/v1"),
              "https://dashscope.aliyuncs.com/compatible-mode/v1/chat/completions");
    EXPECT_EQ(draft::chat_url("http://gpu:8000/v1/chat/completions"), "http://gpu:8000/v1/chat/completions");
}

// ---- answers -----------------------------------------------------------------------------------

TEST(DraftAnswer, FencesThinkingProseAndTrailingCommasAreRepaired)
{
    auto p = draft::parse_answer("<think>The user wants Harbin.</think>Here is the script:\n```json\n"
                                 "{\"title\": \"T\", \"shots\": [{\"name\": \"A\", \"narration\": \"你好。\", "
                                 "\"visual\": \"雪夜\", \"title\": \"\", \"transition\": \"fade\",},]}\n```\nEnjoy!",
                                 false);
    ASSERT_TRUE(p) << p.error();
    EXPECT_EQ(p->script["shots"][0]["visual"]["description"], "雪夜");
    EXPECT_FALSE(p->script["shots"][0].contains("title"));       // "" means none
    EXPECT_FALSE(p->script["shots"][0].contains("transition"));  // the last shot's leads nowhere
    std::string repairs = core::join(p->repairs, "; ");
    EXPECT_NE(repairs.find("code fence"), std::string::npos) << repairs;
    EXPECT_NE(repairs.find("trailing commas"), std::string::npos) << repairs;
}

TEST(DraftAnswer, ABareShotListIsWrappedAndUnaskedKeysDropped)
{
    auto p = draft::parse_answer(R"([{"name": "A", "narration": ["one.", "two."], "music": "x.mp3", "visual": {"media": "harbin/ice_castle-night.jpg"}},
                                     {"name": "B", "narration": "three.", "visual": {"description": "IMG_1234.JPG, snow at night"}}])", false);
    ASSERT_TRUE(p) << p.error();
    EXPECT_EQ(p->script["shots"][0]["narration"], "one.\ntwo.");
    EXPECT_EQ(p->script["shots"][0]["visual"]["description"], "ice castle night");
    EXPECT_EQ(p->script["shots"][1]["visual"]["description"], "IMG 1234, snow at night");
    EXPECT_FALSE(p->script["shots"][0].contains("music"));
}

TEST(DraftAnswer, CutOffEmptyAndNonJsonAnswersSayWhy)
{
    auto cut = draft::parse_answer(R"({"title": "T", "shots": [{"name": "A", "narration": "半句)", true);
    ASSERT_FALSE(cut);
    EXPECT_NE(cut.error().find("stops in the middle"), std::string::npos) << cut.error();
    EXPECT_NE(cut.error().find("max_tokens"), std::string::npos) << cut.error();
    auto blank = draft::parse_answer("   \n ", false);
    ASSERT_FALSE(blank);
    EXPECT_NE(blank.error().find("empty"), std::string::npos);
    auto prose = draft::parse_answer("Sorry, I cannot help with that.", false);
    ASSERT_FALSE(prose);
    EXPECT_NE(prose.error().find("no JSON object"), std::string::npos);
    auto broken = draft::parse_answer(R"({"shots": [{"name": 'A'}]})", false);
    ASSERT_FALSE(broken);
    EXPECT_NE(broken.error().find("not valid JSON"), std::string::npos) << broken.error();
}

// ---- Markdown ----------------------------------------------------------------------------------

TEST(DraftMarkdown, NarrationThatLooksLikeKeysOrPathsReadsBackAsNarration)
{
    draft::Json s = {{"title", "Test"},
                     {"size", "9:16"},
                     {"voice", "en"},
                     {"voice_rate", 190},
                     {"shots",
                      {{{"name", "Opening #"},
                        {"narration", "Note: prices rise in winter.\n# not a heading\nphoto.jpg is a file name.\nduration: three days"},
                        {"visual", {{"description", "snowy street at night"}}},
                        {"title", "Harbin"},
                        {"transition", "fade 0.5s"}},
                       {{"name", "End"}, {"narration", "See you."}, {"visual", {{"description", "a warm window"}}}}}}};
    const std::string md = draft::to_markdown(s);
    EXPECT_NE(md.find("voice: en rate=190\n"), std::string::npos) << md;
    core::Diagnostics diag;
    auto p = script::read_script_text(md, "t.md", script::Format::Markdown, ".", diag);
    ASSERT_TRUE(p);
    EXPECT_FALSE(diag.has_errors()) << md;
    EXPECT_EQ(diag.warning_count(), 0u) << md;
    ASSERT_EQ(p->shots.size(), 2u);
    EXPECT_EQ(p->shots[0].name, "Opening");
    EXPECT_EQ(p->shots[0].narration,
              (std::vector<std::string>{"Note: prices rise in winter.", "# not a heading", "photo.jpg is a file name.",
                                        "duration: three days"}));
    EXPECT_EQ(p->shots[0].title, "Harbin");
    EXPECT_EQ(p->voice_rate, 190);
}

// ---- the budget --------------------------------------------------------------------------------

TEST(DraftBudget, NarrationBudgetFollowsTheVoiceRate)
{
    draft::Brief b;
    b.seconds = 60;
    b.language = "zh";
    b.voice = "zh";
    auto normal = draft::budget_for(b);
    EXPECT_GE(normal.shots, 8);
    EXPECT_LE(normal.shots, 10);
    // (60 s − 9 shots × 0.7 s) × 2.45 characters a second.
    EXPECT_NEAR(normal.units, (60 - normal.shots * 0.7) * 2.45, 2);
    b.rate_wpm = 350;
    EXPECT_NEAR(draft::budget_for(b).units, normal.units * 2, 3);
    b.language = "en";
    b.rate_wpm = 0;
    b.voice = "en";
    EXPECT_NEAR(draft::budget_for(b).units, (60 - normal.shots * 0.7) * 3.2, 2);
    EXPECT_EQ(draft::language_of("哈尔滨冬季旅游 60s"), "zh");
    EXPECT_EQ(draft::language_of("Harbin in winter for southern visitors, 哈尔滨"), "en");
    EXPECT_EQ(engine::length_in_topic("哈尔滨冬季旅游，60秒，面向南方游客"), 60);
    EXPECT_EQ(engine::length_in_topic("Harbin in 2 minutes"), 120);
    EXPECT_EQ(engine::length_in_topic("Harbin"), std::nullopt);
}

// ---- whole drafts against a stand-in server --------------------------------------------------

TEST_F(DraftFixture, AGoodAnswerBecomesAScriptThatPassesCheck)
{
    // A library whose words the request must carry.
    fs::create_directories(dir / "footage");
    sw::test::make_image(dir / "footage" / "ice_castle.jpg", "color=c=0x3060c0:s=320x480");
    write_file(dir / "footage" / "ice_castle.jpg.json",
               R"({"description": "夜晚的冰雕城堡，彩灯闪烁", "tags": ["冰雪大世界", "夜景"]})");
    stub.on("POST", "/v1/chat/completions", [](const StubRequest&) { return chat(harbin_answer()); });
    auto req = request();
    req.library = dir / "footage";
    engine::DraftResult r = engine::draft_script(eng, req);
    ASSERT_EQ(r.outcome, engine::Outcome::Done) << (r.error ? r.error->to_string() : "");
    EXPECT_EQ(r.questions, 1);
    EXPECT_EQ(r.shots, 8);

    auto reqs = stub.requests_to("/v1/chat/completions");
    ASSERT_EQ(reqs.size(), 1u);
    auto body = body_of(reqs[0]);
    EXPECT_EQ(body["model"], "qwen2.5:7b");
    EXPECT_EQ(body["response_format"]["type"], "json_schema");
    EXPECT_EQ(body["response_format"]["json_schema"]["schema"]["properties"]["shots"]["items"]["properties"]["transition"]
                  ["enum"][0],
              "cut");
    const std::string msgs = all_messages(body);
    for (const char* s : {"哈尔滨冬季旅游，60秒，面向南方游客", "60 seconds", "冰雪大世界", "夜景", "ice_castle.jpg",
                          "Chinese characters", "JSON"})
        EXPECT_NE(msgs.find(s), std::string::npos) << s;

    // The file: Markdown the reader and `check` accept, with the user's settings.
    const std::string md = sw::test::read_file(dir / "harbin.md");
    EXPECT_EQ(md.rfind("---\ntitle: 冰雪哈尔滨\nsize: 9:16\nvoice: zh\nlibrary: footage\n---\n", 0), 0u) << md;
    EXPECT_NE(md.find("\n# 镜头1\nvisual: 夜晚的冰雕城堡，彩灯闪烁\ntitle: 冰雪哈尔滨\n"), std::string::npos) << md;
    engine::Loaded l = eng.check({dir / "harbin.md"}, {});
    EXPECT_TRUE(l.ok);
    EXPECT_FALSE(l.diag.has_errors());
    ASSERT_EQ(l.project.shots.size(), 8u);
    ASSERT_TRUE(l.project.shots[0].transition_out);
    EXPECT_EQ(l.project.shots[0].transition_out->name, "fade");
}

TEST_F(DraftFixture, AMalformedAnswerIsAskedAgainThenFixed)
{
    int n = 0;
    stub.on("POST", "/v1/chat/completions", [&](const StubRequest&) {
        return ++n == 1 ? chat("{\"title\": \"冰雪\", \"shots\": [{\"name\": \"A\", \"narration\": \"半") : chat(harbin_answer());
    });
    engine::DraftResult r = engine::draft_script(eng, request());
    ASSERT_EQ(r.outcome, engine::Outcome::Done) << (r.error ? r.error->to_string() : "");
    EXPECT_EQ(r.questions, 2);
    auto reqs = stub.requests_to("/v1/chat/completions");
    ASSERT_EQ(reqs.size(), 2u);
    auto second = body_of(reqs[1]);
    ASSERT_EQ(second["messages"].size(), 4u);  // system, user, the bad answer, what was wrong
    EXPECT_EQ(second["messages"][2]["role"], "assistant");
    EXPECT_NE(second["messages"][3]["content"].get<std::string>().find("stops in the middle of the JSON"), std::string::npos);
    EXPECT_TRUE(fs::exists(dir / "harbin.md"));
}

TEST_F(DraftFixture, AnInvalidScriptIsAskedAgainWithTheCheckErrors)
{
    int n = 0;
    stub.on("POST", "/v1/chat/completions", [&](const StubRequest&) {
        return chat(++n == 1 ? harbin_answer(8, 14, "spinaround") : harbin_answer());
    });
    engine::DraftResult r = engine::draft_script(eng, request());
    ASSERT_EQ(r.outcome, engine::Outcome::Done) << (r.error ? r.error->to_string() : "");
    auto reqs = stub.requests_to("/v1/chat/completions");
    ASSERT_EQ(reqs.size(), 2u);
    std::string feedback = body_of(reqs[1])["messages"][3]["content"];
    EXPECT_NE(feedback.find("spinaround"), std::string::npos) << feedback;
    EXPECT_NE(feedback.find("shot 1 (\"镜头1\")"), std::string::npos) << feedback;
}

TEST_F(DraftFixture, AnswersThatNeverPassAreReportedAndNothingIsWritten)
{
    stub.on("POST", "/v1/chat/completions", [&](const StubRequest&) { return chat("I would love to help!"); });
    engine::DraftResult r = engine::draft_script(eng, request());
    EXPECT_EQ(r.outcome, engine::Outcome::RenderError);
    ASSERT_TRUE(r.error);
    EXPECT_NE(r.error->message.find("no usable script in 3 answers"), std::string::npos) << r.error->message;
    EXPECT_NE(r.error->message.find("no JSON object"), std::string::npos) << r.error->message;
    EXPECT_EQ(stub.requests_to("/v1/chat/completions").size(), 3u);  // the first + max_retries (2)
    EXPECT_FALSE(fs::exists(dir / "harbin.md"));
}

TEST_F(DraftFixture, ASlowServerIsAClearErrorWithinTheDeadline)
{
    write_file(dir / "slow.toml", "[writer]\nurl = \"" + stub.base_url() + "/v1\"\nmodel = \"big\"\ntimeout_s = 1\n");
    stub.on("POST", "/v1/chat/completions", [](const StubRequest&) {
        StubResponse s = chat(harbin_answer());
        s.delay_ms = 10'000;
        return s;
    });
    auto req = request();
    req.config = dir / "slow.toml";
    req.getenv = env({});
    auto t0 = std::chrono::steady_clock::now();
    engine::DraftResult r = engine::draft_script(eng, req);
    double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_EQ(r.outcome, engine::Outcome::RenderError);
    ASSERT_TRUE(r.error);
    EXPECT_NE(r.error->message.find("did not answer within 1 s"), std::string::npos) << r.error->message;
    EXPECT_NE(r.error->message.find("timeout_s"), std::string::npos);
    EXPECT_LT(took, 4.0);
    EXPECT_FALSE(fs::exists(dir / "harbin.md"));
}

TEST_F(DraftFixture, AServerWithoutJsonSchemaIsAskedInJsonModeAndTheKeyNeverShows)
{
    stub.on("POST", "/v1/chat/completions", [](const StubRequest& q) {
        auto b = nlohmann::json::parse(q.body);
        if (b["response_format"]["type"] == "json_schema")
            return StubResponse::json(R"({"error": {"message": "response_format type json_schema is not supported"}})", 400);
        return chat(harbin_answer());
    });
    auto req = request("harbin.md", {{"SHOTWEAVE_LLM_KEY", "sk-topsecret"}});
    engine::DraftResult r = engine::draft_script(eng, req);
    ASSERT_EQ(r.outcome, engine::Outcome::Done) << (r.error ? r.error->to_string() : "");
    auto reqs = stub.requests_to("/v1/chat/completions");
    ASSERT_EQ(reqs.size(), 2u);
    EXPECT_EQ(body_of(reqs[1])["response_format"]["type"], "json_object");
    EXPECT_EQ(reqs[1].header("authorization"), "Bearer sk-topsecret");
    std::string notes = core::join(r.notes, "\n");
    EXPECT_NE(notes.find("json_mode = \"object\""), std::string::npos) << notes;

    // A refused key: the message names the variable, never the key.
    HttpStub denied;
    denied.on("POST", "/v1/chat/completions",
              [](const StubRequest&) { return StubResponse::json(R"({"error": {"message": "bad key sk-topsecret"}})", 401); });
    req.getenv = env({{"SHOTWEAVE_LLM_URL", denied.base_url()}, {"SHOTWEAVE_LLM_MODEL", "m"}, {"SHOTWEAVE_LLM_KEY", "sk-topsecret"}});
    req.output = dir / "other.md";
    r = engine::draft_script(eng, req);
    ASSERT_TRUE(r.error);
    EXPECT_EQ(r.error->to_string().find("sk-topsecret"), std::string::npos) << r.error->to_string();
    EXPECT_NE(r.error->message.find("SHOTWEAVE_LLM_KEY"), std::string::npos) << r.error->message;
}

TEST_F(DraftFixture, FarTooMuchNarrationIsAskedAgainWithHowMuchToCut)
{
    int n = 0;
    stub.on("POST", "/v1/chat/completions",
            [&](const StubRequest&) { return chat(++n == 1 ? harbin_answer(8, 45) : harbin_answer(8, 14)); });
    engine::DraftResult r = engine::draft_script(eng, request());
    ASSERT_EQ(r.outcome, engine::Outcome::Done) << (r.error ? r.error->to_string() : "");
    auto reqs = stub.requests_to("/v1/chat/completions");
    ASSERT_EQ(reqs.size(), 2u);
    std::string feedback = body_of(reqs[1])["messages"][3]["content"];
    EXPECT_NE(feedback.find("cut about"), std::string::npos) << feedback;
    EXPECT_NE(feedback.find("the target is 60 s"), std::string::npos) << feedback;
    // The final draft is within the tolerance of 60 s (the voice spoken by espeak-ng).
    EXPECT_NEAR(r.total_s, 60, 60 * draft::kLengthTolerance) << r.total_s;
}

TEST_F(DraftFixture, AnExistingOutputIsNeverReplacedWithoutForce)
{
    stub.on("POST", "/v1/chat/completions", [](const StubRequest&) { return chat(harbin_answer()); });
    write_file(dir / "harbin.md", "mine\n");
    engine::DraftResult r = engine::draft_script(eng, request());
    EXPECT_EQ(r.outcome, engine::Outcome::InputError);
    ASSERT_TRUE(r.error);
    EXPECT_NE(r.error->message.find("--force"), std::string::npos);
    EXPECT_EQ(sw::test::read_file(dir / "harbin.md"), "mine\n");
    EXPECT_TRUE(stub.requests().empty());  // nothing asked of the model

    auto req = request("harbin.json");
    req.force = true;
    write_file(dir / "harbin.json", "{}");
    r = engine::draft_script(eng, req);
    ASSERT_EQ(r.outcome, engine::Outcome::Done) << (r.error ? r.error->to_string() : "");
    auto j = nlohmann::json::parse(sw::test::read_file(dir / "harbin.json"));
    EXPECT_EQ(j["shots"].size(), 8u);
    EXPECT_EQ(j["voice"], "zh");

    // The article itself is never the output, --force or not.
    write_file(dir / "dali.md", "大理的早晨，苍山洱海。\n");
    auto from = request("dali.md");
    from.topic.clear();
    from.article = dir / "dali.md";
    from.force = true;
    r = engine::draft_script(eng, from);
    EXPECT_EQ(r.outcome, engine::Outcome::InputError);
    EXPECT_EQ(sw::test::read_file(dir / "dali.md"), "大理的早晨，苍山洱海。\n");
}

TEST_F(DraftFixture, AnArticleIsSentWithItsFrontMatterSettingsKept)
{
    write_file(dir / "dali.txt", "---\ntitle: 风花雪月\nsize: 16:9\nvoice: zh rate=200\n---\n"
                                 "大理古城始建于明朝洪武年间。清晨的洱海边，渔民撒下第一网。苍山十九峰终年积雪。\n");
    stub.on("POST", "/v1/chat/completions", [](const StubRequest&) { return chat(harbin_answer(6, 20)); });
    auto req = request("dali.md");
    req.topic.clear();
    req.article = dir / "dali.txt";
    req.seconds = 45;
    engine::DraftResult r = engine::draft_script(eng, req);
    ASSERT_EQ(r.outcome, engine::Outcome::Done) << (r.error ? r.error->to_string() : "");
    const std::string msgs = all_messages(body_of(stub.requests_to("/v1/chat/completions").at(0)));
    EXPECT_NE(msgs.find("大理古城始建于明朝洪武年间"), std::string::npos);
    EXPECT_NE(msgs.find("45 seconds"), std::string::npos);
    EXPECT_NE(msgs.find("at 200 wpm"), std::string::npos) << msgs;
    EXPECT_EQ(msgs.find("title: 风花雪月"), std::string::npos);  // the front matter is not article text
    const std::string md = sw::test::read_file(dir / "dali.md");
    EXPECT_EQ(md.rfind("---\ntitle: 风花雪月\nsize: 1920x1080\nvoice: zh rate=200\n---\n", 0), 0u) << md;
}

// The rates the budget uses are what espeak-ng really speaks (as `check` measures it).
TEST(DraftBudget, SpeakingRatesMatchEspeak)
{
    TempDir dir("draft-rate");
    engine::Engine eng(engine::EngineOptions{.use_cache = false, .tts_cache_dir = (dir / "tts").string()});
    struct Case {
        const char* voice;
        int rate;
        const char* text;
    } cases[] = {
        {"zh", 0, "大理古城始建于明朝洪武年间，城墙由青砖砌成。清晨的洱海边，渔民撒下第一网，白鹭从水面掠过。苍山十九峰终年积雪，山腰的云像一条白色的玉带。"},
        {"zh", 260, "大理古城始建于明朝洪武年间，城墙由青砖砌成。清晨的洱海边，渔民撒下第一网，白鹭从水面掠过。苍山十九峰终年积雪，山腰的云像一条白色的玉带。"},
        {"en", 0, "Dali's old town was built in the Ming dynasty, its walls of grey brick. At dawn on Erhai Lake a fisherman casts the first net, and egrets skim the water. The nineteen peaks of Cangshan keep their snow all year."},
    };
    for (const auto& c : cases) {
        std::string md = std::string("---\nvoice: ") + c.voice + (c.rate ? " rate=" + std::to_string(c.rate) : "") +
                         "\n---\n\n# A\nvisual: lake\n" + c.text + "\n";
        engine::Loaded l = eng.check({dir / "rate.md", md, script::Format::Markdown}, {});
        ASSERT_TRUE(l.ok) << md;
        ASSERT_EQ(l.voice.speech_us.size(), 1u);
        const double spoken_s = l.voice.speech_us[0] / 1e6;
        auto units = timeline::count_reading_units(c.text);
        auto rate = draft::speaking_rate(c.voice, c.rate);
        const double measured = std::string(c.voice) == "zh" ? units.cjk_chars / spoken_s : units.words / spoken_s;
        const double assumed = std::string(c.voice) == "zh" ? rate.cjk_per_s : rate.words_per_s;
        EXPECT_NEAR(measured, assumed, assumed * 0.15) << c.voice << " rate " << c.rate << ": " << spoken_s << " s";
        std::printf("%s rate=%d: %.2f units/s spoken, %.2f assumed\n", c.voice, c.rate, measured, assumed);
    }
}

TEST_F(DraftFixture, BadSettingsAreTheUsersToFixBeforeTheModelIsAsked)
{
    stub.on("POST", "/v1/chat/completions", [](const StubRequest&) { return chat(harbin_answer()); });
    auto req = request();
    req.voice = "klingon";
    engine::DraftResult r = engine::draft_script(eng, req);
    EXPECT_EQ(r.outcome, engine::Outcome::InputError);
    ASSERT_TRUE(r.error);
    EXPECT_NE(r.error->message.find("unknown voice \"klingon\""), std::string::npos) << r.error->message;
    req.voice.clear();
    req.size = "9:15";
    r = engine::draft_script(eng, req);
    EXPECT_EQ(r.outcome, engine::Outcome::InputError);
    ASSERT_TRUE(r.error);
    EXPECT_NE(r.error->message.find("9:15"), std::string::npos) << r.error->message;
    EXPECT_TRUE(stub.requests().empty());
    EXPECT_FALSE(fs::exists(dir / "harbin.md"));
}

TEST_F(DraftFixture, ACancelStopsTheRequestAndWritesNothing)
{
    stub.on("POST", "/v1/chat/completions", [](const StubRequest&) {
        StubResponse s = chat(harbin_answer());
        s.delay_ms = 20'000;
        return s;
    });
    engine::Job job;
    std::thread stopper([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        job.cancel.cancel();
    });
    auto t0 = std::chrono::steady_clock::now();
    engine::DraftResult r = engine::draft_script(eng, request(), job);
    double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    stopper.join();
    EXPECT_EQ(r.outcome, engine::Outcome::Cancelled);
    EXPECT_LT(took, 3.0);
    EXPECT_FALSE(fs::exists(dir / "harbin.md"));
}
