// End-to-end: a script spoken by a speech-server preset (CosyVoice's API, served by a loopback
// stand-in that answers with real speech), its cache, the [tts] table's and the voice names'
// errors at file:line:col, and the `voices` and `say` commands.

#include <nlohmann/json.hpp>

#include "e2e_common.h"
#include "http_stub.h"

using namespace sw::test;

namespace {

// Real Mandarin speech as CosyVoice's server sends it: raw 16-bit mono PCM at 22050 Hz.
std::string cosyvoice_pcm(const TempDir& dir, const std::string& text)
{
    auto wav = dir / "espeak.wav";
    auto r = run({"espeak-ng", "-v", "cmn", "-w", wav.string(), text});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto raw = dir / "speech.raw";
    ffmpeg({"-i", wav.string(), "-f", "s16le", "-ac", "1", "-ar", "22050", raw.string()});
    return read_file(raw);
}

double audio_seconds(const fs::path& media)
{
    auto p = probe(media);
    return std::stod(stream(p, "audio")["duration"].get<std::string>());
}

std::vector<std::string> with_cache(const fs::path& cache, std::vector<std::string> argv)
{
    argv.insert(argv.begin(), {"env", "XDG_CACHE_HOME=" + cache.string()});
    return argv;
}

}  // namespace

