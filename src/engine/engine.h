#pragma once
// The engine: everything between a script and finished outputs — read, voice, pick visuals,
// generate clips, inspect media, plan, render, batch — as a library that any front end drives
// (the command line, the HTTP studio, cluster workers). One Engine holds what a long-running
// process shares between jobs: the segment workers, the segment cache, the locks that keep two
// jobs from indexing one library or calling one model at once. Jobs run on the caller's
// threads, several at once; each has a cancel token and reports structured events. Results are
// data (docs/architecture.md, docs/progress.md).

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/cancel.h"
#include "core/diagnostics.h"
#include "core/error.h"
#include "core/file.h"
#include "engine/events.h"
#include "media/media.h"
#include "render/clips.h"
#include "render/render_pool.h"
#include "render/renderer.h"
#include "render/segment_cache.h"
#include "render/voice.h"
#include "script/script.h"
#include "timeline/plan.h"
#include "timeline/project.h"

namespace sw::engine {

// A script: a file, or text in memory (a filled template, an upload) that messages call `path`
// and whose relative paths resolve against `path`'s folder.
struct ScriptSource {
    std::filesystem::path path;
    std::optional<std::string> text;
    script::Format format = script::Format::Markdown;  // for text; a file's comes from its name
};

// Choices that change what the script means (the command line's --library, --seed, …).
struct LoadOptions {
    std::string library;              // overrides `library:`
    std::optional<uint64_t> seed;     // overrides `seed:`
    bool offline = false;             // only generated clips already in the cache
    bool strict = false;              // a clip the model fails to make is an error
};

// A script read, its voice made, its visuals chosen, its media inspected and planned.
struct Loaded {
    timeline::Project project;
    render::VoiceOver voice;
    timeline::Plan plan;
    core::Diagnostics diag;  // everything found, warnings and errors, with locations
    bool ok = false;         // no errors: it can be rendered
};

// How to encode.
struct RenderSettings {
    media::EncodeSettings encode;  // crf, preset, bitrate (size and rate come from the plan)
    bool preset_given = false;     // else a preview uses x264's fastest preset
    bool preview = false;          // half size
    bool write_srt = false, write_ass = false;  // side files beside the video
};

struct RenderRequest {
    ScriptSource script;
    LoadOptions load;
    RenderSettings settings;
    // Empty: the script's name with .mp4 (.preview.mp4 for a preview), beside it.
    std::filesystem::path output;
};

enum class Outcome { Done, UpToDate, InputError, RenderError, Cancelled, NotStarted };
const char* outcome_name(Outcome o);
int exit_code(Outcome o);  // 0, 0, 2, 1, 130, 130

struct RenderResult {
    Outcome outcome = Outcome::InputError;
    std::optional<core::Error> error;   // why it did not finish (the diagnostics say more)
    bool started = false;               // the outputs were accepted and rendering began
    Loaded loaded;
    std::filesystem::path output;       // the video (written when Done)
    std::vector<std::filesystem::path> side_files;  // .srt/.ass written beside it
    int width = 0, height = 0;
    int64_t frames = 0;
    double video_s = 0, render_s = 0;
    render::RenderStats segments;
};

struct GenerateResult {
    Outcome outcome = Outcome::InputError;
    std::optional<core::Error> error;
    Loaded loaded;
    struct Shot {
        int index = 0;  // 1-based
        std::string name;
        int clips = 0, cached_clips = 0;
        std::string continuity;  // how chained clips were joined
    };
    std::vector<Shot> shots;  // the shots the model drew
};

// One job's identity, cancel token and event sink (may be empty).
struct Job {
    std::string id;
    core::CancelToken cancel;
    EventSink on_event;
    void emit(Event e) const;
};

struct EngineOptions {
    int workers = 0;                  // segments encoded at once (0: one per core, bounded by memory)
    bool use_cache = true;            // the segment cache
    std::filesystem::path cache_dir;  // empty: render::default_segment_cache_dir()
    uint64_t cache_limit = 0;         // bytes; 0: render::default_segment_cache_limit()
    std::string tts_cache_dir;        // synthesised speech; empty: audio::TtsCache::default_dir()
    std::filesystem::path clip_cache_dir;  // model clips; empty: models::default_clip_cache_dir()
};

struct BatchRequest;
struct BatchResult;

class Engine {
public:
    explicit Engine(EngineOptions options = {});
    ~Engine();
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    // The segment cache, opened at first use (after a job's checks: a --cache-dir inside the
    // library is refused before anything is made there); null without one. When it cannot be
    // opened, `warning` (if given) says why, once, and renders go on without it.
    render::SegmentCache* segment_cache(std::string* warning = nullptr);

    // Reads, voices, picks, generates (unless `dry_run`: only clips already made), inspects
    // and plans. Every problem lands in the result's diagnostics.
    Loaded load(const ScriptSource& script, const LoadOptions& options, const Job& job, bool dry_run = false);
    // What `check` shows: load without calling a model.
    Loaded check(const ScriptSource& script, const LoadOptions& options, const Job& job = {});
    // Load, then render to the request's output. Nothing is left at the output unless Done.
    RenderResult render(const RenderRequest& request, const Job& job = {});
    // Only make the generated clips (into their cache).
    GenerateResult generate(const ScriptSource& script, const LoadOptions& options, const Job& job = {});
    // One video per data row (engine/batch.h).
    BatchResult batch(const BatchRequest& request, const Job& job = {});

    // The workers, made at first use (sized for the first frame size asked for).
    render::RenderPool& pool(int width, int height);

private:
    friend class BatchRun;
    // Counts the jobs running; the last one out trims the cache (not while another job may be
    // between looking a segment up and joining it).
    struct Active {
        Engine& engine;
        explicit Active(Engine& e) : engine(e)
        {
            std::lock_guard lock(engine.m_mutex);
            ++engine.m_active;
        }
        ~Active() { engine.job_finished(); }
    };
    // Renders a loaded project to `output`; checks outputs first. `extra_inputs` may not be
    // overwritten either; `extra_outputs` are written beside (batch stamps).
    void render_loaded(Loaded& loaded, const RenderSettings& settings, const std::filesystem::path& output,
                       const std::string& shown, const std::vector<core::ReadFile>& extra_inputs,
                       const std::vector<std::filesystem::path>& extra_outputs, bool create_folders,
                       const Job& job, int row, RenderResult& result);
    std::mutex& lock_for(const std::string& kind, const std::filesystem::path& what);
    void job_finished();

    EngineOptions m_options;
    std::mutex m_mutex;  // guards the members below
    std::optional<render::SegmentCache> m_cache;
    bool m_cache_tried = false;
    std::unique_ptr<render::RenderPool> m_pool;
    std::map<std::string, std::unique_ptr<std::mutex>> m_locks;
    int m_active = 0;
};

}  // namespace sw::engine
