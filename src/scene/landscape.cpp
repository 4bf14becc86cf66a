// Ridges, ground, water, foreground and fog: see landscape.h.

#include "scene/landscape.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace sw::scene::detail {

// A mountain or hill range: ridge y(x) from seeded fractal noise evaluated once per column; the
// fill is shaded with distance haze, slope light and (optionally) snow caps.
core::Result<Ridge> build_ridge_layer(const Stage& st, const SkyModel& sky, double p, uint64_t salt, double height,
                                      double freq, bool ridged, C3 col, double haze, bool snowcap, double base_y)
{
    const SceneSpec& spec = st.spec;
    const int W = st.W, H = st.H;
    const Palette& pal = st.pal;
    auto cv = SW_TRY(st.canvas(p));
    const int n = cv->w;
    std::vector<float> ridge(n + 1);
    const uint64_t seed = spec.seed * 131 + salt;
    for (int i = 0; i <= n; ++i) {
        const double x = (i - cv->ox) / double(W);
        double v = ridged ? ridged1(seed, x * freq, 6) : 0.5 + 0.5 * fbm1(seed, x * freq, 4, 0.45);
        if (ridged)
            v = std::pow(std::clamp(v * 1.25 - 0.1, 0.0, 1.0), 1.3);
        ridge[i] = float(base_y - height * (0.18 + 0.82 * v));
    }
    cairo_t* m = cv->m;
    cairo_move_to(m, -cv->ox, H + cv->oy);
    for (int i = 0; i <= n; i += 2)
        cairo_line_to(m, i - cv->ox, ridge[i]);
    cairo_line_to(m, n - cv->ox, H + cv->oy);
    cairo_close_path(m);
    cairo_set_source_rgba(m, 1, 1, 1, 1);
    cairo_fill(m);
    const int ox = cv->ox;
    // Haze and light follow a smoothed ridge: measured from the exact crest, neighbouring
    // columns under sharp peaks would get very different shades (vertical stripes).
    std::vector<float> smooth(n + 1);
    {
        const int rad = std::max(4, W / 40);
        double sum = 0;
        int cnt = 0;
        for (int i = -rad; i <= rad; ++i)
            if (i >= 0 && i <= n)
                sum += ridge[i], ++cnt;
        for (int i = 0; i <= n; ++i) {
            smooth[i] = float(sum / cnt);
            if (i - rad >= 0)
                sum -= ridge[i - rad], --cnt;
            if (i + rad + 1 <= n)
                sum += ridge[i + rad + 1], ++cnt;
        }
    }
    const double snow_seed = double(seed % 1000);
    const C3 hz = pal.haze;
    const C3 snow_col = mix(pal.snow, hz, 0.15);
    const double lit_dir = (sky.glow && sky.gx < W / 2.0) ? -1.0 : 1.0;
    const double Wd = W, Hd = H;
    auto shade = [&, ox, height, base_y](double x, double y) {
        const int i = std::clamp((int)x + ox, 0, n - 1);
        const double top = smooth[i];
        const double depth = std::clamp((y - top) / std::max(1.0, base_y - top + 0.25 * height), 0.0, 1.0);
        // Light from the ridge's smoothed slope (a face turned to the sun is brighter), fading
        // below the crest; a faint 2-D texture instead of per-column terms (those read as stripes).
        const double slope = (smooth[std::min(i + 24, n)] - smooth[std::max(i - 24, 0)]) / 48.0;
        double light = 1.0 + 0.14 * std::clamp(slope * lit_dir * 2.0, -1.0, 1.0) * std::exp(-depth * 3.0);
        light *= 1.0 + 0.05 * noise2(seed + 5, x / (0.04 * Wd), y / (0.015 * Hd)) * (1 - depth);
        C3 c = col * light;
        if (snowcap) {
            const double peak = (base_y - ridge[i]) / height;  // 0..1, how high this column is
            const double line = (0.12 + 0.22 * peak) * (0.75 + 0.25 * noise1(seed + 9, x * 0.02 + snow_seed));
            const double sd = std::max(0.0, (y - ridge[i]) / std::max(1.0, base_y - ridge[i] + 0.25 * height));
            const double k = 1.0 - smoothstep(line * 0.8, line, sd);
            c = mix(c, snow_col * (0.85 + 0.25 * (light - 1) * 4 + 0.1), k * std::min(1.0, peak * 1.8));
        }
        return mix(c, hz, haze * (0.35 + 0.65 * std::pow(depth, 0.7)));
    };
    Layer layer = finish(*cv, p, shade);
    return Ridge{std::move(layer), RidgeOutline{std::move(ridge), col, ox}};
}

