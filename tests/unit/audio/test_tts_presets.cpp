// The speech-server presets (CosyVoice, GPT-SoVITS, Piper, OpenAI-compatible voice lists) against
// a loopback stand-in, the [tts] table's errors, espeak-ng's variants, and the TTS cache's key.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "audio/tts.h"
#include "audio/tts_config.h"
#include "audio/tts_presets.h"
#include "audio/wav.h"
#include "core/base64.h"
#include "http_stub.h"
#include "script/grammar.h"
#include "test_support.h"

using namespace sw::audio;
namespace fs = std::filesystem;
using sw::test::StubRequest;
using sw::test::StubResponse;

namespace {

constexpr int kRate = kSpeechSampleRate;

double seconds(const Speech& s) { return double(s.samples.size()) / kRate; }

std::vector<float> tone(int rate, double secs, double hz, float amp = 0.5f)
{
    std::vector<float> v(size_t(rate * secs));
    for (size_t i = 0; i < v.size(); ++i)
        v[i] = amp * float(std::sin(2 * M_PI * hz * double(i) / rate));
    return v;
}

// Two "sentences": a tone, 300 ms of silence, another tone.
std::vector<float> two_phrases(int rate)
{
    auto v = tone(rate, 0.5, 440);
    v.resize(v.size() + size_t(rate * 0.3), 0.0f);
    auto b = tone(rate, 0.4, 330);
    v.insert(v.end(), b.begin(), b.end());
    return v;
}

std::string pcm16(const std::vector<float>& v)
{
    std::string out;
    for (float f : v) {
        auto s = uint16_t(int16_t(std::lround(std::clamp(f, -1.0f, 1.0f) * 32767)));
        out += char(s & 0xff);
        out += char(s >> 8);
    }
    return out;
}

std::string wav_bytes(const std::vector<float>& v, int rate)
{
    auto w = encode_wav(v, 1, rate, WavSampleFormat::Pcm16);
    return std::string(w.begin(), w.end());
}

// name → value of an x-www-form-urlencoded body.
std::map<std::string, std::string> form(const std::string& body)
{
    std::map<std::string, std::string> out;
    auto decode = [](const std::string& s) {
        std::string r;
        for (size_t i = 0; i < s.size(); ++i) {
            if (s[i] == '%' && i + 2 < s.size()) {
                r += char(std::stoi(s.substr(i + 1, 2), nullptr, 16));
                i += 2;
            } else
                r += s[i] == '+' ? ' ' : s[i];
        }
        return r;
    };
    std::string item;
    std::istringstream in(body);
    while (std::getline(in, item, '&')) {
        auto eq = item.find('=');
        out[decode(item.substr(0, eq))] = eq == std::string::npos ? "" : decode(item.substr(eq + 1));
    }
    return out;
}

// Median pitch (Hz) of the voiced 40 ms frames, by autocorrelation: tells a female variant from a male one.
double median_f0(const std::vector<float>& x)
{
    const int n = kRate / 25;
    std::vector<double> f0;
    for (size_t at = 0; at + n <= x.size(); at += n) {
        double e = 0;
        for (int i = 0; i < n; ++i)
            e += double(x[at + i]) * x[at + i];
        if (std::sqrt(e / n) < 0.02)
            continue;
        int best = 0;
        double best_ac = 0;
        for (int lag = kRate / 400; lag <= kRate / 60; ++lag) {
            double ac = 0;
            for (int i = 0; i + lag < n; ++i)
                ac += double(x[at + i]) * x[at + i + lag];
            if (ac > best_ac)
                best_ac = ac, best = lag;
        }
        if (best && best_ac > 0.3 * e)
            f0.push_back(double(kRate) / best);
    }
    if (f0.empty())
        return 0;
    std::nth_element(f0.begin(), f0.begin() + f0.size() / 2, f0.end());
    return f0[f0.size() / 2];
}

TtsConfig config_of(const std::string& toml, const fs::path& file = "/tmp/shotweave.toml")
{
    auto c = parse_tts_config(toml, file);
    EXPECT_TRUE(c) << (c ? "" : c.error().to_string());
    return c ? *c : TtsConfig{};
}

std::string make_error(const std::string& engine, const std::string& toml, const fs::path& file = "/tmp/x/shotweave.toml")
{
    auto c = parse_tts_config(toml, file);
    if (!c)
        return c.error().to_string();
    auto e = make_tts_engine(engine, *c);
    return e ? std::string() : e.error().to_string();
}

}  // namespace

