#include "timeline/plan.h"

#include <cmath>
#include <cstdio>

#include "core/text_util.h"
#include "effects/transition.h"

namespace sw::timeline {

bool is_cjk(char32_t c)
{
    return (c >= 0x4E00 && c <= 0x9FFF)      // CJK Unified Ideographs
        || (c >= 0x3400 && c <= 0x4DBF)      // Extension A
        || (c >= 0x20000 && c <= 0x2FA1F)    // Extensions B.. and compatibility supplement
        || (c >= 0xF900 && c <= 0xFAFF)      // Compatibility Ideographs
        || (c >= 0x3040 && c <= 0x30FF)      // Hiragana, Katakana
        || (c >= 0x31F0 && c <= 0x31FF)      // Katakana extensions
        || (c >= 0xAC00 && c <= 0xD7AF);     // Hangul syllables
}

ReadingCount count_reading_units(std::string_view text)
{
    ReadingCount n;
    bool in_word = false, word_has_alnum = false;
    auto end_word = [&] {
        if (in_word && word_has_alnum)
            ++n.words;
        in_word = word_has_alnum = false;
    };
    for (char32_t c : core::utf8_decode(text)) {
        if (is_cjk(c)) {
            end_word();
            ++n.cjk_chars;
        } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x3000 || c == 0xA0
                   || (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF00 && c <= 0xFF0F)) {
            // Spaces and CJK punctuation separate words but are not read.
            end_word();
        } else {
            in_word = true;
            // Digits and letters (Latin, Greek, Cyrillic, ... up to U+1FFF) make a word; a lone
            // dash, quote or symbol (U+2000 and up: general punctuation, arrows, emoji) does not.
            if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
                || (c >= 0xC0 && c < 0x2000 && c != 0xD7 && c != 0xF7))
                word_has_alnum = true;
        }
    }
    end_word();
    return n;
}

int64_t estimate_reading_us(const std::vector<std::string>& narration)
{
    int64_t cjk = 0, words = 0;
    for (auto& line : narration) {
        auto c = count_reading_units(line);
        cjk += c.cjk_chars;
        words += c.words;
    }
    if (cjk == 0 && words == 0)
        return kMinShotUs;
    int64_t us = std::llround(double(cjk) * 1e6 / kCjkCharsPerSecond + double(words) * 1e6 / kWordsPerSecond)
               + kReadingPadUs;
    return std::max(us, kMinShotUs);
}

static std::string secs(int64_t frames, core::Rational fps)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f s", core::frames_to_seconds(frames, fps));
    return buf;
}


// The readers already validate transition names and parameters where they are written; the
// planner validates again because a Project may be built by code. To avoid telling the user
// the same thing twice, it stays quiet about a line that already carries an error.
static bool line_has_error(const core::Diagnostics& diag, const SourceLoc& loc)
{
    if (!loc.valid())
        return false;
    for (auto& d : diag.items())
        if (d.severity == core::Severity::Error && d.where.file == loc.file && d.where.line == loc.line)
            return true;
    return false;
}

static std::string shot_label(const Shot& s, size_t i)
{
    return "shot " + std::to_string(i + 1) + (s.name.empty() ? std::string() : " \"" + s.name + "\"");
}