core::Result<Layer> build_ground(const Stage& st, double top_y, double p)
{
    const SceneSpec& spec = st.spec;
    const int W = st.W, H = st.H;
    const Palette& pal = st.pal;
    auto cv = SW_TRY(st.canvas(p));
    cairo_t* m = cv->m;
    cairo_move_to(m, -cv->ox, H + cv->oy);
    for (double x = -cv->ox; x <= W + cv->ox; x += 4)
        cairo_line_to(m, x, top_y + 0.012 * H * fbm1(spec.seed + 21, x / W * 3, 3));
    cairo_line_to(m, W + cv->ox, H + cv->oy);
    cairo_close_path(m);
    cairo_set_source_rgba(m, 1, 1, 1, 1);
    cairo_fill(m);
    const C3 g = pal.ground, hz = pal.haze;
    const double Hd = H, Wd = W;
    const uint64_t seed = spec.seed;
    // Lights standing on the ground (a lit castle at night) glow on it.
    const bool lit = spec.castle && spec.time == TimeOfDay::Night;
    const C3 lc = spec.ice ? rgb(120, 200, 255) : rgb(255, 190, 120);
    const double ly = top_y + 0.08 * H;
    auto shade = [=](double x, double y) {
        const double v = std::clamp((y - top_y) / (Hd - top_y), 0.0, 1.0);
        const double tex = 0.04 * noise2(seed + 22, x / 90.0, y / 30.0);
        C3 c = mix(mix(g, hz, 0.3), g * 0.85, v) * (1.0 + tex);
        if (lit) {
            const double dx = (x - Wd / 2) / (0.45 * Wd), dy = (y - ly) / (0.1 * Hd);
            c = c + lc * (0.3 * std::exp(-(dx * dx + dy * dy)));
        }
        return c;
    };
    return finish(*cv, p, shade);
}

