#pragma once
// Resolving what a shot shows when the script does not name a file: the best asset of the user's
// media library (`library:`), else a scene from the built-in generator. Runs after the voice is
// prepared (shot lengths decide whether a clip is long enough) and before media inspection and
// planning (a picked clip is then probed and planned like one written in the script).

#include <vector>

#include "core/diagnostics.h"
#include "timeline/project.h"

namespace sw::render {

// Updates the library index (incrementally) and fills each shot's `choice`; shots given a
// library asset become Media shots. `speech_us` (per shot, may be empty) sizes the clips wanted.
// Library problems (missing folder, unreadable index location) are reported into `diag` at the
// `library:` line; files the index skipped are one warning listing them.
void resolve_visuals(timeline::Project& project, const std::vector<int64_t>& speech_us, core::Diagnostics& diag);

// The length a picture should have to fill shot `i` (its `duration:`, else its speech with the
// lead-in and tail, else the reading estimate).
int64_t shot_length_wanted_us(const timeline::Shot& shot, size_t i, const std::vector<int64_t>& speech_us);

// The words a shot's visual is found or made from: its description; for a title card its title
// (else name); else its narration, else its name.
std::string visual_query(const timeline::Shot& shot);

}  // namespace sw::render
