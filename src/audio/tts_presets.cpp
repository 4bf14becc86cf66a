// The preset speech-server clients: CosyVoice (FastAPI), GPT-SoVITS (api_v2) and Piper (HTTP).

#include "audio/tts_presets.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "audio/tts_http_call.h"
#include "audio/tts_timing.h"
#include "core/sha256.h"
#include "core/text_util.h"

namespace sw::audio {

namespace {

const char* kUrlSetting = "`url` in the [tts] table of shotweave.toml";

// Speech from a WAV answer, timings estimated from its pauses.
core::Result<Speech> speech_from_wav(const std::string& body, const std::string& text, const std::string& what)
{
    auto bytes = std::span(reinterpret_cast<const uint8_t*>(body.data()), body.size());
    Speech speech;
    speech.samples = SW_TRY(decode_wav(bytes, what));
    speech.sentences = estimate_sentence_timings(speech.samples, text);
    speech.timings_exact = false;
    return speech;
}

// A local recording's content, for cache keys: a new recording at the same path changes the voice.
std::string file_digest(const std::filesystem::path& p)
{
    if (p.empty())
        return {};
    auto d = core::sha256_file(p);
    return d ? *d : "unreadable:" + p.string();
}

std::string names_of(const std::map<std::string, ReferenceVoice>& voices)
{
    std::vector<std::string> names;
    for (const auto& [name, v] : voices)
        names.push_back(name);
    return core::join(names, ", ");
}

core::Error unknown_voice(const std::string& engine, const std::string& voice,
                          const std::map<std::string, ReferenceVoice>& voices, const std::string& extra)
{
    std::vector<std::string> names;
    for (const auto& [name, v] : voices)
        names.push_back(name);
    std::string dym = core::did_you_mean(voice, names);
    std::string msg = "unknown " + engine + " voice \"" + voice + "\"";
    if (!dym.empty())
        msg += " — did you mean \"" + dym + "\"?";
    else
        msg += " — " + (names.empty() ? std::string("add it as [tts.voices.") + voice + "] in shotweave.toml"
                                      : "the voices of [tts.voices] are " + names_of(voices)) + extra;
    return core::Error{core::ErrorCategory::Script, msg, {}, {}};
}

}  // namespace

core::Result<std::vector<float>> decode_pcm16(std::string_view bytes, int rate, const std::string& what)
{
    if (bytes.size() % 2)
        return core::make_error(core::ErrorCategory::Media,
                                what + " is not 16-bit PCM (an odd number of bytes, " + std::to_string(bytes.size()) + ")");
    if (bytes.empty())
        return core::make_error(core::ErrorCategory::Media, what + " holds no audio");
    if (rate < 8000 || rate > 192000)
        return core::make_error(core::ErrorCategory::Script,
                                "sample_rate " + std::to_string(rate) + " is not a speech rate — use the model's (22050 or 24000)");
    std::vector<float> raw(bytes.size() / 2);
    for (size_t i = 0; i < raw.size(); ++i) {
        const auto lo = uint8_t(bytes[2 * i]), hi = uint8_t(bytes[2 * i + 1]);
        raw[i] = float(int16_t(uint16_t(lo | hi << 8))) / 32768.0f;
    }
    return resample_mono(raw, rate, kSpeechSampleRate);
}

// ---- CosyVoice ----------------------------------------------------------------------------------

const std::vector<VoiceInfo>& CosyVoiceEngine::sft_speakers()
{
    static const std::vector<VoiceInfo> v = {
        {"中文女", "zh", "female", "Mandarin"},   {"中文男", "zh", "male", "Mandarin"},
        {"英文女", "en", "female", "English"},    {"英文男", "en", "male", "English"},
        {"日语男", "ja", "male", "Japanese"},     {"粤语女", "yue", "female", "Cantonese"},
        {"韩语女", "ko", "female", "Korean"},
    };
    return v;
}

CosyVoiceEngine::CosyVoiceEngine(CosyVoiceOptions options) : m_options(std::move(options)) {}

std::string CosyVoiceEngine::id() const
{
    std::string id = "cosyvoice/" + m_options.base_url + "/" + std::to_string(m_options.sample_rate) + "/" +
                     m_options.default_speaker + "/" + m_options.english_speaker + "/" + m_options.instruct_text;
    for (const auto& [name, v] : m_options.voices)
        id += "|" + name + ":" + v.mode + ":" + v.prompt_text + ":" + v.instruct_text + ":" + file_digest(v.prompt_wav);
    return id;
}

core::Result<std::vector<VoiceInfo>> CosyVoiceEngine::voices()
{
    std::vector<VoiceInfo> out;
    for (const auto& [name, v] : m_options.voices)
        out.push_back({name, "", "", (v.mode.empty() ? "zero-shot" : v.mode) + " from " + v.prompt_wav.string()});
    for (VoiceInfo s : sft_speakers()) {
        s.note += " (speaker of the SFT model)";
        out.push_back(s);
    }
    return out;
}

core::Status CosyVoiceEngine::check_voice(const std::string& voice) const
{
    // A speaker the server may have (its spk2info can hold more than the SFT model's seven) is
    // the server's to judge; a near miss of a prompt voice's name is a typo.
    if (voice.empty() || m_options.voices.count(voice) ||
        std::any_of(sft_speakers().begin(), sft_speakers().end(), [&](const VoiceInfo& s) { return s.name == voice; }))
        return {};
    std::vector<std::string> names;
    for (const auto& [name, v] : m_options.voices)
        names.push_back(name);
    if (core::did_you_mean(voice, names).empty())
        return {};
    return tl::unexpected(unknown_voice("CosyVoice", voice, m_options.voices, ""));
}

core::Result<Speech> CosyVoiceEngine::synthesize(const SpeechRequest& req)
{
    const SpeechServer server{"CosyVoice", kUrlSetting, "", m_options.timeout_s};
    net::Redactor redact;
    net::Request rq;
    std::string body;
    rq.headers = {"Expect:"};
    if (auto it = m_options.voices.find(req.voice); it != m_options.voices.end()) {
        const ReferenceVoice& v = it->second;
        const std::string mode = v.mode.empty() ? "zero-shot" : v.mode;
        net::Request::Upload up;
        up.fields = {{"tts_text", req.text}};
        if (mode == "zero-shot") {
            rq.url = net::join_url(m_options.base_url, "/inference_zero_shot");
            up.fields.emplace_back("prompt_text", v.prompt_text);
        } else if (mode == "cross-lingual") {
            rq.url = net::join_url(m_options.base_url, "/inference_cross_lingual");
        } else {
            rq.url = net::join_url(m_options.base_url, "/inference_instruct2");
            up.fields.emplace_back("instruct_text", v.instruct_text);
        }
        up.file_field = "prompt_wav";
        up.file = v.prompt_wav;
        rq.upload = std::move(up);
    } else {
        SW_TRY_STATUS(check_voice(req.voice));
        std::string speaker = req.voice;
        if (speaker.empty() || speaker == "zh")
            speaker = m_options.default_speaker;
        else if (speaker == "en")
            speaker = m_options.english_speaker;
        std::vector<std::pair<std::string, std::string>> fields = {{"tts_text", req.text}, {"spk_id", speaker}};
        if (m_options.instruct_text.empty()) {
            rq.url = net::join_url(m_options.base_url, "/inference_sft");
        } else {
            rq.url = net::join_url(m_options.base_url, "/inference_instruct");
            fields.emplace_back("instruct_text", m_options.instruct_text);
        }
        body = net::form_urlencode(fields);
        rq.headers.push_back("Content-Type: application/x-www-form-urlencoded");
        rq.body = &body;
    }
    rq.max_bytes = 512u << 20;
    auto got = SW_TRY(call_speech_server(rq, server, redact));
    if (got.status < 200 || got.status >= 300)
        return tl::unexpected(speech_server_status_error(got, rq.url, server, redact));
    // A WAV answer (a server changed to send one) is taken as such; the stock server sends raw PCM.
    if (got.body.size() >= 12 && got.body.compare(0, 4, "RIFF") == 0 && got.body.compare(8, 4, "WAVE") == 0)
        return speech_from_wav(got.body, req.text, "CosyVoice's answer from " + rq.url);
    Speech speech;
    speech.samples = SW_TRY(decode_pcm16(got.body, m_options.sample_rate, "CosyVoice's answer from " + rq.url));
    speech.sentences = estimate_sentence_timings(speech.samples, req.text);
    speech.timings_exact = false;
    return speech;
}

// ---- GPT-SoVITS ---------------------------------------------------------------------------------

GptSovitsEngine::GptSovitsEngine(GptSovitsOptions options) : m_options(std::move(options)) {}

std::string GptSovitsEngine::id() const
{
    auto ref = [](const ReferenceVoice& v) {
        return v.ref_audio + ":" + v.prompt_text + ":" + v.prompt_lang + ":" + v.text_lang;
    };
    std::string id = "gpt-sovits/" + m_options.base_url + "/" + ref(m_options.default_voice) + "/" +
                     m_options.text_split_method + "/" + std::to_string(m_options.seed);
    for (const auto& [name, v] : m_options.voices)
        id += "|" + name + "=" + ref(v);
    return id;
}

core::Result<std::vector<VoiceInfo>> GptSovitsEngine::voices()
{
    std::vector<VoiceInfo> out;
    if (!m_options.default_voice.ref_audio.empty())
        out.push_back({"zh", m_options.default_voice.prompt_lang, "",
                       "also en: the default reference " + m_options.default_voice.ref_audio});
    for (const auto& [name, v] : m_options.voices)
        out.push_back({name, v.text_lang.empty() ? v.prompt_lang : v.text_lang, "", "reference " + v.ref_audio});
    if (out.empty())
        return core::make_error(core::ErrorCategory::Input,
                                "GPT-SoVITS has no voices until you give it a reference recording — set ref_audio, "
                                "prompt_text and prompt_lang in [tts], or add [tts.voices.NAME] tables (docs/voices.md)");
    return out;
}

core::Status GptSovitsEngine::check_voice(const std::string& voice) const
{
    if (voice.empty() || voice == "zh" || voice == "en" || m_options.voices.count(voice))
        return {};
    return tl::unexpected(unknown_voice("GPT-SoVITS", voice, m_options.voices, "; each voice is a reference recording"));
}

core::Result<Speech> GptSovitsEngine::synthesize(const SpeechRequest& req)
{
    SW_TRY_STATUS(check_voice(req.voice));
    const ReferenceVoice* v = &m_options.default_voice;
    if (auto it = m_options.voices.find(req.voice); it != m_options.voices.end())
        v = &it->second;
    if (v->ref_audio.empty())
        return core::make_error(core::ErrorCategory::Script,
                                "GPT-SoVITS needs a reference recording — set ref_audio (a path on the server's "
                                "machine), prompt_text and prompt_lang in the [tts] table of shotweave.toml");
    std::string text_lang = v->text_lang;
    if (text_lang.empty())
        text_lang = req.voice == "en" ? "en" : req.voice == "zh" ? "zh" : "auto";
    nlohmann::ordered_json j{{"text", req.text},
                             {"text_lang", text_lang},
                             {"ref_audio_path", v->ref_audio},
                             {"prompt_text", v->prompt_text},
                             {"prompt_lang", v->prompt_lang.empty() ? "zh" : v->prompt_lang},
                             {"text_split_method", m_options.text_split_method},
                             {"media_type", "wav"},
                             {"streaming_mode", false}};
    if (req.rate_wpm > 0)
        j["speed_factor"] = std::clamp(req.rate_wpm / 175.0, 0.5, 2.0);
    if (m_options.seed >= 0)
        j["seed"] = m_options.seed;
    const std::string body = j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    const SpeechServer server{"GPT-SoVITS", kUrlSetting, "", m_options.timeout_s};
    net::Redactor redact;
    net::Request rq;
    rq.url = net::join_url(m_options.base_url, "/tts");
    rq.headers = {"Content-Type: application/json", "Expect:"};
    rq.body = &body;
    rq.max_bytes = 512u << 20;
    auto got = SW_TRY(call_speech_server(rq, server, redact));
    if (got.status < 200 || got.status >= 300)
        return tl::unexpected(speech_server_status_error(got, rq.url, server, redact));
    return speech_from_wav(got.body, req.text, "GPT-SoVITS's answer from " + rq.url);
}

// ---- Piper --------------------------------------------------------------------------------------

PiperEngine::PiperEngine(PiperOptions options) : m_options(std::move(options)) {}

std::string PiperEngine::id() const { return "piper/" + m_options.base_url + "/" + m_options.default_voice; }

core::Result<std::vector<VoiceInfo>> PiperEngine::voices()
{
    const SpeechServer server{"the Piper server", kUrlSetting, "", m_options.timeout_s};
    net::Redactor redact;
    net::Request rq;
    rq.url = net::join_url(m_options.base_url, "/voices");
    rq.headers = {"Accept: application/json"};
    rq.max_bytes = 64u << 20;
    auto got = SW_TRY(call_speech_server(rq, server, redact));
    if (got.status < 200 || got.status >= 300)
        return tl::unexpected(speech_server_status_error(got, rq.url, server, redact));
    auto j = nlohmann::json::parse(got.body, nullptr, false);
    if (!j.is_object())
        return core::make_error(core::ErrorCategory::Media,
                                "the voice list from " + rq.url + " is not Piper's (a JSON object of voices)",
                                got.body.substr(0, 300));
    std::vector<VoiceInfo> out;
    for (const auto& [name, cfg] : j.items()) {
        VoiceInfo info{name, "", "", ""};
        if (cfg.is_object()) {
            if (auto l = cfg.find("language"); l != cfg.end() && l->is_object() && l->contains("code") &&
                                               (*l)["code"].is_string())
                info.language = (*l)["code"].get<std::string>();
            else if (auto e = cfg.find("espeak"); e != cfg.end() && e->is_object() && e->contains("voice") &&
                                                  (*e)["voice"].is_string())
                info.language = (*e)["voice"].get<std::string>();
            if (auto n = cfg.find("num_speakers"); n != cfg.end() && n->is_number_integer() && n->get<int>() > 1)
                info.note = std::to_string(n->get<int>()) + " speakers (voice \"" + name + ":SPEAKER\")";
        }
        out.push_back(std::move(info));
    }
    return out;
}

core::Result<Speech> PiperEngine::synthesize(const SpeechRequest& req)
{
    std::string voice = req.voice;
    if (voice.empty() || voice == "zh" || voice == "en")
        voice = m_options.default_voice;
    nlohmann::ordered_json j{{"text", req.text}};
    if (!voice.empty()) {
        // "en_US-libritts-high:p123": a speaker of a multi-speaker model.
        auto colon = voice.find(':');
        j["voice"] = voice.substr(0, colon);
        if (colon != std::string::npos)
            j["speaker"] = voice.substr(colon + 1);
    }
    if (req.rate_wpm > 0)
        j["length_scale"] = std::clamp(175.0 / req.rate_wpm, 0.25, 4.0);  // longer phonemes = slower
    const std::string body = j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    const SpeechServer server{"the Piper server", kUrlSetting, "", m_options.timeout_s};
    net::Redactor redact;
    net::Request rq;
    rq.headers = {"Content-Type: application/json", "Expect:"};
    rq.body = &body;
    rq.max_bytes = 512u << 20;
    // piper.http_server took the POST at "/" until its web page moved there; now at "/synthesize".
    net::Response got;
    for (const char* path : {"/", "/synthesize"}) {
        rq.url = net::join_url(m_options.base_url, path);
        got = SW_TRY(call_speech_server(rq, server, redact));
        if (got.status != 404 && got.status != 405)
            break;
    }
    if (got.status < 200 || got.status >= 300)
        return tl::unexpected(speech_server_status_error(got, rq.url, server, redact));
    return speech_from_wav(got.body, req.text, "the Piper server's answer from " + rq.url);
}

}  // namespace sw::audio
