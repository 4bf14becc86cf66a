#pragma once
// What a job tells whoever runs it, as it goes: the phase it entered, frames and segments done
// with an ETA, a line from a model's generation, the problems found (with their locations), a
// batch row's status, and the end. The terminal's progress bar, `render --progress json` and the
// studio's job feed are consumers of the same events. Fields: docs/progress.md.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/diagnostics.h"

namespace sw::engine {

enum class EventType { Phase, Progress, Message, Diagnostics, Row, Done };
// In the order a render goes through them (a batch adds Batch before its rows).
enum class Phase { Batch, Read, Voice, Visuals, Generate, Media, Plan, Outputs, Render };

const char* event_type_name(EventType t);
const char* phase_name(Phase p);

struct Event {
    EventType type = EventType::Message;
    std::string job;          // the job's id
    Phase phase = Phase::Read;
    int row = 0;              // a batch's data row (1-based); 0 outside a batch
    int rows_total = 0;
    std::string row_label;    // "city=哈尔滨"
    int row_line = 0;         // the row's line in the data file (0: its diagnostics name it)
    int shot = 0;             // 1-based; 0 = not about one shot
    std::string shot_name;

    // Progress (phase Render): frames include those of segments found in the cache.
    int64_t frames_done = 0, frames_total = 0;
    int segments_done = 0, segments_total = 0, segments_reused = 0;
    double elapsed_s = 0;
    double fps = 0;           // frames per second so far
    double eta_s = -1;        // < 0: not known yet

    // Message: a line for people (a model's progress, a chained clip's continuity).
    // Row and Done: the status ("rendering", "done", "up to date", "failed", "interrupted").
    std::string text;
    // Diagnostics: in file order; `omitted` more were found and not kept.
    std::vector<core::Diagnostic> diagnostics;
    size_t omitted = 0;

    // Row (when it ends) and Done: what was written, how long the video is and took.
    std::string output;
    double video_s = -1, render_s = -1;
    int segments_encoded = 0, segments_shared = 0;
    std::string error;        // the first error, when failed
};

using EventSink = std::function<void(const Event&)>;

// One JSON object per event (keys only where they mean something for its type).
nlohmann::json to_json(const Event& e);

// The diagnostics in file order (sorted by location, stable), as the events carry them.
std::vector<core::Diagnostic> in_file_order(const core::Diagnostics& diag);
// One line each ("file:line:col: warning: …") plus the omitted note: what a terminal prints.
std::string diagnostics_text(const core::Diagnostics& diag);

}  // namespace sw::engine
