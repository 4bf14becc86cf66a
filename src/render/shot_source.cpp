#include "render/shot_source.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/cancel.h"
#include "media/media.h"
#include "render/image_ops.h"
#include "render/visual_pick.h"
#include "scene/scene.h"

extern "C" {
#include <libavutil/frame.h>
}

namespace sw::render {

using core::Frame;
using timeline::Fit;
using timeline::Move;

static int even_floor(double v) { return std::max(2, (int)std::floor(v / 2.0) * 2); }
static int even_round(double v) { return std::max(2, (int)std::lround(v / 2.0) * 2); }

Placement place(Fit fit, int src_w, int src_h, int dst_w, int dst_h)
{
    Placement p{0, 0, double(src_w), double(src_h), 0, 0, dst_w, dst_h};
    if (fit == Fit::Stretch)
        return p;
    double sx = double(dst_w) / src_w, sy = double(dst_h) / src_h;
    if (fit == Fit::Cover) {
        double s = std::max(sx, sy);
        p.sw = std::min(double(src_w), dst_w / s);
        p.sh = std::min(double(src_h), dst_h / s);
        p.sx = (src_w - p.sw) / 2;
        p.sy = (src_h - p.sh) / 2;
    } else {  // Contain
        double s = std::min(sx, sy);
        p.dw = std::min(dst_w, even_round(src_w * s));
        p.dh = std::min(dst_h, even_round(src_h * s));
        p.dx = ((dst_w - p.dw) / 2) & ~1;
        p.dy = ((dst_h - p.dh) / 2) & ~1;
    }
    return p;
}

// Hue (degrees), saturation and value of a colour: a title card takes its hue from `background`.
static void to_hsv(core::Rgb c, double& h, double& s, double& v)
{
    double r = c.r / 255.0, g = c.g / 255.0, b = c.b / 255.0;
    double mx = std::max({r, g, b}), mn = std::min({r, g, b}), d = mx - mn;
    v = mx;
    s = mx > 0 ? d / mx : 0;
    if (d <= 0)
        h = 0;
    else if (mx == r)
        h = 60 * std::fmod((g - b) / d + 6, 6.0);
    else if (mx == g)
        h = 60 * ((b - r) / d + 2);
    else
        h = 60 * ((r - g) / d + 4);
}

namespace {

class StaticSource final : public ShotSource {
public:
    explicit StaticSource(Frame f) : m_frame(std::move(f)) {}
    core::Result<Frame> next() override { return m_frame; }

private:
    Frame m_frame;
};

// Fills `out` with a blurred, darkened copy of `src` covering it: what vertical-video editors
// put in the bars around a `contain`-fitted picture. Blurred at 1/8 size (cheap, and smoother);
// `small` is scratch space the caller may keep between frames.
core::Status blurred_backdrop(const Frame& src, Frame& small, Frame& out)
{
    Placement cover = place(Fit::Cover, src.width(), src.height(), out.width(), out.height());
    if (small.empty())
        small = Frame(even_round(out.width() / 8.0), even_round(out.height() / 8.0));
    SW_TRY_STATUS(scale_frame(src, (int)cover.sx, (int)cover.sy, (int)cover.sw, (int)cover.sh, small));
    box_blur(small, std::max(2, small.width() / 40));
    darken(small, 0.55, 0.8);
    return scale_frame(small, out);
}

// Composes `src` into a w x h picture by `fit` (cover/contain/stretch).
core::Result<Frame> compose_fitted(const Frame& src, Fit fit, int w, int h)
{
    Placement p = place(fit, src.width(), src.height(), w, h);
    if (fit != Fit::Contain) {
        Frame out(w, h);
        SW_TRY_STATUS(scale_frame(src, (int)std::lround(p.sx), (int)std::lround(p.sy), (int)std::lround(p.sw),
                                  (int)std::lround(p.sh), out));
        return out;
    }
    Frame out(w, h), small;
    SW_TRY_STATUS(blurred_backdrop(src, small, out));
    Frame fg(p.dw, p.dh);
    SW_TRY_STATUS(scale_frame(src, fg));
    blit(fg, out, p.dx, p.dy);
    return out;
}

// A still with a camera move: a canvas larger than the frame is prepared once; each frame
// samples a moving sub-pixel window of it (bilinear, scale factor between 1 and `margin`).
class MovingStillSource final : public ShotSource {
public:
    MovingStillSource(Frame canvas, Move move, int64_t frames, const RenderContext& ctx, double margin, int64_t first)
        : m_canvas(std::move(canvas)), m_move(move), m_frames(frames), m_k(first), m_ctx(ctx), m_margin(margin)
    {
    }

