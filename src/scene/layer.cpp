// Layer plumbing: see layer.h.

#include "scene/layer.h"

namespace sw::scene::detail {

void glow(cairo_t* cr, double x, double y, double r, C3 c, double a, double core)
{
    const gfx::PatternPtr p(cairo_pattern_create_radial(x, y, 0, x, y, r));
    cairo_pattern_add_color_stop_rgba(p.get(), 0, c.r, c.g, c.b, a);
    if (core > 0)
        cairo_pattern_add_color_stop_rgba(p.get(), core, c.r, c.g, c.b, a);
    for (int k = 1; k <= 6; ++k) {  // Gaussian-like profile rather than a linear cone
        const double t = core + (1 - core) * k / 6.0;
        const double f = std::exp(-3.2 * std::pow(k / 6.0, 2.0)) * (1 - k / 6.0 * 0.04);
        cairo_pattern_add_color_stop_rgba(p.get(), t, c.r, c.g, c.b, k == 6 ? 0.0 : a * f);
    }
    cairo_set_source(cr, p.get());
    cairo_arc(cr, x, y, r, 0, 2 * M_PI);
    cairo_fill(cr);
}

const std::array<float, 64> kBayer = [] {
    const int m[8][8] = {{0, 32, 8, 40, 2, 34, 10, 42},  {48, 16, 56, 24, 50, 18, 58, 26},
                         {12, 44, 4, 36, 14, 46, 6, 38},  {60, 28, 52, 20, 62, 30, 54, 22},
                         {3, 35, 11, 43, 1, 33, 9, 41},   {51, 19, 59, 27, 49, 17, 57, 25},
                         {15, 47, 7, 39, 13, 45, 5, 37},  {63, 31, 55, 23, 61, 29, 53, 21}};
    std::array<float, 64> a{};
    for (int y = 0; y < 8; ++y)
        for (int x = 0; x < 8; ++x)
            a[y * 8 + x] = (m[y][x] + 0.5f) / 64.f - 0.5f;
    return a;
}();

void compute_rows(Layer& L)
{
    for (int p = 0; p < 2; ++p) {
        const int w = L.alpha.plane_width(p), h = L.alpha.plane_height(p);
        L.rows[p].assign(h, {});
        for (int y = 0; y < h; ++y) {
            const uint8_t* a = L.alpha.row(p, y);
            int x0 = 0, x1 = w;
            while (x0 < w && !a[x0])
                ++x0;
            while (x1 > x0 && !a[x1 - 1])
                --x1;
            bool opaque = x0 == 0 && x1 == w;
            for (int x = 0; opaque && x < w; ++x)
                opaque = a[x] == 255;
            L.rows[p][y] = {x0, x1, opaque};
        }
    }
}

core::Error cairo_error()
{
    return core::Error{core::ErrorCategory::Internal, "could not draw the scene",
                       "cairo could not create a drawing surface"};
}

// Lays sprite `s` centred at (cx, cy) (luma pixels) over the frame with opacity op (0..256).
void draw_sprite(Frame& f, const Layer& s, double cx, double cy, int op)
{
    if (op <= 0)
        return;
    op = std::min(op, 256);
    const int x = (int)std::floor(cx - s.width() / 2.0) & ~1, y = (int)std::floor(cy - s.height() / 2.0) & ~1;
    for (int p = 0; p < 3; ++p) {
        const int sc = p == 0 ? 1 : 2, ap = p == 0 ? 0 : 1, off = p == 0 ? 16 : 128, hi = p == 0 ? 235 : 240;
        const int px = x / sc, py = y / sc;  // x, y even: exact
        const int sw = s.yuv.plane_width(p), sh = s.yuv.plane_height(p);
        const int c0 = std::max(0, -px), c1 = std::min(sw, f.plane_width(p) - px);
        const int r0 = std::max(0, -py), r1 = std::min(sh, f.plane_height(p) - py);
        for (int r = r0; r < r1; ++r) {
            uint8_t* o = f.row(p, py + r) + px;
            const uint8_t* v = s.yuv.row(p, r);
            const uint8_t* a = s.alpha.row(ap, r);
            for (int c = c0; c < c1; ++c) {
                if (!a[c])
                    continue;
                const int ae = (a[c] * op) >> 8;
                const int aq = ae + (ae >> 7);
                const int ve = off * 256 + (v[c] - off) * op;  // premultiplied value × 256
                const int res = (ve + (o[c] - off) * (256 - aq) + 128) >> 8;
                o[c] = uint8_t(std::clamp(res, 16, hi));
            }
        }
    }
}

}  // namespace sw::scene::detail
