#pragma once
// `shotweave draft`: a script written by a language model from a topic or an article, checked
// like any script and written for the user to edit (docs/draft.md). The model's configuration,
// prompts and answers are src/draft's; this wires in the user's library, the engine's check and
// the output file.

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/diagnostics.h"
#include "core/error.h"
#include "draft/draft.h"
#include "engine/engine.h"

namespace sw::engine {

struct DraftRequest {
    std::string topic;                // "哈尔滨冬季旅游，60秒，面向南方游客"
    std::filesystem::path article;    // --from: a .txt/.md article (its front matter is kept)
    double seconds = 0;               // --length; 0: a length named in the topic ("60秒", "90s"), else 60
    std::string voice;                // --voice NAME[ rate=N]; "none": no voice-over; empty: by language
    std::string size;                 // --size; empty: the article's, else 9:16
    std::filesystem::path library;    // --library DIR (else the article's `library:`)
    std::filesystem::path output;     // -o: .md/.markdown (Markdown) or .json (the JSON form)
    bool force = false;               // replace an existing output
    std::filesystem::path config;     // --config FILE; empty: shotweave.toml beside the output, else in the current folder
    draft::EnvLookup getenv;          // tests; empty: the process environment
    std::function<void(const std::string&)> on_note;  // progress lines ("asking …", "answer 1: …")
};

struct DraftResult {
    Outcome outcome = Outcome::InputError;
    std::optional<core::Error> error;
    std::filesystem::path output;      // written when Done
    std::vector<std::string> notes;    // repairs, fallbacks, length left off target
    core::Diagnostics diag;            // the written script's check (warnings only when Done)
    int shots = 0;
    double total_s = 0;                // the checked script's planned length
    int questions = 0;                 // answers the model gave
    std::string config_origin;         // where the model's settings came from
};

// A length named in a topic: "60秒", "90s", "1分钟", "2 minutes" → seconds; nullopt when none.
std::optional<double> length_in_topic(std::string_view topic);

// Reads the article, asks the model (src/draft), checks each answer with Engine::check, writes
// the output (atomically; never over an existing file without `force`, never over the article).
DraftResult draft_script(Engine& engine, const DraftRequest& request, const Job& job = {});

}  // namespace sw::engine