    core::Result<Frame> next() override
    {
        double t = m_frames > 1 ? double(m_k) / double(m_frames - 1) : 0.0;
        ++m_k;
        double e = ease_in_out(t);
        const double W = m_ctx.width, H = m_ctx.height;
        const double cw = m_canvas.width(), ch = m_canvas.height();
        double ww, wh, x, y;
        if (m_move == Move::ZoomIn || m_move == Move::ZoomOut) {
            double z = m_move == Move::ZoomIn ? 1.0 + (m_margin - 1.0) * e : m_margin - (m_margin - 1.0) * e;
            ww = cw / z;
            wh = ch / z;
            x = (cw - ww) / 2;
            y = (ch - wh) / 2;
        } else {
            // Pans show the canvas at 1:1 and travel across its extra width/height, at most
            // 40 % of the frame so the motion stays gentle on wide panoramas.
            ww = W;
            wh = H;
            double cx = (cw - ww) / 2, cy = (ch - wh) / 2;
            double tx = std::min(cw - ww, 0.4 * W), ty = std::min(ch - wh, 0.4 * H);
            x = cx;
            y = cy;
            switch (m_move) {
            case Move::PanLeft: x = cx + tx / 2 - tx * e; break;   // camera turns left: view slides left
            case Move::PanRight: x = cx - tx / 2 + tx * e; break;
            case Move::PanUp: y = cy + ty / 2 - ty * e; break;
            case Move::PanDown: y = cy - ty / 2 + ty * e; break;
            default: break;
            }
        }
        Frame out = m_ctx.pool->acquire();
        sample_bilinear(m_canvas, x, y, ww, wh, out);
        return out;
    }

private:
    Frame m_canvas;
    Move m_move;
    int64_t m_frames;
    int64_t m_k;
    RenderContext m_ctx;
    double m_margin;
};

core::Result<std::unique_ptr<ShotSource>> make_still_source(const timeline::Shot& shot,
                                                            const timeline::PlannedShot& planned,
                                                            const RenderContext& ctx, int64_t first)
{
    auto image = media::load_image(shot.visual.path);
    if (!image)
        return tl::unexpected(core::in_context(image.error(), "shot \"" + shot.name + "\"", shot.visual.loc));
    const Move move = shot.visual.move;
    const Fit fit = shot.visual.fit;
    if (move == Move::None) {
        Frame f = SW_TRY(compose_fitted(*image, fit, ctx.width, ctx.height));
        return std::make_unique<StaticSource>(std::move(f));
    }
    const bool zoom = move == Move::ZoomIn || move == Move::ZoomOut;
    const double margin = zoom ? 1.15 : 1.10;
    Frame canvas;
    if (!zoom && fit == Fit::Cover) {
        // Keep the picture's extra width (or height) for the pan to travel over, but no more
        // than 3 frames' worth.
        const Frame& img = *image;
        double s = std::max(double(ctx.width) / img.width(), double(ctx.height) / img.height()) * margin;
        int cw = std::min(even_floor(img.width() * s), even_floor(3.0 * ctx.width));
        int ch = std::min(even_floor(img.height() * s), even_floor(3.0 * ctx.height));
        double sw = cw / s, sh = ch / s;
        canvas = Frame(cw, ch);
        SW_TRY_STATUS(scale_frame(img, (int)std::lround((img.width() - sw) / 2), (int)std::lround((img.height() - sh) / 2),
                                  (int)std::lround(sw), (int)std::lround(sh), canvas));
    } else {
        canvas = SW_TRY(compose_fitted(*image, fit, even_round(ctx.width * margin), even_round(ctx.height * margin)));
    }
    return std::make_unique<MovingStillSource>(std::move(canvas), move, planned.frames, ctx, margin, first);
}

class VideoSource final : public ShotSource {
public:
    // `opened`: the shot frame the reader was opened at (its first frame).
    VideoSource(media::VideoReader reader, const timeline::Shot& shot, int64_t usable_frames, const RenderContext& ctx,
                int64_t opened)
        : m_reader(std::move(reader)), m_shot_name(shot.name), m_path(shot.visual.path_as_written),
          m_file(shot.visual.path), m_from_us(shot.visual.trim_from_us.value_or(0)), m_fit(shot.visual.fit),
          m_usable(usable_frames), m_ctx(ctx), m_opened(opened), m_count(opened)
    {
        const auto& info = m_reader.info();
        m_rotation = ((info.rotation % 360) + 360) % 360;
    }

