// HttpSpeechEngine: an OpenAI-compatible POST /v1/audio/speech endpoint through libcurl.

#include <curl/curl.h>

#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>

#include "audio/tts.h"
#include "audio/tts_timing.h"

namespace sw::audio {

namespace {

struct CurlDeleter {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
    void operator()(curl_slist* s) const { curl_slist_free_all(s); }
};

size_t append_body(char* data, size_t size, size_t n, void* user)
{
    static_cast<std::string*>(user)->append(data, size * n);
    return size * n;
}

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
    static std::once_flag curl_init;
    std::call_once(curl_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
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

    std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
    if (!curl)
        return core::make_error(core::ErrorCategory::Internal, "libcurl could not be initialised");
    curl_slist* raw = nullptr;
    raw = curl_slist_append(raw, "Content-Type: application/json");
    raw = curl_slist_append(raw, "Accept: audio/wav");
    raw = curl_slist_append(raw, "Expect:");  // no 100-continue round trip
    std::unique_ptr<curl_slist, SlistDeleter> headers(raw);
    if (!m_options.api_key.empty()) {
        std::string auth = "Authorization: Bearer " + m_options.api_key;
        headers.reset(curl_slist_append(headers.release(), auth.c_str()));
    }
    std::string url = speech_url(m_options.base_url);
    std::string response;
    char errbuf[CURL_ERROR_SIZE] = {};
    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, long(body.size()));
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, append_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &response);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, long(m_options.timeout_s));
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    CURLcode rc = curl_easy_perform(c);
    if (rc != CURLE_OK) {
        std::string what = rc == CURLE_OPERATION_TIMEDOUT
                               ? "the TTS server at " + url + " did not answer within " +
                                     std::to_string(m_options.timeout_s) + " s — check the server or raise the timeout"
                               : "cannot reach the TTS server at " + url + " — check SHOTWEAVE_TTS_URL and the network";
        return core::make_error(core::ErrorCategory::Media, what, errbuf[0] ? errbuf : curl_easy_strerror(rc));
    }
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    if (status < 200 || status >= 300) {
        std::string excerpt = response.substr(0, 300);
        std::string hint = (status == 401 || status == 403) ? " — check SHOTWEAVE_TTS_KEY"
                           : status == 404 ? " — check SHOTWEAVE_TTS_URL (it should be the server root or .../v1)"
                                           : " — check the voice and model names";
        return core::make_error(core::ErrorCategory::Media,
                                "the TTS server answered HTTP " + std::to_string(status) + ": " + excerpt + hint,
                                excerpt);
    }
    auto bytes = std::span(reinterpret_cast<const uint8_t*>(response.data()), response.size());
    Speech speech;
    speech.samples = SW_TRY(decode_wav(bytes, "the TTS server's response from " + url));
    speech.sentences = estimate_sentence_timings(speech.samples, req.text);
    speech.timings_exact = false;
    return speech;
}

}  // namespace sw::audio