// Water: the sky mirrored (analytic), the shapes above it redrawn mirrored, rippled and softened,
// with a glitter path under the sun or moon.
core::Result<Layer> build_water(const Stage& st, const SkyModel& sky, const Reflections& mirror, double p)
{
    const SceneSpec& spec = st.spec;
    const int W = st.W, H = st.H;
    const Palette& pal = st.pal;
    const double unit = st.unit, hy = st.hy;
    auto cv = SW_TRY(st.canvas(p));
    cairo_t* m = cv->m;
    if (spec.river && !spec.sea && !spec.lake) {
        // A band from the horizon to the bottom, winding, widening with perspective.
        std::vector<std::pair<double, double>> left, right;
        for (double y = hy; y <= H + cv->oy + 8; y += 4) {
            const double t = (y - hy) / (H - hy);
            const double c = W * (0.5 + 0.18 * std::sin(t * 3.2 + double(spec.seed % 7)) * t);
            const double half = W * (0.02 + 0.42 * std::pow(t, 1.3));
            left.push_back({c - half, y});
            right.push_back({c + half, y});
        }
        cairo_move_to(m, left[0].first, left[0].second);
        for (auto& q : left)
            cairo_line_to(m, q.first, q.second);
        for (auto it = right.rbegin(); it != right.rend(); ++it)
            cairo_line_to(m, it->first, it->second);
        cairo_close_path(m);
    } else {
        cairo_rectangle(m, -cv->ox, hy, W + 2 * cv->ox, H + cv->oy - hy);
    }
    cairo_set_source_rgba(m, 1, 1, 1, 1);
    cairo_fill(m);

    // Mirrored shapes into the detail surface, then rippled and blurred row by row.
    cairo_t* d = cv->d;
    cairo_save(d);
    cairo_rectangle(d, -cv->ox, hy, W + 2 * cv->ox, H + cv->oy - hy);
    cairo_clip(d);
    for (const RidgeOutline& ridge : mirror.ridges) {
        const auto& r = ridge.y;
        const int rox = ridge.ox;
        cairo_move_to(d, -rox, hy);
        for (size_t i = 0; i < r.size(); i += 2)
            cairo_line_to(d, double(i) - rox, 2 * hy - r[i]);
        cairo_line_to(d, double(r.size()) - rox, hy);
        cairo_close_path(d);
        set_source(d, mix(ridge.colour, pal.haze, 0.2) * 0.8, 0.8);
        cairo_fill(d);
    }
    for (const MirrorFn* f : {&mirror.forest, &mirror.castle, &mirror.city})
        if (*f)
            (*f)(d);
    cairo_restore(d);
    cairo_surface_flush(cv->ds);
    {
        uint8_t* data = cairo_image_surface_get_data(cv->ds);
        const int stride = cairo_image_surface_get_stride(cv->ds);
        std::vector<uint32_t> tmp(cv->w);
        const int y0 = std::max(0, (int)hy + cv->oy);
        for (int y = y0; y < cv->h; ++y) {
            uint32_t* row = reinterpret_cast<uint32_t*>(data + size_t(y) * stride);
            const double t = (y - cv->oy - hy) / std::max(1.0, H - hy);
            const double amp = (1.5 + 10.0 * t) * unit;
            const int shift = (int)std::lround(amp * std::sin(y * 0.35 / std::max(0.3, unit) + 3 * noise1(spec.seed + 31, y * 0.05)));
            const int rad = 1 + int(3 * t * unit);
            for (int x = 0; x < cv->w; ++x) {
                uint32_t s[4] = {0, 0, 0, 0};
                int cnt = 0;
                for (int k = -rad; k <= rad; ++k) {
                    const int xx = std::clamp(x + shift + k, 0, cv->w - 1);
                    const uint32_t v = row[xx];
                    for (int c = 0; c < 4; ++c)
                        s[c] += (v >> (8 * c)) & 255;
                    ++cnt;
                }
                tmp[x] = (s[0] / cnt) | ((s[1] / cnt) << 8) | ((s[2] / cnt) << 16) | ((s[3] / cnt) << 24);
            }
            std::memcpy(row, tmp.data(), tmp.size() * 4);
        }
        cairo_surface_mark_dirty(cv->ds);
    }
    const SkyModel& sk = sky;
    const double hyd = hy, Hd = H, Wd = W;
    const bool frozen = spec.ice && spec.lake;
    const C3 deep = frozen ? rgb(170, 200, 225) : pal.water;
    const uint64_t seed = spec.seed;
    const bool path = sky.glow;
    const double px = sky.gx;
    const C3 pc = mix(pal.sun, pal.glow, 0.4);
    auto shade = [=, &sk](double x, double y) {
        const double t = std::clamp((y - hyd) / (Hd - hyd), 0.0, 1.0);
        // Reflection strength falls toward the viewer (Fresnel), the water's own colour rises.
        C3 c = sk.at(x, 2 * hyd - y + 2.0);
        c = mix(c * (frozen ? 0.95 : 0.82), deep, (frozen ? 0.35 : 0.15) + 0.45 * t);
        // Waves in perspective: noise on the water plane (x/d, H/d for d pixels below the
        // horizon), long along x; faded out where they would be finer than a pixel.
        const double dd = std::max(1.0, y - hyd);
        const double zx = (x - Wd / 2) / dd * (Hd / 1920.0), zz = Hd / dd;
        const double f1 = smoothstep(0.035 * Hd, 0.1 * Hd, dd), f2 = smoothstep(0.08 * Hd, 0.25 * Hd, dd);
        const double wave = f1 * noise2(seed + 41, zx * 1.3, zz * 4.2) + 0.5 * f2 * noise2(seed + 43, zx * 2.6, zz * 8.4);
        c = c * (1.0 + (frozen ? 0.02 : 0.06) * wave);
        if (path) {
            const double wdt = Wd * (0.03 + 0.2 * t);
            const double k = std::exp(-((x - px) * (x - px)) / (wdt * wdt));
            const double crest = std::max(0.0, wave);
            c = c + pc * (k * (0.22 + 0.7 * crest * crest + 0.25 * (1 - f1)) * (1.0 - 0.5 * t));
        }
        return c;
    };
    return finish(*cv, p, shade);
}

