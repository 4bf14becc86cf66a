#pragma once
// The storyboard `shotweave check` prints: a table for people and JSON for programs.
// JSON field names are stable and documented in docs/storyboard-json.md.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/diagnostics.h"
#include "timeline/plan.h"
#include "timeline/project.h"

namespace sw::script {

// A table, one row per shot: #, start, duration, name, visual, transition out, narration
// preview; then the total length (seconds and frames) and output settings. Columns are aligned
// for terminals, counting East Asian wide characters as two columns. Ends with a newline.
std::string storyboard_text(const timeline::Project& project, const timeline::Plan& plan);

// The same as JSON (schema_version 1). `diag` supplies the "diagnostics" array.
nlohmann::json storyboard_json(const timeline::Project& project, const timeline::Plan& plan,
                               const core::Diagnostics& diag);

// One diagnostic as JSON: severity, file, line, col, message, hint, text (docs/storyboard-json.md);
// the storyboard and the engine's events both use it.
nlohmann::json diagnostic_json(const core::Diagnostic& d);

// Terminal columns taken by `text` (wide CJK/full-width characters count 2).
size_t display_width(std::string_view text);

}  // namespace sw::script
