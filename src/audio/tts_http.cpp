// HttpSpeechEngine: an OpenAI-compatible POST /v1/audio/speech endpoint, and the HTTP exchange
// every HTTP speech engine shares (net/http.h).

#include <algorithm>
#include <nlohmann/json.hpp>

#include "audio/tts.h"
#include "audio/tts_http_call.h"
#include "audio/tts_timing.h"
#include "core/base64.h"
#include "core/text_util.h"

namespace sw::audio {

core::Result<std::vector<VoiceInfo>> TtsEngine::voices()
{
    return core::make_error(core::ErrorCategory::Input, "this engine cannot list its voices");
}


core::Result<net::Response> call_speech_server(net::Request rq, const SpeechServer& server, const net::Redactor& redact)
{
    rq.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(server.timeout_s);
    rq.connect_timeout_s = std::min<long>(rq.connect_timeout_s, server.timeout_s);
    auto got = net::perform(rq);
    if (got)
        return std::move(*got);
    if (got.error().kind == net::Failure::Kind::Init)
        return core::make_error(core::ErrorCategory::Internal, "libcurl could not be initialised");
    if (got.error().kind == net::Failure::Kind::UploadRead)
        return tl::unexpected(redact(core::Error{core::ErrorCategory::Input,
                                                 "cannot read the recording to upload to " + server.name +
                                                     " — check the path of the voice's prompt_wav",
                                                 got.error().detail,
                                                 {}}));
    std::string what = got.error().kind == net::Failure::Kind::Deadline
                           ? server.name + " at " + rq.url + " did not answer within " +
                                 std::to_string(server.timeout_s) + " s — check the server, or raise timeout_s"
                           : "cannot reach " + server.name + " at " + rq.url + " — is the server running? Check " +
                                 server.url_setting + " and the network";
    return tl::unexpected(redact(core::Error{core::ErrorCategory::Media, what, got.error().detail, {}}));
}

core::Error speech_server_status_error(const net::Response& resp, const std::string& url, const SpeechServer& server,
                                       const net::Redactor& redact)
{
    std::string said = resp.body.substr(0, 300);
    // Servers built on FastAPI/Flask answer errors as JSON: show their words, not the braces.
    auto j = nlohmann::json::parse(resp.body, nullptr, false);
    if (j.is_object()) {
        for (const char* k : {"message", "detail", "error"}) {
            const auto it = j.find(k);
            if (it == j.end())
                continue;
            if (it->is_string())
                said = it->get<std::string>();
            else if (it->is_object() && it->contains("message") && (*it)["message"].is_string())
                said = (*it)["message"].get<std::string>();
            else
                said = it->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
            break;
        }
    }
    const long status = resp.status;
    std::string hint = (status == 401 || status == 403) && !server.key_setting.empty()
                           ? " — check the API key (" + server.key_setting + ")"
                       : status == 404 ? " — check " + server.url_setting + " (the server's root address)"
                                       : " — check the voice and the engine's settings";
    return redact(core::Error{core::ErrorCategory::Media,
                              server.name + " answered HTTP " + std::to_string(status) + " for " + url +
                                  (said.empty() ? std::string() : ": " + said) + hint,
                              resp.body.substr(0, 300),
                              {}});
}

namespace {

std::string speech_url(const std::string& base) { return net::join_url(net::api_root(base), "audio/speech"); }

// Word timings of a captioned answer ({"word", "start_time", "end_time"} in seconds) as engine
// events: each word found in the text, in order, after the previous one (tokens the text does not
// hold, such as normalised numbers, are skipped).
std::vector<EventMark> word_marks(const nlohmann::json& stamps, const std::string& text, int64_t samples)
{
    std::vector<EventMark> marks;
    size_t cursor = 0;
    double last_end = 0;
    auto at = [&](double s) { return std::clamp<int64_t>(int64_t(std::llround(s * kSpeechSampleRate)), 0, samples); };
    for (const auto& t : stamps) {
        if (!t.is_object() || !t.contains("word") || !t["word"].is_string() || !t.contains("start_time") ||
            !t["start_time"].is_number())
            continue;
        const std::string word(core::trim(t["word"].get<std::string>()));
        if (word.empty())
            continue;
        const size_t found = text.find(word, cursor);
        if (found == std::string::npos)
            continue;
        EventMark m;
        m.kind = EventMark::Word;
        m.sample = at(t["start_time"].get<double>());
        m.text_begin = found;
        m.text_end = found + word.size();
        marks.push_back(m);
        cursor = m.text_end;
        if (t.contains("end_time") && t["end_time"].is_number())
            last_end = std::max(last_end, t["end_time"].get<double>());
    }
    if (!marks.empty()) {
        EventMark end;
        end.kind = EventMark::End;
        end.sample = at(last_end);
        marks.push_back(end);
    }
    return marks;
}

SpeechServer server_of(const HttpSpeechOptions& o)
{
    return {"the TTS server", "`url` in the [tts] table of shotweave.toml (or SHOTWEAVE_TTS_URL)",
            o.api_key_env.empty() ? "SHOTWEAVE_TTS_KEY" : o.api_key_env, o.timeout_s};
}

// One entry of a voice listing: a name, or an object naming it with id/name/voice_id/ShortName.
std::optional<VoiceInfo> voice_entry(const nlohmann::json& v)
{
    VoiceInfo info;
    if (v.is_string()) {
        info.name = v.get<std::string>();
        return info;
    }
    if (!v.is_object())
        return std::nullopt;
    auto str = [&](std::initializer_list<const char*> keys) -> std::string {
        for (const char* k : keys)
            if (auto it = v.find(k); it != v.end() && it->is_string())
                return it->get<std::string>();
        return {};
    };
    info.name = str({"id", "voice_id", "ShortName", "short_name", "name"});
    if (info.name.empty())
        return std::nullopt;
    info.language = str({"language", "locale", "Locale", "lang", "lang_code"});
    if (info.language.empty())
        if (auto it = v.find("languages"); it != v.end() && it->is_array() && !it->empty() && (*it)[0].is_string())
            info.language = (*it)[0].get<std::string>();
    info.gender = core::to_lower_ascii(str({"gender", "Gender"}));
    std::string display = str({"name", "display_name", "DisplayName", "description"});
    if (display != info.name)
        info.note = display;
    return info;
}

}  // namespace

HttpSpeechEngine::HttpSpeechEngine(HttpSpeechOptions options) : m_options(std::move(options)) {}

std::string HttpSpeechEngine::id() const
{
    return "http/" + speech_url(m_options.base_url) + "/" + m_options.model + "/" + m_options.default_voice +
           (m_options.word_timings ? "/captioned" : "");
}

core::Result<std::vector<VoiceInfo>> HttpSpeechEngine::voices()
{
    if (m_options.base_url.empty())
        return core::make_error(core::ErrorCategory::Input,
                                "no URL for the OpenAI-compatible TTS server — set `url` in the [tts] table of "
                                "shotweave.toml or SHOTWEAVE_TTS_URL");
    const SpeechServer server = server_of(m_options);
    net::Redactor redact;
    std::vector<std::string> headers = {"Accept: application/json"};
    if (!m_options.api_key.empty()) {
        headers.push_back("Authorization: Bearer " + m_options.api_key);
        redact.add(m_options.api_key);
    }
    // Kokoro-FastAPI and most wrappers: /v1/audio/voices; openai-edge-tts: /v1/voices/all (its
    // /v1/voices lists only its default language).
    std::string last_url;
    long last_status = 0;
    for (const char* path : {"/audio/voices", "/voices/all", "/voices"}) {
        net::Request rq;
        rq.url = net::api_root(m_options.base_url) + path;
        rq.headers = headers;
        rq.max_bytes = 16u << 20;
        auto got = SW_TRY(call_speech_server(rq, server, redact));
        last_url = rq.url;
        last_status = got.status;
        if (got.status == 404 || got.status == 405)
            continue;
        if (got.status < 200 || got.status >= 300)
            return tl::unexpected(speech_server_status_error(got, rq.url, server, redact));
        auto j = nlohmann::json::parse(got.body, nullptr, false);
        const nlohmann::json* list = nullptr;
        if (j.is_array())
            list = &j;
        else if (j.is_object())
            for (const char* k : {"voices", "data"})
                if (auto it = j.find(k); it != j.end() && it->is_array()) {
                    list = &*it;
                    break;
                }
        if (!list)
            return core::make_error(core::ErrorCategory::Media,
                                    "the voice list from " + rq.url + " is not a JSON list of voices",
                                    got.body.substr(0, 300));
        std::vector<VoiceInfo> out;
        for (const auto& v : *list)
            if (auto info = voice_entry(v))
                out.push_back(std::move(*info));
        std::sort(out.begin(), out.end(), [](const VoiceInfo& a, const VoiceInfo& b) { return a.name < b.name; });
        return out;
    }
    return core::make_error(core::ErrorCategory::Input,
                            "the server at " + m_options.base_url + " does not list its voices (HTTP " +
                                std::to_string(last_status) + " for " + last_url +
                                ") — see its documentation for the voice names (OpenAI: alloy, echo, fable, nova, "
                                "onyx, shimmer …)");
}

core::Result<Speech> HttpSpeechEngine::synthesize(const SpeechRequest& req)
{
    if (m_options.base_url.empty())
        return core::make_error(core::ErrorCategory::Script,
                                "no URL for the HTTP TTS engine — set `url` in the [tts] table of shotweave.toml or "
                                "SHOTWEAVE_TTS_URL (e.g. https://api.openai.com)");

    std::string voice = req.voice;
    if (voice.empty() || voice == "zh" || voice == "en")
        voice = m_options.default_voice;
    nlohmann::ordered_json request{{"model", m_options.model}, {"input", req.text}, {"voice", voice}, {"response_format", "wav"}};
    if (req.rate_wpm > 0) {
        // The API's speed is a factor (0.25-4) around its natural pace (~175 wpm like espeak).
        request["speed"] = std::clamp(req.rate_wpm / 175.0, 0.25, 4.0);
    }
    const std::string body = request.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);

