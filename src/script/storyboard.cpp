#include "script/storyboard.h"

#include <algorithm>
#include <cstdio>

#include "core/text_util.h"
#include "script/values.h"

namespace sw::script {

using timeline::MediaType;
using timeline::VisualKind;

using core::display_width;
using core::is_wide;

// Cuts `text` to at most `width` columns, ending with "…" when cut; pads with spaces to `width`.
static std::string fit_cell(std::string_view text, size_t width, bool pad = true)
{
    std::string out;
    size_t w = 0;
    auto cps = core::utf8_decode(text);
    size_t total = display_width(text);
    for (char32_t c : cps) {
        if (c == '\n' || c == '\t')
            c = ' ';
        size_t cw = is_wide(c) ? 2 : 1;
        if (total > width && w + cw > width - 1)
            break;
        if (w + cw > width)
            break;
        out += core::utf8_encode(c);
        w += cw;
    }
    if (total > width) {
        out += "…";
        ++w;
    }
    if (pad)
        out.append(width > w ? width - w : 0, ' ');
    return out;
}

static std::string fmt_seconds(double s, int decimals = 2)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*fs", decimals, s);
    return buf;
}

static std::string visual_text(const timeline::Visual& v)
{
    switch (v.kind) {
    case VisualKind::None:
        return "(generated from the narration)";
    case VisualKind::Description:
        return "[" + v.description + "]";
    case VisualKind::Generate:
        return "generate [" + v.description + "]";
    case VisualKind::Card:
        return "(title card)";
    case VisualKind::Media: {
        std::string s = v.path_as_written.empty() ? v.path.string() : v.path_as_written;
        if (v.move != timeline::Move::None)
            s += std::string(" ") + timeline::to_string(v.move);
        if (v.fit != timeline::Fit::Cover)
            s += std::string(" ") + timeline::to_string(v.fit);
        if (v.trim_from_us)
            s += " from " + seconds_text(*v.trim_from_us) + "s";
        if (v.trim_to_us)
            s += " to " + seconds_text(*v.trim_to_us) + "s";
        return s;
    }
    }
    return {};
}

static std::string joined_narration(const timeline::Shot& s)
{
    std::string out;
    for (auto& l : s.narration) {
        if (!out.empty())
            out += ' ';
        out += l;
    }
    return out;
}

