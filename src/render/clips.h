#pragma once
// Generated clips in a render: shots that the configured text-to-video model should draw
// (`visual: generate …`, and described shots the library could not serve) get clips from it —
// cached, several at once within the backend's limit, long shots chained from the previous
// clip's last frame and colour-matched — and become video shots like any other. A failure falls
// back to the library, then to the built-in scene generator, with a warning (an error with
// `strict`).

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/cancel.h"
#include "core/diagnostics.h"
#include "timeline/project.h"

namespace sw::render {

struct ClipOptions {
    bool offline = false;  // only clips already in the cache; the others fall back (listed)
    bool strict = false;   // a failed or missing clip is an error instead of a fallback
    bool dry_run = false;  // `check`: use cached clips, say what a render would generate, no warnings
    // Progress lines ("shot 3 冰雪大世界: clip 2/2 running 40%"), from worker threads one at a time.
    std::function<void(const std::string&)> on_progress;
    // Stops waiting and running generations (their shots then fall back; the caller checks).
    core::CancelToken cancel;
    std::filesystem::path cache_dir;  // the clip cache; empty: models::default_clip_cache_dir()
};

// The generator settings for a project: `generator:` if given, else a shotweave.toml beside the
// script that has a [generator] table; empty when there is none.
std::filesystem::path generator_config_path(const timeline::Project& project);

// Fills the clips in (see above). Does nothing without a generator.
void prepare_generated_clips(timeline::Project& project, const std::vector<int64_t>& speech_us, const ClipOptions& options,
                             core::Diagnostics& diag);

}  // namespace sw::render
