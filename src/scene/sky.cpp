// The sky and the abstract background: see sky.h.

#include "scene/sky.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace sw::scene::detail {

core::Result<Sky> build_sky(const Stage& st)
{
    const SceneSpec& spec = st.spec;
    const int W = st.W, H = st.H;
    const Palette& pal = st.pal;
    const double unit = st.unit, hy = st.hy;
    const double p = 0.12;
    SkyModel sky;
    auto cv = SW_TRY(st.canvas(p));
    sky.pal = pal;
    sky.top_y = -cv->oy;
    sky.hy = hy;
    Rng rng(spec.seed * 31 + 1);
    cairo_set_source_rgba(cv->m, 1, 1, 1, 1);
    cairo_paint(cv->m);
    const double u = unit;
    // Sun / moon position and glow.
    double bx = W * rng.range(0.3, 0.7);
    if (spec.sun) {
        sky.glow = true;
        sky.gx = bx;
        const bool low = spec.time != TimeOfDay::Day;
        sky.gy = low ? hy - 0.05 * H : 0.16 * H;
        sky.gr = (low ? 0.16 : 0.12) * std::max(W, H);
        sky.gk = spec.time == TimeOfDay::Sunset ? 0.55 : (low ? 0.38 : 0.3);
        sky.gc = pal.glow;
        const double r = (low ? 0.065 : 0.05) * W;
        glow(cv->d, bx, sky.gy, r * 1.25, pal.sun, 0.9, 0.72);
        const gfx::PatternPtr pt(cairo_pattern_create_radial(bx, sky.gy - r * 0.2, 0, bx, sky.gy, r));
        C3 core = mix(pal.sun, rgb(255, 255, 250), 0.6);
        cairo_pattern_add_color_stop_rgba(pt.get(), 0, core.r, core.g, core.b, 1);
        cairo_pattern_add_color_stop_rgba(pt.get(), 1, pal.sun.r, pal.sun.g, pal.sun.b, 1);
        cairo_set_source(cv->d, pt.get());
        cairo_arc(cv->d, bx, sky.gy, r, 0, 2 * M_PI);
        cairo_fill(cv->d);
    }
    if (spec.moon) {
        sky.glow = true;
        const double my = 0.17 * H + rng.range(-0.03, 0.03) * H, r = 0.045 * W;
        sky.gx = bx;
        sky.gy = my;
        sky.gr = 0.1 * std::max(W, H);
        sky.gk = 0.22;
        sky.gc = pal.glow;
        glow(cv->d, bx, my, r * 2.2, rgb(220, 230, 255), 0.35);
        const gfx::PatternPtr pt(cairo_pattern_create_radial(bx - r * 0.3, my - r * 0.3, 0, bx, my, r));
        cairo_pattern_add_color_stop_rgba(pt.get(), 0, 1, 0.99, 0.95, 1);
        cairo_pattern_add_color_stop_rgba(pt.get(), 1, 0.9, 0.9, 0.86, 1);
        cairo_set_source(cv->d, pt.get());
        cairo_arc(cv->d, bx, my, r, 0, 2 * M_PI);
        cairo_fill(cv->d);
        // Maria: a few faint grey patches.
        cairo_save(cv->d);
        cairo_arc(cv->d, bx, my, r, 0, 2 * M_PI);
        cairo_clip(cv->d);
        for (int k = 0; k < 6; ++k) {
            const double a = rng.range(0, 2 * M_PI), d = rng.range(0, 0.6) * r;
            glow(cv->d, bx + std::cos(a) * d, my + std::sin(a) * d, rng.range(0.15, 0.35) * r, rgb(170, 170, 176),
                 0.2, 0.3);
        }
        cairo_restore(cv->d);
    }
    if (spec.city && spec.time == TimeOfDay::Night) {
        sky.city_glow = true;
        sky.city_col = rgb(255, 150, 80);
        sky.city_r = 0.12 * H;
    }
    if (spec.aurora) {
        sky.x_base = -cv->ox;
        const int n = cv->w;
        sky.aur_edge.resize(n);
        sky.aur_k.resize(n);
        sky.aur_len = 0.09 * H;
        for (int i = 0; i < n; ++i) {
            const double x = (i - cv->ox) / double(W);
            sky.aur_edge[i] = float(H * (0.36 + 0.07 * fbm1(spec.seed + 11, x * 1.6, 3)) -
                                    0.05 * H * std::sin(x * 3.0 + 0.5));
            double k = 0.55 + 0.45 * fbm1(spec.seed + 12, x * 2.5, 3);
            k *= 0.65 + 0.35 * noise1(spec.seed + 13, x * 40.0);  // vertical rays
            sky.aur_k[i] = float(std::clamp(k, 0.0, 1.0));
        }
    }
    if (spec.stars) {
        const int count = int(420 * (double(W) * H) / (1080.0 * 1920.0)) + 30;
        for (int k = 0; k < count; ++k) {
            const double x = rng.range(-cv->ox, W + cv->ox), y = rng.range(-cv->oy, hy * 0.92);
            const double fadeh = 1.0 - smoothstep(hy * 0.5, hy * 0.95, y);
            const double b = rng.range(0.25, 1.0) * (0.35 + 0.65 * fadeh);
            const double r = std::max(0.6, u * rng.range(0.7, 1.7) * (rng.uni() < 0.08 ? 1.8 : 1.0));
            const C3 c = mix(rgb(255, 255, 255), rng.uni() < 0.5 ? rgb(190, 210, 255) : rgb(255, 230, 200), 0.3);
            if (r > 1.5)
                glow(cv->d, x, y, r * 3.5, c, 0.25 * b);
            set_source(cv->d, c, b);
            cairo_arc(cv->d, x, y, r, 0, 2 * M_PI);
            cairo_fill(cv->d);
        }
    }
    const SkyModel& model = sky;
    Layer layer = finish(*cv, p, [&](double x, double y) { return model.at(x, y); });
    return Sky{std::move(layer), std::move(sky)};
}

