#pragma once
// Planning: turns a Project into frame-exact positions on the output timeline, following
// FFmpeg xfade's arithmetic: adjacent shots overlap by their transition, so
//   total_frames = Σ shot frames − Σ transition frames.
// During the transition from shot i into shot i+1 (d frames, starting at output frame s),
// output frame s+k (0 ≤ k < d) combines frame (n_i − d + k) of shot i with frame k of shot i+1,
// at xfade progress p = 1 − k/d (1 = all shot i, falling toward 0 = all shot i+1).

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.h"
#include "timeline/project.h"

namespace sw::timeline {

// Reading-speed estimate used when a shot has no `duration:` (until TTS decides durations):
// Chinese/Japanese/Korean characters at kCjkCharsPerSecond, other words at kWordsPerSecond,
// plus kReadingPadUs, never shorter than kMinShotUs.
inline constexpr double kCjkCharsPerSecond = 4.0;
inline constexpr double kWordsPerSecond = 2.5;
inline constexpr int64_t kReadingPadUs = 500'000;
inline constexpr int64_t kMinShotUs = 2'000'000;
int64_t estimate_reading_us(const std::vector<std::string>& narration);

// What the estimate counts: CJK code points (Han, kana, Hangul) and other "words" (runs of
// non-space, non-CJK characters containing a letter or digit). Punctuation is not read.
struct ReadingCount {
    int64_t cjk_chars = 0;
    int64_t words = 0;
};
ReadingCount count_reading_units(std::string_view text);
// True for code points read one per syllable (Han ideographs, kana, Hangul syllables).
bool is_cjk(char32_t c);

struct PlannedTransition {
    std::string name;      // registry name; never "cut" (cuts have no PlannedTransition)
    int64_t start_frame;   // first output frame of the overlap
    int64_t frames;        // overlap length d ≥ 1
    SourceLoc loc;
};

struct PlannedShot {
    int index = 0;
    int64_t start_frame = 0;  // first output frame showing this shot (start of the incoming overlap)
    int64_t frames = 0;       // frames this shot supplies, overlaps included (n_i)
    int64_t in_frames = 0;    // frames of the incoming transition (0 for a cut / first shot)
    int64_t out_frames = 0;   // frames of the outgoing transition
    bool duration_estimated = false;  // from narration, not `duration:`
    // Video shots: source frames available after trimming, at output fps (−1 if unknown/not video).
    int64_t source_frames = -1;
    bool holds_last_frame = false;    // shot longer than its trimmed source: last frame held
    // Voice-over: where the shot's spoken narration starts (frames from the shot's first frame)
    // and how long it is; 0/0 without a voice.
    int64_t voice_offset_frames = 0;
    int64_t voice_frames = 0;
};

struct Plan {
    int width = 0;
    int height = 0;
    core::Rational fps{30, 1};
    int64_t total_frames = 0;
    std::vector<PlannedShot> shots;
    std::vector<PlannedTransition> transitions;  // sorted by start_frame; at most one per boundary
    // transition_after[i] = index into `transitions` of the one between shot i and i+1, or -1.
    std::vector<int> transition_after;
};

// Validates and plans. Reports every problem into `diag` (unknown transition with a
// suggestion, zero/negative durations, a transition longer than the shots it joins, ...).
// `source_frames` (optional, per shot): usable frames of each video shot's source after trim,
// at the output rate, used to flag held last frames. Returns a plan even with warnings;
// on errors the returned plan is best-effort and must not be rendered.
// `speech_us` (optional, per shot): the length of each shot's spoken narration. A shot without
// `duration:` then lasts its incoming transition + kVoiceLeadUs + the speech + kVoiceTailUs + its
// outgoing transition, so no transition ever covers the voice; a fixed `duration:` too short for
// it gets a warning saying by how much.
inline constexpr int64_t kVoiceLeadUs = 200'000;
inline constexpr int64_t kVoiceTailUs = 500'000;
Plan plan_project(const Project& project, core::Diagnostics& diag,
                  const std::vector<int64_t>& source_frames = {}, const std::vector<int64_t>& speech_us = {});

}  // namespace sw::timeline
