#pragma once
// ClipScheduler: generates a batch of clips on one backend — cache first, at most
// caps.max_concurrency at once, a deadline per attempt, retries with exponential backoff,
// normalisation into the cache, progress per job, cancellation, and jobs that wait for an earlier
// job's clip (chaining: a long shot continues from the previous clip's last frame).

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "models/clip_adapter.h"
#include "models/clip_cache.h"

namespace sw::models {

struct ClipJob {
    std::string label;      // for progress and messages, e.g. the shot name
    ClipRequest request;    // as the engine wants it; snapped by the scheduler
    NormalizeTarget target; // what the cached clip is normalised to
    // Index of an earlier job (< this job's index) whose clip must exist before this job starts;
    // -1 = none. When that job fails, this one fails without running.
    int depends_on = -1;
    // Called right before the job is looked up or generated (after its dependency finished),
    // with the dependency's cached clip (empty when depends_on is -1). It may change the request,
    // e.g. set init_image to the previous clip's last frame. An error fails the job (no retry).
    std::function<core::Status(ClipRequest& request, const fs::path& dependency_clip)> prepare;
};

enum class ClipJobState { Queued, Cached, Running, Retrying, Done, Failed };
const char* to_string(ClipJobState s);

struct ClipProgress {
    size_t job = 0;
    std::string label;
    ClipJobState state = ClipJobState::Queued;
    double fraction = 0;  // 0..1 within the current attempt (1 when done or cached)
    int attempt = 0;      // 1-based; 0 before the first
    std::string message;  // for Retrying/Failed: the error that caused it
};

struct ClipJobResult {
    fs::path clip;                   // the cached, normalised MP4 (empty on failure)
    std::optional<core::Error> error;
    int attempts = 0;                // generation attempts made (0 when cached)
    bool cached = false;             // served from the cache
    bool ok() const { return !error.has_value(); }
};

struct ClipSchedulerOptions {
    fs::path cache_dir;   // empty = default_clip_cache_dir()
    fs::path work_dir;    // where attempts run (one fresh subfolder each, removed after a
                          // success); empty = a folder under the system temp directory
    // Called from worker threads, one call at a time.
    std::function<void(const ClipProgress&)> on_progress;
    // Besides core::cancelled(): stops waiting jobs and the running generations.
    const std::atomic<bool>* cancel = nullptr;
};

class ClipScheduler {
public:
    // `adapter` must outlive the scheduler. Timeout, retries, backoff, model and default
    // negative/extra come from `config`; capabilities and concurrency from the adapter.
    ClipScheduler(ClipAdapter& adapter, GeneratorConfig config, ClipSchedulerOptions options = {});

    // Runs every job; returns one result per job, in order. Never throws; errors are per job
    // (Cancelled for jobs stopped or never started because of a cancel).
    std::vector<ClipJobResult> run(const std::vector<ClipJob>& jobs);

private:
    ClipAdapter& m_adapter;
    GeneratorConfig m_config;
    ClipSchedulerOptions m_options;
};

}  // namespace sw::models