// ---- CosyVoice ----------------------------------------------------------------------------------

TEST(CosyVoice, SftPostsFormAndDecodesPcmAtTheModelsRate)
{
    sw::test::HttpStub server;
    const auto audio = two_phrases(22050);
    server.on("POST", "/inference_sft", [&](const StubRequest&) { return StubResponse::bytes(pcm16(audio)); });
    auto made = make_tts_engine("cosyvoice", config_of("[tts]\nurl = \"" + server.base_url() + "\"\n"));
    ASSERT_TRUE(made) << made.error().to_string();
    const std::string text = "你好，世界。第二句话！";
    auto s = (*made)->synthesize({text, "zh"});
    ASSERT_TRUE(s) << s.error().to_string();
    auto reqs = server.requests();
    ASSERT_EQ(reqs.size(), 1u);
    EXPECT_EQ(reqs[0].header("content-type"), "application/x-www-form-urlencoded");
    auto f = form(reqs[0].body);
    EXPECT_EQ(f["tts_text"], text);
    EXPECT_EQ(f["spk_id"], "中文女");  // "zh" → the default SFT speaker
    EXPECT_NEAR(seconds(*s), 1.2, 0.01);  // 22050 Hz PCM read as such: the length is right
    ASSERT_EQ(s->sentences.size(), 2u);
    EXPECT_NEAR(double(s->sentences[1].start_sample) / kRate, 0.8, 0.02);
    EXPECT_FALSE(s->timings_exact);

    // The same PCM said to be 24000 Hz (CosyVoice2) is shorter: the rate is a setting, not a guess.
    auto v2 = make_tts_engine("cosyvoice", config_of("[tts]\nurl = \"" + server.base_url() + "\"\nsample_rate = 24000\nvoice = \"中文男\"\n"));
    ASSERT_TRUE(v2);
    auto s2 = (*v2)->synthesize({text, "zh"});
    ASSERT_TRUE(s2);
    EXPECT_NEAR(seconds(*s2), 1.2 * 22050 / 24000, 0.01);
    EXPECT_EQ(form(server.requests().back().body)["spk_id"], "中文男");
    EXPECT_FALSE((*v2)->supports_rate());
}

TEST(CosyVoice, ZeroShotVoiceUploadsItsPromptRecording)
{
    sw::test::TempDir dir("cosy-zero-shot");
    fs::create_directories(dir / "voices");
    sw::test::write_file(dir / "voices/me.wav", wav_bytes(tone(16000, 0.3, 200), 16000));
    sw::test::HttpStub server;
    server.on("POST", "/inference_zero_shot", [&](const StubRequest&) { return StubResponse::bytes(pcm16(two_phrases(22050))); });
    const fs::path toml = dir / "shotweave.toml";
    auto cfg = config_of("[tts]\nurl = \"" + server.base_url() +
                             "\"\n[tts.voices.me]\nprompt_wav = \"voices/me.wav\"\nprompt_text = \"希望你以后能够做的比我还好呦。\"\n",
                         toml);
    auto made = make_tts_engine("cosyvoice", cfg);
    ASSERT_TRUE(made) << made.error().to_string();
    auto s = (*made)->synthesize({"克隆的声音。", "me"});
    ASSERT_TRUE(s) << s.error().to_string();
    auto reqs = server.requests_to("/inference_zero_shot");
    ASSERT_EQ(reqs.size(), 1u);
    EXPECT_EQ(reqs[0].header("content-type").rfind("multipart/form-data", 0), 0u);
    const std::string& body = reqs[0].body;
    EXPECT_NE(body.find("name=\"tts_text\"\r\n\r\n克隆的声音。"), std::string::npos);
    EXPECT_NE(body.find("name=\"prompt_text\"\r\n\r\n希望你以后能够做的比我还好呦。"), std::string::npos);
    EXPECT_NE(body.find("name=\"prompt_wav\"; filename=\"me.wav\""), std::string::npos);
    EXPECT_NE(body.find(sw::test::read_file(dir / "voices/me.wav")), std::string::npos) << "the recording itself is sent";

    // A typo of the voice's name is not sent to the server as a speaker.
    auto typo = (*made)->synthesize({"克隆的声音。", "mee"});
    ASSERT_FALSE(typo);
    EXPECT_NE(typo.error().message.find("did you mean \"me\""), std::string::npos) << typo.error().message;
}

