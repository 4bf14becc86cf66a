#pragma once
// Subtitle side files written next to the video: SubRip (.srt) for every player and platform
// upload, and Advanced SubStation (.ass) carrying the burned-in style for editors.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/error.h"
#include "text/subtitle.h"  // SubtitleStyle only (a plain struct; no sw_text symbols needed)

namespace sw::exporter {

struct Cue {
    int64_t start_us = 0;
    int64_t end_us = 0;
    std::string text;  // may contain '\n' (line breaks)
};

// "HH:MM:SS,mmm" (SRT) and "H:MM:SS.cc" (ASS), rounded to the nearest unit.
std::string srt_time(int64_t us);
std::string ass_time(int64_t us);

// Numbered cues, LF line endings, one blank line between cues.
std::string to_srt(const std::vector<Cue>& cues);

// A complete .ass script with one "Default" style mapped from `style` for a play_res_x ×
// play_res_y canvas (the video size), and one Dialogue per cue ('\n' → \N; '{', '}' and '\'
// escaped so text is never read as override tags).
std::string to_ass(const std::vector<Cue>& cues, const text::SubtitleStyle& style, int play_res_x, int play_res_y);

// Reads SubRip text (as written by people and tools: optional BOM, CRLF or LF, cue numbers
// optional, "," or "." before the milliseconds, styling tags such as <i> removed). A malformed
// timing line is an Input error naming `name:line` and what a timing line looks like.
core::Result<std::vector<Cue>> parse_srt(std::string_view text, const std::string& name);


}  // namespace sw::exporter