core::Result<Layer> build_foreground(const Stage& st, double p)
{
    const SceneSpec& spec = st.spec;
    const int W = st.W, H = st.H;
    const Palette& pal = st.pal;
    const double unit = st.unit;
    // Snow drifts, grass or sand across the bottom of the frame.
    auto cv = SW_TRY(st.canvas(p));
    const double top = H * (spec.lake ? 0.86 : 0.8);
    std::vector<double> crest(cv->w + 1);
    for (int i = 0; i <= cv->w; ++i) {
        const double x = (i - cv->ox) / double(W);
        crest[i] = top + 0.035 * H * fbm1(spec.seed + 51, x * 2.2, 4) + 0.02 * H * std::sin(x * 2.5 + 1);
    }
    cairo_t* m = cv->m;
    cairo_move_to(m, -cv->ox, H + cv->oy);
    for (int i = 0; i <= cv->w; i += 2)
        cairo_line_to(m, i - cv->ox, crest[i]);
    cairo_line_to(m, W + cv->ox, H + cv->oy);
    cairo_close_path(m);
    cairo_set_source_rgba(m, 1, 1, 1, 1);
    cairo_fill(m);
    C3 base;
    if (spec.snowfield || spec.season == Season::Winter)
        base = pal.snow;
    else if (spec.beach)
        base = spec.time == TimeOfDay::Night ? rgb(60, 60, 80) : rgb(226, 200, 160);
    else
        base = spec.lake ? pal.forest * 0.8 : pal.ground;
    const bool snow = spec.snowfield || spec.season == Season::Winter;
    if (snow && spec.time == TimeOfDay::Night)
        base = rgb(150, 170, 220);
    if (!snow && !spec.beach) {
        // Grass blades along the crest.
        Rng rng(spec.seed * 31 + 52);
        cairo_t* d = cv->d;
        for (int i = 0; i < cv->w; i += std::max(1, int(3 * unit))) {
            const double x = i - cv->ox, y = crest[i] + 2;
            const double h = rng.range(0.004, 0.02) * H;
            set_source(d, base * rng.range(0.55, 0.9));
            cairo_move_to(d, x - 1.5 * unit, y);
            cairo_curve_to(d, x, y - h * 0.5, x + rng.range(-1, 1) * h * 0.3, y - h * 0.8, x + rng.range(-0.4, 0.4) * h, y - h);
            cairo_line_to(d, x + 1.5 * unit, y);
            cairo_close_path(d);
            cairo_fill(d);
        }
    }
    const int ox = cv->ox, n = cv->w;
    const double Hd = H;
    const C3 hz = pal.haze;
    const uint64_t seed = spec.seed;
    const C3 shadow = snow ? mix(base, rgb(120, 150, 210), 0.35) : base * 0.6;
    auto shade = [=, &crest](double x, double y) {
        const int i = std::clamp((int)x + ox, 0, n - 1);
        const double depth = (y - crest[i]) / (0.12 * Hd);
        const double slope = (crest[std::min(i + 6, n)] - crest[std::max(i - 6, 0)]) / 12.0;
        // Just below the crest the drift catches light; further down, soft blue shadow.
        double k = smoothstep(0.0, 1.2, depth) * 0.6 + 0.3 * std::clamp(slope * 2.0, -1.0, 1.0) * (1 - smoothstep(0, 1, depth));
        k = std::clamp(k + 0.05 * noise2(seed + 53, x / 120.0, y / 40.0), 0.0, 1.0);
        return mix(mix(base, hz, 0.12), shadow, k);
    };
    return finish(*cv, p, shade);
}

core::Result<Layer> build_fog(const Stage& st, double p)
{
    const SceneSpec& spec = st.spec;
    const int W = st.W, H = st.H;
    const Palette& pal = st.pal;
    const double unit = st.unit, hy = st.hy;
    const double drift = 0.08 * W * spec.speed;
    auto cv = SW_TRY(st.canvas(p, drift));
    Rng rng(spec.seed * 31 + 61);
    const C3 c = spec.time == TimeOfDay::Night ? rgb(90, 100, 130) : mix(pal.haze, rgb(245, 245, 248), 0.5);
    const double u = unit;
    for (int k = 0; k < 40; ++k) {
        const double x = rng.range(-cv->ox, W + cv->ox), y = hy + rng.range(-0.08, 0.14) * H;
        cairo_save(cv->d);
        cairo_translate(cv->d, x, y);
        cairo_scale(cv->d, rng.range(3.0, 6.0), 1.0);
        glow(cv->d, 0, 0, rng.range(50, 110) * u, c, rng.range(0.1, 0.22));
        cairo_restore(cv->d);
    }
    Layer L = finish(*cv, p, [](double, double) { return C3{}; });
    L.drift_x = drift;
    return L;
}

}  // namespace sw::scene::detail