TEST(CosyVoice, ServerErrorsAreWordedAndOddPcmIsRefused)
{
    sw::test::HttpStub server;
    server.on("POST", "/inference_sft", [](const StubRequest& r) {
        if (form(r.body)["spk_id"] == "nobody")
            return StubResponse::json(R"({"detail":"speaker nobody not found"})", 500);
        return StubResponse::bytes("abc");  // 3 bytes: not 16-bit PCM
    });
    auto made = make_tts_engine("cosyvoice", config_of("[tts]\nurl = \"" + server.base_url() + "/\"\n"));
    ASSERT_TRUE(made);
    auto bad = (*made)->synthesize({"你好。", "nobody"});
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().message.find("HTTP 500"), std::string::npos) << bad.error().message;
    EXPECT_NE(bad.error().message.find("speaker nobody not found"), std::string::npos) << bad.error().message;
    auto odd = (*made)->synthesize({"你好。", "zh"});
    ASSERT_FALSE(odd);
    EXPECT_NE(odd.error().message.find("not 16-bit PCM"), std::string::npos) << odd.error().message;

    // Nothing listening: the message says which server and where its address is set.
    auto gone = make_tts_engine("cosyvoice", config_of("[tts]\nurl = \"http://127.0.0.1:9\"\ntimeout_s = 5\n"));
    ASSERT_TRUE(gone);
    auto none = (*gone)->synthesize({"你好。", "zh"});
    ASSERT_FALSE(none);
    EXPECT_NE(none.error().message.find("cannot reach CosyVoice"), std::string::npos) << none.error().message;
    EXPECT_NE(none.error().message.find("[tts]"), std::string::npos);
}

// ---- GPT-SoVITS ---------------------------------------------------------------------------------

