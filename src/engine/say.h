#pragma once
// Speaking one line with a chosen voice (`shotweave say`): the engine and its settings chosen as a
// script's would be, the voice checked, the WAV written atomically and never over a file the
// caller did not say may be replaced.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "engine/engine.h"

namespace sw::engine {

struct SayRequest {
    std::string text;
    std::string voice;   // empty: zh or en by the text's script
    std::string engine;  // empty: the [tts] table's, else espeak
    int rate_wpm = 0;    // 0: the engine's default
    int pitch = 0;
    std::filesystem::path config;  // a TOML file with [tts]; empty: shotweave.toml in `dir`
    std::filesystem::path dir = ".";
    std::filesystem::path output;  // a .wav file (48 kHz mono, 16-bit)
    bool force = false;            // replace `output` when it exists
};

struct SayResult {
    Outcome outcome = Outcome::InputError;
    std::optional<core::Error> error;
    std::vector<std::string> warnings;
    std::string engine, voice;  // as chosen
    double seconds = 0;         // of speech written
};

SayResult say(const SayRequest& request);

}  // namespace sw::engine