    core::Result<Frame> next() override
    {
        if (m_done || past_end())
            return hold();
        auto r = m_reader.next();
        if (!r)
            return tl::unexpected(named(r.error()));
        const AVFrame* src = *r;
        if (!src) {
            m_done = true;
            // A source started after the clip ended holds the clip's last frame, as one started
            // at the shot's beginning would be doing by then.
            if (m_last.empty() && m_opened > 0)
                SW_TRY_STATUS(load_last_frame());
            return hold();
        }
        ++m_count;
        Frame out = SW_TRY(convert(src));
        m_last = out;
        return out;
    }

private:
    bool past_end() const { return m_usable >= 0 && m_count >= m_usable; }

    core::Error named(core::Error e) const
    {
        return core::in_context(std::move(e), "shot \"" + m_shot_name + "\" (" + m_path + ")");
    }

    // The clip's last frame, found by counting its frames and reading the last one again (only
    // for a segment that starts after the clip has ended — rare, so simple beats fast).
    core::Status load_last_frame()
    {
        auto counter = media::VideoReader::open(m_file, m_ctx.fps, m_from_us, m_ctx.decoder_threads);
        if (!counter)
            return tl::unexpected(named(counter.error()));
        int64_t n = 0;
        for (;;) {
            auto r = counter->next();
            if (!r)
                return tl::unexpected(named(r.error()));
            if (!*r)
                break;
            ++n;
        }
        auto reader = media::VideoReader::open(m_file, m_ctx.fps, m_from_us, m_ctx.decoder_threads, std::max<int64_t>(0, n - 1));
        if (!reader)
            return tl::unexpected(named(reader.error()));
        auto r = reader->next();
        if (!r)
            return tl::unexpected(named(r.error()));
        if (*r)
            m_last = SW_TRY(convert(*r));
        return {};
    }

    core::Result<Frame> hold()
    {
        if (m_last.empty())
            return core::make_error(core::ErrorCategory::Input,
                                    "shot \"" + m_shot_name + "\": " + m_path + " has no decodable video frames",
                                    {}, {});
        return m_last;
    }

    core::Result<Frame> convert(const AVFrame* src)
    {
        const int W = m_ctx.width, H = m_ctx.height;
        const bool swap = m_rotation == 90 || m_rotation == 270;
        // Display-oriented source size.
        const int sw = swap ? src->height : src->width, sh = swap ? src->width : src->height;
        Placement p = place(m_fit, sw, sh, W, H);
        // Source rectangle in coded (unrotated) coordinates.
        double cx = p.sx, cy = p.sy, cw = p.sw, ch = p.sh;
        if (m_rotation == 90) {  // display(x, y) = coded(y, H_c - 1 - x)
            cx = p.sy, cy = src->height - p.sx - p.sw, cw = p.sh, ch = p.sw;
        } else if (m_rotation == 180) {
            cx = src->width - p.sx - p.sw, cy = src->height - p.sy - p.sh;
        } else if (m_rotation == 270) {
            cx = src->width - p.sy - p.sh, cy = p.sx, cw = p.sh, ch = p.sw;
        }
        const int tw = swap ? p.dh : p.dw, th = swap ? p.dw : p.dh;  // target before rotation
        Frame fg = (m_rotation == 0 && m_fit != Fit::Contain) ? m_ctx.pool->acquire() : Frame(tw, th);
        SW_TRY_STATUS(m_fg.convert(src, (int)std::lround(cx), (int)std::lround(cy), (int)std::lround(cw),
                                   (int)std::lround(ch), fg));
        if (m_rotation != 0)
            fg = media::rotate_frame(fg, m_rotation);
        if (m_fit != Fit::Contain)
            return fg;
        // Contain: a blurred copy of this frame fills the bars.
        Frame out = m_ctx.pool->acquire();
        SW_TRY_STATUS(blurred_backdrop(fg, m_small, out));
        blit(fg, out, p.dx, p.dy);
        return out;
    }

