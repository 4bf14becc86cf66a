#pragma once
// Internal to the audio module: one HTTP exchange with a speech server, worded the same way for
// every HTTP engine (OpenAI-compatible, CosyVoice, GPT-SoVITS, Piper).

#include <string>

#include "core/error.h"
#include "net/http.h"

namespace sw::audio {

struct SpeechServer {
    std::string name;         // "CosyVoice", "the TTS server", …
    std::string url_setting;  // how the user sets its address: "`url` in [tts] of shotweave.toml"
    std::string key_setting;  // how the user sets its key ("" = it takes none)
    int timeout_s = 120;
};

// Performs the request (its deadline from server.timeout_s). Fails only when no complete answer
// came (unreachable, deadline, …); any HTTP status comes back for the caller to judge.
core::Result<net::Response> call_speech_server(net::Request request, const SpeechServer& server,
                                               const net::Redactor& redact);

// The error for a non-2xx answer: the status, the server's own message (JSON "message", "detail"
// or "error.message" when it sent JSON, else the start of the body) and what to check.
core::Error speech_server_status_error(const net::Response& response, const std::string& url,
                                       const SpeechServer& server, const net::Redactor& redact);

}  // namespace sw::audio
