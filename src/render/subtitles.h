#pragma once
// Burned-in subtitles: the narration as cues timed to the voice (each cue starts when its words
// are spoken, from the TTS engine's sentence timings) or, without a voice, spread over the part
// of each shot between its transitions. Cues are laid out by text::SubtitleRenderer.

#include <string>
#include <vector>

#include "core/diagnostics.h"
#include "lang/lexicon.h"
#include "render/voice.h"
#include "text/subtitle.h"
#include "timeline/plan.h"
#include "timeline/project.h"

namespace sw::render {

struct TimedCue {
    int64_t start_frame = 0;  // first output frame showing it
    int64_t end_frame = 0;    // one past the last
    std::string text;         // one cue, its lines separated by '\n' (fits style.max_lines at the output width)
    int shot = 0;
};

// Every cue of the video, in time order, never overlapping, its lines broken with the terms of
// `words` kept whole (the line breaks are part of the cue, so they reach the segment keys and
// the .srt/.ass side files).
std::vector<TimedCue> build_cues(const timeline::Project& project, const timeline::Plan& plan, const VoiceOver* voice,
                                 const text::SubtitleStyle& style, int width, int height, const lang::Lexicon* words);

// A title's lines for the title style, joined with '\n' (terms of `words` kept whole).
std::string lay_out_title(const std::string& title, const text::SubtitleStyle& title_style, int width, int height,
                          const lang::Lexicon* words);

// The text a shot's title shows (cards without a title show the shot's name).
const std::string& shown_title(const timeline::Shot& shot);

// Warns, at the character's file:line:col, about every character of the drawn text (burned-in
// narration, titles) that no installed font has: it is left out of the picture rather than
// drawn as a box. Emoji are drawn in colour (Noto Color Emoji).
void check_text_glyphs(const timeline::Project& project, core::Diagnostics& diag);

}  // namespace sw::render
