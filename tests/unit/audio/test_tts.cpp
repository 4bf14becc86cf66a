// TTS layer: espeak-ng synthesis and timings, the command and HTTP adapters, WAV I/O, the cache.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <thread>

#include "audio/tts.h"
#include "audio/wav.h"
#include "http_stub.h"

using namespace sw::audio;
namespace fs = std::filesystem;

namespace {

constexpr int kRate = kSpeechSampleRate;

double seconds(const Speech& s) { return double(s.samples.size()) / kRate; }

double rms(const std::vector<float>& s, int64_t b, int64_t e)
{
    b = std::max<int64_t>(b, 0);
    e = std::min<int64_t>(e, int64_t(s.size()));
    double acc = 0;
    for (int64_t i = b; i < e; ++i)
        acc += double(s[size_t(i)]) * s[size_t(i)];
    return e > b ? std::sqrt(acc / double(e - b)) : 0;
}

float peak(const std::vector<float>& s, int64_t b, int64_t e)
{
    float m = 0;
    for (int64_t i = std::max<int64_t>(b, 0); i < std::min<int64_t>(e, int64_t(s.size())); ++i)
        m = std::max(m, std::fabs(s[size_t(i)]));
    return m;
}

std::vector<float> tone(int rate, double secs, double hz, float amp = 0.5f)
{
    std::vector<float> v(size_t(rate * secs));
    for (size_t i = 0; i < v.size(); ++i)
        v[i] = amp * float(std::sin(2 * M_PI * hz * double(i) / rate));
    return v;
}

void check_timings(const Speech& s, const std::string& text)
{
    int64_t n = int64_t(s.samples.size());
    for (const auto* list : {&s.sentences, &s.words}) {
        int64_t prev = 0;
        for (const auto& t : *list) {
            EXPECT_GE(t.start_sample, prev);
            EXPECT_LT(t.start_sample, t.end_sample);
            EXPECT_LE(t.end_sample, n);
            EXPECT_LT(t.text_begin, t.text_end);
            EXPECT_LE(t.text_end, text.size());
            prev = t.start_sample;
        }
    }
}

struct TempDir {
    fs::path path;
    TempDir()
    {
        std::string t = (fs::temp_directory_path() / "sw-tts-test-XXXXXX").string();
        path = ::mkdtemp(t.data());
    }
    ~TempDir() { fs::remove_all(path); }
};

}  // namespace

TEST(Espeak, ChineseHasPlausibleDurationAndLevel)
{
    EspeakEngine engine;
    const std::string text = "今天天气很好适合散步";  // 10 characters
    auto s = engine.synthesize({text, "zh"});
    ASSERT_TRUE(s) << s.error().to_string();
    EXPECT_GT(seconds(*s), 1.5);
    EXPECT_LT(seconds(*s), 6.0);
    EXPECT_GT(rms(s->samples, 0, int64_t(s->samples.size())), 0.02);
    EXPECT_TRUE(s->timings_exact);
    ASSERT_EQ(s->sentences.size(), 1u);
    EXPECT_GE(s->words.size(), 5u);
    check_timings(*s, text);
}

TEST(Espeak, EnglishWordsMapToTheirText)
{
    EspeakEngine engine;
    const std::string text = "Hello world. This is a test!";
    auto s = engine.synthesize({text, "en"});
    ASSERT_TRUE(s) << s.error().to_string();
    EXPECT_GT(seconds(*s), 1.0);
    EXPECT_LT(seconds(*s), 5.0);
    check_timings(*s, text);
    ASSERT_EQ(s->sentences.size(), 2u);
    EXPECT_EQ(text.substr(s->sentences[0].text_begin, s->sentences[0].text_end - s->sentences[0].text_begin),
              "Hello world.");
    ASSERT_GE(s->words.size(), 6u);
    EXPECT_EQ(text.substr(s->words[0].text_begin, s->words[0].text_end - s->words[0].text_begin), "Hello");
    EXPECT_EQ(text.substr(s->words[1].text_begin, s->words[1].text_end - s->words[1].text_begin), "world");
}