TEST(GptSovits, PostsApiV2JsonWithTheReferenceOfTheVoice)
{
    sw::test::HttpStub server;
    server.on("POST", "/tts", [&](const StubRequest& r) {
        auto j = nlohmann::json::parse(r.body);
        if (j.value("ref_audio_path", "").empty())
            return StubResponse::json(R"({"message":"ref_audio_path is required"})", 400);
        return StubResponse::bytes(wav_bytes(two_phrases(32000), 32000), "audio/wav");
    });
    auto cfg = config_of("[tts]\nurl = \"" + server.base_url() +
                         "\"\nref_audio = \"/srv/ref/narrator.wav\"\nprompt_text = \"参考音频的文字。\"\nprompt_lang = \"zh\"\n"
                         "seed = 7\n[tts.voices.hero]\nref_audio = \"/srv/ref/hero.wav\"\nprompt_text = \"I am the hero.\"\n"
                         "prompt_lang = \"en\"\ntext_lang = \"en\"\n");
    auto made = make_tts_engine("gpt-sovits", cfg);
    ASSERT_TRUE(made) << made.error().to_string();
    auto s = (*made)->synthesize({"第一句。第二句。", "zh", 210, 0});
    ASSERT_TRUE(s) << s.error().to_string();
    EXPECT_NEAR(seconds(*s), 1.2, 0.01);
    auto j = nlohmann::json::parse(server.requests().back().body);
    EXPECT_EQ(j["text"], "第一句。第二句。");
    EXPECT_EQ(j["text_lang"], "zh");
    EXPECT_EQ(j["ref_audio_path"], "/srv/ref/narrator.wav");
    EXPECT_EQ(j["prompt_text"], "参考音频的文字。");
    EXPECT_EQ(j["prompt_lang"], "zh");
    EXPECT_EQ(j["media_type"], "wav");
    EXPECT_EQ(j["seed"], 7);
    EXPECT_NEAR(j["speed_factor"].get<double>(), 1.2, 1e-9);  // rate=210 against ~175 wpm

    ASSERT_TRUE((*made)->synthesize({"Hello there.", "hero"}));
    j = nlohmann::json::parse(server.requests().back().body);
    EXPECT_EQ(j["ref_audio_path"], "/srv/ref/hero.wav");
    EXPECT_EQ(j["text_lang"], "en");
    EXPECT_FALSE(j.contains("speed_factor"));

    EXPECT_TRUE((*made)->check_voice("hero"));
    EXPECT_TRUE((*made)->check_voice("zh"));
    EXPECT_FALSE((*made)->check_voice("heroo"));
    const size_t before = server.requests().size();
    auto unknown = (*made)->synthesize({"Hello.", "heroo"});
    EXPECT_EQ(server.requests().size(), before) << "no request for a voice that does not exist";
    ASSERT_FALSE(unknown);
    EXPECT_NE(unknown.error().message.find("did you mean \"hero\""), std::string::npos) << unknown.error().message;

    // The server's own 400 message reaches the user.
    sw::test::HttpStub strict;
    strict.on("POST", "/tts", [](const StubRequest&) {
        return StubResponse::json(R"({"message":"text_lang: xx is not supported in version v2"})", 400);
    });
    auto cfg2 = config_of("[tts]\nurl = \"" + strict.base_url() + "\"\nref_audio = \"a.wav\"\ntext_lang = \"xx\"\n");
    auto e2 = make_tts_engine("gpt-sovits", cfg2);
    ASSERT_TRUE(e2);
    auto refused = (*e2)->synthesize({"你好。", "zh"});
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message.find("GPT-SoVITS answered HTTP 400"), std::string::npos) << refused.error().message;
    EXPECT_NE(refused.error().message.find("text_lang: xx is not supported"), std::string::npos);

    auto listed = (*made)->voices();
    ASSERT_TRUE(listed);
    ASSERT_EQ(listed->size(), 2u);
    EXPECT_EQ((*listed)[1].name, "hero");
}

// ---- Piper --------------------------------------------------------------------------------------

TEST(Piper, PostsJsonFallsBackToSynthesizeAndListsVoices)
{
    sw::test::HttpStub server;
    // A newer piper.http_server: "/" is its web page (GET only), speech at /synthesize.
    server.on("POST", "/", [](const StubRequest&) { return StubResponse::json(R"({"error":"method not allowed"})", 405); });
    server.on("POST", "/synthesize", [&](const StubRequest&) {
        return StubResponse::bytes(wav_bytes(two_phrases(22050), 22050), "audio/wav");
    });
    server.on("GET", "/voices", [](const StubRequest&) {
        return StubResponse::json(R"({"en_US-lessac-medium":{"language":{"code":"en_US"},"num_speakers":1,"audio":{"sample_rate":22050}},
                                      "zh_CN-huayan-medium":{"espeak":{"voice":"cmn"},"num_speakers":1},
                                      "en_US-libritts-high":{"language":{"code":"en_US"},"num_speakers":904}})");
    });
    auto made = make_tts_engine("piper", config_of("[tts]\nurl = \"" + server.base_url() + "\"\nvoice = \"zh_CN-huayan-medium\"\n"));
    ASSERT_TRUE(made) << made.error().to_string();
    auto s = (*made)->synthesize({"你好。再见。", "zh", 350, 0});
    ASSERT_TRUE(s) << s.error().to_string();
    EXPECT_NEAR(seconds(*s), 1.2, 0.01);
    auto j = nlohmann::json::parse(server.requests_to("/synthesize").back().body);
    EXPECT_EQ(j["text"], "你好。再见。");
    EXPECT_EQ(j["voice"], "zh_CN-huayan-medium");
    EXPECT_NEAR(j["length_scale"].get<double>(), 0.5, 1e-9);  // twice the usual rate: half the phoneme length

    ASSERT_TRUE((*made)->synthesize({"Hi.", "en_US-libritts-high:p225"}));
    j = nlohmann::json::parse(server.requests_to("/synthesize").back().body);
    EXPECT_EQ(j["voice"], "en_US-libritts-high");
    EXPECT_EQ(j["speaker"], "p225");

    auto voices = (*made)->voices();
    ASSERT_TRUE(voices) << voices.error().to_string();
    ASSERT_EQ(voices->size(), 3u);
    std::map<std::string, VoiceInfo> by;
    for (auto& v : *voices)
        by[v.name] = v;
    EXPECT_EQ(by["en_US-lessac-medium"].language, "en_US");
    EXPECT_EQ(by["zh_CN-huayan-medium"].language, "cmn");
    EXPECT_NE(by["en_US-libritts-high"].note.find("904 speakers"), std::string::npos);
}