    const SpeechServer server = server_of(m_options);
    net::Redactor redact;  // the key never reaches a message, whatever the server echoes
    net::Request rq;
    rq.url = speech_url(m_options.base_url);
    rq.headers = {"Content-Type: application/json", "Accept: audio/wav", "Expect:"};  // Expect: no 100-continue
    if (!m_options.api_key.empty()) {
        rq.headers.push_back("Authorization: Bearer " + m_options.api_key);
        redact.add(m_options.api_key);
    }
    rq.body = &body;
    if (m_options.word_timings) {
        auto captioned = request;
        captioned["stream"] = false;
        captioned["return_timestamps"] = true;
        const std::string cbody = captioned.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
        net::Request cq = rq;
        cq.url = net::join_url(net::server_root(m_options.base_url), "/dev/captioned_speech");
        cq.headers[1] = "Accept: application/json";
        cq.body = &cbody;
        cq.max_bytes = 768u << 20;
        auto cgot = SW_TRY(call_speech_server(cq, server, redact));
        if (cgot.status != 404 && cgot.status != 405) {
            if (cgot.status < 200 || cgot.status >= 300)
                return tl::unexpected(speech_server_status_error(cgot, cq.url, server, redact));
            auto j = nlohmann::json::parse(cgot.body, nullptr, false);
            if (!j.is_object() || !j.contains("audio") || !j["audio"].is_string())
                return core::make_error(core::ErrorCategory::Media,
                                        "the captioned speech from " + cq.url + " has no \"audio\" — is it Kokoro-FastAPI? "
                                        "Remove word_timings from [tts] for other servers",
                                        cgot.body.substr(0, 300));
            const std::string wav = SW_TRY(core::base64_decode(j["audio"].get<std::string>()));
            Speech speech;
            speech.samples = SW_TRY(decode_wav(std::span(reinterpret_cast<const uint8_t*>(wav.data()), wav.size()),
                                               "the captioned speech from " + cq.url));
            auto marks = j.contains("timestamps") && j["timestamps"].is_array()
                             ? word_marks(j["timestamps"], req.text, int64_t(speech.samples.size()))
                             : std::vector<EventMark>{};
            if (marks.empty()) {
                speech.sentences = estimate_sentence_timings(speech.samples, req.text);
                speech.timings_exact = false;
            } else {
                build_timings_from_events(speech, req.text, marks);
                speech.timings_exact = true;
            }
            return speech;
        }
    }
    auto got = SW_TRY(call_speech_server(rq, server, redact));
    if (got.status < 200 || got.status >= 300)
        return tl::unexpected(speech_server_status_error(got, rq.url, server, redact));
    auto bytes = std::span(reinterpret_cast<const uint8_t*>(got.body.data()), got.body.size());
    Speech speech;
    speech.samples = SW_TRY(decode_wav(bytes, "the TTS server's response from " + rq.url));
    speech.sentences = estimate_sentence_timings(speech.samples, req.text);
    speech.timings_exact = false;
    return speech;
}

}  // namespace sw::audio
