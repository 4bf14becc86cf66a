#pragma once
// Reading a script the way `check`, `render`, `generate` and `batch` all do: read, prepare the
// voice, pick visuals, make generated clips, inspect media, plan. Shared so that a batch row is
// loaded exactly like `shotweave render` loads a script.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.h"
#include "core/file.h"
#include "render/clips.h"
#include "render/renderer.h"
#include "render/voice.h"
#include "script/script.h"
#include "timeline/plan.h"
#include "timeline/project.h"

namespace sw::cli {

// Prints "shotweave: MSG" and the pointer to --help; returns the usage exit code (2).
int usage_error(const std::string& msg);

// In file order (reading, media inspection and planning find problems in separate passes).
void print_diagnostics(const core::Diagnostics& diag);
// The same as text (one line each), for callers that print several rows' diagnostics at once.
std::string diagnostics_text(const core::Diagnostics& diag);

struct Loaded {
    timeline::Project project;
    render::VoiceOver voice;
    timeline::Plan plan;
    core::Diagnostics diag;
    bool ok = false;
};

// Options of check and render that change what the script means.
struct LoadOptions {
    std::string library;              // --library DIR (overrides `library:`)
    std::optional<uint64_t> seed;     // --seed N (overrides `seed:`)
    render::ClipOptions clips;        // generated clips: check only looks in the cache
};

// Parses --library/--seed/--offline/--strict at args[i] (advancing i past a value it takes).
// UsageError: the problem was printed; exit with usage_error's code (2).
enum class ParsedOption { NotOurs, Taken, UsageError };
ParsedOption parse_load_option(const std::vector<std::string>& args, size_t& i, LoadOptions& o);

// Parses an encoding option shared by render and batch: --crf, --preset (sets `preset_given`),
// --bitrate, --subtitles. UsageError: `error` says what is wrong; the caller prints it.
ParsedOption parse_encode_option(const std::vector<std::string>& args, size_t& i, render::RenderOptions& opt,
                                 bool& preset_given, std::string& error);

// The segment cache as the command line asks for it.
struct CacheOptions {
    bool use = true;              // --no-cache: render every segment
    std::filesystem::path dir;    // --cache-dir DIR (default render::default_segment_cache_dir())
    uint64_t limit = 0;           // --cache-limit SIZE (default render::default_segment_cache_limit())
};
// Parses --no-cache, --cache-dir DIR, --cache-limit SIZE at args[i].
ParsedOption parse_cache_option(const std::vector<std::string>& args, size_t& i, CacheOptions& o, std::string& error);
// Opens the cache the options name; nullopt (after printing why, as a warning) when it cannot
// be used — the render then goes on without it. nullopt without a word for --no-cache.
std::optional<render::SegmentCache> open_cache(const CacheOptions& o);

// Every file the project reads (script, shot media, recorded voices and their .srt, music, logo,
// generator config), each with what it is to the user — for refusing outputs over them.
std::vector<core::ReadFile> project_inputs(const timeline::Project& p);

// The one check of everything a render writes: `out` (named `shown` in messages, e.g. "-o
// promo.mp4") and, as `opt` asks, its .srt/.ass side files, plus `extra_outputs` (batch stamps).
// None may be a file the project or `extra_inputs` read (core::check_output_path), nor an
// existing file in the library folder (a file there is footage to the library); a new file
// inside the library folder is only a warning in `warnings` (it would be indexed next time).
// `create_folders`: missing folders will be made (batch). Input error saying what to do.
core::Status check_outputs(const std::filesystem::path& out, const std::string& shown,
                           const render::RenderOptions& opt, const timeline::Project& p,
                           const std::vector<core::ReadFile>& extra_inputs, bool create_folders,
                           core::Diagnostics& warnings,
                           const std::vector<std::filesystem::path>& extra_outputs = {});
// Removes what killed renders of `out` left beside it, when their process is gone: the
// working folder of a render without the cache (".OUT.segments-.tmp.<pid>.<n>"), subtitle side
// files' temporaries ("OUT.srt.tmp.<pid>.<n>") and batch stamps' ("OUT.batch.json.part-<pid>").
// (The video's own ".OUT.part-<pid>.mp4" goes when media::Mp4Writer opens it.)
void remove_orphaned_temps_beside(const std::filesystem::path& out);

// The segment cache folder may not be a file the project reads nor lie in its library folder
// (the library would index the cache's videos as footage).
core::Status check_cache_dir(const CacheOptions& co, const timeline::Project& p);

// Reads, inspects media and plans; every problem lands in `diag`.
Loaded load(const std::filesystem::path& script, const LoadOptions& opts = {});

// The same for script text in memory (a filled batch template): messages name `script` and
// relative paths resolve against its folder.
Loaded load_text(std::string_view text, const std::filesystem::path& script, script::Format format,
                 const LoadOptions& opts = {});

}  // namespace sw::cli