core::Result<Layer> build_clouds(const Stage& st)
{
    const SceneSpec& spec = st.spec;
    const int W = st.W, H = st.H;
    const double unit = st.unit, hy = st.hy;
    const double p = 0.18, drift = 0.05 * W * spec.speed;
    auto cv = SW_TRY(st.canvas(p, drift));
    Rng rng(spec.seed * 31 + 2);
    C3 lit, shade;
    double op = 0.9;
    switch (spec.time) {
    case TimeOfDay::Dawn: lit = rgb(255, 226, 222), shade = rgb(170, 150, 190); break;
    case TimeOfDay::Day: lit = rgb(255, 255, 255), shade = rgb(196, 208, 226); break;
    case TimeOfDay::Sunset: lit = rgb(255, 186, 140), shade = rgb(150, 84, 120); break;
    case TimeOfDay::Night: lit = rgb(70, 82, 116), shade = rgb(30, 36, 58), op = 0.75; break;
    }
    if (spec.overcast) {
        lit = saturate(mix(lit, rgb(200, 204, 212), 0.5), 0.5);
        shade = saturate(mix(shade, rgb(120, 126, 140), 0.5), 0.5);
        if (spec.time == TimeOfDay::Night)
            lit = rgb(46, 50, 64), shade = rgb(26, 28, 38);
    }
    const int clouds = spec.overcast ? 16 : 7;
    const double u = unit;
    for (int c = 0; c < clouds; ++c) {
        const double cx = rng.range(-cv->ox, W + cv->ox);
        const double cy = spec.overcast ? rng.range(-0.05, 0.4) * H : rng.range(0.06, 0.42) * hy + 0.02 * H;
        const double size = rng.range(0.6, 1.3) * (spec.overcast ? 1.6 : 1.0) * u;
        const int puffs = 14 + rng.below(10);
        // Flat-bottomed cumulus: puffs along a line, bigger in the middle; a shade pass below
        // then the lit pass above.
        std::vector<std::array<double, 3>> pf;
        for (int k = 0; k < puffs; ++k) {
            const double t = rng.range(-1, 1);
            const double r = (40 + 75 * (1 - t * t)) * size * rng.range(0.7, 1.1);
            pf.push_back({cx + t * 240 * size, cy - r * 0.45 + rng.range(-12, 12) * size, r});
        }
        for (auto& q : pf)
            glow(cv->d, q[0], q[1] + q[2] * 0.2, q[2] * 1.05, shade, op * 0.9, 0.6);
        for (auto& q : pf)
            glow(cv->d, q[0] - q[2] * 0.08, q[1] - q[2] * 0.15, q[2] * 0.85, lit, op * 0.9, 0.62);
    }
    // A few long thin streaks (cirrus), soft.
    for (int k = 0; k < 4; ++k) {
        cairo_save(cv->d);
        const double x = rng.range(0, W), y = rng.range(0.05, 0.35) * H;
        cairo_translate(cv->d, x, y);
        cairo_scale(cv->d, 5.0, 0.6);
        glow(cv->d, 0, 0, 60 * u, lit, 0.35);
        cairo_restore(cv->d);
    }
    Layer L = finish(*cv, p, [](double, double) { return C3{}; });
    L.drift_x = drift;
    return L;
}