std::string storyboard_text(const timeline::Project& project, const timeline::Plan& plan)
{
    const auto fps = plan.fps;
    struct Row {
        std::string cells[7];
    };
    std::vector<Row> rows;
    rows.push_back({{"#", "start", "length", "shot", "visual", "transition", "narration"}});
    for (size_t i = 0; i < project.shots.size() && i < plan.shots.size(); ++i) {
        const auto& s = project.shots[i];
        const auto& ps = plan.shots[i];
        Row r;
        r.cells[0] = std::to_string(i + 1);
        r.cells[1] = fmt_seconds(core::frames_to_seconds(ps.start_frame, fps));
        // "~" marks a length estimated from the narration's reading time.
        r.cells[2] = (ps.duration_estimated ? "~" : "") + fmt_seconds(core::frames_to_seconds(ps.frames, fps));
        r.cells[3] = s.name;
        r.cells[4] = visual_text(s.visual) + (ps.holds_last_frame ? " (held)" : "");
        if (i + 1 < project.shots.size()) {
            int t = i < plan.transition_after.size() ? plan.transition_after[i] : -1;
            if (t >= 0)
                r.cells[5] = plan.transitions[t].name + " " + fmt_seconds(core::frames_to_seconds(plan.transitions[t].frames, fps));
            else
                r.cells[5] = "cut";
        } else {
            r.cells[5] = "end";
        }
        r.cells[6] = joined_narration(s);
        rows.push_back(std::move(r));
    }
    // Column widths: content width, capped so a row fits a normal terminal.
    const size_t caps[7] = {3, 8, 8, 18, 34, 18, 40};
    size_t widths[7] = {};
    for (auto& r : rows)
        for (int c = 0; c < 7; ++c)
            widths[c] = std::min(caps[c], std::max(widths[c], display_width(r.cells[c])));
    std::string out;
    if (!project.title.empty())
        out += project.title + "\n";
    for (auto& r : rows) {
        std::string line;
        for (int c = 0; c < 7; ++c) {
            bool last = c == 6;
            line += fit_cell(r.cells[c], widths[c], !last);
            if (!last)
                line += "  ";
        }
        while (!line.empty() && line.back() == ' ')
            line.pop_back();
        out += line + "\n";
    }
    std::string fps_text = std::to_string(fps.num);
    if (fps.den != 1) {
        char f[32];
        std::snprintf(f, sizeof f, "%.3f", fps.to_double());
        fps_text = fps.to_string() + " (" + f + ")";
    }
    char buf[256];
    std::snprintf(buf, sizeof buf, "total %.2fs = %lld frames at %s fps, %dx%d, %zu shot%s, %zu transition%s\n",
                  core::frames_to_seconds(plan.total_frames, fps), (long long)plan.total_frames,
                  fps_text.c_str(),
                  plan.width, plan.height, plan.shots.size(), plan.shots.size() == 1 ? "" : "s",
                  plan.transitions.size(), plan.transitions.size() == 1 ? "" : "s");
    out += buf;
    if (project.music) {
        std::snprintf(buf, sizeof buf, "music %s%s, looped or trimmed to the video, mix normalised to %g LUFS\n",
                      project.music->path_as_written.c_str(),
                      project.music->volume_db != 0 ? (" " + std::to_string((int)project.music->volume_db) + "dB").c_str() : "",
                      project.loudness_lufs);
        out += buf;
        const bool spoken = !project.voice.empty() || std::any_of(project.shots.begin(), project.shots.end(), [](auto& sh) {
            return !sh.voice.empty() || !sh.voice_file.empty();
        });
        if (spoken) {
            const auto& m = *project.music;
            std::snprintf(buf, sizeof buf, "  under the voice: %g dB under the speech in pauses, ", -(m.bed_db + m.volume_db));
            out += buf;
            std::snprintf(buf, sizeof buf, "%g dB while it speaks\n", -(m.duck_db + m.volume_db));
            out += m.duck_db < m.bed_db ? std::string(buf) : std::string("no dip while it speaks\n");
        }
    }
    // Why each shot looks as it does when the script did not name a file.
    for (size_t i = 0; i < project.shots.size(); ++i) {
        const auto& c = project.shots[i].choice;
        auto list = [](const std::vector<std::string>& v) {
            std::string o;
            for (auto& x : v)
                o += (o.empty() ? "" : ", ") + x;
            return o;
        };
        char score[64];
        if (c.how == timeline::VisualChoice::How::Library) {
            std::snprintf(score, sizeof score, "%.2f", c.score);
            out += "shot " + std::to_string(i + 1) + ": library " + c.asset + " (score " + score + "; matched " + list(c.matched);
            if (!c.runner_up.empty()) {
                std::snprintf(score, sizeof score, "%.2f", c.runner_up_score);
                out += "; runner-up " + c.runner_up + " " + score;
            }
            out += ")";
            if (c.weak)
                out += " — weak: few of the shot's words matched";
            out += "\n";
        } else if (c.how == timeline::VisualChoice::How::Model) {
            out += "shot " + std::to_string(i + 1) + ": generated by " + c.generator + " (" + std::to_string(c.clips) + " clip" +
                   (c.clips > 1 ? "s" : "") + ", " + std::to_string(c.cached_clips) + " from the cache" +
                   (c.continuity.empty() ? "" : "; " + c.continuity) + ")\n";
        } else if (c.how == timeline::VisualChoice::How::Scene || c.how == timeline::VisualChoice::How::Card) {
            out += "shot " + std::to_string(i + 1) + ": " +
                   (c.how == timeline::VisualChoice::How::Card ? "title card" : "built-in scene") + " — " + list(c.elements);
            if (!c.understood.empty())
                out += " (from " + list(c.understood) + ")";
            if (!c.asset.empty() && c.note.empty()) {
                std::snprintf(score, sizeof score, "%.2f", c.score);
                out += "; weak library match " + c.asset + " (score " + score + "; matched " + list(c.matched) + ") ";
                std::snprintf(score, sizeof score, "%.2f", c.min_score);
                out += "below the minimum " + std::string(score) + ", not used";
            }
            if (!c.note.empty())
                out += "; " + c.note;
            out += "\n";
        }
    }
    bool any_estimated = false;
    for (auto& ps : plan.shots)
        any_estimated |= ps.duration_estimated;
    if (any_estimated)
        out += "~ = length estimated from the narration's reading time (set `duration:` to fix it)\n";
    return out;
}

