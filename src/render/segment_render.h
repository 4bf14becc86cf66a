#pragma once
// Rendering one segment of a video (segment_plan.h): the shot sources from the segment's first
// frame, the transition, subtitles, title and logo composed over them, encoded by a
// single-threaded x264 into a file of its own. Many segments render at once, one per worker
// thread; everything they share is prepared once in a RenderShared.
//
// A segment's key (segment_key) is the SHA-256 of its material: a text listing everything that
// decides its pixels — the engine build, the output and encoder settings, each shown shot's
// visual (file contents by digest, trim, move, fit, built-in scene words and seed, length) and
// the part of it shown, the transition, the subtitle cues and title inside the segment (timed
// from the segment's start), the subtitle and logo looks. Where the segment sits in the video is
// not part of it, so later shots moving in time keep their keys.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "effects/transition.h"
#include "media/media.h"
#include "render/segment_plan.h"
#include "render/shot_source.h"
#include "render/subtitles.h"
#include "text/blend.h"
#include "text/subtitle.h"
#include "timeline/plan.h"
#include "timeline/project.h"

namespace sw::render {

// Read-only once built: shared by every worker rendering this video's segments.
struct RenderShared {
    const timeline::Project* project = nullptr;
    const timeline::Plan* plan = nullptr;
    RenderContext ctx;
    std::vector<const effects::Transition*> transitions;  // per plan.transitions
    std::vector<TimedCue> cues;                           // burned in (empty without)
    std::vector<TimedCue> side_cues;                      // for the .srt/.ass side files
    std::optional<text::SubtitleStyle> subtitle_style;    // set when cues were built
    text::SubtitleStyle title_style;
    std::vector<std::string> titles;  // per shot: its title's lines joined with '\n' ("" = none)
    int64_t title_fade = 1;  // frames of a title's entrance (and exit)
    std::optional<text::CueBitmap> logo;
    media::EncodeSettings encode;  // segment encoding: size, rate, preset, quality; x264 threads = 1
};

struct SharedOptions {
    int width = 0, height = 0;  // 0 = the plan's size
    int decoder_threads = 1;
    media::EncodeSettings encode;
    const VoiceOver* voice = nullptr;
    bool side_cues = false;  // keep cues for .srt/.ass even when not burned in
};

// Resolves transitions, times the subtitle cues, loads the logo. Errors name the shot or file.
core::Result<RenderShared> prepare_shared(const timeline::Project& project, const timeline::Plan& plan,
                                          const SharedOptions& options);

// The material of a segment's key (see the top of this file). `digest` gives a file's content
// digest (SegmentCache::file_digest); errors are the digest's.
using DigestFn = std::function<core::Result<std::string>(const std::filesystem::path&)>;
core::Result<std::string> segment_material(const RenderShared& shared, const Segment& segment, const DigestFn& digest);

// The key: SHA-256 (64 hex digits) of the material.
std::string segment_key(const std::string& material);

// A short description for people ("shot 3 \"Harbour\" frames 0-89", "fade 3→4").
std::string segment_label(const RenderShared& shared, const Segment& segment);

// Renders the segment into `path` (an MP4 with one H.264 track, written atomically). `stop` is
// polled per frame: when it returns true the render stops with a Cancelled error. `on_frame`
// (may be empty) is called after each encoded frame.
core::Status render_segment(const RenderShared& shared, const Segment& segment, const std::filesystem::path& path,
                            const std::function<bool()>& stop, const std::function<void()>& on_frame);

}  // namespace sw::render