TEST(Espeak, SecondSentenceStartsAfterThePause)
{
    EspeakEngine engine;
    const std::string text = "第一句话。第二句话。";
    auto s = engine.synthesize({text, "zh"});
    ASSERT_TRUE(s) << s.error().to_string();
    check_timings(*s, text);
    ASSERT_EQ(s->sentences.size(), 2u);
    const auto& second = s->sentences[1];
    EXPECT_EQ(second.text_begin, text.find("第二"));
    EXPECT_GE(second.start_sample, s->sentences[0].end_sample + kRate / 10) << "a pause between sentences";
    float whole = peak(s->samples, 0, int64_t(s->samples.size()));
    int64_t w30 = kRate * 30 / 1000;
    // Near-silent just before the reported start, clearly voiced within 30 ms after it.
    EXPECT_LT(peak(s->samples, second.start_sample - w30, second.start_sample), whole * 0.05f);
    EXPECT_GT(peak(s->samples, second.start_sample, second.start_sample + w30), whole * 0.1f);
}

TEST(Espeak, UnknownVoiceSuggestsOne)
{
    EspeakEngine engine;
    auto s = engine.synthesize({"hello", "en-uss"});
    ASSERT_FALSE(s);
    EXPECT_NE(s.error().message.find("unknown voice \"en-uss\""), std::string::npos) << s.error().message;
    EXPECT_NE(s.error().message.find("did you mean \"en-us\""), std::string::npos) << s.error().message;
    EXPECT_NE(s.error().message.find("cmn"), std::string::npos);
}

TEST(Espeak, FasterRateIsShorter)
{
    EspeakEngine engine;
    const std::string text = "The quick brown fox jumps over the lazy dog.";
    auto slow = engine.synthesize({text, "en", 120});
    auto fast = engine.synthesize({text, "en", 300});
    ASSERT_TRUE(slow && fast);
    EXPECT_LT(seconds(*fast), seconds(*slow) * 0.7);
    EXPECT_NE(engine.id(), "");
}

TEST(CommandLine, SplitsWithQuotes)
{
    auto a = split_command_line(R"(piper --model "my model.onnx" 'it''s' a\ b {text})");
    ASSERT_TRUE(a);
    std::vector<std::string> want{"piper", "--model", "my model.onnx", "its", "a b", "{text}"};
    EXPECT_EQ(*a, want);
    EXPECT_FALSE(split_command_line("say \"unclosed"));
    EXPECT_FALSE(split_command_line("   "));
}

TEST(CommandEngine, RunsEspeakCli)
{
    CommandEngine engine({"espeak-ng -v {voice} -w {output} {text}"});
    const std::string text = "Hello there. How are you today?";
    auto s = engine.synthesize({text, "en"});
    ASSERT_TRUE(s) << s.error().to_string();
    EXPECT_GT(seconds(*s), 1.0);
    EXPECT_FALSE(s->timings_exact);
    ASSERT_EQ(s->sentences.size(), 2u);
    check_timings(*s, text);
    EXPECT_LT(s->sentences[0].end_sample, s->sentences[1].start_sample);
}

TEST(CommandEngine, FailureShowsStderr)
{
    CommandEngine engine({"sh -c 'echo first >&2; echo no such voice >&2; exit 3'"});
    auto s = engine.synthesize({"x", "en"});
    ASSERT_FALSE(s);
    EXPECT_NE(s.error().message.find("status 3"), std::string::npos) << s.error().message;
    EXPECT_NE(s.error().message.find("no such voice"), std::string::npos) << s.error().message;

    CommandEngine missing({"/nonexistent/tts-program {output}"});
    auto m = missing.synthesize({"x", "en"});
    ASSERT_FALSE(m);
    EXPECT_NE(m.error().message.find("could not be started"), std::string::npos) << m.error().message;

    CommandEngine no_output({"true"});
    auto n = no_output.synthesize({"x", "en"});
    ASSERT_FALSE(n);
    EXPECT_NE(n.error().message.find("{output}"), std::string::npos);
}

