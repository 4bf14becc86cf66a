#include "render/visual_pick.h"

#include <cstdio>
#include <filesystem>
#include <optional>

#include "core/text_util.h"
#include "library/library.h"
#include "scene/scene.h"
#include "timeline/plan.h"

namespace sw::render {

using How = timeline::VisualChoice::How;

std::string visual_query(const timeline::Shot& s)
{
    if (s.visual.kind == timeline::VisualKind::Description || s.visual.kind == timeline::VisualKind::Generate)
        return s.visual.description;
    if (s.visual.kind == timeline::VisualKind::Card)
        return s.title.empty() ? s.name : s.title;
    std::string n = s.narration_text();
    return core::trim(n).empty() ? s.name : n;
}

int64_t shot_length_wanted_us(const timeline::Shot& s, size_t i, const std::vector<int64_t>& speech_us)
{
    if (s.duration_us)
        return *s.duration_us;
    if (i < speech_us.size() && speech_us[i] > 0)
        return speech_us[i] + timeline::kVoiceLeadUs + timeline::kVoiceTailUs;
    return timeline::estimate_reading_us(s.narration);
}

namespace {

// Scores as `check` prints them.
std::string two_places(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    return buf;
}

void describe_generated(timeline::Shot& s, const std::string& words, uint64_t seed, How how)
{
    auto spec = scene::parse_scene(words, seed);
    s.choice.how = how;
    s.choice.seed = seed;
    s.choice.query = words;
    s.choice.understood = spec.understood;
    s.choice.elements = spec.elements;
}

}  // namespace

void resolve_visuals(timeline::Project& project, const std::vector<int64_t>& speech_us, core::Diagnostics& diag)
{
    using VK = timeline::VisualKind;
    std::vector<size_t> wanted;  // shots that may take a library asset
    for (size_t i = 0; i < project.shots.size(); ++i) {
        auto& s = project.shots[i];
        if (s.visual.kind == VK::None || s.visual.kind == VK::Description)
            wanted.push_back(i);
        else if (s.visual.kind == VK::Generate)
            describe_generated(s, visual_query(s), project.seed + i, How::Scene);
        else if (s.visual.kind == VK::Card)
            describe_generated(s, visual_query(s), project.seed + i, How::Card);
    }
    std::optional<library::Library> library;
    if (!project.library_dir.empty() && !wanted.empty()) {
        auto lib = library::Library::open(project.library_dir);
        if (!lib) {
            diag.error(project.library_loc, "library: " + lib.error().message, lib.error().detail);
        } else {
            auto stats = lib->update();
            if (!stats) {
                diag.error(project.library_loc, "library: " + stats.error().message, stats.error().detail);
            } else {
                library = std::move(*lib);
                if (!stats->skipped.empty()) {
                    std::string list;
                    for (size_t k = 0; k < stats->skipped.size() && k < 3; ++k)
                        list += (k ? "; " : "") + stats->skipped[k].rel_path + " (" + stats->skipped[k].reason + ")";
                    if (stats->skipped.size() > 3)
                        list += "; and " + std::to_string(stats->skipped.size() - 3) + " more";
                    diag.warning(project.library_loc,
                                 std::to_string(stats->skipped.size()) + " file(s) in the library are not usable media: " + list,
                                 "`shotweave library index " + project.library_as_written + "` lists them all");
                }
                for (auto& note : stats->notes)
                    diag.warning(project.library_loc, "library: " + note);
                // Its tags and file names are names that subtitle lines keep whole (render/words.h).
                if (auto names = library->name_phrases())
                    project.library_names = std::move(*names);
            }
        }
    }
    std::vector<std::optional<library::Pick>> picks(wanted.size());
    if (library) {
        std::vector<library::PickRequest> req;
        for (size_t i : wanted) {
            library::PickRequest r;
            r.query = visual_query(project.shots[i]);
            r.width = project.width;
            r.height = project.height;
            r.min_duration_us = shot_length_wanted_us(project.shots[i], i, speech_us);
            req.push_back(std::move(r));
        }
        auto got = library::pick_assets(*library, req, project.seed);
        if (!got)
            diag.error(project.library_loc, "library: " + got.error().message, got.error().detail);
        else
            picks = std::move(*got);
    }
    // Stills from the library get a gentle move, varied from shot to shot so a run of photos
    // does not all zoom the same way.
    static constexpr timeline::Move kMoves[] = {timeline::Move::ZoomIn, timeline::Move::PanLeft, timeline::Move::ZoomOut,
                                                timeline::Move::PanRight};
    size_t stills = 0;
    for (size_t k = 0; k < wanted.size(); ++k) {
        auto& s = project.shots[wanted[k]];
        const std::string query = visual_query(s);
        if (picks[k]) {
            const auto& p = *picks[k];
            s.choice.how = How::Library;
            s.choice.query = query;
            s.choice.asset = p.chosen.rel_path;
            s.choice.score = p.score;
            s.choice.matched = p.matched_terms;
            s.choice.min_score = library::kDefaultMinRelevance;
            s.choice.weak = p.score < library::kWeakPickRelevance;
            if (p.runner_up) {
                s.choice.runner_up = p.runner_up->rel_path;
                s.choice.runner_up_score = p.runner_up_score;
            }
            auto& v = s.visual;
            v.kind = VK::Media;
            v.path = p.chosen.path;
            v.path_as_written = (std::filesystem::path(project.library_as_written) / p.chosen.rel_path).string();
            v.media_type = p.chosen.kind == library::AssetKind::Video ? timeline::MediaType::Video : timeline::MediaType::Image;
            v.fit = timeline::Fit::Cover;
            v.move = v.media_type == timeline::MediaType::Image ? kMoves[stills++ % 4] : timeline::Move::None;
            continue;
        }
        describe_generated(s, query, project.seed + wanted[k], How::Scene);
        if (library) {  // say what the library had, so a user sees why it was not used
            library::SearchOptions so;
            so.limit = 1;
            if (auto hits = library->search(query, so); hits && !hits->empty()) {
                const auto& best = hits->front();
                s.choice.asset = best.asset.rel_path;
                s.choice.score = best.score;
                s.choice.matched = best.matched_terms;
                s.choice.min_score = library::kDefaultMinRelevance;
                s.choice.weak = true;
                // A described shot that finds only a weak match is worth a word: the editor may
                // have expected a photo here. Narration-only shots are not described on purpose.
                if (s.visual.kind == VK::Description) {
                    diag.warning(s.visual.loc.valid() ? s.visual.loc : s.loc,
                                 "no library asset fits \"" + query + "\" well enough: the best, " + best.asset.rel_path +
                                     " (score " + two_places(best.score) + "; matched " +
                                     core::join(best.matched_terms, ", ") + "), is below the minimum " +
                                     two_places(library::kDefaultMinRelevance) +
                                     ", so the shot is generated instead",
                                 "describe the shot in the words its photo's sidecar or tags use, or name the file "
                                 "with `visual: <path>` (see docs/library.md)");
                }
            }
        }
    }
}

}  // namespace sw::render