TEST(Voices, CosyVoicePresetSpeaksTheScriptAndIsCached)
{
    TempDir dir("e2e_cosyvoice");
    const std::string pcm = cosyvoice_pcm(dir, "今天天气很好。");
    const double speech_s = double(pcm.size() / 2) / 22050;
    HttpStub server;
    server.on("POST", "/inference_sft", [&](const StubRequest&) { return StubResponse::bytes(pcm); });
    write_file(dir / "shotweave.toml", "[tts]\nurl = \"" + server.base_url() + "\"\nsample_rate = 22050\n");
    make_image(dir / "bg.png", "color=c=0x304050:s=320x568");
    write_file(dir / "v.md", "---\nsize: 320x568\nvoice: zh\ntts: cosyvoice\n---\n"
                             "# 一\nbg.png\n今天天气很好。\n"
                             "# 二\nbg.png\nvoice: 中文男\n今天天气很好。\n");
    const fs::path cache = dir / "cache", out = dir / "v.mp4";
    auto r = run(with_cache(cache, {cli(), "render", (dir / "v.md").string(), "-o", out.string(), "-q", "--subtitles", "srt"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;

    // One request per shot, each with its shot's speaker.
    auto reqs = server.requests_to("/inference_sft");
    ASSERT_EQ(reqs.size(), 2u);
    EXPECT_NE(reqs[0].body.find("spk_id=%E4%B8%AD%E6%96%87%E5%A5%B3"), std::string::npos) << reqs[0].body;  // 中文女
    EXPECT_NE(reqs[1].body.find("spk_id=%E4%B8%AD%E6%96%87%E7%94%B7"), std::string::npos) << reqs[1].body;  // 中文男

    // Each shot lasts its speech plus the lead-in and tail (0.2 s + 0.5 s): the PCM was read at
    // its own rate (read at 48 kHz it would be less than half as long).
    const double total = audio_seconds(out);
    EXPECT_NEAR(total, 2 * (speech_s + 0.7), 0.15) << "speech " << speech_s << " s";
    auto loud = measure_loudness(out);
    EXPECT_NEAR(loud.integrated, -14, 1.5) << loud.summary;
    const std::string srt = read_file(dir / "v.srt");
    EXPECT_NE(srt.find("今天天气很好"), std::string::npos) << srt;

    // The speech settings are an input: never an output.
    auto guard = run(with_cache(cache, {cli(), "render", (dir / "v.md").string(), "-o", (dir / "shotweave.toml").string(), "-q"}));
    EXPECT_EQ(guard.exit_code, 2);
    EXPECT_NE(guard.err.find("the speech settings"), std::string::npos) << guard.err;
    EXPECT_NE(read_file(dir / "shotweave.toml").find("[tts]"), std::string::npos);

    // A second render asks the server nothing; a new sample rate is new audio.
    auto again = run(with_cache(cache, {cli(), "render", (dir / "v.md").string(), "-o", (dir / "v2.mp4").string(), "-q"}));
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_EQ(server.requests_to("/inference_sft").size(), 2u);
    write_file(dir / "shotweave.toml", "[tts]\nurl = \"" + server.base_url() + "\"\nsample_rate = 24000\n");
    auto changed = run(with_cache(cache, {cli(), "check", (dir / "v.md").string()}));
    ASSERT_EQ(changed.exit_code, 0) << changed.err;
    EXPECT_EQ(server.requests_to("/inference_sft").size(), 4u);
}

TEST(Voices, BadSettingsAndVoiceNamesPointAtTheirPlace)
{
    TempDir dir("e2e_voice_errors");
    const fs::path cache = dir / "cache";
    make_image(dir / "bg.png", "color=c=0x304050:s=320x568");
    // A misspelt key in [tts].
    write_file(dir / "shotweave.toml", "[tts]\nurl = \"http://127.0.0.1:9\"\nsample_rat = 24000\n");
    write_file(dir / "a.md", "---\nsize: 320x568\nvoice: zh\ntts: cosyvoice\n---\n# 一\nbg.png\n你好。\n");
    auto r = run(with_cache(cache, {cli(), "check", (dir / "a.md").string()}));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("shotweave.toml:3:1"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("did you mean `sample_rate`"), std::string::npos) << r.err;

    // An espeak-ng variant that does not exist: the column is the variant's.
    fs::remove(dir / "shotweave.toml");
    write_file(dir / "b.md", "---\nsize: 320x568\nvoice: zh+f9\n---\n# 一\nbg.png\n你好。\n");
    r = run(with_cache(cache, {cli(), "check", (dir / "b.md").string()}));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("b.md:3:11"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("did you mean \"zh+f"), std::string::npos) << r.err;

    // A GPT-SoVITS voice name that is not in [tts.voices]: at the shot's `voice:` line, before any request.
    HttpStub sovits;
    write_file(dir / "shotweave.toml", "[tts]\nengine = \"gpt-sovits\"\nurl = \"" + sovits.base_url() +
                                           "\"\nref_audio = \"/r/a.wav\"\n[tts.voices.hero]\nref_audio = \"/r/h.wav\"\n");
    write_file(dir / "d.md", "---\nsize: 320x568\nvoice: zh\n---\n# 一\nbg.png\nvoice: heroo\n你好。\n");
    r = run(with_cache(cache, {cli(), "check", (dir / "d.md").string()}));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("d.md:7:8"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("did you mean \"hero\""), std::string::npos) << r.err;
    EXPECT_TRUE(sovits.requests().empty());
    fs::remove(dir / "shotweave.toml");

    // A good variant renders, per shot too.
    write_file(dir / "c.md", "---\nsize: 320x568\nvoice: zh+f3\n---\n# 一\nbg.png\n你好。\n# 二\nbg.png\nvoice: en+m3\nHello.\n");
    r = run(with_cache(cache, {cli(), "check", (dir / "c.md").string()}));
    EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST(Voices, ListAndPreviewCommands)
{
    TempDir dir("e2e_voices_cli");
    // espeak-ng with its variants, as JSON.
    auto r = run({cli(), "voices", "espeak", "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto j = nlohmann::json::parse(r.out);
    ASSERT_EQ(j.size(), 1u);
    std::map<std::string, std::string> gender;
    for (auto& v : j[0]["voices"])
        gender[v["name"]] = v["gender"];
    EXPECT_TRUE(gender.count("cmn"));
    EXPECT_EQ(gender["+f3"], "female");
    EXPECT_EQ(gender["+m3"], "male");

    // A Piper server's voices, through a [tts] table given by --config.
    HttpStub piper;
    piper.on("GET", "/voices", [](const StubRequest&) {
        return StubResponse::json(R"({"zh_CN-huayan-medium":{"language":{"code":"zh_CN"},"num_speakers":1}})");
    });
    write_file(dir / "piper.toml", "[tts]\nengine = \"piper\"\nurl = \"" + piper.base_url() + "\"\n");
    r = run({cli(), "voices", "piper", "--config", (dir / "piper.toml").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("zh_CN-huayan-medium"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("zh_CN"), std::string::npos);

    // say: a WAV at 48 kHz of about the right length; never over an existing file without --force.
    const fs::path wav = dir / "hi.wav";
    r = run({cli(), "say", "今天天气很好，我们去公园散步吧。", "--voice", "zh+f3", "-o", wav.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto p = probe(wav);
    EXPECT_EQ(stream(p, "audio")["sample_rate"], "48000");
    EXPECT_GT(audio_seconds(wav), 1.5);
    EXPECT_LT(audio_seconds(wav), 8);
    const std::string before = read_file(wav);
    r = run({cli(), "say", "另一句话。", "-o", wav.string()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("already exists"), std::string::npos) << r.err;
    EXPECT_EQ(read_file(wav), before) << "the existing file is untouched";
    r = run({cli(), "say", "另一句话。", "-o", wav.string(), "--force"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(read_file(wav), before);
    r = run({cli(), "say", "hi", "--voice", "en+Andyy", "-o", (dir / "x.wav").string()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("did you mean \"en+Andy\""), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir / "x.wav"));

    // say through GPT-SoVITS: the reference of the [tts] table goes with the text.
    HttpStub sovits;
    sovits.on("POST", "/tts", [&](const StubRequest&) {
        return StubResponse::bytes(read_file(wav), "audio/wav");
    });
    write_file(dir / "shotweave.toml", "[tts]\nengine = \"gpt-sovits\"\nurl = \"" + sovits.base_url() +
                                           "\"\nref_audio = \"/srv/ref.wav\"\nprompt_text = \"参考。\"\n");
    CommandResult said;
    {
        // `say` reads the shotweave.toml of the folder it runs in; run it there through env -C.
        said = run({"env", "-C", dir.path().string(), cli(), "say", "你好。", "-o", "sovits.wav"});
    }
    ASSERT_EQ(said.exit_code, 0) << said.err;
    ASSERT_EQ(sovits.requests_to("/tts").size(), 1u);
    auto body = nlohmann::json::parse(sovits.requests_to("/tts")[0].body);
    EXPECT_EQ(body["ref_audio_path"], "/srv/ref.wav");
    EXPECT_EQ(body["text"], "你好。");
    EXPECT_TRUE(fs::exists(dir / "sovits.wav"));
}
