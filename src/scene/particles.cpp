// Particles: see particles.h.

#include "scene/particles.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace sw::scene::detail {

core::Result<std::vector<ParticleSet>> build_particles(const Stage& st, const SkyModel& sky)
{
    std::vector<ParticleSet> particles;
    const SceneSpec& spec = st.spec;
    const int W = st.W, H = st.H;
    const Palette& pal = st.pal;
    const double unit = st.unit, hy = st.hy;
    const double u = unit;
    const double area = double(W) * H / (1080.0 * 1920.0);
    auto count = [&](int n) { return std::max(8, int(n * area + 0.5)); };
    const bool night = spec.time == TimeOfDay::Night || spec.abstract || st.style == SceneStyle::Card;
    if (spec.snow) {
        ParticleSet ps{Part::Snow};
        for (double r : {2.4, 3.6, 5.5, 8.5}) {
            const double rr = std::max(1.6, r * u);
            const int s = int(std::ceil(rr * 2.4)) + 2;
            ps.sprites.push_back(SW_TRY(make_sprite(s, s, [rr](cairo_t* cr, int w, int h) {
                glow(cr, w / 2.0, h / 2.0, rr, rgb(255, 255, 255), 0.95, 0.45);
            })));
        }
        ps.count = count(360);
        particles.push_back(std::move(ps));
    }
    if (spec.rain) {
        ParticleSet ps{Part::Rain};
        for (double len : {24.0, 40.0, 60.0}) {
            const double l = std::max(6.0, len * u), wd = std::max(0.8, 1.3 * u);
            ps.sprites.push_back(SW_TRY(make_sprite(int(l * 0.25) + 4, int(l) + 4, [l, wd](cairo_t* cr, int w, int h) {
                const gfx::PatternPtr pt(cairo_pattern_create_linear(0, 2, 0, h - 2));
                cairo_pattern_add_color_stop_rgba(pt.get(), 0, 0.85, 0.88, 0.95, 0);
                cairo_pattern_add_color_stop_rgba(pt.get(), 1, 0.85, 0.88, 0.95, 0.55);
                cairo_set_source(cr, pt.get());
                cairo_set_line_width(cr, wd);
                cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
                cairo_move_to(cr, w / 2.0 + l * 0.1, 2);
                cairo_line_to(cr, w / 2.0 - l * 0.1, h - 2);
                cairo_stroke(cr);
            })));
        }
        ps.count = count(220);
        particles.push_back(std::move(ps));
    }
    if (spec.petals) {
        ParticleSet ps{Part::Petals};
        const C3 a = spec.season == Season::Autumn ? rgb(240, 140, 60) : rgb(255, 214, 226);
        const C3 b = spec.season == Season::Autumn ? rgb(190, 70, 30) : rgb(238, 150, 184);
        for (double sz : {7.0, 11.0}) {
            for (int r = 0; r < 8; ++r) {
                const double s = std::max(2.5, sz * u), ang = r * M_PI / 8;
                const int dim = int(s * 2.4) + 4;
                ps.sprites.push_back(SW_TRY(make_sprite(dim, dim, [=](cairo_t* cr, int w, int h) {
                    cairo_translate(cr, w / 2.0, h / 2.0);
                    cairo_rotate(cr, ang);
                    cairo_scale(cr, 1.0, 0.55 + 0.35 * std::fabs(std::cos(ang * 2)));  // tumbling
                    const gfx::PatternPtr pt(cairo_pattern_create_linear(-s, 0, s, 0));
                    cairo_pattern_add_color_stop_rgba(pt.get(), 0, a.r, a.g, a.b, 0.95);
                    cairo_pattern_add_color_stop_rgba(pt.get(), 1, b.r, b.g, b.b, 0.95);
                    cairo_set_source(cr, pt.get());
                    cairo_move_to(cr, -s, 0);
                    cairo_curve_to(cr, -s * 0.4, -s * 0.75, s * 0.6, -s * 0.6, s, -s * 0.12);
                    cairo_line_to(cr, s * 0.8, 0);
                    cairo_line_to(cr, s, s * 0.12);
                    cairo_curve_to(cr, s * 0.6, s * 0.6, -s * 0.4, s * 0.75, -s, 0);
                    cairo_fill(cr);
                })));
            }
        }
        ps.count = count(80);
        particles.push_back(std::move(ps));
    }
    if (spec.lanterns) {
        ParticleSet ps{Part::Lanterns};
        for (double sz : {0.5, 0.75, 1.0}) {
            const double s = std::max(3.0, 20 * u * sz);
            const int dim = int(s * 7) + 4;
            ps.sprites.push_back(SW_TRY(make_sprite(dim, dim, [s](cairo_t* cr, int w, int h) {
                const double cx = w / 2.0, cy = h / 2.0;
                glow(cr, cx, cy, s * 3.4, rgb(255, 150, 60), 0.35);
                glow(cr, cx, cy, s * 1.8, rgb(255, 180, 90), 0.45);
                // Body: a paper lantern, wider at the top, glowing from the flame at its base.
                const gfx::PatternPtr pt(cairo_pattern_create_linear(0, cy - s, 0, cy + s));
                cairo_pattern_add_color_stop_rgba(pt.get(), 0, 0.95, 0.45, 0.15, 1);
                cairo_pattern_add_color_stop_rgba(pt.get(), 1, 1.0, 0.85, 0.45, 1);
                cairo_set_source(cr, pt.get());
                cairo_move_to(cr, cx - s * 0.62, cy - s);
                cairo_curve_to(cr, cx - s * 0.75, cy, cx - s * 0.5, cy + s * 0.7, cx - s * 0.42, cy + s);
                cairo_line_to(cr, cx + s * 0.42, cy + s);
                cairo_curve_to(cr, cx + s * 0.5, cy + s * 0.7, cx + s * 0.75, cy, cx + s * 0.62, cy - s);
                cairo_close_path(cr);
                cairo_fill(cr);
                glow(cr, cx, cy + s * 0.6, s * 0.5, rgb(255, 250, 220), 0.9);
            })));
        }
        ps.count = count(26);
        particles.push_back(std::move(ps));
    }
    if (spec.bokeh) {
        ParticleSet ps{Part::Bokeh};
        std::vector<C3> cols;
        if (spec.neon)
            cols = {rgb(255, 110, 190), rgb(110, 210, 255), rgb(190, 130, 255), rgb(255, 214, 120), rgb(255, 160, 110)};
        else if (spec.abstract || st.style == SceneStyle::Card)
            cols = {hsv(spec.hue + 20, 0.35, 1.0), hsv(spec.hue - 20, 0.45, 1.0), hsv(spec.hue + 50, 0.3, 1.0)};
        else
            cols = {rgb(255, 205, 130), rgb(255, 180, 100), rgb(255, 232, 180), hsv(spec.hue, 0.45, 1.0)};
        const bool soft = !(spec.abstract || st.style == SceneStyle::Card);
        const double k = soft ? 0.6 : 1.0;
        for (double r : soft ? std::array<double, 3>{18.0, 32.0, 55.0} : std::array<double, 3>{30.0, 55.0, 90.0}) {
            for (const C3& c : cols) {
                const double rr = std::max(4.0, r * u);
                const int dim = int(rr * 2) + 6;
                ps.sprites.push_back(SW_TRY(make_sprite(dim, dim, [rr, c, k](cairo_t* cr, int w, int h) {
                    const double cx = w / 2.0, cy = h / 2.0;
                    const gfx::PatternPtr pt(cairo_pattern_create_radial(cx, cy, 0, cx, cy, rr));
                    cairo_pattern_add_color_stop_rgba(pt.get(), 0, c.r, c.g, c.b, 0.32 * k);
                    cairo_pattern_add_color_stop_rgba(pt.get(), 0.8, c.r, c.g, c.b, 0.4 * k);
                    cairo_pattern_add_color_stop_rgba(pt.get(), 0.93, c.r, c.g, c.b, 0.5 * k);
                    cairo_pattern_add_color_stop_rgba(pt.get(), 1, c.r, c.g, c.b, 0);
                    cairo_set_source(cr, pt.get());
                    cairo_arc(cr, cx, cy, rr, 0, 2 * M_PI);
                    cairo_fill(cr);
                })));
            }
        }
        ps.count = count(spec.abstract || st.style == SceneStyle::Card ? 22 : 30);
        particles.push_back(std::move(ps));
    }
    if (spec.fireworks) {
        ParticleSet ps{Part::Fireworks};
        std::vector<C3> cols = {rgb(255, 90, 90), rgb(255, 210, 90), rgb(110, 200, 255), rgb(200, 120, 255),
                                rgb(120, 255, 160), hsv(spec.hue, 0.6, 1.0)};
        for (const C3& c : cols) {
            const double r = std::max(2.5, 11 * u);
            const int dim = int(r * 2) + 4;
            ps.sprites.push_back(SW_TRY(make_sprite(dim, dim, [r, c](cairo_t* cr, int w, int h) {
                glow(cr, w / 2.0, h / 2.0, r, c, 0.85, 0.15);
                glow(cr, w / 2.0, h / 2.0, r * 0.4, mix(c, rgb(255, 255, 255), 0.75), 1.0, 0.45);
            })));
        }
        for (const C3& c : cols) {  // flashes
            const double r = std::max(8.0, 160 * u);
            const int dim = int(r * 2) + 4;
            ps.sprites.push_back(SW_TRY(make_sprite(dim, dim, [r, c](cairo_t* cr, int w, int h) {
                glow(cr, w / 2.0, h / 2.0, r, mix(c, rgb(255, 255, 255), 0.3), 0.3);
            })));
        }
        ps.count = 6;  // colours
        particles.push_back(std::move(ps));
    }
    if ((spec.stars && night) || spec.twinkle) {
        ParticleSet ps{Part::Twinkle};
        const double r = std::max(2.0, 9 * u);
        const int dim = int(r * 2) + 4;
        ps.sprites.push_back(SW_TRY(make_sprite(dim, dim, [r](cairo_t* cr, int w, int h) {
            const double cx = w / 2.0, cy = h / 2.0;
            glow(cr, cx, cy, r * 0.5, rgb(255, 255, 255), 0.8);
            cairo_set_source_rgba(cr, 1, 1, 1, 0.7);
            cairo_set_line_width(cr, std::max(0.6, r * 0.09));
            cairo_move_to(cr, cx - r, cy);
            cairo_line_to(cr, cx + r, cy);
            cairo_move_to(cr, cx, cy - r);
            cairo_line_to(cr, cx, cy + r);
            cairo_stroke(cr);
        })));
        ps.count = count(spec.stars ? 40 : 25);
        ps.parallax = 0.12;
        ps.x0 = 0, ps.x1 = W, ps.y0 = 0, ps.y1 = spec.abstract ? H : hy * 0.7;
        if (spec.twinkle && !spec.stars) {  // sparkles across the lit parts
            ps.y0 = spec.castle ? hy - 0.3 * H : 0.2 * H;
            ps.y1 = std::min<double>(H, hy + 0.2 * H);
            ps.parallax = 0.5;
        }
        particles.push_back(std::move(ps));
    }
    if ((spec.sea || spec.lake) && sky.glow && !(spec.ice && spec.lake)) {
        ParticleSet ps{Part::Glitter};
        const double r = std::max(2.0, 12 * u);
        const C3 c = mix(pal.sun, rgb(255, 255, 255), 0.5);
        ps.sprites.push_back(SW_TRY(make_sprite(int(r * 2) + 4, int(r * 0.6) + 4, [r, c](cairo_t* cr, int w, int h) {
            cairo_save(cr);
            cairo_translate(cr, w / 2.0, h / 2.0);
            cairo_scale(cr, 1.0, 0.22);
            glow(cr, 0, 0, r, c, 0.9, 0.2);
            cairo_restore(cr);
        })));
        ps.count = count(90);
        ps.parallax = 0.55;
        ps.cx = sky.gx;
        ps.y0 = hy + 2;
        ps.y1 = H;
        particles.push_back(std::move(ps));
    }
    if (spec.snowfield) {
        ParticleSet ps{Part::Sparkle};
        const double r = std::max(1.5, 5 * u);
        ps.sprites.push_back(SW_TRY(make_sprite(int(r * 2) + 4, int(r * 2) + 4, [r](cairo_t* cr, int w, int h) {
            glow(cr, w / 2.0, h / 2.0, r, rgb(255, 255, 255), 0.9, 0.1);
        })));
        ps.count = count(60);
        ps.parallax = 0.9;
        ps.y0 = H * 0.84;
        ps.y1 = H;
        particles.push_back(std::move(ps));
    }
    return particles;
}

