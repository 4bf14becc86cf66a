#pragma once
// The command line's shared pieces: parsing the options several commands take into the engine's
// settings, and printing what the engine reports (diagnostics, a progress bar, JSON lines).

#include <string>
#include <vector>

#include "core/diagnostics.h"
#include "engine/engine.h"

namespace sw::cli {

// Prints "shotweave: MSG" and the pointer to --help; returns the usage exit code (2).
int usage_error(const std::string& msg);

// In file order, one line each.
void print_diagnostics(const core::Diagnostics& diag);

enum class ParsedOption { NotOurs, Taken, UsageError };

// Each parser looks at args[i] (advancing i past a value it takes). UsageError: `error` says
// what is wrong; the caller prints it with the command's name.

// --library/--seed/--offline/--strict (check, generate, render, batch).
ParsedOption parse_load_option(const std::vector<std::string>& args, size_t& i, engine::LoadOptions& o,
                               std::string& error);

// --crf, --preset, --bitrate, --subtitles (render and batch).
ParsedOption parse_encode_option(const std::vector<std::string>& args, size_t& i, engine::RenderSettings& s,
                                 std::string& error);

// --no-cache, --cache-dir DIR, --cache-limit SIZE.
ParsedOption parse_cache_option(const std::vector<std::string>& args, size_t& i, engine::EngineOptions& o,
                                std::string& error);

// --progress bar|json|none. Json: every engine event as one JSON line on stdout (docs/progress.md).
enum class ProgressStyle { Auto, Bar, Json, None };
ParsedOption parse_progress_option(const std::vector<std::string>& args, size_t& i, ProgressStyle& style,
                                   std::string& error);

// Everything render and batch both take: the load, encode, cache and progress options.
struct RenderOptionTargets {
    engine::LoadOptions& load;
    engine::RenderSettings& settings;
    engine::EngineOptions& engine;
    ProgressStyle& progress;
};
ParsedOption parse_render_option(const std::vector<std::string>& args, size_t& i, const RenderOptionTargets& to,
                                 std::string& error);

// "1:05", "1:02:03"; "--:--" when unknown.
std::string clock(double seconds);

// Draws the progress bar on stderr (at most ten times a second, and at 100 %).
class ProgressBar {
public:
    void update(const engine::Event& e);
    // Ends the bar's line if one was drawn.
    void finish();

private:
    bool m_drawn = false;
    double m_last = -1;
};

// Prints a Diagnostics event's problems, one line each (and how many were left out).
void print_diagnostics(const engine::Event& e);

// Writes an event as one JSON line on stdout (serialised: events come from worker threads).
void print_json_event(const engine::Event& e);

}  // namespace sw::cli