Plan plan_project(const Project& project, core::Diagnostics& diag, const std::vector<int64_t>& source_frames,
                  const std::vector<int64_t>& speech_us)
{
    Plan plan;
    plan.width = project.width;
    plan.height = project.height;
    plan.fps = project.fps;
    const auto fps = project.fps;
    const size_t n = project.shots.size();

    if (fps.num <= 0 || fps.den <= 0) {
        diag.error(project.fps_loc.valid() ? project.fps_loc : SourceLoc{project.script_path.string()},
                   "frame rate " + fps.to_string() + " is not positive", "use e.g. `fps: 30`");
        return plan;
    }
    if (n == 0) {
        diag.error(SourceLoc{project.script_path.string()}, "the script has no shots",
                   "start a shot with a `# name` heading line followed by its narration");
        return plan;
    }

    // Validate a transition's name unless the reader already complained.
    auto check_transition = [&](const TransitionSpec& t) -> bool {
        if (t.name == "cut")
            return true;
        if (!effects::find_transition(t.name)) {
            if (!line_has_error(diag, t.loc)) {
                auto hint = core::did_you_mean(t.name, effects::transition_names());
                diag.error(t.loc, "unknown transition \"" + t.name + "\"",
                           hint.empty() ? "run `shotweave list transitions` to see them all"
                                        : "did you mean \"" + hint + "\"?");
            }
            return false;
        }
        return true;
    };
    bool default_ok = check_transition(project.default_transition);

    // Shot lengths n_i.
    plan.shots.resize(n);
    for (size_t i = 0; i < n; ++i) {
        const Shot& s = project.shots[i];
        PlannedShot& ps = plan.shots[i];
        ps.index = int(i);
        int64_t us;
        if (s.duration_us) {
            us = *s.duration_us;
        } else if (s.visual.kind == VisualKind::Media && s.visual.media_type == MediaType::Video
                   && s.visual.trim_from_us && s.visual.trim_to_us) {
            // `clip.mp4 from 3s to 8s` says how long the shot is as clearly as `duration:` would.
            us = *s.visual.trim_to_us - *s.visual.trim_from_us;
        } else {
            us = estimate_reading_us(s.narration);
            ps.duration_estimated = true;
        }
        ps.frames = core::us_to_frames(us, fps);
        if (ps.frames <= 0) {
            auto loc = s.duration_loc.valid() ? s.duration_loc : s.loc;
            if (us <= 0)
                diag.error(loc, shot_label(s, i) + " has a duration of " + core::seconds_text(us) + " s",
                           "durations must be positive, e.g. `duration: 3s`");
            else
                diag.error(loc, shot_label(s, i) + " is " + core::seconds_text(us) + " s, shorter than one frame at "
                               + fps.to_string() + " fps", "make it at least " + core::seconds_text(core::frames_to_us(1, fps) + 1) + " s");
            ps.frames = 0;
        }
    }

    // Transition frames d_i between shot i and i+1.
    plan.transition_after.assign(n, -1);
    std::vector<int64_t> d(n, 0);
    std::vector<const TransitionSpec*> spec(n, nullptr);
    for (size_t i = 0; i + 1 < n; ++i) {
        const Shot& s = project.shots[i];
        const TransitionSpec& t = s.transition_out ? *s.transition_out : project.default_transition;
        spec[i] = &t;
        if (t.name == "cut")
            continue;
        bool ok = s.transition_out ? check_transition(t) : default_ok;
        if (t.duration_us <= 0) {
            if (!line_has_error(diag, t.loc))
                diag.error(t.loc, "transition \"" + t.name + "\" has a duration of " + core::seconds_text(t.duration_us) + " s",
                           "give a positive duration like `" + t.name + " 0.5s`, or use `cut`");
            continue;
        }
        int64_t frames = core::us_to_frames(t.duration_us, fps);
        if (frames <= 0) {
            diag.warning(t.loc, "transition \"" + t.name + "\" of " + core::seconds_text(t.duration_us)
                                    + " s is shorter than one frame; it becomes a cut",
                         "use at least " + core::seconds_text(core::frames_to_us(1, fps) + 1) + " s, or write `cut`");
            continue;
        }
        if (!ok)
            continue;  // reported; plan the boundary as a cut so the rest stays meaningful
        d[i] = frames;
    }
    // The last shot's `transition:` (if any) has nothing to go into; the reader warns about it.

    // Spoken narration sets the length of shots that do not fix their own, and must fit between
    // the transitions of those that do.
    for (size_t i = 0; i < n && i < speech_us.size(); ++i) {
        if (speech_us[i] <= 0)
            continue;
        const Shot& s = project.shots[i];
        PlannedShot& ps = plan.shots[i];
        const int64_t in = i > 0 ? d[i - 1] : 0;
        ps.voice_offset_frames = in + core::us_to_frames(kVoiceLeadUs, fps);
        ps.voice_frames = std::max<int64_t>(1, core::us_to_frames(speech_us[i], fps));
        const int64_t needed = ps.voice_offset_frames + ps.voice_frames + core::us_to_frames(kVoiceTailUs, fps) + d[i];
        if (ps.duration_estimated) {
            ps.frames = needed;
            ps.duration_estimated = false;
        } else if (ps.frames > 0 && ps.voice_offset_frames + ps.voice_frames + d[i] > ps.frames) {
            const int64_t over = ps.voice_offset_frames + ps.voice_frames + d[i] - ps.frames;
            auto loc = s.duration_loc.valid() ? s.duration_loc : s.loc;
            diag.warning(loc,
                         "the narration of " + shot_label(s, i) + " is spoken for " + secs(ps.voice_frames, fps) +
                             " but the shot leaves it only " + secs(std::max<int64_t>(0, ps.frames - d[i] - ps.voice_offset_frames), fps) +
                             " between its transitions; the last " + secs(over, fps) + " would be cut",
                         "lengthen the shot (`duration: " + core::seconds_text((core::frames_to_us(needed, fps) + 99'999) / 100'000 * 100'000) +
                             "s`), or shorten the narration");
            ps.voice_frames = std::max<int64_t>(0, ps.voice_frames - over);
        }
    }

    // d_in + d_out must fit in each shot: its incoming and outgoing overlaps may not overlap
    // each other, or one output frame would need three shots.
    for (size_t i = 0; i < n; ++i) {
        const Shot& s = project.shots[i];
        PlannedShot& ps = plan.shots[i];
        ps.in_frames = i > 0 ? d[i - 1] : 0;
        ps.out_frames = d[i];
        if (ps.frames <= 0)
            continue;
        int64_t need = ps.in_frames + ps.out_frames;
        if (need > ps.frames) {
            std::string what;
            if (ps.in_frames && ps.out_frames)
                what = "the transitions into and out of " + shot_label(s, i) + " (" + secs(ps.in_frames, fps) + " + "
                     + secs(ps.out_frames, fps) + ")";
            else if (ps.in_frames)
                what = "the transition into " + shot_label(s, i) + " (" + secs(ps.in_frames, fps) + ")";
            else
                what = "the transition out of " + shot_label(s, i) + " (" + secs(ps.out_frames, fps) + ")";
            auto loc = ps.out_frames && spec[i] ? spec[i]->loc : (i > 0 && spec[i - 1] ? spec[i - 1]->loc : s.loc);
            if (!loc.valid())
                loc = s.loc;
            diag.error(loc,
                       what + " last longer than the shot itself (" + secs(ps.frames, fps) + ") by "
                           + secs(need - ps.frames, fps) + " (" + std::to_string(need - ps.frames) + " frames)",
                       "make " + shot_label(s, i) + " at least " + secs(need, fps) + " long (`duration: "
                           + core::seconds_text(core::frames_to_us(need, fps) + 1000) + "s`) or shorten the transitions");
        }
    }

    // Positions: start_{i+1} = start_i + n_i − d_i, total = Σn − Σd. Integer frames only.
    int64_t start = 0;
    for (size_t i = 0; i < n; ++i) {
        PlannedShot& ps = plan.shots[i];
        ps.start_frame = start;
        start += ps.frames - d[i];
        if (d[i] > 0 && i + 1 < n) {
            PlannedTransition pt{spec[i]->name, start, d[i], spec[i]->loc};
            plan.transition_after[i] = int(plan.transitions.size());
            plan.transitions.push_back(std::move(pt));
        }
    }
    plan.total_frames = start;

    // Video shots longer than their (trimmed) source hold the last frame.
    for (size_t i = 0; i < n && i < source_frames.size(); ++i) {
        const Shot& s = project.shots[i];
        PlannedShot& ps = plan.shots[i];
        if (s.visual.kind != VisualKind::Media || s.visual.media_type != MediaType::Video || source_frames[i] < 0)
            continue;
        ps.source_frames = source_frames[i];
        std::string clip = s.visual.path_as_written.empty() ? s.visual.path.filename().string() : s.visual.path_as_written;
        if (s.visual.trim_from_us)
            clip += " from " + core::seconds_text(*s.visual.trim_from_us) + "s";
        if (source_frames[i] == 0) {
            diag.error(s.visual.loc, shot_label(s, i) + ": " + clip + " has no frames to show",
                       "the clip is shorter than the trim start; choose an earlier `from`");
            continue;
        }
        if (ps.frames > source_frames[i]) {
            ps.holds_last_frame = true;
            diag.warning(s.visual.loc,
                         shot_label(s, i) + " is " + secs(ps.frames, fps) + " but " + clip + " has only "
                             + secs(source_frames[i], fps) + "; its last frame is held for "
                             + secs(ps.frames - source_frames[i], fps),
                         "shorten the shot or use a longer part of the clip");
        }
    }
    return plan;
}

}  // namespace sw::timeline
