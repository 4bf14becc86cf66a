#pragma once
// What a render may write, and what it must never overwrite: every file the project reads
// (script, shot media, recorded voices, music, logo, generator settings) and the library.

#include <filesystem>
#include <string>
#include <vector>

#include "core/diagnostics.h"
#include "core/file.h"
#include "timeline/project.h"

namespace sw::engine {

// Every file the project reads, each with what it is to the user — for refusing outputs over them.
std::vector<core::ReadFile> project_inputs(const timeline::Project& p);

// The one check of everything a render writes: `outputs` (the video first, then its side files
// and stamps, each with the label messages use, e.g. "-o promo.mp4"). None may be a file the
// project or `extra_inputs` read (core::check_output_path), nor an existing file in the library
// folder (a file there is footage to the library); a new file inside the library folder is only
// a warning in `warnings` (it would be indexed next time). `create_folders`: missing folders will
// be made (batch). Input error saying what to do.
core::Status check_outputs(const std::vector<std::pair<std::filesystem::path, std::string>>& outputs,
                           const timeline::Project& p, const std::vector<core::ReadFile>& extra_inputs,
                           bool create_folders, core::Diagnostics& warnings);

// Removes what killed renders of `out` left beside it, when their process is gone: the
// working folder of a render without the cache (".OUT.segments-.tmp.<pid>.<n>"), subtitle side
// files' temporaries ("OUT.srt.tmp.<pid>.<n>") and batch stamps' ("OUT.batch.json.part-<pid>").
// (The video's own ".OUT.part-<pid>.mp4" goes when media::Mp4Writer opens it.)
void remove_orphaned_temps_beside(const std::filesystem::path& out);

// The segment cache folder may not be a file the project reads nor lie in its library folder
// (the library would index the cache's videos as footage).
core::Status check_cache_dir(const std::filesystem::path& dir, const timeline::Project& p);

}  // namespace sw::engine