// ---- OpenAI-compatible voice lists ----------------------------------------------------------------

TEST(OpenAiVoices, ReadsEachShapeOfVoiceList)
{
    sw::test::HttpStub kokoro;  // Kokoro-FastAPI: {"voices": ["af_bella", …]}
    kokoro.on("GET", "/v1/audio/voices", [](const StubRequest&) {
        return StubResponse::json(R"({"voices":["zf_xiaoxiao","af_bella"]})");
    });
    HttpSpeechEngine k({kokoro.base_url(), "", "kokoro", "af_bella", 10});
    auto kv = k.voices();
    ASSERT_TRUE(kv) << kv.error().to_string();
    ASSERT_EQ(kv->size(), 2u);
    EXPECT_EQ((*kv)[0].name, "af_bella");

    sw::test::HttpStub edge;  // openai-edge-tts: GET /v1/voices/all, objects with name, gender, language
    edge.on("GET", "/v1/voices", [](const StubRequest&) {
        return StubResponse::json(R"({"voices":[{"name":"en-US-AvaNeural","gender":"Female","language":"en-US"}]})");
    });
    edge.on("GET", "/v1/voices/all", [](const StubRequest& r) {
        EXPECT_EQ(r.header("authorization"), "Bearer k1");
        return StubResponse::json(R"({"voices":[{"name":"zh-CN-XiaoxiaoNeural","gender":"Female","language":"zh-CN"}]})");
    });
    HttpSpeechEngine e({edge.base_url() + "/v1", "k1", "tts-1", "alloy", 10});
    auto ev = e.voices();
    ASSERT_TRUE(ev) << ev.error().to_string();
    ASSERT_EQ(ev->size(), 1u);
    EXPECT_EQ((*ev)[0].name, "zh-CN-XiaoxiaoNeural");
    EXPECT_EQ((*ev)[0].gender, "female");
    EXPECT_EQ((*ev)[0].language, "zh-CN");
    EXPECT_EQ(edge.requests_to("/v1/audio/voices").size(), 1u);  // tried first
    ASSERT_EQ(edge.requests_to("/v1/voices").size(), 1u);
    EXPECT_EQ(edge.requests_to("/v1/voices")[0].path, "/v1/voices/all") << "every language, not only the default one";

    sw::test::HttpStub bare;  // a server with no listing: a clear message, not a crash
    HttpSpeechEngine b({bare.base_url(), "", "tts-1", "alloy", 10});
    auto bv = b.voices();
    ASSERT_FALSE(bv);
    EXPECT_NE(bv.error().message.find("does not list its voices"), std::string::npos) << bv.error().message;
}

