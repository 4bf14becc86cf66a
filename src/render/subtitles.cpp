#include "render/subtitles.h"

#include <algorithm>

#include "core/text_util.h"
#include "text/line_break.h"

namespace sw::render {

namespace {

// Cue texts for one sentence, each fitting the subtitle area, their lines joined with '\n'.
std::vector<std::string> fit(const std::string& sentence, const text::TextMeasure& measure, double max_w, int max_lines,
                             const lang::Lexicon* words)
{
    std::string t(core::trim(sentence));
    if (t.empty())
        return {};
    std::vector<std::string> cues = text::split_cues(t, measure, max_w, max_lines, words);
    for (auto& c : cues)
        c = core::join(text::break_lines(c, measure, max_w, words), "\n");
    return cues;
}

// Splits [start, end) among `parts` in proportion to their length in characters.
void spread(std::vector<TimedCue>& out, const std::vector<std::string>& parts, int64_t start, int64_t end, int shot)
{
    // Line breaks are layout, not reading time.
    auto length = [](const std::string& p) {
        return std::max<size_t>(1, core::utf8_length(p) - size_t(std::count(p.begin(), p.end(), '\n')));
    };
    size_t total = 0;
    for (auto& p : parts)
        total += length(p);
    int64_t t = start;
    size_t acc = 0;
    for (auto& p : parts) {
        acc += length(p);
        int64_t e = start + (int64_t)((end - start) * (double)acc / (double)total);
        if (e > t)
            out.push_back({t, e, p, shot});
        t = e;
    }
}

}  // namespace

std::vector<TimedCue> build_cues(const timeline::Project& project, const timeline::Plan& plan, const VoiceOver* voice,
                                 const text::SubtitleStyle& style, int width, int height, const lang::Lexicon* words)
{
    std::vector<TimedCue> cues;
    text::SubtitleRenderer renderer(width, height, style);
    text::TextMeasure measure(style.font, style.resolved_size(height), style.bold);
    const double max_w = renderer.max_text_width();
    const int64_t hold = core::us_to_frames(300'000, plan.fps);  // stay readable a moment after the words
    for (size_t i = 0; i < project.shots.size() && i < plan.shots.size(); ++i) {
        const auto& shot = project.shots[i];
        const auto& ps = plan.shots[i];
        const bool spoken = voice && i < voice->speech.size() && !voice->speech[i].samples.empty() && ps.voice_frames > 0;
        if (spoken) {
            const std::string text = shot.narration_text();
            const int64_t base = ps.start_frame + ps.voice_offset_frames;
            const int64_t voice_end = base + ps.voice_frames;
            for (auto& s : voice->speech[i].sentences) {
                if (s.text_end <= s.text_begin || s.text_end > text.size())
                    continue;
                int64_t a = base + core::samples_to_frames(s.start_sample, plan.fps), b = base + core::samples_to_frames(s.end_sample, plan.fps) + hold;
                if (a >= voice_end)
                    break;  // cut off by a fixed duration
                b = std::min(b, ps.start_frame + ps.frames - ps.out_frames);
                spread(cues, fit(text.substr(s.text_begin, s.text_end - s.text_begin), measure, max_w, style.max_lines, words),
                       a, std::max(a + 1, b), int(i));
            }
        } else {
            // No voice: the narration is read over the part of the shot between its transitions.
            std::vector<std::string> parts;
            for (auto& line : shot.narration)
                for (auto& c : fit(line, measure, max_w, style.max_lines, words))
                    parts.push_back(c);
            if (!parts.empty())
                spread(cues, parts, ps.start_frame + ps.in_frames, ps.start_frame + ps.frames - ps.out_frames, int(i));
        }
    }
    std::stable_sort(cues.begin(), cues.end(), [](auto& x, auto& y) { return x.start_frame < y.start_frame; });
    for (size_t k = 0; k + 1 < cues.size(); ++k)  // one cue on screen at a time
        cues[k].end_frame = std::min(cues[k].end_frame, cues[k + 1].start_frame);
    std::erase_if(cues, [](auto& c) { return c.end_frame <= c.start_frame; });
    return cues;
}

std::string lay_out_title(const std::string& title, const text::SubtitleStyle& title_style, int width, int height,
                          const lang::Lexicon* words)
{
    text::SubtitleRenderer renderer(width, height, title_style);
    text::TextMeasure measure(title_style.font, title_style.resolved_size(height), title_style.bold);
    return core::join(text::break_lines(title, measure, renderer.max_text_width(), words), "\n");
}

const std::string& shown_title(const timeline::Shot& shot)
{
    return shot.title.empty() && shot.visual.kind == timeline::VisualKind::Card ? shot.name : shot.title;
}

namespace {

void warn_missing(const std::string& text, const core::SourceLoc& loc, bool heading, const std::string& font,
                  const std::string& what, core::Diagnostics& diag)
{
    for (const text::MissingGlyph& g : text::missing_glyphs(text, font)) {
        core::SourceLoc at = loc;
        // `loc` is where the text starts (unless it is only the shot's heading): on one line the
        // column then points at the character.
        if (at.col > 0 && !heading && text.rfind('\n', g.byte) == std::string::npos)
            at.col += int(core::utf8_length(std::string_view(text).substr(0, g.byte)));
        diag.warning(at,
                     "no installed font has " + text::character_name(g.c) + " ('" + core::utf8_encode(g.c) + "') in " +
                         what + "; it is left out of the picture",
                     text::is_emoji(g.c) ? "install the emoji font (Debian: fonts-noto-color-emoji), or remove it"
                                         : "replace it, or install a font that has it");
    }
}

}  // namespace

void check_text_glyphs(const timeline::Project& project, core::Diagnostics& diag)
{
    const text::SubtitleStyle defaults;
    const std::string& sub_font = project.subtitle_look.font.empty() ? defaults.font : project.subtitle_look.font;
    for (auto& shot : project.shots) {
        if (project.burn_subtitles)
            for (size_t k = 0; k < shot.narration.size(); ++k) {
                const bool located = k < shot.narration_locs.size();
                warn_missing(shot.narration[k], located ? shot.narration_locs[k] : shot.loc, !located, sub_font,
                             "the subtitles of shot \"" + shot.name + "\"", diag);
            }
        // Titles are drawn in the default font (segment_render's title style).
        const std::string& title = shown_title(shot);
        if (!title.empty())
            warn_missing(title, &title == &shot.title ? shot.title_loc : shot.loc, &title != &shot.title,
                         defaults.font, "the title of shot \"" + shot.name + "\"", diag);
    }
}

}  // namespace sw::render
