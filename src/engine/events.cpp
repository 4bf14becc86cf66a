#include "engine/events.h"

#include "script/storyboard.h"

#include <algorithm>
#include <tuple>

namespace sw::engine {

const char* event_type_name(EventType t)
{
    switch (t) {
    case EventType::Phase: return "phase";
    case EventType::Progress: return "progress";
    case EventType::Message: return "message";
    case EventType::Diagnostics: return "diagnostics";
    case EventType::Row: return "row";
    case EventType::Done: return "done";
    }
    return "?";
}

const char* phase_name(Phase p)
{
    switch (p) {
    case Phase::Batch: return "batch";
    case Phase::Read: return "read";
    case Phase::Voice: return "voice";
    case Phase::Visuals: return "visuals";
    case Phase::Generate: return "generate";
    case Phase::Media: return "media";
    case Phase::Plan: return "plan";
    case Phase::Outputs: return "outputs";
    case Phase::Render: return "render";
    }
    return "?";
}

std::vector<core::Diagnostic> in_file_order(const core::Diagnostics& diag)
{
    std::vector<core::Diagnostic> items = diag.items();
    std::stable_sort(items.begin(), items.end(), [](const core::Diagnostic& a, const core::Diagnostic& b) {
        return std::tie(a.where.file, a.where.line, a.where.col) < std::tie(b.where.file, b.where.line, b.where.col);
    });
    return items;
}

std::string diagnostics_text(const core::Diagnostics& diag)
{
    std::string s;
    for (auto& d : in_file_order(diag))
        s += d.to_string() + "\n";
    return s + diag.omitted_note();
}

nlohmann::json to_json(const Event& e)
{
    nlohmann::json j;
    j["event"] = event_type_name(e.type);
    j["job"] = e.job;
    j["phase"] = phase_name(e.phase);
    if (e.row) {
        j["row"] = e.row;
        j["rows_total"] = e.rows_total;
        if (!e.row_label.empty())
            j["row_label"] = e.row_label;
    }
    if (e.shot) {
        j["shot"] = e.shot;
        j["shot_name"] = e.shot_name;
    }
    switch (e.type) {
    case EventType::Phase:
        break;
    case EventType::Progress:
        j["frames_done"] = e.frames_done;
        j["frames_total"] = e.frames_total;
        j["segments_done"] = e.segments_done;
        j["segments_total"] = e.segments_total;
        j["segments_reused"] = e.segments_reused;
        j["elapsed_s"] = e.elapsed_s;
        j["fps"] = e.fps;
        j["eta_s"] = e.eta_s >= 0 ? nlohmann::json(e.eta_s) : nlohmann::json(nullptr);
        break;
    case EventType::Message:
        j["text"] = e.text;
        break;
    case EventType::Diagnostics: {
        nlohmann::json list = nlohmann::json::array();
        for (auto& d : e.diagnostics)
            list.push_back(script::diagnostic_json(d));
        j["diagnostics"] = std::move(list);
        if (e.omitted)
            j["omitted"] = e.omitted;
        break;
    }
    case EventType::Row:
    case EventType::Done:
        j["status"] = e.text;
        if (!e.output.empty())
            j["output"] = e.output;
        if (e.video_s >= 0)
            j["video_s"] = e.video_s;
        if (e.render_s >= 0) {
            j["render_s"] = e.render_s;
            j["segments_encoded"] = e.segments_encoded;
            j["segments_reused"] = e.segments_reused;
            j["segments_shared"] = e.segments_shared;
        }
        if (!e.error.empty())
            j["error"] = e.error;
        break;
    }
    return j;
}

}  // namespace sw::engine