static nlohmann::json loc_json(const core::SourceLoc& l)
{
    if (!l.valid())
        return nullptr;
    return {{"file", l.file}, {"line", l.line}, {"col", l.col}};
}

static nlohmann::json transition_json(const timeline::TransitionSpec& t)
{
    nlohmann::json j{{"name", t.name}, {"seconds", double(t.duration_us) / 1e6}};
    return j;
}

nlohmann::json diagnostic_json(const core::Diagnostic& d)
{
    return {{"severity", d.severity == core::Severity::Error ? "error" : "warning"},
            {"file", d.where.file},
            {"line", d.where.line},
            {"col", d.where.col},
            {"message", d.message},
            {"hint", d.hint},
            {"text", d.to_string()}};
}

nlohmann::json storyboard_json(const timeline::Project& project, const timeline::Plan& plan, const core::Diagnostics& diag)
{
    using nlohmann::json;
    const auto fps = plan.fps;
    json j;
    j["schema_version"] = 1;
    j["script"] = project.script_path.string();
    j["title"] = project.title;
    j["output"] = {{"width", plan.width},
                   {"height", plan.height},
                   {"fps", {{"num", fps.num}, {"den", fps.den}}},
                   {"fps_value", fps.to_double()},
                   {"background", color_to_hex(project.background)}};
    j["default_transition"] = transition_json(project.default_transition);
    j["voice"] = project.voice.empty() ? json(nullptr) : json(project.voice);
    j["loudness"] = {{"lufs", project.loudness_lufs}, {"true_peak_dbtp", project.true_peak_dbtp}};
    if (project.music)
        j["music"] = {{"media", project.music->path_as_written}, {"volume_db", project.music->volume_db},
                      {"bed_db", project.music->bed_db}, {"duck_db", project.music->duck_db}};
    else
        j["music"] = nullptr;
    j["total_frames"] = plan.total_frames;
    j["total_seconds"] = core::frames_to_seconds(plan.total_frames, fps);
    json shots = json::array();
    for (size_t i = 0; i < project.shots.size(); ++i) {
        const auto& s = project.shots[i];
        json js;
        js["index"] = i + 1;
        js["name"] = s.name;
        js["location"] = loc_json(s.loc);
        if (i < plan.shots.size()) {
            const auto& ps = plan.shots[i];
            js["start_frame"] = ps.start_frame;
            js["frames"] = ps.frames;
            js["start_seconds"] = core::frames_to_seconds(ps.start_frame, fps);
            js["duration_seconds"] = core::frames_to_seconds(ps.frames, fps);
            js["duration_estimated"] = ps.duration_estimated;
            js["in_transition_frames"] = ps.in_frames;
            js["out_transition_frames"] = ps.out_frames;
            js["source_frames"] = ps.source_frames >= 0 ? json(ps.source_frames) : json(nullptr);
            js["holds_last_frame"] = ps.holds_last_frame;
            if (ps.voice_frames > 0)
                js["voice"] = {{"start_frame", ps.start_frame + ps.voice_offset_frames},
                               {"frames", ps.voice_frames},
                               {"start_seconds", core::frames_to_seconds(ps.start_frame + ps.voice_offset_frames, fps)},
                               {"seconds", core::frames_to_seconds(ps.voice_frames, fps)}};
            else
                js["voice"] = nullptr;
        }
        json v{{"kind", timeline::to_string(s.visual.kind)}, {"location", loc_json(s.visual.loc)}};
        if (s.visual.kind == VisualKind::Media) {
            v["path"] = s.visual.path_as_written;
            v["resolved_path"] = s.visual.path.string();
            v["media_type"] = timeline::to_string(s.visual.media_type);
            v["move"] = timeline::to_string(s.visual.move);
            v["fit"] = timeline::to_string(s.visual.fit);
            v["trim_from_seconds"] = s.visual.trim_from_us ? json(double(*s.visual.trim_from_us) / 1e6) : json(nullptr);
            v["trim_to_seconds"] = s.visual.trim_to_us ? json(double(*s.visual.trim_to_us) / 1e6) : json(nullptr);
        } else if (s.visual.kind == VisualKind::Description || s.visual.kind == VisualKind::Generate) {
            v["description"] = s.visual.description;
        }
        // How it was chosen (library pick, built-in scene or model clip); "written" when the script named it.
        const auto& c = s.choice;
        using How = timeline::VisualChoice::How;
        json ch{{"how", c.how == How::Library     ? "library"
                        : c.how == How::Scene     ? "scene"
                        : c.how == How::Card      ? "card"
                        : c.how == How::Model     ? "model"
                                                  : "written"}};
        if (c.how == How::Model) {
            ch["generator"] = c.generator;
            ch["clips"] = c.clips;
            ch["cached_clips"] = c.cached_clips;
            ch["continuity"] = c.continuity;
        }
        if (!c.note.empty())
            ch["note"] = c.note;
        if (c.how == How::Library) {
            ch["asset"] = c.asset;
            ch["score"] = c.score;
            ch["matched"] = c.matched;
            ch["runner_up"] = c.runner_up.empty() ? json(nullptr) : json{{"asset", c.runner_up}, {"score", c.runner_up_score}};
            ch["weak"] = c.weak;
        } else if (c.how == How::Scene || c.how == How::Card) {
            ch["elements"] = c.elements;
            ch["understood"] = c.understood;
            ch["best_library_match"] = c.asset.empty() ? json(nullptr)
                                                        : json{{"asset", c.asset}, {"score", c.score}, {"matched", c.matched},
                                                               {"min_score", c.min_score}};
        }
        if (!c.query.empty())
            ch["query"] = c.query;
        v["choice"] = ch;
        js["visual"] = v;
        // The transition into the next shot, as planned (null after the last shot).
        json tr = nullptr;
        if (i + 1 < project.shots.size()) {
            int t = i < plan.transition_after.size() ? plan.transition_after[i] : -1;
            if (t >= 0) {
                const auto& pt = plan.transitions[t];
                tr = {{"name", pt.name},
                      {"start_frame", pt.start_frame},
                      {"frames", pt.frames},
                      {"start_seconds", core::frames_to_seconds(pt.start_frame, fps)},
                      {"seconds", core::frames_to_seconds(pt.frames, fps)},
                      {"location", loc_json(pt.loc)}};
            } else {
                tr = {{"name", "cut"}, {"start_frame", i < plan.shots.size() ? plan.shots[i].start_frame + plan.shots[i].frames : 0},
                      {"frames", 0}, {"start_seconds", nullptr}, {"seconds", 0.0}, {"location", nullptr}};
                if (i < plan.shots.size())
                    tr["start_seconds"] = core::frames_to_seconds(plan.shots[i].start_frame + plan.shots[i].frames, fps);
            }
        }
        js["transition"] = tr;
        json narr = json::array();
        for (size_t k = 0; k < s.narration.size(); ++k)
            narr.push_back({{"text", s.narration[k]},
                            {"location", k < s.narration_locs.size() ? loc_json(s.narration_locs[k]) : json(nullptr)}});
        js["narration"] = narr;
        js["title"] = s.title.empty() ? json(nullptr) : json(s.title);
        shots.push_back(std::move(js));
    }
    j["shots"] = shots;
    json diags = json::array();
    for (auto& d : diag.items())
        diags.push_back(diagnostic_json(d));
    j["diagnostics"] = diags;
    j["error_count"] = diag.error_count();
    j["warning_count"] = diag.warning_count();
    j["ok"] = !diag.has_errors();
    return j;
}

}  // namespace sw::script
