// What stands on the horizon (castle, city, forest), each with its mirror image for water in
// front of it: see landscape.h.

#include <algorithm>
#include <cmath>

#include "scene/landscape.h"

namespace sw::scene::detail {

core::Result<Standing> build_castle(const Stage& st, double base_y, double p)
{
    const SceneSpec& spec = st.spec;
    const int W = st.W, H = st.H;
    const Palette& pal = st.pal;
    const double unit = st.unit;
    auto cv = SW_TRY(st.canvas(p));
    const double S = std::min(0.92 * W, 0.62 * H);
    const double cx = W * 0.5;
    const bool ice = spec.ice, night = spec.time == TimeOfDay::Night;
    Rng rng(spec.seed * 31 + 5);
    struct Tower {
        double x, w, h, roof;
        int kind;  // 0 cone, 1 onion, 2 flat crenellated
    };
    std::vector<Tower> towers = {
        {0.0, 0.2, 0.5, 0.28, 1},    {-0.2, 0.1, 0.58, 0.26, 0}, {0.2, 0.1, 0.58, 0.26, 0},
        {-0.36, 0.08, 0.36, 0.18, 0}, {0.36, 0.08, 0.36, 0.18, 0}, {-0.47, 0.06, 0.24, 0.12, 2},
        {0.47, 0.06, 0.24, 0.12, 2}, {-0.11, 0.06, 0.4, 0.2, 0},  {0.11, 0.06, 0.4, 0.2, 0},
    };
    auto path = [=](cairo_t* cr) {
        // Walls with crenellations.
        const double wall_h = 0.16 * S, wx0 = cx - 0.5 * S, wx1 = cx + 0.5 * S;
        cairo_rectangle(cr, wx0, base_y - wall_h, wx1 - wx0, wall_h + 0.02 * S);
        const double tooth = 0.022 * S;
        for (double x = wx0; x < wx1 - tooth; x += 2 * tooth)
            cairo_rectangle(cr, x, base_y - wall_h - tooth, tooth, tooth + 1);
        for (const auto& t : towers) {
            const double x = cx + t.x * S, w = t.w * S, h = t.h * S, rh = t.roof * S;
            const double top = base_y - h;
            cairo_rectangle(cr, x - w / 2, top, w, h + 0.02 * S);
            if (t.kind == 0) {
                cairo_move_to(cr, x - w * 0.62, top + 1);
                cairo_curve_to(cr, x - w * 0.3, top - rh * 0.3, x - w * 0.05, top - rh * 0.8, x, top - rh);
                cairo_curve_to(cr, x + w * 0.05, top - rh * 0.8, x + w * 0.3, top - rh * 0.3, x + w * 0.62, top + 1);
                cairo_close_path(cr);
                cairo_rectangle(cr, x - 0.003 * S, top - rh - 0.05 * S, 0.006 * S, 0.05 * S);  // spire
            } else if (t.kind == 1) {
                cairo_move_to(cr, x - w * 0.5, top + 1);
                cairo_curve_to(cr, x - w * 0.75, top - rh * 0.35, x - w * 0.2, top - rh * 0.6, x, top - rh);
                cairo_curve_to(cr, x + w * 0.2, top - rh * 0.6, x + w * 0.75, top - rh * 0.35, x + w * 0.5, top + 1);
                cairo_close_path(cr);
                cairo_rectangle(cr, x - 0.004 * S, top - rh - 0.07 * S, 0.008 * S, 0.07 * S);
            } else {
                const double tw = w / 5;
                for (int k = 0; k < 3; ++k)
                    cairo_rectangle(cr, x - w / 2 + 2 * k * tw, top - tw, tw, tw + 1);
            }
        }
    };
    path(cv->m);
    cairo_set_source_rgba(cv->m, 1, 1, 1, 1);
    cairo_fill(cv->m);
    // Windows and the gate, lit; ice edges catch the light.
    const C3 lamp = ice ? (night ? rgb(255, 240, 200) : rgb(235, 250, 255)) : pal.window;
    auto windows = [&](cairo_t* cr, double alpha) {
        for (const auto& t : towers) {
            const double x = cx + t.x * S, w = t.w * S, h = t.h * S;
            const int rows = std::max(1, int(h / (0.09 * S)));
            for (int r = 0; r < rows; ++r) {
                const double wy = base_y - h + (r + 0.55) * (h / (rows + 0.4));
                const double ww = std::max(1.5, w * 0.22), wh = ww * 1.8;
                if (!night && !ice)
                    continue;
                set_source(cr, lamp, alpha * (night ? rng.range(0.7, 1.0) : 0.6));
                cairo_move_to(cr, x - ww / 2, wy + wh / 2);
                cairo_line_to(cr, x - ww / 2, wy - wh / 4);
                cairo_arc(cr, x, wy - wh / 4, ww / 2, M_PI, 2 * M_PI);
                cairo_line_to(cr, x + ww / 2, wy + wh / 2);
                cairo_close_path(cr);
                cairo_fill(cr);
                if (night)
                    glow(cr, x, wy, ww * 2.5, lamp, alpha * 0.35);
            }
        }
        // Gate.
        const double gw = 0.07 * S, gh = 0.1 * S;
        set_source(cr, night ? rgb(255, 220, 160) : (ice ? rgb(170, 220, 245) : rgb(40, 36, 40)), alpha);
        cairo_move_to(cr, cx - gw / 2, base_y + 1);
        cairo_line_to(cr, cx - gw / 2, base_y - gh + gw / 2);
        cairo_arc(cr, cx, base_y - gh + gw / 2, gw / 2, M_PI, 2 * M_PI);
        cairo_line_to(cr, cx + gw / 2, base_y + 1);
        cairo_close_path(cr);
        cairo_fill(cr);
        if (night)
            glow(cr, cx, base_y - gh * 0.4, gw * 2.2, rgb(255, 200, 130), alpha * 0.45);
    };
    windows(cv->d, 1.0);
    if (ice) {
        // Bright edges: the silhouette stroked thin and light, as ice catches light at its edges.
        path(cv->d);
        cairo_set_line_width(cv->d, std::max(1.0, 2.0 * unit));
        set_source(cv->d, night ? rgb(200, 250, 255) : rgb(255, 255, 255), night ? 0.55 : 0.7);
        cairo_stroke(cv->d);
    }
    const double top = base_y - 0.85 * S, hue0 = spec.hue;
    const Palette& pl = pal;
    auto shade = [=, &pl](double x, double y) {
        const double v = std::clamp((y - top) / (base_y - top), 0.0, 1.0);
        if (ice) {
            if (night) {
                // Harbin style: coloured light washing up the ice, hue drifting across the castle.
                const double h = 200 + 0.15 * (hue0 - 180) + 65 * std::sin((x - cx) / S * 5.0);
                const C3 c = hsv(h, 0.42, 0.5 + 0.45 * v);
                return mix(c, rgb(200, 245, 255), 0.3 * (1 - v));
            }
            const C3 a = rgb(214, 238, 250), b = rgb(120, 186, 226);
            const double streak = 0.06 * std::sin((x - cx) / S * 60.0);
            return mix(a, b, v * 0.7 + 0.15) * (1.0 + streak);
        }
        const C3 base = night ? rgb(26, 28, 44) : mix(rgb(190, 180, 168), pl.haze, 0.25);
        return base * (1.05 - 0.25 * v);
    };
    Layer layer = finish(*cv, p, shade);
    // For the water's reflection: the castle drawn again, mirrored about base_y.
    const double by = base_y;
    const C3 haze = pal.haze;
    MirrorFn mirrored = [=](cairo_t* cr) {
        cairo_save(cr);
        cairo_translate(cr, 0, 2 * by);
        cairo_scale(cr, 1, -1);
        path(cr);
        const C3 c = ice ? (night ? hsv(200, 0.45, 0.6) : rgb(170, 210, 235)) : (night ? rgb(20, 22, 36) : haze);
        set_source(cr, c, 0.75);
        cairo_fill(cr);
        cairo_restore(cr);
    };
    return Standing{std::move(layer), std::move(mirrored)};
}

core::Result<Standing> build_city(const Stage& st, bool near, double base_y, double p)
{
    const SceneSpec& spec = st.spec;
    const int W = st.W, H = st.H;
    const Palette& pal = st.pal;
    const double unit = st.unit;
    auto cv = SW_TRY(st.canvas(p));
    Rng rng(spec.seed * 31 + (near ? 7 : 6));
    const bool night = spec.time == TimeOfDay::Night;
    struct B {
        double x, w, h;
        int top;
    };
    std::vector<B> bs;
    const double hmax = near ? 0.32 * H : 0.22 * H, hmin = near ? 0.1 * H : 0.06 * H;
    for (double x = -cv->ox; x < W + cv->ox;) {
        const double w = rng.range(0.05, 0.12) * W * (near ? 1.25 : 1.0);
        const double centre = 1.0 - std::fabs((x + w / 2) / W - 0.5) * 0.9;  // taller in the middle
        double h = hmin + (hmax - hmin) * std::pow(rng.uni(), 1.4) * (0.6 + 0.6 * centre);
        if (rng.uni() < 0.08)
            h *= 1.5;  // a landmark tower
        bs.push_back({x, w, h, rng.below(4)});
        x += w * rng.range(0.75, 1.05);
    }
    auto path = [&](cairo_t* cr) {
        for (const auto& b : bs) {
            const double t = base_y - b.h;
            cairo_rectangle(cr, b.x, t, b.w, b.h + (H - base_y) + cv->oy + 2);
            if (b.top == 1) {  // spire
                cairo_rectangle(cr, b.x + b.w * 0.47, t - b.h * 0.18, b.w * 0.06, b.h * 0.18 + 1);
            } else if (b.top == 2) {  // stepped crown
                cairo_rectangle(cr, b.x + b.w * 0.15, t - b.w * 0.2, b.w * 0.7, b.w * 0.2 + 1);
                cairo_rectangle(cr, b.x + b.w * 0.3, t - b.w * 0.35, b.w * 0.4, b.w * 0.15 + 1);
            } else if (b.top == 3) {  // slanted roof
                cairo_move_to(cr, b.x, t + 1);
                cairo_line_to(cr, b.x, t - b.w * 0.25);
                cairo_line_to(cr, b.x + b.w, t);
                cairo_close_path(cr);
            }
        }
    };
    path(cv->m);
    cairo_set_source_rgba(cv->m, 1, 1, 1, 1);
    cairo_fill(cv->m);
    // Windows: a grid, lit at random at night (warm and a few cool), faint reflections by day.
    const double ws = (near ? 0.014 : 0.01) * W;
    for (const auto& b : bs) {
        const double t = base_y - b.h;
        const int cols = std::max(1, int((b.w - ws) / ws / 1.6));
        const double x0 = b.x + (b.w - (cols * 1.6 - 0.6) * ws) / 2;
        const double wh = ws * 0.9;
        const double lit_frac = rng.range(0.2, 0.55);
        for (double y = t + ws; y < std::min(base_y + (near ? H : 0.0), double(H + cv->oy)); y += wh * 1.9) {
            for (int c = 0; c < cols; ++c) {
                const double x = x0 + c * 1.6 * ws;
                if (night) {
                    if (rng.uni() > lit_frac)
                        continue;
                    const C3 col = rng.uni() < 0.8 ? mix(pal.window, rgb(255, 240, 200), rng.uni() * 0.5)
                                                   : rgb(200, 225, 255);
                    set_source(cv->d, col, rng.range(0.55, 1.0));
                } else {
                    set_source(cv->d, rng.uni() < 0.5 ? rgb(220, 235, 250) : rgb(60, 80, 110), rng.range(0.12, 0.3));
                }
                cairo_rectangle(cv->d, x, y, ws, wh);
                cairo_fill(cv->d);
            }
        }
        if (night && b.h > 0.2 * H && rng.uni() < 0.6)  // aircraft warning light
            glow(cv->d, b.x + b.w / 2, t - (b.top == 1 ? b.h * 0.18 : 0), 5 * unit, rgb(255, 60, 50), 0.9, 0.3);
    }
    const bool n2 = near;
    const C3 body_top = night ? (n2 ? rgb(22, 26, 46) : rgb(34, 40, 68)) : mix(rgb(120, 136, 160), pal.haze, n2 ? 0.15 : 0.45);
    const C3 body_bot = night ? (n2 ? rgb(12, 14, 26) : rgb(22, 26, 46)) : mix(rgb(84, 96, 118), pal.haze, n2 ? 0.05 : 0.35);
    const double top_y = base_y - hmax * 1.5;
    auto shade = [=](double x, double y) {
        const double v = std::clamp((y - top_y) / (base_y - top_y), 0.0, 1.0);
        return mix(body_top, body_bot, v) * (1.0 + 0.04 * std::sin(x * 0.05));
    };
    Standing out{finish(*cv, p, shade), {}};
    if (!near) {
        const double by = base_y;
        const uint64_t seed = spec.seed;
        const C3 window = pal.window;
        out.mirrored = [=](cairo_t* cr) {
            cairo_save(cr);
            cairo_translate(cr, 0, 2 * by);
            cairo_scale(cr, 1, -1);
            cairo_rectangle(cr, -1e5, -1e5, 2e5, 1e5 + by);  // only what stands above the water
            cairo_clip(cr);
            for (const auto& b : bs)
                cairo_rectangle(cr, b.x, by - b.h, b.w, b.h);
            set_source(cr, body_top, 0.8);
            cairo_fill(cr);
            cairo_restore(cr);
            if (night) {
                // Lights make long vertical streaks on water.
                Rng r3(seed * 31 + 8);
                for (const auto& b : bs) {
                    const int k = 1 + r3.below(3);
                    for (int j = 0; j < k; ++j) {
                        const double x = b.x + r3.range(0.1, 0.9) * b.w;
                        const double len = r3.range(0.3, 1.0) * b.h * 0.8;
                        const gfx::PatternPtr pt(cairo_pattern_create_linear(0, by, 0, by + len));
                        const C3 c = mix(window, rgb(255, 240, 210), r3.uni() * 0.4);
                        cairo_pattern_add_color_stop_rgba(pt.get(), 0, c.r, c.g, c.b, 0.55);
                        cairo_pattern_add_color_stop_rgba(pt.get(), 1, c.r, c.g, c.b, 0);
                        cairo_set_source(cr, pt.get());
                        cairo_rectangle(cr, x - ws * 0.5, by, ws, len);
                        cairo_fill(cr);
                    }
                }
            }
        };
    }
    return out;
}

core::Result<Standing> build_forest(const Stage& st, double line_y, double p, bool far_shore)
{
    const SceneSpec& spec = st.spec;
    const int W = st.W, H = st.H;
    const Palette& pal = st.pal;
    auto cv = SW_TRY(st.canvas(p));
    Rng rng(spec.seed * 31 + 9);
    const bool blossom = spec.blossom_trees, snowy = spec.snowfield || spec.season == Season::Winter;
    const bool night = spec.time == TimeOfDay::Night;
    const double scale = far_shore ? 0.045 * H : (blossom ? 0.16 : 0.12) * H;
    struct T {
        double x, y, h;
        int row;
    };
    std::vector<T> trees;
    for (int row = 0; row < 2; ++row) {
        const double y = line_y + (row == 0 ? -0.01 : 0.012) * H * (far_shore ? 0.3 : 1.0);
        for (double x = -cv->ox; x < W + cv->ox;) {
            const double h = scale * rng.range(0.55, 1.0) * (row == 0 ? 0.75 : 1.0);
            trees.push_back({x, y + rng.range(-0.004, 0.004) * H + 0.01 * H * noise1(spec.seed + 3, x / W * 4), h, row});
            x += h * (blossom ? rng.range(0.5, 0.8) : rng.range(0.22, 0.4));
        }
    }
    // Ground below the tree line (continues to the bottom; nearer layers cover it).
    cairo_t* m = cv->m;
    cairo_move_to(m, -cv->ox, H + cv->oy);
    for (double x = -cv->ox; x <= W + cv->ox; x += 4)
        cairo_line_to(m, x, line_y + 0.01 * H * noise1(spec.seed + 3, x / W * 4));
    cairo_line_to(m, W + cv->ox, H + cv->oy);
    cairo_close_path(m);
    cairo_set_source_rgba(m, 1, 1, 1, 1);
    cairo_fill(m);

    const C3 dark = far_shore ? mix(pal.forest, pal.haze, 0.35) : pal.forest;
    for (const auto& t : trees) {
        const C3 col = mix(dark, pal.haze, t.row == 0 ? 0.3 : 0.0) * rng.range(0.85, 1.1);
        cairo_t* d = cv->d;
        if (blossom) {
            // Trunk, then a rounded crown of blossom puffs (pink, lit from above).
            set_source(d, night ? rgb(20, 16, 20) : rgb(70, 50, 46));
            cairo_move_to(d, t.x - t.h * 0.04, t.y + 2);
            cairo_line_to(d, t.x - t.h * 0.015, t.y - t.h * 0.55);
            cairo_line_to(d, t.x + t.h * 0.015, t.y - t.h * 0.55);
            cairo_line_to(d, t.x + t.h * 0.04, t.y + 2);
            cairo_close_path(d);
            cairo_fill(d);
            const C3 pink = spec.season == Season::Autumn ? rgb(230, 120, 50) : rgb(246, 178, 200);
            const C3 deep = spec.season == Season::Autumn ? rgb(170, 60, 30) : rgb(214, 120, 160);
            const double dim = night ? 0.35 : 1.0;
            for (int k = 0; k < 14; ++k) {
                const double a = rng.range(0, 2 * M_PI), d0 = rng.range(0, 0.32) * t.h;
                const double px = t.x + std::cos(a) * d0 * 1.3, py = t.y - t.h * 0.68 + std::sin(a) * d0 * 0.8;
                const double r = t.h * rng.range(0.14, 0.24);
                glow(d, px, py + r * 0.2, r * 1.05, deep * dim, 0.97, 0.7);
                glow(d, px - r * 0.15, py - r * 0.15, r * 0.8, mix(pink, rgb(255, 235, 240), rng.uni() * 0.4) * dim,
                     0.95, 0.68);
            }
        } else {
            // Conifer: three tiers with slightly concave sides, a snow line on each when snowy.
            const double w = t.h * 0.42;
            for (int k = 0; k < 3; ++k) {
                const double ty = t.y - t.h * (0.15 + 0.27 * k), tw = w * (1.0 - 0.25 * k), th = t.h * (0.45 - 0.04 * k);
                set_source(d, col);
                cairo_move_to(d, t.x - tw / 2, ty);
                cairo_curve_to(d, t.x - tw * 0.25, ty - th * 0.3, t.x - tw * 0.08, ty - th * 0.75, t.x, ty - th);
                cairo_curve_to(d, t.x + tw * 0.08, ty - th * 0.75, t.x + tw * 0.25, ty - th * 0.3, t.x + tw / 2, ty);
                cairo_close_path(d);
                cairo_fill(d);
                if (snowy) {
                    set_source(d, mix(pal.snow, pal.haze, 0.2), 0.9);
                    cairo_move_to(d, t.x - tw * 0.3, ty - th * 0.2);
                    cairo_curve_to(d, t.x - tw * 0.15, ty - th * 0.45, t.x - tw * 0.05, ty - th * 0.8, t.x, ty - th);
                    cairo_curve_to(d, t.x + tw * 0.03, ty - th * 0.7, t.x + tw * 0.1, ty - th * 0.4, t.x + tw * 0.05, ty - th * 0.25);
                    cairo_close_path(d);
                    cairo_fill(d);
                }
            }
            set_source(d, col * 0.6);
            cairo_rectangle(d, t.x - t.h * 0.025, t.y - t.h * 0.15, t.h * 0.05, t.h * 0.15 + 2);
            cairo_fill(d);
        }
    }
    const C3 g = far_shore ? mix(pal.forest, pal.haze, 0.3) : pal.ground;
    const double ly = line_y;
    const double Hd = H;
    auto shade = [=](double, double y) {
        const double v = std::clamp((y - ly) / (0.4 * Hd), 0.0, 1.0);
        return mix(mix(g, pal.haze, 0.25), g * 0.8, v);
    };
    Standing out{finish(*cv, p, shade), {}};
    if (far_shore) {
        out.mirrored = [=](cairo_t* cr) {
            cairo_save(cr);
            cairo_translate(cr, 0, 2 * ly);
            cairo_scale(cr, 1, -1);
            for (const auto& t : trees) {
                const double w = blossom ? t.h * 0.5 : t.h * 0.3;
                cairo_move_to(cr, t.x - w, t.y);
                cairo_line_to(cr, t.x, t.y - t.h);
                cairo_line_to(cr, t.x + w, t.y);
                cairo_close_path(cr);
            }
            set_source(cr, blossom ? rgb(200, 140, 170) * (night ? 0.35 : 0.8) : dark * 0.8, 0.7);
            cairo_fill(cr);
            cairo_restore(cr);
        };
    }
    return out;
}

}  // namespace sw::scene::detail
