#pragma once
// Rendering a video: it is cut into segments (segment_plan.h) that worker threads compose and
// encode side by side, each segment found in the segment cache when nothing that decides its
// pixels changed; the segments are then joined by stream copy with the soundtrack, mixed for the
// whole timeline meanwhile. Memory is bounded by the number of workers, not by the length.

#include <filesystem>
#include <functional>

#include "core/cancel.h"
#include "core/error.h"
#include "media/media.h"
#include "render/render_pool.h"
#include "render/segment_cache.h"
#include "render/voice.h"
#include "timeline/plan.h"
#include "timeline/project.h"

namespace sw::render {

struct Progress {
    int64_t frames_done = 0;   // encoded so far, plus the frames of segments found in the cache
    int64_t total_frames = 0;
    double elapsed_s = 0;
    // Segments: finished (encoded now or reused) of all, and of those how many came from the
    // cache. `segments_reused` counts at once, before any frame is encoded.
    int segments_done = 0, segments_total = 0, segments_reused = 0;
};

// What a render did: segments encoded now, reused from the cache, or shared with another render
// running at the same time that was already encoding them (a batch).
struct RenderStats {
    int rendered = 0;
    int reused = 0;
    int shared = 0;
};

struct RenderOptions {
    std::filesystem::path output;
    // width/height/fps are taken from the plan (or the overrides below); x264 runs one thread
    // per segment whatever `threads` says (the workers are the parallelism).
    media::EncodeSettings encode;
    int width = 0, height = 0;      // 0 = the plan's size; otherwise render at this size (preview)
    // One decoder thread per clip: x264 keeps every core busy, a single-threaded H.264 decoder
    // outpaces 30 fps by far, and each extra frame thread costs a copy of the reference frames.
    int decoder_threads = 1;
    // The synthesised narration (from prepare_voice, planned with its lengths); null = none.
    const VoiceOver* voice = nullptr;
    // Side files beside the output, written after the video: <output>.srt / <output>.ass.
    bool write_srt = false;
    bool write_ass = false;
    // Called after each frame from the worker that encoded it (serialised: one call at a
    // time); keep it cheap.
    std::function<void(const Progress&)> on_progress;
    // Segments are looked up in and stored to this cache; null renders every segment (into a
    // temporary folder beside the output, removed afterwards).
    SegmentCache* cache = nullptr;
    // After the join, evict least-recently-used cache entries over the cache's limit (a batch
    // does that once at its end instead).
    bool evict = true;
    // The workers: a pool shared with other renders (a batch), or null for a pool of `workers`
    // threads (0 = RenderPool::default_workers) made for this render.
    RenderPool* pool = nullptr;
    int workers = 0;
    RenderStats* stats = nullptr;  // filled when given
    // Stops the render (its queued segments leave the shared pool at once; a running one stops
    // at its next frame). A fresh token never fires except on SIGINT/SIGTERM.
    core::CancelToken cancel;
};

// Renders the planned project to options.output (MP4 written to a temporary file and renamed on
// success). Errors name the shot and file; a cancel (options.cancel, or core::request_cancel)
// returns an Error of category Cancelled; in every failure case no file is left at options.output.
core::Status render_project(const timeline::Project& project, const timeline::Plan& plan, const RenderOptions& options);

}  // namespace sw::render
