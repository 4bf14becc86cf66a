#include "render/segment_render.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <mutex>
#include <sstream>

#include "core/cancel.h"
#include "core/sha256.h"
#include "render/image_ops.h"
#include "render/visual_pick.h"
#include "render/words.h"
#include "text/logo.h"

extern "C" {
#include <libavcodec/avcodec.h>
}

namespace sw::render {

using core::Error;
using core::ErrorCategory;
using core::Frame;

namespace {

// Bump when the way a segment's pixels are made changes in a way the engine digest below would
// not notice (it does notice every rebuild of the program).
constexpr int kSegmentFormat = 1;

// The program's own bytes: any rebuild (a fix to a transition, a new blend) changes the pixels a
// key promises, so cached segments of another build must not match.
const std::string& engine_digest()
{
    static const std::string digest = [] {
        auto d = core::sha256_file("/proc/self/exe");
        std::string s = d ? *d : std::string("unknown-build-") + __DATE__ + " " + __TIME__;
        // The output class: machines in one class encode the same bytes (media/cpu.cpp).
        return s + " avcodec " + std::to_string(avcodec_version()) + " cpu " + media::cpu_profile().output_class;
    }();
    return digest;
}

std::string rgb(core::Rgb c)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "#%02x%02x%02x", c.r, c.g, c.b);
    return buf;
}

std::string num(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.9g", v);
    return buf;
}

// Strings go into the material quoted, so no text can imitate another line.
std::string quoted(const std::string& s)
{
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\')
            out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out + "\"";
}

std::string style_material(const text::SubtitleStyle& s)
{
    std::ostringstream o;
    o << "font=" << quoted(s.font) << " size=" << num(s.size_px) << " bold=" << s.bold << " color=" << rgb(s.color)
      << " outline_color=" << rgb(s.outline_color) << " outline=" << num(s.outline_px) << " shadow=" << num(s.shadow)
      << " box=" << s.box << " box_color=" << rgb(s.box_color) << " box_opacity=" << num(s.box_opacity)
      << " position=" << (int)s.position << " percent=" << num(s.percent) << " margin_x=" << num(s.margin_x_frac)
      << " bottom_safe=" << num(s.bottom_safe_frac) << " top_safe=" << num(s.top_safe_frac) << " lines=" << s.max_lines;
    return o.str();
}

// Frames of the shot's own part, where its title shows: [a, b) on the output timeline.
std::pair<int64_t, int64_t> title_window(const timeline::PlannedShot& ps)
{
    return {ps.start_frame + ps.in_frames, ps.start_frame + ps.frames - ps.out_frames};
}

// Everything about a shown shot that decides its pictures, and the part shown.
core::Status shot_material(std::ostringstream& o, const RenderShared& sh, int index, int64_t offset, int64_t frames,
                           const DigestFn& digest)
{
    const auto& shot = sh.project->shots[(size_t)index];
    const auto& ps = sh.plan->shots[(size_t)index];
    const auto& v = shot.visual;
    o << "shot frames=" << ps.frames << " in=" << ps.in_frames << " out=" << ps.out_frames << " show=" << offset << "+"
      << frames << "\n";
    o << " visual kind=" << timeline::to_string(v.kind);
    if (v.kind == timeline::VisualKind::Media) {
        std::string d = SW_TRY(digest(v.path));
        o << " file=" << d << " type=" << (int)v.media_type << " move=" << (int)v.move << " fit=" << (int)v.fit
          << " trim_from=" << (v.trim_from_us ? std::to_string(*v.trim_from_us) : "-")
          << " trim_to=" << (v.trim_to_us ? std::to_string(*v.trim_to_us) : "-");
    } else {
        // The scene generator draws from these words and this seed (cards tinted by the background).
        o << " scene=" << quoted(shot.choice.query.empty() ? visual_query(shot) : shot.choice.query)
          << " seed=" << shot.choice.seed;
    }
    o << "\n";
    return {};
}

}  // namespace