TEST(OpenAiVoices, KokoroCaptionedSpeechGivesTheEnginesWordTimings)
{
    sw::test::HttpStub kokoro;
    const std::string wav = wav_bytes(two_phrases(24000), 24000);
    kokoro.on("POST", "/dev/captioned_speech", [&](const StubRequest&) {
        nlohmann::json j{{"audio", sw::core::base64_encode(wav)},
                         {"audio_format", "wav"},
                         {"timestamps",
                          {{{"word", "Hello"}, {"start_time", 0.02}, {"end_time", 0.24}},
                           {{"word", "there"}, {"start_time", 0.26}, {"end_time", 0.48}},
                           {{"word", "."}, {"start_time", 0.48}, {"end_time", 0.5}},
                           {{"word", "Second"}, {"start_time", 0.82}, {"end_time", 1.0}},
                           {{"word", "one"}, {"start_time", 1.0}, {"end_time", 1.18}}}}};
        return StubResponse::json(j.dump());
    });
    auto made = make_tts_engine("openai", config_of("[tts]\nurl = \"" + kokoro.base_url() +
                                                    "/v1\"\nmodel = \"kokoro\"\nvoice = \"af_bella\"\nword_timings = true\n"));
    ASSERT_TRUE(made) << made.error().to_string();
    const std::string text = "Hello there. Second one.";
    auto s = (*made)->synthesize({text, "en"});
    ASSERT_TRUE(s) << s.error().to_string();
    EXPECT_TRUE(s->timings_exact);
    EXPECT_NEAR(seconds(*s), 1.2, 0.01);
    ASSERT_EQ(s->words.size(), 5u);
    EXPECT_EQ(text.substr(s->words[3].text_begin, s->words[3].text_end - s->words[3].text_begin), "Second");
    ASSERT_EQ(s->sentences.size(), 2u);
    EXPECT_NEAR(double(s->sentences[1].start_sample) / kRate, 0.82, 0.03);
    auto j = nlohmann::json::parse(kokoro.requests_to("/dev/captioned_speech")[0].body);
    EXPECT_EQ(j["return_timestamps"], true);
    EXPECT_EQ(j["stream"], false);
    EXPECT_EQ(j["response_format"], "wav");
    EXPECT_EQ(j["voice"], "af_bella");

    // A server without the route: the plain endpoint, timings from pauses.
    sw::test::HttpStub plain;
    plain.on("POST", "/v1/audio/speech", [&](const StubRequest&) { return StubResponse::bytes(wav, "audio/wav"); });
    auto fallback = make_tts_engine("openai", config_of("[tts]\nurl = \"" + plain.base_url() + "\"\nword_timings = true\n"));
    ASSERT_TRUE(fallback);
    auto f = (*fallback)->synthesize({text, "en"});
    ASSERT_TRUE(f) << f.error().to_string();
    EXPECT_FALSE(f->timings_exact);
    EXPECT_EQ(plain.requests_to("/dev/captioned_speech").size(), 1u);
    EXPECT_EQ(plain.requests_to("/v1/audio/speech").size(), 1u);
}

// ---- the [tts] table ----------------------------------------------------------------------------