TEST(CommandEngine, TimesOut)
{
    CommandEngine engine({"sh -c 'sleep 30; echo never'", 1});
    auto t0 = std::chrono::steady_clock::now();
    auto s = engine.synthesize({"x", "en"});
    double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    ASSERT_FALSE(s);
    EXPECT_NE(s.error().message.find("TTS command timed out after 1 s"), std::string::npos) << s.error().message;
    EXPECT_LT(took, 3.0);
}


TEST(HttpSpeechEngine, PostsOpenAiRequestAndDecodesWav)
{
    auto voice = tone(24000, 0.5, 440);
    voice.resize(voice.size() + 24000 * 3 / 10, 0.0f);
    auto second = tone(24000, 0.4, 330);
    voice.insert(voice.end(), second.begin(), second.end());
    auto wav = encode_wav(voice, 1, 24000, WavSampleFormat::Pcm16);
    sw::test::HttpStub server;
    server.on("POST", "/v1/audio/speech",
              [&](const sw::test::StubRequest&) { return sw::test::StubResponse::bytes(std::string(wav.begin(), wav.end()), "audio/wav"); });
    HttpSpeechEngine engine({server.base_url(), "sk-test", "m1", "alloy", 10});
    const std::string text = "你好\"世界\"。Second.";
    auto s = engine.synthesize({text, "nova"});
    ASSERT_TRUE(s) << s.error().to_string();
    auto reqs = server.requests();
    ASSERT_EQ(reqs.size(), 1u);
    EXPECT_EQ(reqs[0].header("authorization"), "Bearer sk-test");
    EXPECT_EQ(reqs[0].header("content-type"), "application/json");
    EXPECT_EQ(reqs[0].body, R"({"model":"m1","input":"你好\"世界\"。Second.","voice":"nova","response_format":"wav"})");
    EXPECT_NEAR(seconds(*s), 1.2, 0.01);
    ASSERT_EQ(s->sentences.size(), 2u);
    EXPECT_NEAR(double(s->sentences[1].start_sample) / kRate, 0.8, 0.01);
}

TEST(HttpSpeechEngine, HttpErrorNamesStatusAndBody)
{
    sw::test::HttpStub server;
    server.on("POST", "/v1/audio/speech", [](const sw::test::StubRequest&) {
        return sw::test::StubResponse::json(R"({"error":{"message":"Incorrect API key provided"}})", 401);
    });
    HttpSpeechEngine engine({server.base_url() + "/v1/", "bad", "m1", "alloy", 10});
    auto s = engine.synthesize({"hi", "en"});
    ASSERT_FALSE(s);
    EXPECT_NE(s.error().message.find("HTTP 401"), std::string::npos) << s.error().message;
    EXPECT_NE(s.error().message.find("Incorrect API key"), std::string::npos);
    EXPECT_NE(s.error().message.find("SHOTWEAVE_TTS_KEY"), std::string::npos);
    EXPECT_EQ(server.requests_to("/v1/audio/speech").size(), 1u);
}