    media::VideoReader m_reader;
    std::string m_shot_name, m_path;
    std::filesystem::path m_file;
    int64_t m_from_us;
    Fit m_fit;
    int64_t m_usable;
    RenderContext m_ctx;
    int m_rotation = 0;
    int64_t m_opened;
    int64_t m_count;
    bool m_done = false;
    Frame m_last, m_small;
    media::FrameConverter m_fg;
};

// A scene from the built-in generator: layers drawn once, composed per frame.
class SceneSource final : public ShotSource {
public:
    SceneSource(std::unique_ptr<scene::SceneGenerator> gen, int64_t first) : m_gen(std::move(gen)), m_count(first) {}
    core::Result<Frame> next() override
    {
        // The plan may ask for one frame more than sized for (rounding); hold the last one.
        int64_t i = std::min(m_count++, m_gen->frame_count() - 1);
        return m_gen->frame(i);
    }

private:
    std::unique_ptr<scene::SceneGenerator> m_gen;
    int64_t m_count;
};

core::Result<std::unique_ptr<ShotSource>> make_scene_source(const timeline::Shot& shot,
                                                            const timeline::PlannedShot& planned,
                                                            const RenderContext& ctx, int64_t first)
{
    auto spec = scene::parse_scene(shot.choice.query.empty() ? visual_query(shot) : shot.choice.query, shot.choice.seed);
    auto style = shot.visual.kind == timeline::VisualKind::Card ? scene::SceneStyle::Card : scene::SceneStyle::Landscape;
    const core::Rgb bg = ctx.background;
    if (style == scene::SceneStyle::Card && (bg.r || bg.g || bg.b)) {
        // A project colour (`background:`) is the brand look of every title card; the words
        // only nudge the hue so consecutive cards stay distinguishable.
        double h, sat, val;
        to_hsv(bg, h, sat, val);
        spec.hue = std::fmod(h + std::fmod(spec.hue, 21.0) - 10 + 360, 360.0);
    }
    auto gen = scene::SceneGenerator::create(spec, style, ctx.width, ctx.height, std::max<int64_t>(1, planned.frames), ctx.fps);
    if (!gen) {
        core::Error e = gen.error();
        e.where = {};  // the scene's own parts have no place in the script; the shot does
        return tl::unexpected(core::in_context(std::move(e), "shot \"" + shot.name + "\": generating its scene failed",
                                               shot.visual.loc.valid() ? shot.visual.loc : shot.loc));
    }
    return std::make_unique<SceneSource>(std::move(*gen), first);
}

}  // namespace

core::Result<std::unique_ptr<ShotSource>> make_shot_source(const timeline::Shot& shot,
                                                           const timeline::PlannedShot& planned,
                                                           const RenderContext& ctx, int64_t first_frame)
{
    if (shot.visual.kind != timeline::VisualKind::Media)
        return make_scene_source(shot, planned, ctx, first_frame);
    if (shot.visual.media_type == timeline::MediaType::Image)
        return make_still_source(shot, planned, ctx, first_frame);
    const int64_t from = shot.visual.trim_from_us.value_or(0);
    int64_t usable = -1;
    if (shot.visual.trim_to_us)
        usable = std::max<int64_t>(1, core::us_to_frames(*shot.visual.trim_to_us - from, ctx.fps));
    // Past the trim's end the last usable frame is held: open the reader there (its one frame is
    // then shown, and held, from `first_frame` on).
    const int64_t opened = usable >= 0 ? std::min(first_frame, usable - 1) : first_frame;
    auto reader = media::VideoReader::open(shot.visual.path, ctx.fps, from, ctx.decoder_threads, opened);
    if (!reader)
        return tl::unexpected(core::in_context(reader.error(), "shot \"" + shot.name + "\"", shot.visual.loc));
    return std::make_unique<VideoSource>(std::move(*reader), shot, usable, ctx, opened);
}

}  // namespace sw::render
