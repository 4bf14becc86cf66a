// HttpSpeechEngine: an OpenAI-compatible POST /v1/audio/speech endpoint (net/http.h).

#include <algorithm>
#include <nlohmann/json.hpp>

#include "audio/tts.h"
#include "audio/tts_timing.h"
#include "net/http.h"

namespace sw::audio {

namespace {

std::string speech_url(std::string base)
{
    while (!base.empty() && base.back() == '/')
        base.pop_back();
    if (base.size() >= 3 && base.compare(base.size() - 3, 3, "/v1") == 0)
        return base + "/audio/speech";
    return base + "/v1/audio/speech";
}

}  // namespace

HttpSpeechEngine::HttpSpeechEngine(HttpSpeechOptions options) : m_options(std::move(options)) {}

std::string HttpSpeechEngine::id() const
{
    return "http/" + speech_url(m_options.base_url) + "/" + m_options.model + "/" + m_options.default_voice;
}

core::Result<Speech> HttpSpeechEngine::synthesize(const SpeechRequest& req)
{
    if (m_options.base_url.empty())
        return core::make_error(core::ErrorCategory::Script,
                                "no URL for the HTTP TTS engine — set SHOTWEAVE_TTS_URL (e.g. https://api.openai.com)");

    std::string voice = req.voice;
    if (voice.empty() || voice == "zh" || voice == "en")
        voice = m_options.default_voice;
    nlohmann::ordered_json request{{"model", m_options.model}, {"input", req.text}, {"voice", voice}, {"response_format", "wav"}};
    if (req.rate_wpm > 0) {
        // The API's speed is a factor (0.25-4) around its natural pace (~175 wpm like espeak).
        request["speed"] = std::clamp(req.rate_wpm / 175.0, 0.25, 4.0);
    }
    const std::string body = request.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);

    net::Redactor redact;  // the key never reaches a message, whatever the server echoes
    net::Request rq;
    rq.url = speech_url(m_options.base_url);
    rq.headers = {"Content-Type: application/json", "Accept: audio/wav", "Expect:"};  // Expect: no 100-continue
    if (!m_options.api_key.empty()) {
        rq.headers.push_back("Authorization: Bearer " + m_options.api_key);
        redact.add(m_options.api_key);
    }
    rq.body = &body;
    rq.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(m_options.timeout_s);
    const std::string& url = rq.url;
    auto got = net::perform(rq);
    if (!got) {
        if (got.error().kind == net::Failure::Kind::Init)
            return core::make_error(core::ErrorCategory::Internal, "libcurl could not be initialised");
        std::string what = got.error().kind == net::Failure::Kind::Deadline
                               ? "the TTS server at " + url + " did not answer within " +
                                     std::to_string(m_options.timeout_s) + " s — check the server or raise the timeout"
                               : "cannot reach the TTS server at " + url + " — check SHOTWEAVE_TTS_URL and the network";
        return tl::unexpected(redact(core::Error{core::ErrorCategory::Media, what, got.error().detail, {}}));
    }
    const long status = got->status;
    const std::string& response = got->body;
    if (status < 200 || status >= 300) {
        std::string excerpt = response.substr(0, 300);
        std::string hint = (status == 401 || status == 403) ? " — check SHOTWEAVE_TTS_KEY"
                           : status == 404 ? " — check SHOTWEAVE_TTS_URL (it should be the server root or .../v1)"
                                           : " — check the voice and model names";
        return tl::unexpected(redact(core::Error{core::ErrorCategory::Media,
                                                 "the TTS server answered HTTP " + std::to_string(status) + ": " +
                                                     excerpt + hint,
                                                 excerpt,
                                                 {}}));
    }
    auto bytes = std::span(reinterpret_cast<const uint8_t*>(response.data()), response.size());
    Speech speech;
    speech.samples = SW_TRY(decode_wav(bytes, "the TTS server's response from " + url));
    speech.sentences = estimate_sentence_timings(speech.samples, req.text);
    speech.timings_exact = false;
    return speech;
}

}  // namespace sw::audio