TEST(Wav, RoundTrips)
{
    TempDir dir;
    auto t = tone(kRate, 0.1, 1000, 0.7f);
    std::string p16 = (dir.path / "a16.wav").string(), pf = (dir.path / "af.wav").string();
    ASSERT_TRUE(write_wav(p16, t, 1, kRate, WavSampleFormat::Pcm16));
    ASSERT_TRUE(write_wav(pf, t, 1, kRate, WavSampleFormat::Float32));
    auto a = read_wav(p16), b = read_wav(pf);
    ASSERT_TRUE(a && b);
    ASSERT_EQ(a->size(), t.size());
    ASSERT_EQ(*b, t);
    for (size_t i = 0; i < t.size(); ++i)
        ASSERT_NEAR((*a)[i], t[i], 1.0 / 32000);

    // Stereo averages to mono.
    std::vector<float> st;
    for (int i = 0; i < 100; ++i) {
        st.push_back(0.5f);
        st.push_back(-0.1f);
    }
    auto m = decode_wav(encode_wav(st, 2, kRate), "stereo");
    ASSERT_TRUE(m);
    ASSERT_EQ(m->size(), 100u);
    EXPECT_NEAR((*m)[50], 0.2f, 1e-6);

    // 22050 Hz → 48 kHz keeps duration and pitch.
    auto low = tone(22050, 1.0, 500);
    auto r = decode_wav(encode_wav(low, 1, 22050), "22k");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->size(), size_t(kRate));
    int crossings = 0;
    for (size_t i = 1000; i + 1 < r->size() - 1000; ++i)
        crossings += ((*r)[i] < 0) != ((*r)[i + 1] < 0);
    EXPECT_NEAR(crossings, 2 * 500 * (double(r->size() - 2000) / kRate), 4);

    EXPECT_FALSE(decode_wav(std::vector<uint8_t>(10, 0), "junk"));
    EXPECT_FALSE(read_wav((dir.path / "missing.wav").string()));
}

TEST(Timing, SplitSentences)
{
    const std::string text = "第一句话。第二句！？ Third one? Pi is 3.14 here. 「引号。」尾巴";
    auto r = split_sentences(text);
    std::vector<std::string> got;
    for (auto [b, e] : r)
        got.push_back(text.substr(b, e - b));
    std::vector<std::string> want{"第一句话。", "第二句！？", "Third one?", "Pi is 3.14 here.", "「引号。」", "尾巴"};
    EXPECT_EQ(got, want);
}

TEST(Timing, EstimateAndTrim)
{
    std::vector<float> s(kRate / 5, 0.0f);  // 200 ms lead-in
    auto a = tone(kRate, 0.5, 300);
    s.insert(s.end(), a.begin(), a.end());
    s.resize(s.size() + kRate * 3 / 10, 0.0f);
    s.insert(s.end(), a.begin(), a.end());
    s.resize(s.size() + kRate / 10, 0.0f);
    Speech sp;
    sp.samples = s;
    sp.sentences = estimate_sentence_timings(s, "One. Two.");
    ASSERT_EQ(sp.sentences.size(), 2u);
    EXPECT_NEAR(double(sp.sentences[0].start_sample), kRate / 5, 300);
    EXPECT_NEAR(double(sp.sentences[1].start_sample), kRate * 1.0, 300);
    // Three sentences over two regions: proportional, still ordered and inside the audio.
    auto three = estimate_sentence_timings(s, "One. Two. Three.");
    ASSERT_EQ(three.size(), 3u);
    for (size_t k = 1; k < 3; ++k)
        EXPECT_GE(three[k].start_sample, three[k - 1].end_sample);

    trim_silence(sp, 0.001f);
    EXPECT_LT(sp.samples.size(), s.size() - kRate / 5);
    EXPECT_LE(sp.sentences[0].start_sample, 10);
    EXPECT_NEAR(double(sp.sentences[1].start_sample), kRate * 0.8, 300);
    EXPECT_LE(sp.sentences[1].end_sample, int64_t(sp.samples.size()));
}

TEST(VoiceFile, LoadsWavAndReportsMissing)
{
    TempDir dir;
    std::string p = (dir.path / "vo.wav").string();
    ASSERT_TRUE(write_wav(p, tone(44100, 0.5, 200), 1, 44100, WavSampleFormat::Pcm16));
    auto s = load_voice_file(p);
    ASSERT_TRUE(s) << s.error().to_string();
    EXPECT_EQ(s->samples.size(), size_t(kRate / 2));
    auto m = load_voice_file((dir.path / "nope.mp3").string());
    ASSERT_FALSE(m);
    EXPECT_NE(m.error().message.find("nope.mp3"), std::string::npos);
}