core::Result<std::vector<Layer>> build_abstract(const Stage& st)
{
    std::vector<Layer> layers;
    const SceneSpec& spec = st.spec;
    const int W = st.W, H = st.H;
    const double unit = st.unit;
    const double h0 = spec.hue;
    const bool card = st.style == SceneStyle::Card;
    {
        auto cv = SW_TRY(st.canvas(0.1));
        cairo_set_source_rgba(cv->m, 1, 1, 1, 1);
        cairo_paint(cv->m);
        Rng rng(spec.seed * 31 + 71);
        struct G {
            double x, y, r;
            C3 c;
        };
        std::vector<G> gl;
        for (int k = 0; k < 3; ++k)
            gl.push_back({W * rng.range(0.1, 0.9), H * rng.range(0.1, 0.7), std::max(W, H) * rng.range(0.25, 0.45),
                          hsv(h0 + rng.range(-40, 40), 0.55, 0.75)});
        const C3 top = hsv(h0, 0.6, 0.3), bot = hsv(h0 + 40, 0.7, 0.1);
        const double Hd = H;
        auto shade = [=](double x, double y) {
            C3 c = mix(top, bot, smoothstep(-0.1, 1.1, y / Hd));
            for (const auto& g : gl) {
                const double d2 = ((x - g.x) * (x - g.x) + (y - g.y) * (y - g.y)) / (g.r * g.r);
                c = c + g.c * (0.28 * std::exp(-d2 * 2.0));
            }
            return c;
        };
        layers.push_back(finish(*cv, 0.1, shade));
    }
    const int bands = 3;
    for (int b = 0; b < bands; ++b) {
        const double p = 0.3 + 0.25 * b, drift = (b % 2 ? -1 : 1) * 0.06 * W * spec.speed;
        auto cv = SW_TRY(st.canvas(p, drift));
        const double base = H * ((card ? 0.68 : 0.5) + b * (card ? 0.09 : 0.12));
        std::vector<double> crest(cv->w + 1);
        for (int i = 0; i <= cv->w; ++i) {
            const double x = (i - cv->ox) / double(W);
            crest[i] = base + 0.07 * H * fbm1(spec.seed + 80 + b, x * 1.3, 3) + 0.04 * H * std::sin(x * 4.0 + b * 2.0);
        }
        cairo_move_to(cv->m, -cv->ox, H + cv->oy);
        for (int i = 0; i <= cv->w; i += 2)
            cairo_line_to(cv->m, i - cv->ox, crest[i]);
        cairo_line_to(cv->m, W + cv->ox, H + cv->oy);
        cairo_close_path(cv->m);
        cairo_set_source_rgba(cv->m, 1, 1, 1, 1);
        cairo_fill(cv->m);
        // A glowing edge line.
        cairo_move_to(cv->d, -cv->ox, crest[0]);
        for (int i = 0; i <= cv->w; i += 2)
            cairo_line_to(cv->d, i - cv->ox, crest[i]);
        cairo_set_line_width(cv->d, std::max(1.0, 2.5 * unit));
        set_source(cv->d, hsv(h0 + 25 - 10 * b, 0.3, 1.0), 0.45);
        cairo_stroke(cv->d);
        const C3 c0 = hsv(h0 - 12 * b, 0.55, 0.4 - 0.08 * b), c1 = hsv(h0 - 12 * b + 12, 0.65, 0.15 - 0.03 * b);
        const int ox = cv->ox, n = cv->w;
        const double Hd = H;
        auto shade = [=, &crest](double x, double y) {
            const int i = std::clamp((int)x + ox, 0, n - 1);
            const double v = std::clamp((y - crest[i]) / (0.35 * Hd), 0.0, 1.0);
            return mix(c0, c1, smoothstep(0, 1, v));
        };
        Layer L = finish(*cv, p, shade);
        L.drift_x = drift;
        layers.push_back(std::move(L));
    }
    return layers;
}

}  // namespace sw::scene::detail