TEST(TtsConfig, ErrorsNameTheKeyAtItsLine)
{
    // Unknown key, with a suggestion, at line 3 column 1.
    std::string e = make_error("cosyvoice", "[tts]\nurl = \"http://127.0.0.1:50000\"\nsample_rat = 24000\n");
    EXPECT_NE(e.find("shotweave.toml:3:1"), std::string::npos) << e;
    EXPECT_NE(e.find("did you mean `sample_rate`"), std::string::npos) << e;
    // Wrong type.
    e = make_error("cosyvoice", "[tts]\nsample_rate = \"24000\"\n");
    EXPECT_NE(e.find(":2:15"), std::string::npos) << e;
    EXPECT_NE(e.find("whole number"), std::string::npos) << e;
    // A key of another engine.
    e = make_error("piper", "[tts]\nref_audio = \"a.wav\"\n");
    EXPECT_NE(e.find(":2:"), std::string::npos) << e;
    EXPECT_NE(e.find("not a setting of the piper engine"), std::string::npos) << e;
    EXPECT_NE(e.find("gpt-sovits"), std::string::npos) << e;
    // Out of range.
    e = make_error("cosyvoice", "[tts]\nsample_rate = 441\n");
    EXPECT_NE(e.find("22050 for CosyVoice-300M"), std::string::npos) << e;
    // Unknown engine name.
    e = make_error("cosyvoice", "[tts]\nengine = \"cosyvioce\"\n");
    EXPECT_NE(e.find("did you mean \"cosyvoice\""), std::string::npos) << e;
    // The script and the table disagree.
    e = make_error("piper", "[tts]\nengine = \"cosyvoice\"\n");
    EXPECT_NE(e.find("make them agree"), std::string::npos) << e;
    // A zero-shot voice without its recording, and with a missing one.
    e = make_error("cosyvoice", "[tts]\n[tts.voices.me]\nprompt_text = \"x\"\n");
    EXPECT_NE(e.find("has no prompt_wav"), std::string::npos) << e;
    e = make_error("cosyvoice", "[tts]\n[tts.voices.me]\nprompt_wav = \"nope.wav\"\nprompt_text = \"x\"\n");
    EXPECT_NE(e.find(":3:14"), std::string::npos) << e;
    EXPECT_NE(e.find("does not exist"), std::string::npos) << e;
    // GPT-SoVITS without any reference.
    e = make_error("gpt-sovits", "[tts]\nurl = \"http://127.0.0.1:9880\"\n");
    EXPECT_NE(e.find("needs a reference recording"), std::string::npos) << e;
    // Not a URL.
    e = make_error("piper", "[tts]\nurl = \"127.0.0.1:5000\"\n");
    EXPECT_NE(e.find("must start with http://"), std::string::npos) << e;
    // An API key variable that is not set.
    e = make_error("openai", "[tts]\nurl = \"http://127.0.0.1:8880\"\napi_key_env = \"SW_TEST_SURELY_UNSET_KEY\"\n");
    EXPECT_NE(e.find("SW_TEST_SURELY_UNSET_KEY is not set"), std::string::npos) << e;
    // Broken TOML.
    e = make_error("piper", "[tts]\nurl = \"http://x\n");
    EXPECT_NE(e.find("invalid TOML"), std::string::npos) << e;

    // A file with only a [generator] table has no [tts]: every default.
    auto none = parse_tts_config("[generator]\nkind = \"command\"\n", "/tmp/shotweave.toml");
    ASSERT_TRUE(none);
    EXPECT_FALSE(none->present);
}

TEST(TtsConfig, EngineNamesAreTheGrammarsChoices)
{
    std::vector<std::string> grammar;
    for (auto n : sw::script::grammar::kTtsEngines)
        grammar.emplace_back(n);
    auto audio = tts_engine_names();
    std::sort(grammar.begin(), grammar.end());
    std::sort(audio.begin(), audio.end());
    EXPECT_EQ(grammar, audio);
}

// ---- espeak-ng variants -------------------------------------------------------------------------

TEST(EspeakVariants, AreListedWithGenderAndValidated)
{
    auto variants = EspeakEngine::available_variants();
    ASSERT_TRUE(variants) << variants.error().to_string();
    std::map<std::string, std::string> gender;
    for (auto& v : *variants)
        gender[v.name] = v.gender;
    EXPECT_EQ(gender["f3"], "female");
    EXPECT_EQ(gender["m3"], "male");
    EXPECT_TRUE(gender.count("Andy"));

    EXPECT_FALSE(check_espeak_voice("zh+f3"));
    EXPECT_FALSE(check_espeak_voice("en+m2"));
    EXPECT_FALSE(check_espeak_voice("cmn"));
    auto bad = check_espeak_voice("zh+f9");
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->offset, 3u);
    EXPECT_NE(bad->fix.find("zh+f"), std::string::npos) << bad->fix;
    auto base = check_espeak_voice("zhh+f3");
    ASSERT_TRUE(base);
    EXPECT_EQ(base->offset, 0u);
    EXPECT_NE(base->message.find("\"zhh\""), std::string::npos) << base->message;
}

TEST(EspeakVariants, FemaleVariantSpeaksHigher)
{
    EspeakEngine engine;
    const std::string text = "今天天气很好，我们去公园散步吧。";
    auto male = engine.synthesize({text, "zh"});
    auto female = engine.synthesize({text, "zh+f3"});
    ASSERT_TRUE(male && female) << (male ? female.error().to_string() : male.error().to_string());
    const double m = median_f0(male->samples), f = median_f0(female->samples);
    std::printf("median F0: zh %.0f Hz, zh+f3 %.0f Hz\n", m, f);
    EXPECT_GT(m, 70);
    EXPECT_GT(f, 1.4 * m) << "zh+f3 median " << f << " Hz against zh " << m << " Hz";
    EXPECT_FALSE(female->sentences.empty());
    EXPECT_TRUE(female->timings_exact);
}