namespace {

class CountingEngine : public TtsEngine {
public:
    int calls = 0;
    sw::core::Result<Speech> synthesize(const SpeechRequest& r) override
    {
        ++calls;
        Speech s;
        s.samples = tone(kRate, 0.25, 200 + double(r.text.size()));
        s.sentences.push_back({10, 1000, 0, r.text.size()});
        s.words.push_back({10, 500, 0, 1});
        s.timings_exact = true;
        return s;
    }
    std::string id() const override { return "counting/1"; }
};

}  // namespace

TEST(TtsCache, HitSkipsEngineAndCorruptEntryIsRebuilt)
{
    TempDir dir;
    TtsCache cache((dir.path / "tts").string());
    CountingEngine engine;
    SpeechRequest req{"缓存测试", "zh", 0, 0};
    auto a = cache.get_or_synthesize(engine, req);
    auto b = cache.get_or_synthesize(engine, req);
    ASSERT_TRUE(a && b);
    EXPECT_EQ(engine.calls, 1);
    EXPECT_EQ(a->samples, b->samples);
    ASSERT_EQ(b->sentences.size(), 1u);
    EXPECT_EQ(b->sentences[0].end_sample, 1000);
    ASSERT_EQ(b->words.size(), 1u);
    EXPECT_TRUE(b->timings_exact);

    // A different rate is a different entry.
    req.rate_wpm = 200;
    ASSERT_TRUE(cache.get_or_synthesize(engine, req));
    EXPECT_EQ(engine.calls, 2);
    req.rate_wpm = 0;

    // Truncate the cached WAV: ignored and re-synthesised, then served from cache again.
    std::string base = (dir.path / "tts" / cache.key(engine, req)).string();
    fs::resize_file(base + ".wav", 100);
    auto c = cache.get_or_synthesize(engine, req);
    ASSERT_TRUE(c);
    EXPECT_EQ(engine.calls, 3);
    EXPECT_EQ(c->samples, a->samples);
    { std::ofstream(base + ".txt") << "shotweave-tts-cache 1\nsamples 12"; }
    ASSERT_TRUE(cache.get_or_synthesize(engine, req));
    EXPECT_EQ(engine.calls, 4);
    ASSERT_TRUE(cache.get_or_synthesize(engine, req));
    EXPECT_EQ(engine.calls, 4);
    for (auto& e : fs::directory_iterator(dir.path / "tts"))
        EXPECT_EQ(e.path().string().find(".tmp."), std::string::npos) << "no temp files left behind";
}

TEST(TtsCache, DefaultDirFollowsXdg)
{
    ::setenv("XDG_CACHE_HOME", "/tmp/xdg-test", 1);
    EXPECT_EQ(TtsCache::default_dir(), "/tmp/xdg-test/shotweave/tts");
    ::unsetenv("XDG_CACHE_HOME");
    EXPECT_NE(TtsCache::default_dir().find("shotweave"), std::string::npos);
}

TEST(Espeak, ConcurrentCallsAreSerialisedSafely)
{
    // espeak-ng is a global singleton; the engine's lock must make parallel use safe.
    EspeakEngine engine;
    auto ref = engine.synthesize({"并发测试。", "zh"});
    ASSERT_TRUE(ref);
    std::atomic<int> same{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i)
        threads.emplace_back([&] {
            EspeakEngine e;
            auto s = e.synthesize({"并发测试。", "zh"});
            // espeak carries a little state between calls (output differs by a few samples), so
            // compare shape rather than bits.
            if (s && std::abs(double(s->samples.size()) - double(ref->samples.size())) < 0.01 * double(ref->samples.size()) &&
                s->words.size() == ref->words.size())
                ++same;
        });
    for (auto& t : threads)
        t.join();
    EXPECT_EQ(same.load(), 4);
}
