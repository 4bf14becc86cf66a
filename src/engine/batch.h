#pragma once
// One video per row of a CSV or JSON Lines table, from a script template with {{field}}
// placeholders (docs/batch.md): every row filled, its output named and checked before anything is
// rendered, then the rows loaded and rendered on several threads, each exactly as Engine::render
// does, their segments sharing the engine's workers and cache (a shot many rows share is encoded
// once). A row whose stamp says its output is up to date is skipped.

#include <filesystem>
#include <string>
#include <vector>

#include "engine/engine.h"

namespace sw::engine {

struct BatchRequest {
    std::filesystem::path templ;  // the template script
    std::filesystem::path data;   // .csv / .jsonl
    std::string pattern;          // each row's output, with placeholders
    int jobs = 0;                 // rows in flight at once (0: cores + 1)
    bool force = false;           // render rows whose output is up to date too
    LoadOptions load;
    RenderSettings settings;
};

struct BatchRow {
    int number = 0;  // 1-based data row
    int line = 0;    // where it starts in the data file
    std::string label;
    std::filesystem::path output;
    Outcome status = Outcome::NotStarted;
    double video_s = -1, render_s = -1;
    std::string message;          // the first error line of a failed row
    core::Diagnostics diag;       // its problems, pointing at the template and the data file
    render::RenderStats segments;
};

struct BatchResult {
    // Problems that stopped the batch before any row (unreadable template or data, two rows
    // writing one file, …): one line each, as printed. Empty when rows ran.
    std::vector<std::string> errors;
    std::vector<std::string> warnings;  // about the inputs (e.g. the data file's encoding)
    std::vector<BatchRow> rows;
    int jobs = 0, workers = 0;
    std::filesystem::path cache_dir;  // empty: no cache
    double wall_s = 0;
    bool cancelled = false;
    // 0 every row done or up to date, 2 an input or script error (in a row or before), 1 a row
    // failed while rendering, 130 cancelled.
    int exit_code() const;
};

}  // namespace sw::engine