// ---- the cache key covers everything that changes the audio ------------------------------------

TEST(TtsCacheKey, ChangesWithEngineVoiceAndEverySetting)
{
    sw::test::TempDir dir("tts-key");
    sw::test::write_file(dir / "a.wav", wav_bytes(tone(16000, 0.2, 200), 16000));
    TtsCache cache((dir / "cache").string());
    auto key_of = [&](const std::string& engine, const std::string& toml, SpeechRequest req = {"你好。", "zh", 0, 0}) {
        auto cfg = parse_tts_config(toml, dir / "shotweave.toml");
        EXPECT_TRUE(cfg) << cfg.error().to_string();
        auto e = make_tts_engine(engine, *cfg);
        EXPECT_TRUE(e) << e.error().to_string();
        return cache.key(**e, req);
    };
    const std::string cosy = "[tts]\nurl = \"http://127.0.0.1:50000\"\n";
    const std::string zs = cosy + "[tts.voices.me]\nprompt_wav = \"a.wav\"\nprompt_text = \"一二三\"\n";
    const std::string sovits = "[tts]\nref_audio = \"/r/a.wav\"\nprompt_text = \"一\"\n";
    std::set<std::string> keys;
    auto add = [&](const std::string& k) { EXPECT_TRUE(keys.insert(k).second) << "a key repeats: " << k; };
    add(key_of("espeak", ""));
    add(key_of("espeak", "", {"你好。", "zh+f3", 0, 0}));
    add(key_of("espeak", "", {"你好。", "zh", 190, 0}));
    add(key_of("espeak", "", {"你好。", "zh", 0, 40}));
    add(key_of("espeak", "", {"你好!", "zh", 0, 0}));
    add(key_of("cosyvoice", cosy));
    add(key_of("cosyvoice", "[tts]\nurl = \"http://127.0.0.1:50001\"\n"));
    add(key_of("cosyvoice", cosy + "sample_rate = 24000\n"));
    add(key_of("cosyvoice", cosy + "voice = \"中文男\"\n"));
    add(key_of("cosyvoice", cosy + "instruct_text = \"慢慢说\"\n"));
    add(key_of("cosyvoice", zs));
    add(key_of("cosyvoice", cosy + "[tts.voices.me]\nprompt_wav = \"a.wav\"\nprompt_text = \"一二四\"\n"));
    add(key_of("gpt-sovits", sovits));
    add(key_of("gpt-sovits", sovits + "seed = 3\n"));
    add(key_of("gpt-sovits", sovits + "prompt_lang = \"en\"\n"));
    add(key_of("gpt-sovits", "[tts]\nref_audio = \"/r/b.wav\"\nprompt_text = \"一\"\n"));
    add(key_of("piper", ""));
    add(key_of("piper", "[tts]\nvoice = \"en_US-lessac-medium\"\n"));
    add(key_of("openai", "[tts]\nurl = \"http://127.0.0.1:8880\"\n"));
    add(key_of("openai", "[tts]\nurl = \"http://127.0.0.1:8880\"\nmodel = \"kokoro\"\n"));
    add(key_of("openai", "[tts]\nurl = \"http://127.0.0.1:8880\"\nvoice = \"af_bella\"\n"));
    add(key_of("openai", "[tts]\nurl = \"http://127.0.0.1:8880\"\nword_timings = true\n"));

    // Same settings, same key; a new recording at the same path is a new voice.
    EXPECT_EQ(key_of("cosyvoice", zs), key_of("cosyvoice", zs));
    const std::string before = key_of("cosyvoice", zs);
    sw::test::write_file(dir / "a.wav", wav_bytes(tone(16000, 0.2, 300), 16000));
    EXPECT_NE(key_of("cosyvoice", zs), before);
}
