#pragma once
// The speech engine a project uses: `tts:` in the script names it, and a `[tts]` table in the
// shotweave.toml beside the script holds its settings (server address, API key variable, model,
// reference recordings, sample rate …) — docs/voices.md. Every problem is reported at
// file:line:col with what to write instead.

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "audio/tts.h"
#include "audio/tts_presets.h"

namespace sw::audio {

// The engines `tts:` and `engine =` may name. "http" is the older name of "openai" (its address,
// key and model may come from SHOTWEAVE_TTS_URL / _KEY / _MODEL).
const std::vector<std::string>& tts_engine_names();

struct TtsConfig {
    std::filesystem::path file;   // where the [tts] table was read ("" = none: every default)
    bool present = false;         // the file has a [tts] table
    std::string engine;           // `engine = "cosyvoice"`; "" = not given (the script's tts: decides)
    core::SourceLoc table_loc;    // the [tts] header, for errors about the table as a whole
    std::string url;
    std::string api_key_env;      // the name of the environment variable holding the key
    std::string model;
    std::string voice;            // the default voice (used for "zh"/"en"/no voice where the engine needs one)
    std::string english_voice;    // CosyVoice: the SFT speaker for voice "en"
    int sample_rate = 0;          // CosyVoice: its PCM's rate (0 = 22050, CosyVoice-300M's)
    int timeout_s = 0;            // 0 = the engine's default
    int seed = -1;                // GPT-SoVITS
    std::string text_split_method;
    bool word_timings = false;    // openai: Kokoro-FastAPI's captioned speech (the engine's word timings)
    ReferenceVoice reference;     // GPT-SoVITS's default reference; CosyVoice's instruct_text
    std::map<std::string, ReferenceVoice> voices;  // [tts.voices.NAME]
    std::map<std::string, core::SourceLoc> where;  // of each key given ("voices.NAME.key" for voices)
};

// Reads the [tts] table of a TOML file; a file without one gives present = false.
core::Result<TtsConfig> parse_tts_config(std::string_view text, const std::filesystem::path& file);
core::Result<TtsConfig> load_tts_config(const std::filesystem::path& file);

// The shotweave.toml beside a script when it exists and has a [tts] table, else "".
std::filesystem::path tts_config_path(const std::filesystem::path& script_dir);

// The engine named `engine` with the settings of `config` (environment variables fill in the
// OpenAI-compatible engine's address, key and model when the table does not give them).
// `command_template` is the script's `tts: command …` template. Errors
// name the key at fault at its file:line:col; a key meant for another engine is an error too.
core::Result<std::unique_ptr<TtsEngine>> make_tts_engine(const std::string& engine, const TtsConfig& config,
                                                         const std::string& command_template = {});

// For commands without a script (`shotweave voices`, `shotweave say`): the settings of
// `config_file` (or, when that is empty, of a shotweave.toml with a [tts] table in `dir`) and the
// engine `engine` names — else the table's `engine`, else espeak. `chosen` gets the engine's name.
core::Result<std::unique_ptr<TtsEngine>> tts_engine_for(std::string engine, const std::filesystem::path& config_file,
                                                        const std::filesystem::path& dir, std::string& chosen);

}  // namespace sw::audio
