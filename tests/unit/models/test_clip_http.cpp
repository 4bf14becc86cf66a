// The HTTP clip backends (sdcpp-server, comfyui, rest) against a local stand-in server that
// speaks their protocols, and load_generator_config.

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "http_stub.h"
#include "models/clip_adapter.h"
#include "models/clip_http.h"
#include "test_support.h"

namespace sw::models {
namespace {

using nlohmann::json;
using test::HttpStub;
using test::StubRequest;
using test::StubResponse;
using Clock = std::chrono::steady_clock;

constexpr const char* kKey = "sk-secret-123";
const std::string kPrompt = "雪夜里的冰雕城堡,\"镜头\"缓慢推进 \\ 50% & more";

std::string file_bytes(const fs::path& p)
{
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// A tiny real video (H.264 MP4), made once.
const std::string& video_bytes()
{
    static std::string bytes = [] {
        test::TempDir dir("clip_http_video");
        test::make_video(dir / "v.mp4", "testsrc=size=64x48:rate=16", 0.5, 16);
        return file_bytes(dir / "v.mp4");
    }();
    return bytes;
}

// Every error must be free of the key, whatever the service echoed.
void expect_no_secret(const core::Error& e)
{
    EXPECT_EQ(e.to_string().find(kKey), std::string::npos) << e.to_string();
    EXPECT_EQ(e.message.find(kKey), std::string::npos) << e.message;
    EXPECT_EQ(e.detail.find(kKey), std::string::npos) << e.detail;
}

bool contains(const std::string& s, const std::string& part)
{
    return s.find(part) != std::string::npos;
}

void expect_video(const fs::path& p)
{
    ASSERT_TRUE(fs::exists(p)) << p;
    auto info = test::probe(p);
    auto v = test::stream(info, "video");
    ASSERT_FALSE(v.is_null()) << "no video stream in " << p;
    EXPECT_EQ(v["width"].get<int>(), 64);
}

struct CapGuard {
    explicit CapGuard(uint64_t cap) : old(http_max_download_bytes()) { set_http_max_download_bytes(cap); }
    ~CapGuard() { set_http_max_download_bytes(old); }
    uint64_t old;
};

class ClipHttp : public ::testing::Test {
protected:
    void SetUp() override
    {
        ::setenv("SHOTWEAVE_TEST_KEY", kKey, 1);
        m_work = std::make_unique<test::TempDir>("clip_http");
        m_req.prompt = kPrompt;
        m_req.negative = "模糊";
        m_req.width = 832;
        m_req.height = 480;
        m_req.fps = 16;
        m_req.frames = 81;
        m_req.seconds = 5;
        m_req.seed = 1234567;
        m_ctl.deadline = Clock::now() + std::chrono::seconds(20);
    }

    GeneratorConfig base_config(const std::string& kind, const HttpStub& stub) const
    {
        GeneratorConfig c;
        c.kind = kind;
        c.name = "test-" + kind;
        c.model = "wan-test";
        c.base_url = stub.base_url();
        c.api_key_env = "SHOTWEAVE_TEST_KEY";
        c.poll_interval_s = 0.02;
        return c;
    }

    fs::path work() const { return m_work->path(); }

    fs::path make_png(const std::string& name) const
    {
        fs::path p = m_work->path() / name;
        test::make_image(p, "color=c=red:s=32x32");
        return p;
    }

    std::unique_ptr<test::TempDir> m_work;
    ClipRequest m_req;
    GenerateControl m_ctl;
};

// ---- helpers -------------------------------------------------------------------------------

TEST(ClipHttpHelpers, SniffsContainersByMagicBytes)
{
    EXPECT_EQ(http::sniff_container(std::string("RIFF\x10\0\0\0AVI LIST", 16)), "avi");
    EXPECT_EQ(http::sniff_container(std::string("RIFF\x10\0\0\0WEBPVP8X", 16)), "webp");
    EXPECT_EQ(http::sniff_container("\x1a\x45\xdf\xa3\x9f\x42\x86\x81"), "webm");
    EXPECT_EQ(http::sniff_container(std::string("\0\0\0\x20" "ftypisom", 12)), "mp4");
    EXPECT_EQ(http::sniff_container("\x89PNG\r\n\x1a\n...."), "png");
    EXPECT_EQ(http::sniff_container("<html>"), "");
}

TEST(ClipHttpHelpers, Base64RoundTripsAndJsonPointerReads)
{
    std::string bytes;
    for (int i = 0; i < 256; ++i)
        bytes += char(i);
    for (size_t n : {0, 1, 2, 3, 255, 256}) {
        auto back = http::base64_decode(http::base64_encode(bytes.substr(0, n)));
        ASSERT_TRUE(back);
        EXPECT_EQ(*back, bytes.substr(0, n));
    }
    EXPECT_FALSE(http::base64_decode("ab$d"));
    json doc = json::parse(R"({"data":{"task_result":{"videos":[{"url":"http://x/v.mp4"}]},"n":3,"a/b":1}})");
    EXPECT_EQ(http::json_at(doc, "/data/task_result/videos/0/url").value_or(""), "http://x/v.mp4");
    EXPECT_EQ(http::json_at(doc, "/data/n").value_or(""), "3");
    EXPECT_EQ(http::json_at(doc, "/data/a~1b").value_or(""), "1");
    EXPECT_FALSE(http::json_at(doc, "/data/task_result/videos/1/url"));
    EXPECT_FALSE(http::json_at(doc, "/data/n/x"));
}

// ---- sdcpp-server --------------------------------------------------------------------------

struct SdcppServer : ClipHttp {
    // The stub: submit answers a job; the job is "generating" `running` times, then `final`.
    void serve(HttpStub& stub, std::function<StubResponse(int poll)> job)
    {
        stub.on("POST", "/sdcpp/v1/vid_gen", [](const StubRequest&) {
            return StubResponse::json(R"({"id":"job_1","poll_url":"/sdcpp/v1/jobs/job_1"})", 202);
        });
        auto polls = std::make_shared<std::atomic<int>>(0);
        stub.on_prefix("GET", "/sdcpp/v1/jobs/", [polls, job](const StubRequest&) { return job(++*polls); });
    }
    static StubResponse completed(const std::string& video)
    {
        json j = {{"id", "job_1"},
                  {"status", "completed"},
                  {"result", {{"output_format", "mp4"}, {"b64_json", http::base64_encode(video)}}}};
        return StubResponse::json(j.dump());
    }
    static StubResponse running() { return StubResponse::json(R"({"id":"job_1","status":"generating"})"); }

    core::Result<fs::path> generate(HttpStub& stub)
    {
        auto adapter = make_sdcpp_server_adapter(base_config("sdcpp-server", stub));
        EXPECT_TRUE(adapter);
        return (*adapter)->generate(m_req, work(), m_ctl);
    }
};

TEST_F(SdcppServer, GeneratesDecodesAndSendsTheRequestFields)
{
    HttpStub stub;
    serve(stub, [](int poll) { return poll <= 2 ? running() : completed(video_bytes()); });
    m_req.init_image = make_png("first.png");
    m_req.extra = {{"sample_steps", "20"}, {"flow_shift", "3.5"}, {"moe_boundary", "0.875"}};
    auto out = generate(stub);
    ASSERT_TRUE(out) << out.error().to_string();
    EXPECT_EQ(*out, work() / "out.mp4");
    expect_video(*out);

    auto submits = stub.requests_to("/sdcpp/v1/vid_gen");
    ASSERT_EQ(submits.size(), 1u);
    EXPECT_EQ(submits[0].header("authorization"), std::string("Bearer ") + kKey);
    json body = json::parse(submits[0].body);
    EXPECT_EQ(body["prompt"], kPrompt);
    EXPECT_EQ(body["negative_prompt"], "模糊");
    EXPECT_EQ(body["width"], 832);
    EXPECT_EQ(body["height"], 480);
    EXPECT_EQ(body["video_frames"], 81);
    EXPECT_EQ(body["fps"], 16);
    EXPECT_EQ(body["seed"], 1234567);
    EXPECT_EQ(body["sample_params"]["sample_steps"], 20);
    EXPECT_DOUBLE_EQ(body["sample_params"]["flow_shift"].get<double>(), 3.5);
    EXPECT_DOUBLE_EQ(body["moe_boundary"].get<double>(), 0.875);
    ASSERT_TRUE(body.contains("init_image"));
    EXPECT_EQ(*http::base64_decode(body["init_image"].get<std::string>()), file_bytes(m_req.init_image));
    EXPECT_FALSE(body.contains("end_image"));
    EXPECT_EQ(stub.requests_to("/sdcpp/v1/jobs/job_1").size(), 3u);  // running, running, completed
}

TEST_F(SdcppServer, FailedJobReportsTheServersMessage)
{
    HttpStub stub;
    serve(stub, [](int poll) {
        return poll == 1 ? running()
                         : StubResponse::json(
                               R"({"id":"job_1","status":"failed","error":{"code":"oom","message":"out of memory: model needs 14 GB"}})");
    });
    auto out = generate(stub);
    ASSERT_FALSE(out);
    EXPECT_TRUE(contains(out.error().message, "out of memory: model needs 14 GB")) << out.error().message;
    EXPECT_EQ(out.error().category, core::ErrorCategory::Media);
    expect_no_secret(out.error());
}

TEST_F(SdcppServer, MalformedJsonIsAClearError)
{
    HttpStub stub;
    stub.on("POST", "/sdcpp/v1/vid_gen", [](const StubRequest&) { return StubResponse::json("<html>busy</html>"); });
    auto out = generate(stub);
    ASSERT_FALSE(out);
    EXPECT_TRUE(contains(out.error().message, "not valid JSON")) << out.error().message;
    EXPECT_TRUE(contains(out.error().message, "<html>busy")) << out.error().message;
}

TEST_F(SdcppServer, ConnectionClosedMidBodyIsAnError)
{
    HttpStub stub;
    serve(stub, [](int) {
        auto r = completed(video_bytes());
        r.close_after = int64_t(r.body.size() / 2);
        return r;
    });
    auto out = generate(stub);
    ASSERT_FALSE(out);
    EXPECT_TRUE(contains(out.error().message, "closed before")) << out.error().message;
    EXPECT_FALSE(fs::exists(work() / "out.mp4"));
}

TEST_F(SdcppServer, OversizedAnswerHitsTheCap)
{
    CapGuard cap(64 * 1024);
    HttpStub stub;
    serve(stub, [](int) {
        StubResponse r;
        r.filler_bytes = 1 << 20;
        return r;
    });
    auto out = generate(stub);
    ASSERT_FALSE(out);
    EXPECT_TRUE(contains(out.error().message, "cap")) << out.error().message;
    EXPECT_TRUE(contains(out.error().message, "64.0 KiB cap")) << out.error().message;
}

TEST_F(SdcppServer, TimesOutAtTheDeadline)
{
    HttpStub stub;
    serve(stub, [](int) {
        auto r = running();
        r.delay_ms = 8000;
        return r;
    });
    m_ctl.deadline = Clock::now() + std::chrono::milliseconds(700);
    auto t0 = Clock::now();
    auto out = generate(stub);
    double took = std::chrono::duration<double>(Clock::now() - t0).count();
    ASSERT_FALSE(out);
    EXPECT_TRUE(contains(out.error().message, "timed out")) << out.error().message;
    EXPECT_LT(took, 1.7);
    EXPECT_GT(took, 0.6);
}

TEST_F(SdcppServer, CancelStopsTheWait)
{
    HttpStub stub;
    serve(stub, [](int) { return running(); });
    std::atomic<bool> cancel{false};
    m_ctl.cancel = &cancel;
    std::thread t([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        cancel = true;
    });
    auto out = generate(stub);
    t.join();
    ASSERT_FALSE(out);
    EXPECT_EQ(out.error().category, core::ErrorCategory::Cancelled);
}

TEST_F(SdcppServer, TheKeyNeverReachesAnErrorMessage)
{
    HttpStub stub;
    stub.on("POST", "/sdcpp/v1/vid_gen", [](const StubRequest& r) {
        // A careless service echoing the credentials it was given.
        return StubResponse::json(R"({"error":"invalid key )" + r.header("authorization") + R"("})", 401);
    });
    auto out = generate(stub);
    ASSERT_FALSE(out);
    EXPECT_TRUE(contains(out.error().message, "401")) << out.error().message;
    EXPECT_TRUE(contains(out.error().message, "***")) << out.error().message;
    expect_no_secret(out.error());
}

TEST_F(SdcppServer, MissingKeyVariableIsNamed)
{
    HttpStub stub;
    auto cfg = base_config("sdcpp-server", stub);
    cfg.api_key_env = "SHOTWEAVE_TEST_UNSET_KEY_VAR";
    ::unsetenv("SHOTWEAVE_TEST_UNSET_KEY_VAR");
    auto adapter = make_sdcpp_server_adapter(cfg);
    ASSERT_TRUE(adapter);
    auto out = (*adapter)->generate(m_req, work(), m_ctl);
    ASSERT_FALSE(out);
    EXPECT_TRUE(contains(out.error().message, "SHOTWEAVE_TEST_UNSET_KEY_VAR")) << out.error().message;
    EXPECT_TRUE(stub.requests().empty());
}

// ---- comfyui -------------------------------------------------------------------------------

struct Comfyui : ClipHttp {
    fs::path workflow() const { return fs::path(SW_SOURCE_DIR) / "examples/generators/comfyui-wan-workflow.json"; }

    GeneratorConfig config(const HttpStub& stub) const
    {
        auto c = base_config("comfyui", stub);
        c.workflow = workflow();
        c.extra = {{"steps", "20"}, {"cfg", "5"}};
        return c;
    }

    static std::string history_done()
    {
        return R"({"p-1":{"prompt":[],"outputs":{"47":{"images":[{"filename":"clip 00001_.webm","subfolder":"shotweave","type":"output"}],"animated":[true]}},"status":{"status_str":"success","completed":true,"messages":[]}}})";
    }

    void serve(HttpStub& stub, std::function<StubResponse(int)> history, std::function<StubResponse()> view)
    {
        stub.on("POST", "/upload/image", [](const StubRequest&) {
            return StubResponse::json(R"({"name":"sw_first.png","subfolder":"","type":"input"})");
        });
        stub.on("POST", "/prompt", [](const StubRequest&) {
            return StubResponse::json(R"({"prompt_id":"p-1","number":1,"node_errors":{}})");
        });
        auto polls = std::make_shared<std::atomic<int>>(0);
        stub.on("GET", "/history/p-1", [polls, history](const StubRequest&) { return history(++*polls); });
        stub.on("GET", "/view", [view](const StubRequest&) { return view(); });
    }

    void serve_ok(HttpStub& stub)
    {
        serve(
            stub, [](int poll) { return StubResponse::json(poll <= 2 ? "{}" : history_done()); },
            [] { return StubResponse::bytes(video_bytes(), "video/webm"); });
    }

    core::Result<fs::path> generate(HttpStub& stub)
    {
        auto adapter = make_comfyui_adapter(config(stub));
        EXPECT_TRUE(adapter) << adapter.error().to_string();
        return (*adapter)->generate(m_req, work(), m_ctl);
    }

    static json sent_workflow(const HttpStub& stub)
    {
        auto r = stub.requests_to("/prompt");
        EXPECT_EQ(r.size(), 1u);
        return r.empty() ? json() : json::parse(r[0].body);
    }
};

TEST_F(Comfyui, UploadsTheFirstFrameQueuesPollsAndDownloads)
{
    HttpStub stub;
    serve_ok(stub);
    m_req.init_image = make_png("first.png");
    auto out = generate(stub);
    ASSERT_TRUE(out) << out.error().to_string();
    EXPECT_EQ(out->parent_path(), work());
    expect_video(*out);

    auto uploads = stub.requests_to("/upload/image");
    ASSERT_EQ(uploads.size(), 1u);
    EXPECT_TRUE(contains(uploads[0].header("content-type"), "multipart/form-data"));
    EXPECT_TRUE(contains(uploads[0].body, "name=\"image\"; filename=\"first.png\""));
    EXPECT_TRUE(contains(uploads[0].body, file_bytes(m_req.init_image)));

    json sent = sent_workflow(stub);
    EXPECT_FALSE(sent["client_id"].get<std::string>().empty());
    const json& wf = sent["prompt"];
    EXPECT_EQ(wf["6"]["inputs"]["text"], kPrompt);
    EXPECT_EQ(wf["7"]["inputs"]["text"], "模糊");
    EXPECT_EQ(wf["52"]["inputs"]["image"], "sw_first.png");
    EXPECT_TRUE(wf["50"]["inputs"]["width"].is_number());
    EXPECT_EQ(wf["50"]["inputs"]["width"], 832);
    EXPECT_EQ(wf["50"]["inputs"]["length"], 81);
    EXPECT_EQ(wf["3"]["inputs"]["seed"], 1234567);
    EXPECT_EQ(wf["3"]["inputs"]["steps"], 20);
    EXPECT_EQ(wf["47"]["inputs"]["fps"], 16);
    EXPECT_EQ(wf["50"]["inputs"]["start_image"], json::array({"52", 0}));
    EXPECT_EQ(stub.requests_to("/prompt")[0].header("authorization"), std::string("Bearer ") + kKey);

    EXPECT_EQ(stub.requests_to("/history/p-1").size(), 3u);
    auto views = stub.requests_to("/view");
    ASSERT_EQ(views.size(), 1u);
    EXPECT_EQ(views[0].param("filename"), "clip 00001_.webm");
    EXPECT_EQ(views[0].param("subfolder"), "shotweave");
    EXPECT_EQ(views[0].param("type"), "output");
    EXPECT_TRUE(contains(views[0].query, "clip%2000001_.webm"));
}

TEST_F(Comfyui, WithoutAFirstFrameTheImageNodesAreRemoved)
{
    HttpStub stub;
    serve_ok(stub);
    auto out = generate(stub);
    ASSERT_TRUE(out) << out.error().to_string();
    EXPECT_TRUE(stub.requests_to("/upload/image").empty());
    json sent = sent_workflow(stub);
    const json& wf = sent["prompt"];
    EXPECT_FALSE(wf.contains("52"));  // LoadImage
    EXPECT_FALSE(wf.contains("51"));  // CLIPVisionEncode of it
    EXPECT_TRUE(wf.contains("49"));   // the CLIP vision loader stays (unused is fine)
    ASSERT_TRUE(wf.contains("50"));
    EXPECT_FALSE(wf["50"]["inputs"].contains("start_image"));
    EXPECT_FALSE(wf["50"]["inputs"].contains("clip_vision_output"));
    EXPECT_TRUE(wf["50"]["inputs"].contains("positive"));
}

TEST_F(Comfyui, ExecutionErrorReportsTheNodeAndMessage)
{
    HttpStub stub;
    serve(
        stub,
        [](int poll) {
            if (poll == 1)
                return StubResponse::json("{}");
            return StubResponse::json(
                R"({"p-1":{"outputs":{},"status":{"status_str":"error","completed":false,"messages":[["execution_start",{"prompt_id":"p-1"}],["execution_error",{"prompt_id":"p-1","node_id":"3","node_type":"KSampler","exception_message":"CUDA out of memory. Tried to allocate 2 GiB\n"}]]}}})");
        },
        [] { return StubResponse::bytes(""); });
    auto out = generate(stub);
    ASSERT_FALSE(out);
    EXPECT_TRUE(contains(out.error().message, "CUDA out of memory")) << out.error().message;
    EXPECT_TRUE(contains(out.error().message, "KSampler")) << out.error().message;
    expect_no_secret(out.error());
}

TEST_F(Comfyui, MalformedJsonIsAClearError)
{
    HttpStub stub;
    stub.on("POST", "/prompt", [](const StubRequest&) { return StubResponse::json("{\"prompt_id\": "); });
    auto out = generate(stub);
    ASSERT_FALSE(out);
    EXPECT_TRUE(contains(out.error().message, "not valid JSON")) << out.error().message;
}

TEST_F(Comfyui, RejectedWorkflowShowsComfyuisError)
{
    HttpStub stub;
    stub.on("POST", "/prompt", [](const StubRequest&) {
        return StubResponse::json(
            R"({"error":{"type":"prompt_outputs_failed_validation","message":"Prompt outputs failed validation"},"node_errors":{}})",
            400);
    });
    auto out = generate(stub);
    ASSERT_FALSE(out);
    EXPECT_TRUE(contains(out.error().message, "HTTP 400")) << out.error().message;
    EXPECT_TRUE(contains(out.error().message, "Prompt outputs failed validation")) << out.error().message;
}

TEST_F(Comfyui, ConnectionClosedMidDownloadIsAnError)
{
    HttpStub stub;
    serve(
        stub, [](int) { return StubResponse::json(history_done()); },
        [] {
            auto r = StubResponse::bytes(video_bytes());
            r.close_after = 100;
            return r;
        });
    auto out = generate(stub);
    ASSERT_FALSE(out);
    EXPECT_TRUE(contains(out.error().message, "closed before")) << out.error().message;
    for (const auto& e : fs::directory_iterator(work()))
        EXPECT_FALSE(contains(e.path().filename().string(), "out")) << e.path();
}

TEST_F(Comfyui, OversizedDownloadHitsTheCap)
{
    CapGuard cap(256 * 1024);
    HttpStub stub;
    serve(
        stub, [](int) { return StubResponse::json(history_done()); },
        [] {
            StubResponse r;
            r.filler_bytes = 64ull << 20;
            return r;
        });
    auto t0 = Clock::now();
    auto out = generate(stub);
    ASSERT_FALSE(out);
    EXPECT_TRUE(contains(out.error().message, "256.0 KiB cap")) << out.error().message;
    EXPECT_LT(std::chrono::duration<double>(Clock::now() - t0).count(), 2.0);
}

TEST_F(Comfyui, TimesOutAtTheDeadline)
{
    HttpStub stub;
    serve(
        stub,
        [](int) {
            auto r = StubResponse::json("{}");
            r.delay_ms = 8000;
            return r;
        },
        [] { return StubResponse::bytes(""); });
    m_ctl.deadline = Clock::now() + std::chrono::milliseconds(600);
    auto t0 = Clock::now();
    auto out = generate(stub);
    ASSERT_FALSE(out);
    EXPECT_TRUE(contains(out.error().message, "timed out")) << out.error().message;
    EXPECT_LT(std::chrono::duration<double>(Clock::now() - t0).count(), 1.6);
}

TEST_F(Comfyui, UiFormatWorkflowIsRefused)
{
    HttpStub stub;
    auto cfg = config(stub);
    cfg.workflow = work() / "ui.json";
    test::write_file(cfg.workflow, R"({"nodes":[],"links":[],"version":0.4})");
    auto adapter = make_comfyui_adapter(cfg);
    ASSERT_FALSE(adapter);
    EXPECT_TRUE(contains(adapter.error().message, "Export (API)")) << adapter.error().message;
}

// ---- rest ----------------------------------------------------------------------------------

struct Rest : ClipHttp {
    GeneratorConfig config(const HttpStub& stub) const
    {
        auto c = base_config("rest", stub);
        c.submit_path = "/v1/videos/text2video";
        c.submit_body = R"({"model_name":"{model}","prompt":"{prompt}","negative_prompt":"{negative}",)"
                        R"("duration":{seconds},"aspect_ratio":"{aspect_ratio}","image":"{init_image_data_url}",)"
                        R"("size":"{width}x{height}"})";
        c.id_path = "/data/task_id";
        c.status_path_template = "/v1/videos/text2video/{id}";
        c.status_pointer = "/data/task_status";
        c.done_values = {"succeed"};
        c.failed_values = {"failed"};
        c.error_pointer = "/data/task_status_msg";
        c.url_pointer = "/data/task_result/videos/0/url";
        return c;
    }

    // The API on `stub`; the result on `cdn` (another host: a different port).
    void serve(HttpStub& stub, std::function<StubResponse(int)> status)
    {
        stub.on("POST", "/v1/videos/text2video", [](const StubRequest&) {
            return StubResponse::json(R"({"code":0,"message":"SUCCEED","data":{"task_id":"t/42","task_status":"submitted"}})");
        });
        auto polls = std::make_shared<std::atomic<int>>(0);
        stub.on_prefix("GET", "/v1/videos/text2video/", [polls, status](const StubRequest&) { return status(++*polls); });
    }

    static StubResponse status_json(const std::string& status, const std::string& url = "")
    {
        json j = {{"code", 0}, {"data", {{"task_id", "t/42"}, {"task_status", status}}}};
        if (!url.empty())
            j["data"]["task_result"] = {{"videos", {{{"id", "v1"}, {"url", url}, {"duration", "5"}}}}};
        return StubResponse::json(j.dump());
    }

    core::Result<fs::path> generate(const GeneratorConfig& cfg)
    {
        auto adapter = make_rest_adapter(cfg);
        EXPECT_TRUE(adapter) << adapter.error().to_string();
        return (*adapter)->generate(m_req, work(), m_ctl);
    }
};

TEST_F(Rest, SubmitsPollsAndDownloadsFromAnotherHost)
{
    HttpStub api, cdn;
    cdn.on("GET", "/files/v.mp4", [](const StubRequest&) { return StubResponse::bytes(video_bytes(), "video/mp4"); });
    std::string url = cdn.base_url() + "/files/v.mp4?sig=abc%2Fdef";
    serve(api, [url](int poll) { return poll <= 2 ? status_json("processing") : status_json("succeed", url); });
    m_req.width = 480;
    m_req.height = 832;
    auto out = generate(config(api));
    ASSERT_TRUE(out) << out.error().to_string();
    EXPECT_EQ(*out, work() / "out.mp4");
    expect_video(*out);

    auto submits = api.requests_to("/v1/videos/text2video");
    ASSERT_GE(submits.size(), 1u);
    EXPECT_EQ(submits[0].method, "POST");
    EXPECT_EQ(submits[0].header("authorization"), std::string("Bearer ") + kKey);
    EXPECT_TRUE(contains(submits[0].header("content-type"), "application/json"));
    json body = json::parse(submits[0].body);
    EXPECT_EQ(body["prompt"], kPrompt);
    EXPECT_EQ(body["model_name"], "wan-test");
    EXPECT_EQ(body["duration"], 5);
    EXPECT_EQ(body["aspect_ratio"], "9:16");
    EXPECT_EQ(body["size"], "480x832");
    EXPECT_FALSE(body.contains("image"));  // no first frame: the member is left out

    auto polls = api.requests_to("/v1/videos/text2video/");
    ASSERT_EQ(polls.size(), 3u);
    EXPECT_EQ(polls[0].path, "/v1/videos/text2video/t%2F42");
    auto downloads = cdn.requests();
    ASSERT_EQ(downloads.size(), 1u);
    EXPECT_EQ(downloads[0].query, "sig=abc%2Fdef");
    EXPECT_EQ(downloads[0].header("authorization"), "");  // the key stays with the API host
}

TEST_F(Rest, FirstFrameGoesAsADataUrl)
{
    HttpStub api;
    api.on("GET", "/v.mp4", [](const StubRequest&) { return StubResponse::bytes(video_bytes()); });
    serve(api, [&api](int) { return status_json("succeed", api.base_url() + "/v.mp4"); });
    m_req.init_image = make_png("first.png");
    auto out = generate(config(api));
    ASSERT_TRUE(out) << out.error().to_string();
    json body = json::parse(api.requests_to("/v1/videos/text2video")[0].body);
    EXPECT_EQ(body["image"], "data:image/png;base64," + http::base64_encode(file_bytes(m_req.init_image)));
    EXPECT_EQ(api.requests_to("/v.mp4")[0].header("authorization"), std::string("Bearer ") + kKey);
}

TEST_F(Rest, FailedTaskReportsTheServicesMessage)
{
    HttpStub api;
    serve(api, [](int poll) {
        if (poll == 1)
            return status_json("processing");
        return StubResponse::json(
            R"({"code":0,"data":{"task_id":"t/42","task_status":"failed","task_status_msg":"prompt rejected by content moderation"}})");
    });
    auto out = generate(config(api));
    ASSERT_FALSE(out);
    EXPECT_TRUE(contains(out.error().message, "prompt rejected by content moderation")) << out.error().message;
    expect_no_secret(out.error());
}

TEST_F(Rest, MissingTaskIdShowsTheSubmitError)
{
    HttpStub api;
    api.on("POST", "/v1/videos/text2video", [](const StubRequest&) {
        return StubResponse::json(R"({"code":1102,"data":{"task_status_msg":"account balance not enough"}})");
    });
    auto out = generate(config(api));
    ASSERT_FALSE(out);
    EXPECT_TRUE(contains(out.error().message, "account balance not enough")) << out.error().message;
}

TEST_F(Rest, MalformedStatusJsonIsAClearError)
{
    HttpStub api;
    serve(api, [](int) { return StubResponse::json("{\"data\": [1, 2"); });
    auto out = generate(config(api));
    ASSERT_FALSE(out);
    EXPECT_TRUE(contains(out.error().message, "not valid JSON")) << out.error().message;
}

TEST_F(Rest, ConnectionClosedMidDownloadIsAnError)
{
    HttpStub api, cdn;
    cdn.on("GET", "/v.mp4", [](const StubRequest&) {
        auto r = StubResponse::bytes(video_bytes());
        r.close_after = int64_t(video_bytes().size() - 10);
        return r;
    });
    std::string url = cdn.base_url() + "/v.mp4";
    serve(api, [url](int) { return status_json("succeed", url); });
    auto out = generate(config(api));
    ASSERT_FALSE(out);
    EXPECT_TRUE(contains(out.error().message, "closed before")) << out.error().message;
}

TEST_F(Rest, OversizedDownloadHitsTheCap)
{
    CapGuard cap(1 << 20);
    HttpStub api, cdn;
    cdn.on("GET", "/v.mp4", [](const StubRequest&) {
        StubResponse r;
        r.filler_bytes = 8ull << 20;
        return r;
    });
    std::string url = cdn.base_url() + "/v.mp4";
    serve(api, [url](int) { return status_json("succeed", url); });
    auto out = generate(config(api));
    ASSERT_FALSE(out);
    EXPECT_TRUE(contains(out.error().message, "1.0 MiB cap")) << out.error().message;
}

TEST_F(Rest, TimesOutAtTheDeadlineWhilePolling)
{
    HttpStub api;
    serve(api, [](int) { return status_json("processing"); });  // never finishes
    m_ctl.deadline = Clock::now() + std::chrono::milliseconds(500);
    auto t0 = Clock::now();
    auto out = generate(config(api));
    double took = std::chrono::duration<double>(Clock::now() - t0).count();
    ASSERT_FALSE(out);
    EXPECT_TRUE(contains(out.error().message, "timed out")) << out.error().message;
    EXPECT_LT(took, 1.5);
    EXPECT_GT(api.requests_to("/v1/videos/text2video/").size(), 2u);
}

TEST_F(Rest, ChainedUrlPointerFollowsAFileLookup)
{
    // MiniMax: the status names a file id; a second call gives its download URL.
    HttpStub api;
    auto cfg = config(api);
    cfg.url_pointer = "/data/file_id -> GET /v1/files/retrieve?file_id={value} -> /file/download_url";
    serve(api, [](int) { return StubResponse::json(R"({"data":{"task_status":"succeed","file_id":"f 7"}})"); });
    api.on("GET", "/v1/files/retrieve", [&api](const StubRequest& r) {
        EXPECT_EQ(r.param("file_id"), "f 7");
        return StubResponse::json(R"({"file":{"download_url":")" + api.base_url() + R"(/dl/v.mp4"}})");
    });
    api.on("GET", "/dl/v.mp4", [](const StubRequest&) { return StubResponse::bytes(video_bytes()); });
    auto out = generate(cfg);
    ASSERT_TRUE(out) << out.error().to_string();
    expect_video(*out);
}

TEST_F(Rest, GetStepDownloadsTheContentEndpoint)
{
    // Sora: GET /v1/videos/{id}/content returns the video itself.
    HttpStub api;
    auto cfg = config(api);
    cfg.url_pointer = "GET /v1/videos/{id}/content";
    serve(api, [](int) { return status_json("succeed"); });
    api.on("GET", "/v1/videos/t%2F42/content", [](const StubRequest& r) {
        EXPECT_EQ(r.header("authorization"), std::string("Bearer ") + kKey);
        return StubResponse::bytes(video_bytes(), "video/mp4");
    });
    auto out = generate(cfg);
    ASSERT_TRUE(out) << out.error().to_string();
    expect_video(*out);
}

TEST_F(Rest, HeadersExpandEnvironmentVariablesAndAreRedacted)
{
    HttpStub api;
    ::setenv("SHOTWEAVE_TEST_HEADER_SECRET", "hdr-secret-456", 1);
    auto cfg = config(api);
    cfg.headers = {{"X-Api-Version", "2024-11-06"}, {"X-Token", "tok ${SHOTWEAVE_TEST_HEADER_SECRET}"}};
    api.on("POST", "/v1/videos/text2video", [](const StubRequest& r) {
        return StubResponse::json(R"({"error":"bad token )" + r.header("x-token") + R"("})", 403);
    });
    auto out = generate(cfg);
    ASSERT_FALSE(out);
    auto sent = api.requests();
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0].header("x-api-version"), "2024-11-06");
    EXPECT_EQ(sent[0].header("x-token"), "tok hdr-secret-456");
    EXPECT_FALSE(contains(out.error().to_string(), "hdr-secret-456")) << out.error().to_string();
    EXPECT_TRUE(contains(out.error().message, "403"));
    expect_no_secret(out.error());
}

// ---- load_generator_config -----------------------------------------------------------------

struct GeneratorConfigFile : ::testing::Test {
    test::TempDir dir{"clip_config"};
    fs::path write(const std::string& name, const std::string& text)
    {
        fs::path p = dir / name;
        test::write_file(p, text);
        return p;
    }
};

TEST_F(GeneratorConfigFile, EveryExampleLoadsAndMakesAnAdapter)
{
    int n = 0;
    for (const auto& e : fs::directory_iterator(fs::path(SW_SOURCE_DIR) / "examples/generators")) {
        if (e.path().extension() != ".toml")
            continue;
        ++n;
        SCOPED_TRACE(e.path().string());
        auto c = load_generator_config(e.path());
        ASSERT_TRUE(c) << c.error().to_string();
        EXPECT_FALSE(c->name.empty());
        EXPECT_TRUE(c->api_key_env.find("sk-") == std::string::npos);
        for (const auto& [k, v] : c->headers)
            EXPECT_TRUE(v.find("sk-") == std::string::npos) << k;
        core::Result<std::unique_ptr<ClipAdapter>> a = tl::unexpected(core::Error{});
        if (c->kind == "sdcpp-server")
            a = make_sdcpp_server_adapter(*c);
        else if (c->kind == "comfyui")
            a = make_comfyui_adapter(*c);
        else if (c->kind == "rest")
            a = make_rest_adapter(*c);
        else {
            EXPECT_EQ(c->kind, "command");
            EXPECT_FALSE(c->command.empty());
            continue;
        }
        ASSERT_TRUE(a) << a.error().to_string();
        EXPECT_EQ((*a)->kind(), c->kind);
        EXPECT_EQ((*a)->capabilities().max_seconds, c->caps.max_seconds);
    }
    EXPECT_GE(n, 9);
}

TEST_F(GeneratorConfigFile, ReadsEveryKey)
{
    write("wf.json", R"({"1":{"class_type":"SaveWEBM","inputs":{}}})");
    auto p = write("g.toml", R"(
[generator]
kind = "comfyui"
name = "mine"
model = "wan"
timeout_s = 120.5
retries = 0
backoff_s = 1
negative = "blur"
extra = { steps = 20, cfg = 5.5, tiled = true, sampler = "euler" }
base_url = "http://127.0.0.1:8188"
api_key_env = "MY_KEY"
headers = { "X-A" = "${MY_HEADER}" }
poll_interval_s = 0.5
workflow = "wf.json"

[generator.capabilities]
text_to_video = true
image_to_video = true
first_last_frame = true
durations = [5, 10]
min_seconds = 2
max_seconds = 10
frame_multiple = 4
frame_offset = 1
native_fps = 24
size_multiple = 32
max_concurrency = 3
)");
    auto c = load_generator_config(p);
    ASSERT_TRUE(c) << c.error().to_string();
    EXPECT_EQ(c->kind, "comfyui");
    EXPECT_EQ(c->name, "mine");
    EXPECT_DOUBLE_EQ(c->timeout_s, 120.5);
    EXPECT_EQ(c->retries, 0);
    EXPECT_EQ(c->extra.at("steps"), "20");
    EXPECT_EQ(c->extra.at("cfg"), "5.5");
    EXPECT_EQ(c->extra.at("tiled"), "true");
    EXPECT_EQ(c->headers.at("X-A"), "${MY_HEADER}");
    EXPECT_EQ(c->workflow, dir.path() / "wf.json");
    EXPECT_EQ(c->config_file, p);
    EXPECT_EQ(c->caps.durations, (std::vector<double>{5, 10}));
    EXPECT_EQ(c->caps.native_fps, 24);
    EXPECT_EQ(c->caps.size_multiple, 32);
    EXPECT_EQ(c->caps.max_concurrency, 3);
    EXPECT_TRUE(c->caps.first_last_frame);
}

TEST_F(GeneratorConfigFile, UnknownKeyGivesDidYouMeanWithPosition)
{
    auto p = write("g.toml", "[generator]\nkind = \"sdcpp-server\"\nbase_url = \"http://127.0.0.1:1\"\n"
                             "timout_s = 60\n");
    auto c = load_generator_config(p);
    ASSERT_FALSE(c);
    std::string s = c.error().to_string();
    EXPECT_EQ(s.rfind(p.string() + ":4:1: ", 0), 0u) << s;
    EXPECT_TRUE(contains(s, "unknown key `timout_s`")) << s;
    EXPECT_TRUE(contains(s, "did you mean `timeout_s`?")) << s;
    EXPECT_TRUE(contains(s, " — ")) << s;
    EXPECT_EQ(c.error().category, core::ErrorCategory::Script);

    p = write("h.toml", "[generator]\nkind = \"rest\"\n\n[generator.capabilities]\nmax_second = 5\n");
    c = load_generator_config(p);
    ASSERT_FALSE(c);
    EXPECT_TRUE(contains(c.error().to_string(), p.string() + ":5:1: ")) << c.error().to_string();
    EXPECT_TRUE(contains(c.error().to_string(), "did you mean `max_seconds`?")) << c.error().to_string();

    p = write("k.toml", "[generator]\nkind = \"comfyiu\"\n");
    c = load_generator_config(p);
    ASSERT_FALSE(c);
    EXPECT_TRUE(contains(c.error().to_string(), ":2:8: ")) << c.error().to_string();
    EXPECT_TRUE(contains(c.error().to_string(), "did you mean \"comfyui\"?")) << c.error().to_string();
}

TEST_F(GeneratorConfigFile, WrongTypesAreReportedWhereTheyAre)
{
    auto p = write("g.toml", "[generator]\nkind = \"command\"\ncommand = [\"sd-cli\"]\ntimeout_s = \"900\"\n");
    auto c = load_generator_config(p);
    ASSERT_FALSE(c);
    EXPECT_TRUE(contains(c.error().to_string(), p.string() + ":4:13: ")) << c.error().to_string();
    EXPECT_TRUE(contains(c.error().message, "`timeout_s` must be a number")) << c.error().message;

    p = write("h.toml", "[generator]\nkind = \"command\"\ncommand = \"sd-cli -p {prompt}\"\n");
    c = load_generator_config(p);
    ASSERT_FALSE(c);
    EXPECT_TRUE(contains(c.error().message, "array of strings")) << c.error().message;

    p = write("i.toml", "[generator]\nkind = \"command\"\ncommand = [\"x\"]\n[generator.capabilities]\nnative_fps = 16.5\n");
    c = load_generator_config(p);
    ASSERT_FALSE(c);
    EXPECT_TRUE(contains(c.error().message, "whole number")) << c.error().message;

    p = write("j.toml", "[generator]\nkind = \"command\"\ncommand = [\"x\"\n");
    c = load_generator_config(p);
    ASSERT_FALSE(c);
    EXPECT_TRUE(contains(c.error().to_string(), p.string() + ":")) << c.error().to_string();
    EXPECT_TRUE(contains(c.error().message, "invalid TOML")) << c.error().message;
}

TEST_F(GeneratorConfigFile, EachKindNeedsItsKeys)
{
    struct Case {
        std::string body, needs;
    };
    const std::string rest = "kind = \"rest\"\nbase_url = \"https://x\"\nsubmit_path = \"/s\"\nid_path = \"/id\"\n"
                             "status_path_template = \"/t/{id}\"\nstatus_pointer = \"/status\"\n"
                             "done_values = [\"ok\"]\nurl_pointer = \"/url\"\n";
    std::vector<Case> cases = {
        {"kind = \"command\"\n", "`command`"},
        {"kind = \"sdcpp-server\"\n", "`base_url`"},
        {"kind = \"comfyui\"\nbase_url = \"http://127.0.0.1:8188\"\n", "`workflow`"},
        {"kind = \"comfyui\"\nbase_url = \"http://127.0.0.1:8188\"\nworkflow = \"nope.json\"\n", "does not exist"},
        {"kind = \"rest\"\nbase_url = \"https://x\"\n", "`submit_path`"},
        {rest, ""},
    };
    for (const char* key : {"submit_path", "id_path", "status_path_template", "status_pointer", "done_values",
                            "url_pointer"}) {
        std::string body;
        std::istringstream lines(rest);
        for (std::string line; std::getline(lines, line);)
            if (line.rfind(std::string(key) + " =", 0) != 0)
                body += line + "\n";
        cases.push_back({body, std::string("`") + key + "`"});
    }
    int i = 0;
    for (const auto& c : cases) {
        auto p = write("case" + std::to_string(i++) + ".toml", "[generator]\n" + c.body);
        auto r = load_generator_config(p);
        SCOPED_TRACE(c.body);
        if (c.needs.empty()) {
            EXPECT_TRUE(r) << r.error().to_string();
            continue;
        }
        ASSERT_FALSE(r);
        EXPECT_TRUE(contains(r.error().message, c.needs)) << r.error().to_string();
        EXPECT_TRUE(contains(r.error().to_string(), p.string() + ":")) << r.error().to_string();
    }
}

TEST_F(GeneratorConfigFile, BadValuesAreCaught)
{
    auto p = write("a.toml", "[generator]\nkind = \"rest\"\nbase_url = \"https://x\"\nsubmit_path = \"/s\"\n"
                             "id_path = \"/id\"\nstatus_path_template = \"/t/{id}\"\nstatus_pointer = \"/status\"\n"
                             "done_values = [\"ok\"]\nurl_pointer = \"/url\"\nsubmit_body = '{\"prompt\": {prompt}}'\n");
    auto c = load_generator_config(p);
    ASSERT_FALSE(c);
    EXPECT_TRUE(contains(c.error().message, "submit_body")) << c.error().to_string();
    EXPECT_TRUE(contains(c.error().to_string(), ":10:")) << c.error().to_string();

    p = write("b.toml", "[generator]\nkind = \"sdcpp-server\"\nbase_url = \"127.0.0.1:1234\"\n");
    c = load_generator_config(p);
    ASSERT_FALSE(c);
    EXPECT_TRUE(contains(c.error().message, "http://")) << c.error().to_string();

    p = write("c.toml", "[generator]\nkind = \"sdcpp-server\"\nbase_url = \"http://h\"\napi_key_env = \"sk-abc.def\"\n");
    c = load_generator_config(p);
    ASSERT_FALSE(c);
    EXPECT_TRUE(contains(c.error().message, "NAME of an environment variable")) << c.error().to_string();

    p = write("d.toml", "[generatr]\nkind = \"command\"\n");
    c = load_generator_config(p);
    ASSERT_FALSE(c);
    EXPECT_TRUE(contains(c.error().message, "[generator]")) << c.error().to_string();
}

}  // namespace
}  // namespace sw::models
