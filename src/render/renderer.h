#pragma once
// The frame pipeline: shot sources (decode + fit + move) run in their own threads a little
// ahead of need, the compositor applies transitions in output order, and the encoder consumes
// frames through a short queue. Memory is bounded by the queue sizes, not by the video's length.

#include <filesystem>
#include <functional>

#include "core/error.h"
#include "media/media.h"
#include "render/voice.h"
#include "timeline/plan.h"
#include "timeline/project.h"

namespace sw::render {

struct Progress {
    int64_t frames_done = 0;   // encoded so far
    int64_t total_frames = 0;
    double elapsed_s = 0;
};

struct RenderOptions {
    std::filesystem::path output;
    media::EncodeSettings encode;   // width/height/fps are taken from the plan (or the overrides below)
    int width = 0, height = 0;      // 0 = the plan's size; otherwise render at this size (preview)
    // One decoder thread per clip: x264 keeps every core busy, a single-threaded H.264 decoder
    // outpaces 30 fps by far, and each extra frame thread costs a copy of the reference frames.
    int decoder_threads = 1;
    // The synthesised narration (from prepare_voice, planned with its lengths); null = none.
    const VoiceOver* voice = nullptr;
    // Side files beside the output, written after the video: <output>.srt / <output>.ass.
    bool write_srt = false;
    bool write_ass = false;
    // Called from the encoder thread after each frame; keep it cheap.
    std::function<void(const Progress&)> on_progress;
};

// Renders the planned project to options.output (MP4 written to a temporary file and renamed on
// success). Errors name the shot and file; a cancel (core::request_cancel) returns an Error of
// category Cancelled; in every failure case no file is left at options.output.
core::Status render_project(const timeline::Project& project, const timeline::Plan& plan, const RenderOptions& options);

}  // namespace sw::render
