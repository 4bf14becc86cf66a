#pragma once
// Drafting a script with a language model: a topic or an article becomes a script in the JSON
// form (docs/schema/project.schema.json) written by a model the user runs or subscribes to over
// the OpenAI-compatible chat-completions API (Ollama, vLLM, DeepSeek, DashScope …). The model is
// asked for structured output; its answer is repaired where the repair is obvious, checked by
// the caller with the same rules as any script, and the model is asked again with the problems
// (bounded). The result is a script for the user to edit, never a video (docs/draft.md).

#include <filesystem>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/cancel.h"
#include "core/error.h"

namespace sw::draft {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

// ---- configuration (`[writer]` in shotweave.toml, SHOTWEAVE_LLM_* in the environment) ----------

inline constexpr const char* kUrlEnv = "SHOTWEAVE_LLM_URL";
inline constexpr const char* kModelEnv = "SHOTWEAVE_LLM_MODEL";
inline constexpr const char* kKeyEnv = "SHOTWEAVE_LLM_KEY";

// How the structured answer is asked for: `response_format` with the JSON schema (servers that
// constrain decoding: Ollama ≥ 0.5, vLLM, recent Qwen models), `json_object` (DeepSeek, most
// DashScope models: valid JSON, structure from the prompt), or the prompt alone.
enum class JsonMode { Schema, Object, Prompt };
const char* to_string(JsonMode m);

struct WriterConfig {
    std::string url;    // the server's base URL (…/v1 or the root), or the full …/chat/completions
    std::string model;
    std::string api_key_env = kKeyEnv;  // the variable holding the key (never the file)
    std::string api_key;                // read from api_key_env; may be empty (local servers)
    double timeout_s = 180;             // per request
    double temperature = 0.7;
    int max_retries = 2;                // questions asked again after the first answer
    int max_tokens = 4096;
    JsonMode json_mode = JsonMode::Schema;
    std::map<std::string, std::string> headers;  // extra request headers (values may name ${VARS})
    std::string origin;  // where the settings came from, for messages ("shotweave.toml", "environment")
};

// Reads `[writer]` from a TOML text (other tables are ignored). Errors at `file:line:col`.
// Returns nullopt when the text has no [writer] table.
core::Result<std::optional<WriterConfig>> parse_writer_config(std::string_view text, const fs::path& file);

// The settings to use: `toml_file`'s [writer] table (when the file exists and has one), then the
// environment's SHOTWEAVE_LLM_URL / _MODEL / _KEY over it. An Error (category Input) when no
// URL or model results, saying exactly what to set. `getenv` is injectable for tests.
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;
core::Result<WriterConfig> resolve_writer_config(const fs::path& toml_file, const EnvLookup& getenv = {});

// What to set when nothing is configured (a paragraph, for messages and --help).
std::string configure_hint();

// The chat-completions endpoint for a configured URL.
std::string chat_url(std::string base);

// ---- what is asked ---------------------------------------------------------------------------

// How fast the voice speaks: Han characters per second and other words per second (narration
// in both is counted as timeline::count_reading_units counts it).
struct SpeakingRate {
    double cjk_per_s = 0;
    double words_per_s = 0;
};
// For an espeak-ng voice name (zh, en, or another) at `rate_wpm` (0: the default 175), measured
// on espeak-ng 1.51; an empty voice: the reading estimate `check` uses without a voice.
SpeakingRate speaking_rate(std::string_view voice, int rate_wpm);

// One file of the user's library, as offered to the model.
struct LibraryItem {
    std::string file;  // relative to the library folder
    std::string kind;  // image | video
    double seconds = 0;
    std::string description;
    std::vector<std::string> tags;
};

struct Brief {
    std::string topic;           // what the video is about (may be empty with an article)
    std::string article;         // the article's text (front matter removed), or empty
    std::string article_name;    // for the prompt ("dali.txt")
    double seconds = 60;         // target length
    std::string voice;           // "zh", "en", an espeak-ng name; empty: no voice-over
    int rate_wpm = 0;
    std::string size = "9:16";
    std::string language;        // "zh" or "en": the narration's language
    std::string library;         // the front matter's `library:` (relative to the script), or empty
    std::vector<LibraryItem> library_items;
    std::vector<std::string> library_tags;  // most frequent first
    std::string title;           // the front matter's title when the article gave one
};

// "zh" when the text is mostly Han characters, else "en".
std::string language_of(std::string_view text);

// About how many shots and how much narration fit the brief.
struct Budget {
    int shots = 0, min_shots = 0, max_shots = 0;
    int units = 0;         // characters (Chinese) or words (English) in all
    bool cjk = true;
    double per_shot_pad_s = 0;  // silence around each shot's narration
};
Budget budget_for(const Brief& brief);

// The JSON schema of the answer: a subset of the script's JSON form (title and shots with name,
// narration, a described visual, an optional on-screen title and the transition into the next).
Json answer_schema();

// The first messages: the system prompt (the rules, the schema) and the user's brief.
Json initial_messages(const Brief& brief);

// The request body for one question (`mode` decides response_format).
Json request_body(const WriterConfig& config, const Json& messages, JsonMode mode);

// ---- reading answers -------------------------------------------------------------------------

// An answer made into a JSON object: code fences, <think> blocks and prose around the object
// removed, and the obvious repairs of shape made (a bare shot array, a visual given as a string,
// narration as a list). Error (no value): why it is not JSON, for asking again.
struct Parsed {
    Json script;
    std::vector<std::string> repairs;  // what was repaired, for the notes
};
tl::expected<Parsed, std::string> parse_answer(std::string_view content, bool truncated);

// Text on one line (a name, a title, a description): line breaks and tabs become spaces.
std::string one_line(std::string_view text);

// The project settings the user chose, set over the model's (size, voice, library, title).
void apply_brief(Json& script, const Brief& brief);

// ---- checking and the loop -------------------------------------------------------------------

// What the caller's check found in a candidate script (the engine's `check` on its JSON text).
struct CheckReport {
    std::vector<std::string> errors;  // "line 12: unknown transition \"spin\" — did you mean …"
    std::vector<std::string> warnings;
    double total_s = 0;               // the planned video's length
    std::vector<double> shot_s;       // each shot's
};
using Checker = std::function<CheckReport(const Json& script)>;

// How far the length may stray from the target before the model is asked again (a fraction).
inline constexpr double kLengthTolerance = 0.2;

// Says how the length is off, or nothing when it is within tolerance: the whole and any shot far
// longer than its share.
std::optional<std::string> length_feedback(const Brief& brief, const CheckReport& report);

// Progress for the front end ("asking qwen2.5:7b at http://…", "answer 1: 2 errors, asking again").
using Note = std::function<void(const std::string&)>;

struct Result {
    Json script;                     // the checked script (JSON form)
    std::vector<std::string> notes;  // repairs made, length left off target, mode fallbacks
    int questions = 0;               // requests that got an answer
    CheckReport report;              // the final check
};

// Asks, parses, repairs, checks and asks again (at most config.max_retries times more). Errors:
// the server unreachable, too slow, refusing (category Render, redacted); answers that are never
// a valid script (category Script, with the last problems).
core::Result<Result> write_draft(const WriterConfig& config, const Brief& brief, const Checker& check,
                                 const core::CancelToken* cancel = nullptr, const Note& note = {});

// ---- output ----------------------------------------------------------------------------------

// The Markdown-like script (docs/script.md) of a JSON-form script as write_draft makes them:
// front matter, then `# name` sections with `visual:`, `title:`, narration and `transition:`.
// Narration lines that would read as something else are escaped with `\`.
std::string to_markdown(const Json& script);

// An article's text split from its front matter (`---` … `---` at the top): {front matter with
// its fences, body}. No front matter: {"", text}.
std::pair<std::string, std::string> split_front_matter(std::string_view text);

}  // namespace sw::draft