core::Result<RenderShared> prepare_shared(const timeline::Project& project, const timeline::Plan& plan,
                                          const SharedOptions& options)
{
    RenderShared sh;
    sh.project = &project;
    sh.plan = &plan;
    RenderContext& ctx = sh.ctx;
    ctx.width = options.width > 0 ? options.width : plan.width;
    ctx.height = options.height > 0 ? options.height : plan.height;
    ctx.fps = plan.fps;
    ctx.background = project.background;
    ctx.pool = core::FramePool::create(ctx.width, ctx.height);
    ctx.decoder_threads = options.decoder_threads;

    // Resolve transitions up front: a bad name is a planning bug by now, never a mid-render surprise.
    for (auto& t : plan.transitions) {
        const effects::Transition* tr = effects::find_transition(t.name);
        if (!tr)
            return core::make_error(ErrorCategory::Script, "unknown transition \"" + t.name + "\"", {}, t.loc);
        sh.transitions.push_back(tr);
    }

    sh.encode = options.encode;
    sh.encode.width = ctx.width;
    sh.encode.height = ctx.height;
    sh.encode.fps = plan.fps;
    sh.encode.segment = true;
    // One x264 thread per segment: segments run side by side on every core instead, and a
    // single-threaded encode does not depend on how threads interleave. (Across machines, the
    // bytes are the same because media::cpu_profile() fixes the instruction sets x264 uses.)
    sh.encode.threads = 1;

    // Subtitles and titles: line breaks keep the project's names whole (render/words.h).
    const std::shared_ptr<const lang::Lexicon> words = project_lexicon(project);

    // Subtitles: cue layout is decided now; bitmaps are rasterised per segment as cues show.
    if (project.burn_subtitles || options.side_cues) {
        const auto& look = project.subtitle_look;
        text::SubtitleStyle style;
        if (!look.font.empty())
            style.font = look.font;
        if (look.size_frac > 0)
            style.size_px = look.size_frac * ctx.height;
        style.color = look.color;
        style.box = look.box;
        style.outline_px = look.outline_px;
        style.max_lines = look.max_lines;
        style.outline_color = look.outline_color;
        if (look.shadow >= 0)
            style.shadow = look.shadow;
        // The two enums list the same places in the same order (text does not see timeline).
        static_assert(int(text::SubtitleStyle::Position::Top) == int(timeline::SubtitlePosition::Top)
                      && int(text::SubtitleStyle::Position::Percent) == int(timeline::SubtitlePosition::Percent));
        style.position = text::SubtitleStyle::Position(look.position);
        if (look.position == timeline::SubtitlePosition::Percent)
            style.percent = look.percent;
        sh.subtitle_style = style;
        sh.cues = build_cues(project, plan, options.voice, *sh.subtitle_style, ctx.width, ctx.height, words.get());
        if (options.side_cues)
            sh.side_cues = sh.cues;
        if (!project.burn_subtitles)
            sh.cues.clear();
    }

    // Titles (`title:`, or a title card's shot name): large text at 40 % of the height that enters
    // after the incoming transition and leaves before the outgoing one, animated as the script
    // says (slide-up, fade, pop, none).
    sh.title_style.size_px = 0.09 * std::min(ctx.width, ctx.height);
    sh.title_style.position = text::SubtitleStyle::Position::Percent;
    sh.title_style.percent = 0.40;
    sh.title_style.max_lines = 3;
    sh.title_style.shadow = 0.6;
    sh.title_fade = std::max<int64_t>(1, core::us_to_frames(400'000, plan.fps));
    for (const auto& shot : project.shots) {
        const std::string& title = shown_title(shot);
        sh.titles.push_back(title.empty() ? std::string() : lay_out_title(title, sh.title_style, ctx.width, ctx.height, words.get()));
    }

    // The logo: prepared once, blended into every frame.
    if (project.logo) {
        const auto& lg = *project.logo;
        const int lw = std::max(2, (int)std::lround(ctx.width * lg.width_frac));
        auto size = text::logo_size(lg.path, lw);
        if (!size) {
            core::Error e = size.error();
            e.where = lg.loc;
            return tl::unexpected(e);
        }
        const int margin = (int)std::lround(0.04 * std::min(ctx.width, ctx.height));
        const bool right = timeline::is_right(lg.corner), bottom = timeline::is_bottom(lg.corner);
        int x = right ? ctx.width - margin - size->first : margin;
        int y = bottom ? ctx.height - margin - size->second : margin;
        auto bmp = text::load_logo(lg.path, lw, x, y);
        if (!bmp) {
            core::Error e = bmp.error();
            e.where = lg.loc;
            return tl::unexpected(e);
        }
        sh.logo = std::move(*bmp);
    }
    return sh;
}

core::Result<std::string> segment_material(const RenderShared& sh, const Segment& seg, const DigestFn& digest)
{
    const auto& project = *sh.project;
    const auto& plan = *sh.plan;
    const auto& enc = sh.encode;
    std::ostringstream o;
    o << "shotweave segment " << kSegmentFormat << "\nengine " << engine_digest() << "\n";
    o << "output " << enc.width << "x" << enc.height << " fps=" << enc.fps.num << "/" << enc.fps.den
      << " preset=" << enc.preset << " crf=" << enc.crf << " bitrate=" << enc.bitrate << " threads=" << enc.threads
      << " background=" << rgb(sh.ctx.background) << "\n";
    o << "frames " << seg.frames << "\n";
    SW_TRY_STATUS(shot_material(o, sh, seg.shot, seg.shot_offset, seg.frames, digest));
    if (seg.transition >= 0) {
        const auto& pt = plan.transitions[(size_t)seg.transition];
        o << "transition " << quoted(pt.name) << " frames=" << pt.frames << "\n";
        SW_TRY_STATUS(shot_material(o, sh, seg.next_shot, 0, seg.frames, digest));
    }
    // Overlays, timed from the segment's first frame.
    const int64_t s = seg.start_frame, e = seg.start_frame + seg.frames;
    bool any_cue = false;
    for (const auto& c : sh.cues) {
        if (c.end_frame <= s || c.start_frame >= e)
            continue;
        any_cue = true;
        // The text as drawn: a character left out for want of a font is drawn once one is installed.
        o << "cue " << std::max<int64_t>(0, c.start_frame - s) << "-" << std::min(e, c.end_frame) - s << " "
          << quoted(text::without_missing_glyphs(c.text, sh.subtitle_style->font, sh.subtitle_style->bold)) << "\n";
    }
    if (any_cue)
        o << "subtitle-style " << style_material(*sh.subtitle_style) << "\n";
    const auto& shot = project.shots[(size_t)seg.shot];
    const std::string& title = sh.titles[(size_t)seg.shot];
    const auto [a, b] = title_window(plan.shots[(size_t)seg.shot]);
    if (!title.empty() && a < e && b > s) {
        o << "title " << quoted(text::without_missing_glyphs(title, sh.title_style.font, sh.title_style.bold)) << " window=" << (a - s) << "-" << (b - s)
          << " animation=" << (int)shot.title_animation.value_or(project.title_animation) << " fade=" << sh.title_fade
          << " style " << style_material(sh.title_style) << "\n";
    }
    if (project.logo) {
        const auto& lg = *project.logo;
        std::string d = SW_TRY(digest(lg.path));
        o << "logo file=" << d << " width=" << num(lg.width_frac) << " corner=" << quoted(timeline::to_string(lg.corner))
          << " opacity=" << num(lg.opacity) << "\n";
    }
    return o.str();
}

std::string segment_key(const std::string& material) { return core::sha256_hex(material); }

std::string segment_label(const RenderShared& sh, const Segment& seg)
{
    const auto& shots = sh.project->shots;
    std::string name = "shot " + std::to_string(seg.shot + 1) + " \"" + shots[(size_t)seg.shot].name + "\"";
    if (seg.transition >= 0)
        return sh.plan->transitions[(size_t)seg.transition].name + " from " + name + " into shot " +
               std::to_string(seg.next_shot + 1) + " \"" + shots[(size_t)seg.next_shot].name + "\"";
    return name + " frames " + std::to_string(seg.shot_offset) + "-" + std::to_string(seg.shot_offset + seg.frames - 1);
}

core::Status render_segment(const RenderShared& sh, const Segment& seg, const std::filesystem::path& path,
                            const std::function<bool()>& stop, const std::function<void()>& on_frame)
{
    const auto& project = *sh.project;
    const auto& plan = *sh.plan;
    const RenderContext& ctx = sh.ctx;
    auto stopped = [&]() -> Error {
        return core::cancelled() ? core::cancelled_error() : Error{ErrorCategory::Cancelled, "render stopped", {}, {}};
    };

    const auto& shot = project.shots[(size_t)seg.shot];
    auto a = SW_TRY(make_shot_source(shot, plan.shots[(size_t)seg.shot], ctx, seg.shot_offset));
    std::unique_ptr<ShotSource> b;
    if (seg.transition >= 0)
        b = SW_TRY(make_shot_source(project.shots[(size_t)seg.next_shot], plan.shots[(size_t)seg.next_shot], ctx, 0));

    auto writer = SW_TRY(media::Mp4Writer::open(path, sh.encode));

    // Cues shown in this segment, rasterised as they come.
    std::vector<const TimedCue*> cues;
    const int64_t s = seg.start_frame, e = seg.start_frame + seg.frames;
    for (const auto& c : sh.cues)
        if (c.end_frame > s && c.start_frame < e)
            cues.push_back(&c);
    std::optional<text::SubtitleRenderer> cue_renderer;
    if (!cues.empty())
        cue_renderer.emplace(ctx.width, ctx.height, *sh.subtitle_style);
    size_t next_cue = 0;
    std::optional<text::CueBitmap> cue_bitmap;
    int64_t cue_end = -1;

    // The title of the shot whose own part this segment is in (a transition never shows one).
    const std::string& title = sh.titles[(size_t)seg.shot];
    const auto [ta, tb] = title_window(plan.shots[(size_t)seg.shot]);
    std::optional<text::CueBitmap> title_bitmap;
    if (!title.empty() && ta < e && tb > s) {
        text::SubtitleRenderer title_renderer(ctx.width, ctx.height, sh.title_style);
        auto bmp = title_renderer.render(title);
        if (!bmp) {
            core::Error err = bmp.error();
            err.where = {};
            return tl::unexpected(core::in_context(std::move(err), "title of shot \"" + shot.name + "\"", shot.title_loc));
        }
        title_bitmap = std::move(*bmp);
    }
    const auto anim = shot.title_animation.value_or(project.title_animation);

    const bool overlap = seg.transition >= 0;
    for (int64_t k = 0; k < seg.frames; ++k) {
        if (core::cancelled() || (stop && stop()))
            return tl::unexpected(stopped());
        const int64_t f = s + k;
        Frame out = SW_TRY(a->next());
        if (overlap) {
            Frame in = SW_TRY(b->next());
            const auto& pt = plan.transitions[(size_t)seg.transition];
            const float progress = effects::xfade_progress(f - pt.start_frame, pt.frames);
            Frame mixed = ctx.pool->acquire();
            sh.transitions[(size_t)seg.transition]->render(out, in, mixed, progress, 0, mixed.height());
            out = std::move(mixed);
        }
        if (cue_bitmap && f >= cue_end)
            cue_bitmap.reset();
        while (next_cue < cues.size() && cues[next_cue]->start_frame <= f) {
            const TimedCue& c = *cues[next_cue++];
            if (c.end_frame <= f)
                continue;
            auto bmp = cue_renderer->render(c.text);
            if (!bmp)
                return tl::unexpected(
                    core::in_context(bmp.error(), "subtitles of shot \"" + project.shots[(size_t)c.shot].name + "\""));
            cue_bitmap = std::move(*bmp);
            cue_end = c.end_frame;
        }
        double title_opacity = 0;
        int title_dy = 0;
        double title_scale = 1;
        if (title_bitmap && f >= ta && f < tb) {
            double in = std::min(1.0, double(f - ta + 1) / double(sh.title_fade));
            double outp = std::min(1.0, double(tb - f) / double(sh.title_fade));
            title_opacity = std::min(in, outp);
            switch (anim) {
            case timeline::TitleAnimation::SlideUp:
                title_dy = (int)std::lround((1.0 - ease_in_out(in)) * 0.03 * ctx.height) & ~1;
                break;
            case timeline::TitleAnimation::Fade: break;
            case timeline::TitleAnimation::Pop: {
                // Grows from 60 % with a small overshoot (ease-out-back), shows fully after half
                // the entrance; leaves shrinking a little while fading.
                const double c1 = 1.70158, c3 = c1 + 1, t = in - 1;
                const double back = 1 + c3 * t * t * t + c1 * t * t;
                title_scale = in < 1 ? 0.6 + 0.4 * back : 1.0 - 0.1 * (1.0 - outp);
                title_opacity = std::min(std::min(1.0, 2 * in), outp);
                break;
            }
            case timeline::TitleAnimation::None: title_opacity = 1; break;
            }
        }
        if (cue_bitmap || title_opacity > 0 || sh.logo) {
            if (!overlap) {  // source frames may be shared (a still shown every frame): draw on a copy
                Frame copy = ctx.pool->acquire();
                copy.copy_from(out);
                out = std::move(copy);
            }
            if (title_opacity > 0 && std::abs(title_scale - 1) > 1e-3) {
                text::blend(out, text::scale_bitmap(*title_bitmap, title_scale), title_opacity);
            } else if (title_opacity > 0) {
                title_bitmap->y += title_dy;
                text::blend(out, *title_bitmap, title_opacity);
                title_bitmap->y -= title_dy;
            }
            if (cue_bitmap)
                text::blend(out, *cue_bitmap);
            if (sh.logo)
                text::blend(out, *sh.logo, project.logo->opacity);
        }
        SW_TRY_STATUS(writer.write_video(out));
        if (on_frame)
            on_frame();
    }
    return writer.finish();
}

}  // namespace sw::render