void draw_particles(const Stage& st, const std::vector<ParticleSet>& particles, Frame& out, double t,
                    const Cam& cam)
{
    const SceneSpec& spec = st.spec;
    const int W = st.W, H = st.H;
    const double unit = st.unit, hy = st.hy;
    const double focus_y = st.focus_y;
    const double sp = spec.speed;
    const double unitv = unit;
    auto wrap = [](double v, double lo, double hi) {
        const double span = hi - lo;
        double r = std::fmod(v - lo, span);
        if (r < 0)
            r += span;
        return lo + r;
    };
    for (const auto& ps : particles) {
        const uint64_t salt = spec.seed * 1000003 + uint64_t(ps.kind) * 7777;
        switch (ps.kind) {
        case Part::Snow:
        case Part::Rain:
        case Part::Petals: {
            const bool rain = ps.kind == Part::Rain, petals = ps.kind == Part::Petals;
            const double pad = 80 * unitv;
            for (int k = 0; k < ps.count; ++k) {
                Rng r(salt + k);
                const double depth = r.uni();
                const double x0 = r.range(-pad, W + pad), y0 = r.range(-pad, H + pad);
                double vy, vx, sway, freq = r.range(0.15, 0.45), ph = r.range(0, 2 * M_PI);
                if (rain) {
                    vy = (1.3 + 0.9 * depth) * H * sp;
                    vx = -0.1 * vy * 0.35;
                    sway = 0;
                } else if (petals) {
                    vy = (0.05 + 0.07 * depth) * H * sp;
                    vx = 0.04 * W * sp;
                    sway = (20 + 40 * depth) * unitv;
                } else {
                    vy = (0.035 + 0.09 * depth) * H * sp;
                    vx = 0.012 * W * sp;
                    sway = (6 + 22 * depth) * unitv;
                }
                const double x = wrap(x0 + vx * t + sway * std::sin(2 * M_PI * freq * t + ph) - cam.dx * depth * 0.8,
                                      -pad, W + pad);
                const double y = wrap(y0 + vy * t, -pad, H + pad);
                int idx;
                if (petals) {
                    const int size = depth > 0.6 ? 1 : 0;
                    const int rot = int(std::floor((ph + t * r.range(0.8, 2.0) * sp) * 8 / M_PI)) & 7;
                    idx = size * 8 + rot;
                } else {
                    idx = std::min((int)ps.sprites.size() - 1, int(depth * ps.sprites.size()));
                }
                const int op = rain ? int(120 + 110 * depth) : int(150 + 106 * depth);
                draw_sprite(out, ps.sprites[idx], x, y, op);
            }
            break;
        }
        case Part::Lanterns: {
            for (int k = 0; k < ps.count; ++k) {
                Rng r(salt + k);
                const double depth = r.uni();
                const double x0 = r.range(0.02, 0.98) * W;
                const double y0 = r.range(0.05, 1.1) * H;
                const double vy = -(0.012 + 0.035 * depth) * H * sp;
                const double x = x0 + 14 * unitv * std::sin(t * 0.6 + k) - cam.dx * (0.3 + 0.6 * depth) +
                                 0.01 * W * t * sp;
                const double y = wrap(y0 + vy * t, -0.1 * H, 1.1 * H);
                const int idx = std::min(2, int(depth * 3));
                const double flicker = 0.88 + 0.12 * std::sin(t * (5 + 3 * depth) + k * 1.7);
                const double fade_top = smoothstep(-0.08 * H, 0.1 * H, y);  // they dim as they rise away
                draw_sprite(out, ps.sprites[idx], x, y, int(256 * flicker * (0.55 + 0.45 * depth) * fade_top));
            }
            break;
        }
        case Part::Bokeh: {
            const int per = (int)ps.sprites.size() / 3;
            for (int k = 0; k < ps.count; ++k) {
                Rng r(salt + k);
                const double depth = r.uni();
                const double x0 = r.range(0, W), y0 = r.range(0.0, 1.0) * H;
                const double a = r.range(0, 2 * M_PI), rad = r.range(20, 60) * unitv, w = r.range(0.15, 0.35) * sp;
                const double x = x0 + rad * std::cos(a + w * t) - cam.dx * (0.5 + depth);
                const double y = y0 + rad * std::sin(a + w * t) - 0.01 * H * t * sp;
                const int size = std::min(2, int(depth * 3));
                const int col = r.below(per);
                double op = 0.45 + 0.35 * depth;
                if (spec.twinkle)
                    op *= 0.6 + 0.4 * std::sin(t * r.range(1.5, 3.0) + a);
                draw_sprite(out, ps.sprites[size * per + col], x, y, int(256 * op));
            }
            break;
        }
        case Part::Fireworks: {
            const double period = 1.1 / sp, life = 2.4, rocket = 0.6;
            const int j0 = std::max(0, int(std::floor((t - life) / period)) - 1), j1 = int(std::floor((t + rocket) / period)) + 1;
            for (int j = j0; j <= j1; ++j) {
                Rng r(salt + 977 * j);
                const double tj = 0.3 + j * period + r.range(0, 0.5 * period);
                const double age = t - tj;
                if (age < -rocket || age > life)
                    continue;
                const double cx = W * r.range(0.15, 0.85) - cam.dx * 0.3, cy = hy * r.range(0.22, 0.62);
                const int col = r.below(ps.count);
                const double R = std::min(W, H) * r.range(0.22, 0.32);
                if (age < 0) {
                    const double f = (age + rocket) / rocket;
                    const double y = hy + (cy - hy) * (1 - (1 - f) * (1 - f));
                    draw_sprite(out, ps.sprites[col], cx, y, 200);
                    continue;
                }
                if (age < 0.35)
                    draw_sprite(out, ps.sprites[ps.count + col], cx, cy, int(256 * (1 - age / 0.35)));
                const int sparks = 56;
                const double fadek = std::pow(1 - age / life, 1.1);
                for (int s = 0; s < sparks; ++s) {
                    const double ang = (s + r.range(-0.3, 0.3)) * 2 * M_PI / sparks;
                    const double v = R * r.range(0.75, 1.05);
                    for (int tr = 0; tr < 7; ++tr) {
                        const double a2 = age - tr * 0.03;
                        if (a2 < 0)
                            break;
                        const double d = v * (1 - std::exp(-3.0 * a2));
                        const double x = cx + std::cos(ang) * d, y = cy + std::sin(ang) * d + 0.05 * H * a2 * a2;
                        const double op = fadek * std::pow(0.72, tr);
                        draw_sprite(out, ps.sprites[col], x, y, int(256 * op));
                    }
                }
            }
            break;
        }
        case Part::Twinkle:
        case Part::Sparkle:
        case Part::Glitter: {
            // Fixed in the world (they move with their layer's camera), brightness pulsing.
            const double s = 1 + (cam.zoom - 1) * ps.parallax;
            const double fx = W / 2.0, fy = focus_y;
            const double vx0 = fx - fx / s + cam.dx * ps.parallax, vy0 = fy - fy / s + cam.dy * ps.parallax;
            for (int k = 0; k < ps.count; ++k) {
                Rng r(salt + k);
                double wx, wy;
                if (ps.kind == Part::Glitter) {
                    wy = ps.y0 + (ps.y1 - ps.y0) * std::pow(r.uni(), 1.3);
                    const double tt = (wy - hy) / (H - hy);
                    double g = 0;
                    for (int q = 0; q < 4; ++q)
                        g += r.uni();
                    wx = ps.cx + (g - 2) * W * (0.04 + 0.22 * tt) * 0.9;
                } else {
                    wx = r.range(ps.x1 > ps.x0 ? ps.x0 : 0, ps.x1 > ps.x0 ? ps.x1 : W);
                    wy = r.range(ps.y0, ps.y1);
                }
                const double f = r.range(0.3, 0.9) * sp, ph = r.uni();
                double b = std::sin(2 * M_PI * (f * t + ph));
                b = b > 0 ? b * b * b : 0;
                if (b < 0.02)
                    continue;
                draw_sprite(out, ps.sprites[0], (wx - vx0) * s, (wy - vy0) * s, int(256 * b));
            }
            break;
        }
        }
    }
}

}  // namespace sw::scene::detail
