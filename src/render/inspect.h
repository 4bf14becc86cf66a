#pragma once
// Checks every media file a project names before rendering (`check` does it too): missing,
// unreadable, corrupt, no video stream, absurd sizes — all reported with the shot and its line.

#include <vector>

#include "core/diagnostics.h"
#include "timeline/project.h"

namespace sw::render {

// Probes each shot's media. Returns, per shot, the number of output-rate frames its video can
// supply after trimming (−1 for stills, cards and unreadable files), for timeline::plan_project.
std::vector<int64_t> inspect_media(const timeline::Project& project, core::Diagnostics& diag);

}  // namespace sw::render
