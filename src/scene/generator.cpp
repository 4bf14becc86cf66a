// The scene generator's pictures: layers drawn once with Cairo (antialiased shapes) and shaded
// in floating point (smooth gradients, dithered once to 8 bits), converted to premultiplied
// YUV 4:2:0 + alpha; per frame they are sampled at their parallax camera position and blended,
// then particle sprites are laid on top. Nothing per pixel is computed per frame except the
// bilinear sampling and the blends (see scene_compose.cpp).

#include <cairo.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <functional>

#include "core/bilinear.h"
#include "core/frame_pool.h"
#include "scene/scene.h"

namespace sw::scene {

using core::Frame;
using namespace kernels;
using core::bilinear::Axis;
using core::bilinear::Tap;
using core::bilinear::make_axis;
using core::bilinear::sample_span;

namespace {

// --- random numbers and noise ------------------------------------------------------------------

uint64_t mix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

struct Rng {
    uint64_t s;
    explicit Rng(uint64_t seed) : s(mix64(seed)) {}
    uint64_t next() { return mix64(s += 0x9e3779b97f4a7c15ull); }
    double uni() { return double(next() >> 11) * (1.0 / 9007199254740992.0); }
    double range(double a, double b) { return a + (b - a) * uni(); }
    int below(int n) { return int(next() % uint64_t(n)); }
};

double lattice(uint64_t seed, int64_t i)
{
    return double(mix64(seed ^ (uint64_t(i) * 0xd6e8feb86659fd93ull)) >> 11) * (2.0 / 9007199254740992.0) - 1.0;
}

double fade(double f) { return f * f * f * (f * (f * 6 - 15) + 10); }

// 1-D value noise in [-1, 1], smooth (C2) between lattice points.
double noise1(uint64_t seed, double x)
{
    const double fl = std::floor(x);
    const int64_t i = (int64_t)fl;
    const double t = fade(x - fl);
    const double a = lattice(seed, i), b = lattice(seed, i + 1);
    return a + (b - a) * t;
}

double fbm1(uint64_t seed, double x, int octaves, double gain = 0.5)
{
    double sum = 0, amp = 1, norm = 0;
    for (int o = 0; o < octaves; ++o) {
        sum += amp * noise1(seed + 7919 * o, x);
        norm += amp;
        amp *= gain;
        x *= 2.03;
    }
    return sum / norm;
}

// Ridged fractal noise in [0, 1]: sharp crests, for mountain ridges.
double ridged1(uint64_t seed, double x, int octaves)
{
    double sum = 0, amp = 1, norm = 0;
    for (int o = 0; o < octaves; ++o) {
        double n = 1.0 - std::fabs(noise1(seed + 104729 * o, x));
        sum += amp * n * n;
        norm += amp;
        amp *= 0.5;
        x *= 2.1;
    }
    return sum / norm;
}

double noise2(uint64_t seed, double x, double y)
{
    const double fx = std::floor(x), fy = std::floor(y);
    const int64_t ix = (int64_t)fx, iy = (int64_t)fy;
    const double tx = fade(x - fx), ty = fade(y - fy);
    auto h = [&](int64_t a, int64_t b) { return lattice(seed ^ (uint64_t(b) * 0x9e3779b97f4a7c15ull), a); };
    const double a = h(ix, iy) + (h(ix + 1, iy) - h(ix, iy)) * tx;
    const double b = h(ix, iy + 1) + (h(ix + 1, iy + 1) - h(ix, iy + 1)) * tx;
    return a + (b - a) * ty;
}

double smoothstep(double a, double b, double x)
{
    const double t = std::clamp((x - a) / (b - a), 0.0, 1.0);
    return t * t * (3 - 2 * t);
}

// --- colours ----------------------------------------------------------------------------------

struct C3 {
    float r = 0, g = 0, b = 0;
};
C3 operator+(C3 a, C3 b) { return {a.r + b.r, a.g + b.g, a.b + b.b}; }
C3 operator*(C3 a, double k) { return {float(a.r * k), float(a.g * k), float(a.b * k)}; }
C3 mix(C3 a, C3 b, double t) { return a + (C3{b.r - a.r, b.g - a.g, b.b - a.b} * t); }
C3 rgb(int r, int g, int b) { return {r / 255.f, g / 255.f, b / 255.f}; }
float luma(C3 c) { return 0.2126f * c.r + 0.7152f * c.g + 0.0722f * c.b; }
C3 saturate(C3 c, double s)
{
    const float l = luma(c);
    return mix(C3{l, l, l}, c, s);
}

C3 hsv(double h, double s, double v)
{
    h = std::fmod(h, 360.0);
    if (h < 0)
        h += 360;
    const double c = v * s, x = c * (1 - std::fabs(std::fmod(h / 60.0, 2.0) - 1)), m = v - c;
    double r = 0, g = 0, b = 0;
    switch (int(h / 60) % 6) {
    case 0: r = c, g = x; break;
    case 1: r = x, g = c; break;
    case 2: g = c, b = x; break;
    case 3: g = x, b = c; break;
    case 4: r = x, b = c; break;
    default: r = c, b = x; break;
    }
    return {float(r + m), float(g + m), float(b + m)};
}

void set_source(cairo_t* cr, C3 c, double a = 1.0) { cairo_set_source_rgba(cr, c.r, c.g, c.b, a); }

// A radial glow: colour c, opacity a at the centre fading to 0 at radius r (smooth falloff).
void glow(cairo_t* cr, double x, double y, double r, C3 c, double a, double core = 0.0)
{
    cairo_pattern_t* p = cairo_pattern_create_radial(x, y, 0, x, y, r);
    cairo_pattern_add_color_stop_rgba(p, 0, c.r, c.g, c.b, a);
    if (core > 0)
        cairo_pattern_add_color_stop_rgba(p, core, c.r, c.g, c.b, a);
    for (int k = 1; k <= 6; ++k) {  // Gaussian-like profile rather than a linear cone
        const double t = core + (1 - core) * k / 6.0;
        const double f = std::exp(-3.2 * std::pow(k / 6.0, 2.0)) * (1 - k / 6.0 * 0.04);
        cairo_pattern_add_color_stop_rgba(p, t, c.r, c.g, c.b, k == 6 ? 0.0 : a * f);
    }
    cairo_set_source(cr, p);
    cairo_arc(cr, x, y, r, 0, 2 * M_PI);
    cairo_fill(cr);
    cairo_pattern_destroy(p);
}

// --- layers -----------------------------------------------------------------------------------

struct RowInfo {
    int x0 = 0, x1 = 0;  // columns with alpha > 0: [x0, x1)
    bool opaque = false;  // alpha 255 across the whole row
};

// A picture in premultiplied YUV 4:2:0 with alpha, placed in world coordinates (the frame at
// the camera's rest position): world (0, 0) is the layer's pixel (ox, oy).
struct Layer {
    Frame yuv, alpha;  // alpha: plane 0 at luma resolution, plane 1 at chroma resolution
    int ox = 0, oy = 0;
    double parallax = 1.0;  // how much of the camera move it follows (far layers less)
    double drift_x = 0;     // its own motion over the whole shot (clouds, fog), world pixels
    std::vector<RowInfo> rows[2];
    int width() const { return yuv.width(); }
    int height() const { return yuv.height(); }
};

// Cairo surfaces for one layer: `mask` (A8) is the shape whose colour comes from the shade
// function, `detail` (ARGB32) is painted over it in its own colours.
struct Canvas {
    int w = 0, h = 0, ox = 0, oy = 0;
    cairo_surface_t* ms = nullptr;
    cairo_surface_t* ds = nullptr;
    cairo_t* m = nullptr;
    cairo_t* d = nullptr;
    Canvas(int w_, int h_, int ox_, int oy_) : w(w_), h(h_), ox(ox_), oy(oy_)
    {
        ms = cairo_image_surface_create(CAIRO_FORMAT_A8, w, h);
        ds = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
        m = cairo_create(ms);
        d = cairo_create(ds);
        cairo_translate(m, ox, oy);
        cairo_translate(d, ox, oy);
    }
    ~Canvas()
    {
        cairo_destroy(m);
        cairo_destroy(d);
        cairo_surface_destroy(ms);
        cairo_surface_destroy(ds);
    }
    Canvas(const Canvas&) = delete;
    Canvas& operator=(const Canvas&) = delete;
    bool ok() const
    {
        return cairo_status(m) == CAIRO_STATUS_SUCCESS && cairo_status(d) == CAIRO_STATUS_SUCCESS;
    }
};

// Ordered dither (8x8 Bayer), in code values, centred on 0: breaks the 8-bit steps of slow
// gradients into a fine pattern the eye (and the encoder) averages.
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

// Converts a canvas to a layer: colour = shade(world x, world y) where the mask covers, detail
// over it; premultiplied BT.709 limited range, dithered.
template <class Shade>
Layer finish(Canvas& cv, double parallax, Shade&& shade)
{
    cairo_surface_flush(cv.ms);
    cairo_surface_flush(cv.ds);
    const uint8_t* mdata = cairo_image_surface_get_data(cv.ms);
    const uint8_t* ddata = cairo_image_surface_get_data(cv.ds);
    const int mstride = cairo_image_surface_get_stride(cv.ms), dstride = cairo_image_surface_get_stride(cv.ds);
    const int w = cv.w, h = cv.h;
    Layer L;
    L.yuv = Frame(w, h);
    L.alpha = Frame(w, h);
    L.ox = cv.ox;
    L.oy = cv.oy;
    L.parallax = parallax;
    std::vector<float> pm(size_t(8) * w);  // premultiplied r, g, b, a of two rows
    constexpr float inv255 = 1.f / 255.f;
    for (int y = 0; y < h; y += 2) {
        bool any = false;
        for (int k = 0; k < 2; ++k) {
            const uint8_t* mrow = mdata + size_t(y + k) * mstride;
            const uint32_t* drow = reinterpret_cast<const uint32_t*>(ddata + size_t(y + k) * dstride);
            float* o = pm.data() + size_t(4) * w * k;
            const double wy = y + k - cv.oy + 0.5;
            for (int x = 0; x < w; ++x, o += 4) {
                const uint32_t dv = drow[x];
                const int m = mrow[x];
                if (!m && !dv) {
                    o[0] = o[1] = o[2] = o[3] = 0;
                    continue;
                }
                any = true;
                const float da = (dv >> 24) * inv255;
                float r = ((dv >> 16) & 255) * inv255, g = ((dv >> 8) & 255) * inv255, b = (dv & 255) * inv255;
                const float ma = m * inv255;
                if (m) {
                    const C3 c = shade(x - cv.ox + 0.5, wy);
                    const float f = ma * (1 - da);
                    r += std::clamp(c.r, 0.f, 1.f) * f;
                    g += std::clamp(c.g, 0.f, 1.f) * f;
                    b += std::clamp(c.b, 0.f, 1.f) * f;
                }
                o[0] = r, o[1] = g, o[2] = b, o[3] = da + ma * (1 - da);
            }
        }
        uint8_t* yr[2] = {L.yuv.row(0, y), L.yuv.row(0, y + 1)};
        uint8_t* ar[2] = {L.alpha.row(0, y), L.alpha.row(0, y + 1)};
        uint8_t* ur = L.yuv.row(1, y / 2);
        uint8_t* vr = L.yuv.row(2, y / 2);
        uint8_t* acr = L.alpha.row(1, y / 2);
        if (!any) {
            std::memset(yr[0], 16, w), std::memset(yr[1], 16, w);
            std::memset(ar[0], 0, w), std::memset(ar[1], 0, w);
            std::memset(ur, 128, w / 2), std::memset(vr, 128, w / 2), std::memset(acr, 0, w / 2);
            continue;
        }
        for (int k = 0; k < 2; ++k) {
            const float* o = pm.data() + size_t(4) * w * k;
            const float* dith = kBayer.data() + ((y + k) & 7) * 8;
            for (int x = 0; x < w; ++x, o += 4) {
                const float l = 0.2126f * o[0] + 0.7152f * o[1] + 0.0722f * o[2];
                const float yv = 16.f + 219.f * l + dith[x & 7];
                yr[k][x] = uint8_t(std::clamp((int)std::lround(yv), 16, 235));
                ar[k][x] = uint8_t(std::lround(std::clamp(o[3], 0.f, 1.f) * 255.f));
            }
        }
        const float* dith = kBayer.data() + ((y / 2) & 7) * 8;
        for (int x = 0; x < w / 2; ++x) {
            const float* p0 = pm.data() + 8 * x;
            const float* p1 = pm.data() + size_t(4) * w + 8 * x;
            const float r = 0.25f * (p0[0] + p0[4] + p1[0] + p1[4]);
            const float g = 0.25f * (p0[1] + p0[5] + p1[1] + p1[5]);
            const float b = 0.25f * (p0[2] + p0[6] + p1[2] + p1[6]);
            const float a = 0.25f * (p0[3] + p0[7] + p1[3] + p1[7]);
            const float l = 0.2126f * r + 0.7152f * g + 0.0722f * b;
            const float dd = dith[(x + 3) & 7];
            ur[x] = uint8_t(std::clamp((int)std::lround(128.f + 224.f * (b - l) / 1.8556f + dd), 16, 240));
            vr[x] = uint8_t(std::clamp((int)std::lround(128.f + 224.f * (r - l) / 1.5748f + dd), 16, 240));
            acr[x] = uint8_t(std::lround(std::clamp(a, 0.f, 1.f) * 255.f));
        }
    }
    compute_rows(L);
    return L;
}

// A sprite: a small layer drawn with `draw` (world = sprite pixels, origin at its top-left).
template <class Draw>
Layer make_sprite(int w, int h, Draw&& draw)
{
    w = std::max(2, (w + 1) & ~1);
    h = std::max(2, (h + 1) & ~1);
    Canvas cv(w, h, 0, 0);
    draw(cv.d, w, h);
    return finish(cv, 0, [](double, double) { return C3{}; });
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

// --- camera -----------------------------------------------------------------------------------

struct Cam {
    double dx = 0, dy = 0, zoom = 1;  // at parallax 1, world pixels
};

struct View {
    double x0, y0, s;  // window top-left in world coordinates; frame pixels per world pixel
};

// --- palettes ---------------------------------------------------------------------------------

struct Palette {
    C3 top, mid, hor;  // sky gradient
    double mid_at = 0.55;
    C3 haze;           // what distance fades to
    C3 mount_far, mount_near, hill, forest, ground, snow, water, sun, glow, window;
};

Palette palette_for(const SceneSpec& s)
{
    Palette p;
    switch (s.time) {
    case TimeOfDay::Dawn:
        p = {rgb(58, 82, 142), rgb(176, 152, 190), rgb(255, 200, 164), 0.55, rgb(222, 188, 196),
             rgb(140, 130, 176), rgb(88, 86, 132), rgb(84, 100, 116), rgb(40, 62, 70), rgb(112, 124, 120),
             rgb(238, 230, 244), rgb(96, 112, 156), rgb(255, 238, 204), rgb(255, 196, 150), rgb(255, 220, 160)};
        break;
    case TimeOfDay::Day:
        p = {rgb(40, 104, 190), rgb(104, 162, 224), rgb(200, 226, 246), 0.6, rgb(186, 210, 232),
             rgb(118, 148, 190), rgb(66, 98, 126), rgb(86, 132, 84), rgb(34, 84, 50), rgb(98, 148, 78),
             rgb(248, 250, 255), rgb(44, 108, 160), rgb(255, 252, 236), rgb(255, 246, 220), rgb(150, 180, 210)};
        break;
    case TimeOfDay::Sunset:
        p = {rgb(36, 40, 96), rgb(178, 86, 110), rgb(255, 168, 86), 0.58, rgb(236, 146, 116),
             rgb(142, 86, 120), rgb(72, 44, 80), rgb(62, 40, 62), rgb(34, 24, 40), rgb(72, 48, 58),
             rgb(250, 206, 196), rgb(64, 44, 86), rgb(255, 216, 150), rgb(255, 150, 80), rgb(255, 200, 120)};
        break;
    case TimeOfDay::Night:
        p = {rgb(4, 7, 22), rgb(12, 22, 56), rgb(36, 52, 98), 0.6, rgb(38, 50, 90),
             rgb(28, 40, 74), rgb(14, 20, 44), rgb(14, 22, 38), rgb(8, 14, 24), rgb(20, 26, 44),
             rgb(122, 142, 192), rgb(10, 16, 38), rgb(250, 246, 228), rgb(140, 160, 210), rgb(255, 210, 140)};
        break;
    }
    if (s.overcast || s.rain) {
        const double k = s.time == TimeOfDay::Night ? 0.7 : 0.35;
        for (C3* c : {&p.top, &p.mid, &p.hor, &p.haze, &p.mount_far, &p.mount_near, &p.water})
            *c = saturate(*c, k);
        const C3 grey = s.time == TimeOfDay::Night ? rgb(30, 34, 44) : rgb(150, 158, 170);
        p.top = mix(p.top, grey, 0.45);
        p.mid = mix(p.mid, grey, 0.3);
    }
    if (s.season == Season::Autumn)
        p.forest = mix(p.forest, rgb(170, 80, 30), s.time == TimeOfDay::Night ? 0.2 : 0.75);
    if (s.snowfield || s.season == Season::Winter)
        p.ground = p.snow;
    if (s.fog)
        p.haze = mix(p.haze, rgb(230, 232, 236), s.time == TimeOfDay::Night ? 0.1 : 0.4);
    return p;
}

// --- the sky ----------------------------------------------------------------------------------

struct SkyModel {
    Palette pal;
    double top_y = 0, hy = 0;
    bool glow = false;
    double gx = 0, gy = 0, gr = 1, gk = 0;
    C3 gc;
    bool city_glow = false;
    C3 city_col;
    double city_r = 1;
    // Aurora: per world column (from x_base) the curtain's lower edge and strength.
    double x_base = 0;
    std::vector<float> aur_edge, aur_k;
    double aur_len = 1;

    C3 at(double x, double y) const
    {
        const double t = std::clamp((y - top_y) / (hy - top_y), 0.0, 1.0);
        C3 c = t < pal.mid_at ? mix(pal.top, pal.mid, smoothstep(0, 1, t / pal.mid_at))
                              : mix(pal.mid, pal.hor, smoothstep(0, 1, (t - pal.mid_at) / (1 - pal.mid_at)));
        if (glow) {
            const double d2 = ((x - gx) * (x - gx) + (y - gy) * (y - gy)) / (gr * gr);
            const double k = gk * (std::exp(-d2) + 0.35 * std::exp(-d2 * 0.12));
            c = c + gc * k;
        }
        if (city_glow) {
            const double d = std::max(0.0, hy - y) / city_r;
            c = c + city_col * (0.28 * std::exp(-d * d));
        }
        if (!aur_k.empty()) {
            const int i = std::clamp((int)(x - x_base), 0, (int)aur_k.size() - 1);
            const double e = aur_edge[i], k = aur_k[i];
            if (k > 0.001) {
                double v;
                if (y <= e)
                    v = std::exp(-(e - y) / aur_len);
                else
                    v = std::exp(-((y - e) * (y - e)) / (aur_len * aur_len * 0.02));
                v *= k;
                const double up = std::clamp((e - y) / (aur_len * 2.5), 0.0, 1.0);
                const C3 col = mix(rgb(70, 255, 170), rgb(170, 90, 255), up);
                c = c + col * (0.75 * v);
            }
        }
        return c;
    }
};

// --- the scene builder ------------------------------------------------------------------------

enum class Part { Snow, Rain, Petals, Lanterns, Bokeh, Fireworks, Twinkle, Glitter, Sparkle };

struct ParticleSet {
    Part kind;
    std::vector<Layer> sprites;
    int count = 0;
    double parallax = 0;  // for things fixed in the world (stars, glitter)
    double x0 = 0, x1 = 0, y0 = 0, y1 = 0;  // area (world)
    double cx = 0, spread = 0;              // glitter path
};

}  // namespace

struct SceneGenerator::Impl {
    SceneSpec spec;
    SceneStyle style = SceneStyle::Landscape;
    int W = 0, H = 0;
    int64_t n = 1;
    core::Rational fps{30, 1};
    double unit = 1;  // min(W, H) / 1080
    double hy = 0;    // horizon
    double focus_y = 0;
    Cam cam_max;      // the largest camera offsets (for layer margins)
    Palette pal;
    SkyModel sky;
    std::vector<Layer> layers;  // far to near
    std::vector<ParticleSet> particles;
    std::shared_ptr<core::FramePool> pool;
    // Per-frame scratch.
    std::vector<Axis> ax_x[2], ax_y[2];
    std::vector<uint8_t> scratch, tmp_v, tmp_a, tmp_v2;
    std::string error;

    // Geometry.
    int margin_x(double parallax, double drift = 0) const
    {
        return ((int)std::ceil(std::fabs(cam_max.dx) * parallax + std::fabs(drift)) + 8) & ~1;
    }
    int margin_y(double parallax) const { return ((int)std::ceil(std::fabs(cam_max.dy) * parallax) + 8) & ~1; }
    std::unique_ptr<Canvas> canvas(double parallax, double drift = 0)
    {
        const int ox = margin_x(parallax, drift), oy = margin_y(parallax);
        auto cv = std::make_unique<Canvas>(W + 2 * ox, H + 2 * oy, ox, oy);
        if (!cv->ok())
            error = "cairo could not create a drawing surface";
        return cv;
    }

    Cam camera(double u) const;
    View view(const Layer& L, const Cam& c, double u) const
    {
        const double s = 1 + (c.zoom - 1) * L.parallax;
        const double fx = W / 2.0, fy = focus_y;
        return {fx - fx / s + c.dx * L.parallax + L.drift_x * u, fy - fy / s + c.dy * L.parallax, s};
    }

    void build();
    void build_sky();
    void build_clouds();
    std::vector<float> build_ridge_layer(double parallax, uint64_t salt, double height, double freq, bool ridged,
                                         C3 col, double haze, bool snowcap, double base_y);
    void build_castle(double base_y, double parallax);
    void build_city(bool near, double base_y, double parallax);
    void build_forest(double line_y, double parallax, bool far_shore);
    void build_ground(double top_y, double parallax);
    void build_water(double parallax);
    void build_foreground(double parallax);
    void build_fog(double parallax);
    void build_abstract();
    void build_particles();

    // Things drawn in more than one layer (water reflections redraw them mirrored).
    std::vector<std::pair<std::vector<float>, C3>> ridges;  // per ridge layer: y per world x (from -ox), colour
    std::vector<int> ridge_ox;
    std::function<void(cairo_t*, bool reflect)> draw_castle_fn, draw_city_fn, draw_forest_fn;

    void compose(Frame& out, double u);
    void compose_plane(Frame& out, int plane);
    void draw_particles(Frame& out, double t, const Cam& cam);
};

namespace {
double ease(double u)
{
    u = std::clamp(u, 0.0, 1.0);
    return 0.6 * u + 0.4 * (0.5 - 0.5 * std::cos(M_PI * u));
}
}  // namespace

Cam SceneGenerator::Impl::camera(double u) const
{
    const double e = ease(u), k = spec.speed;
    Cam c;
    switch (spec.camera) {
    case CameraMotion::Drift:
        c.dx = 0.05 * W * (e - 0.5) * k;
        c.zoom = 1 + 0.035 * e * k;
        break;
    case CameraMotion::PushIn:
        c.dx = 0.012 * W * (e - 0.5) * k;
        c.zoom = 1 + 0.12 * e * k;
        break;
    case CameraMotion::PullOut:
        c.dx = -0.012 * W * (e - 0.5) * k;
        c.zoom = 1 + 0.12 * (1 - e) * k;
        break;
    case CameraMotion::Aerial:
        c.dy = -0.05 * H * (e - 0.5) * k;
        c.dx = 0.015 * W * (e - 0.5) * k;
        c.zoom = 1 + 0.07 * e * k;
        break;
    case CameraMotion::Still:
        c.zoom = 1 + 0.012 * e;
        break;
    }
    if (style == SceneStyle::Card) {
        c.dx = 0.04 * W * (e - 0.5) * k;
        c.dy = 0;
        c.zoom = 1 + 0.03 * e * k;
    }
    return c;
}

// --- layer builders ---------------------------------------------------------------------------

void SceneGenerator::Impl::build_sky()
{
    const double p = 0.12;
    auto cv = canvas(p);
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
        cairo_pattern_t* pt = cairo_pattern_create_radial(bx, sky.gy - r * 0.2, 0, bx, sky.gy, r);
        C3 core = mix(pal.sun, rgb(255, 255, 250), 0.6);
        cairo_pattern_add_color_stop_rgba(pt, 0, core.r, core.g, core.b, 1);
        cairo_pattern_add_color_stop_rgba(pt, 1, pal.sun.r, pal.sun.g, pal.sun.b, 1);
        cairo_set_source(cv->d, pt);
        cairo_arc(cv->d, bx, sky.gy, r, 0, 2 * M_PI);
        cairo_fill(cv->d);
        cairo_pattern_destroy(pt);
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
        cairo_pattern_t* pt = cairo_pattern_create_radial(bx - r * 0.3, my - r * 0.3, 0, bx, my, r);
        cairo_pattern_add_color_stop_rgba(pt, 0, 1, 0.99, 0.95, 1);
        cairo_pattern_add_color_stop_rgba(pt, 1, 0.9, 0.9, 0.86, 1);
        cairo_set_source(cv->d, pt);
        cairo_arc(cv->d, bx, my, r, 0, 2 * M_PI);
        cairo_fill(cv->d);
        cairo_pattern_destroy(pt);
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
    layers.push_back(finish(*cv, p, [&](double x, double y) { return model.at(x, y); }));
}

void SceneGenerator::Impl::build_clouds()
{
    const double p = 0.18, drift = 0.05 * W * spec.speed;
    auto cv = canvas(p, drift);
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
    layers.push_back(std::move(L));
}

// A mountain or hill range: ridge y(x) from seeded fractal noise evaluated once per column; the
// fill is shaded with distance haze, slope light and (optionally) snow caps.
std::vector<float> SceneGenerator::Impl::build_ridge_layer(double p, uint64_t salt, double height, double freq,
                                                           bool ridged, C3 col, double haze, bool snowcap,
                                                           double base_y)
{
    auto cv = canvas(p);
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
    layers.push_back(finish(*cv, p, shade));
    ridges.push_back({ridge, col});
    ridge_ox.push_back(ox);
    return ridge;
}

void SceneGenerator::Impl::build_castle(double base_y, double p)
{
    auto cv = canvas(p);
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
    layers.push_back(finish(*cv, p, shade));
    // For the water's reflection: the castle drawn again, mirrored about base_y.
    const double by = base_y;
    draw_castle_fn = [=, this](cairo_t* cr, bool) {
        cairo_save(cr);
        cairo_translate(cr, 0, 2 * by);
        cairo_scale(cr, 1, -1);
        path(cr);
        const C3 c = ice ? (night ? hsv(200, 0.45, 0.6) : rgb(170, 210, 235)) : (night ? rgb(20, 22, 36) : pal.haze);
        set_source(cr, c, 0.75);
        cairo_fill(cr);
        cairo_restore(cr);
    };
}

void SceneGenerator::Impl::build_city(bool near, double base_y, double p)
{
    auto cv = canvas(p);
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
    layers.push_back(finish(*cv, p, shade));
    if (!near) {
        const double by = base_y;
        draw_city_fn = [=, this](cairo_t* cr, bool) {
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
                Rng r3(spec.seed * 31 + 8);
                for (const auto& b : bs) {
                    const int k = 1 + r3.below(3);
                    for (int j = 0; j < k; ++j) {
                        const double x = b.x + r3.range(0.1, 0.9) * b.w;
                        const double len = r3.range(0.3, 1.0) * b.h * 0.8;
                        cairo_pattern_t* pt = cairo_pattern_create_linear(0, by, 0, by + len);
                        const C3 c = mix(pal.window, rgb(255, 240, 210), r3.uni() * 0.4);
                        cairo_pattern_add_color_stop_rgba(pt, 0, c.r, c.g, c.b, 0.55);
                        cairo_pattern_add_color_stop_rgba(pt, 1, c.r, c.g, c.b, 0);
                        cairo_set_source(cr, pt);
                        cairo_rectangle(cr, x - ws * 0.5, by, ws, len);
                        cairo_fill(cr);
                        cairo_pattern_destroy(pt);
                    }
                }
            }
        };
    }
}

void SceneGenerator::Impl::build_forest(double line_y, double p, bool far_shore)
{
    auto cv = canvas(p);
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
    auto shade = [=, this](double, double y) {
        const double v = std::clamp((y - ly) / (0.4 * Hd), 0.0, 1.0);
        return mix(mix(g, pal.haze, 0.25), g * 0.8, v);
    };
    layers.push_back(finish(*cv, p, shade));
    if (far_shore) {
        draw_forest_fn = [=, this](cairo_t* cr, bool) {
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
}

void SceneGenerator::Impl::build_ground(double top_y, double p)
{
    auto cv = canvas(p);
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
    layers.push_back(finish(*cv, p, shade));
}

// Water: the sky mirrored (analytic), the shapes above it redrawn mirrored, rippled and softened,
// with a glitter path under the sun or moon.
void SceneGenerator::Impl::build_water(double p)
{
    auto cv = canvas(p);
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
    for (size_t k = 0; k < ridges.size(); ++k) {
        const auto& r = ridges[k].first;
        const int rox = ridge_ox[k];
        cairo_move_to(d, -rox, hy);
        for (size_t i = 0; i < r.size(); i += 2)
            cairo_line_to(d, double(i) - rox, 2 * hy - r[i]);
        cairo_line_to(d, double(r.size()) - rox, hy);
        cairo_close_path(d);
        set_source(d, mix(ridges[k].second, pal.haze, 0.2) * 0.8, 0.8);
        cairo_fill(d);
    }
    if (draw_forest_fn)
        draw_forest_fn(d, true);
    if (draw_castle_fn)
        draw_castle_fn(d, true);
    if (draw_city_fn)
        draw_city_fn(d, true);
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
    layers.push_back(finish(*cv, p, shade));
}

void SceneGenerator::Impl::build_foreground(double p)
{
    // Snow drifts, grass or sand across the bottom of the frame.
    auto cv = canvas(p);
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
    layers.push_back(finish(*cv, p, shade));
}

void SceneGenerator::Impl::build_fog(double p)
{
    const double drift = 0.08 * W * spec.speed;
    auto cv = canvas(p, drift);
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
    layers.push_back(std::move(L));
}

// Abstract background (unknown words, title cards): a deep palette gradient with soft glows,
// flowing bands with a light edge, bokeh.
void SceneGenerator::Impl::build_abstract()
{
    const double h0 = spec.hue;
    const bool card = style == SceneStyle::Card;
    {
        auto cv = canvas(0.1);
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
        auto cv = canvas(p, drift);
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
}

void SceneGenerator::Impl::build()
{
    pal = palette_for(spec);
    unit = std::min(W, H) / 1080.0;
    const bool water = spec.sea || spec.lake;
    hy = std::round(H * (H > W ? (water ? 0.56 : 0.6) : (water ? 0.58 : 0.64)));
    focus_y = hy;
    // The largest camera offsets over the shot, for the layers' margins.
    cam_max = {};
    for (int k = 0; k <= 16; ++k) {
        const Cam c = camera(k / 16.0);
        cam_max.dx = std::max(cam_max.dx, std::fabs(c.dx));
        cam_max.dy = std::max(cam_max.dy, std::fabs(c.dy));
    }
    if (spec.abstract || style == SceneStyle::Card) {
        // A card keeps only what floats over an abstract background: bokeh, snow, petals.
        spec.bokeh = true;
        spec.stars = spec.twinkle = spec.rain = spec.fireworks = spec.lanterns = false;
        spec.sea = spec.lake = spec.river = spec.snowfield = false;
        build_abstract();
        build_particles();
        return;
    }
    build_sky();
    if (spec.clouds)
        build_clouds();
    const bool snowcaps = spec.season == Season::Winter || spec.snowfield || spec.snow || spec.ice;
    if (spec.mountains) {
        build_ridge_layer(0.26, 1, (H > W ? 0.2 : 0.3) * H, 2.2, true, pal.mount_far, 0.45, snowcaps, hy);
        build_ridge_layer(0.36, 2, (H > W ? 0.12 : 0.18) * H, 3.1, true, pal.mount_near, 0.2, snowcaps, hy + 0.004 * H);
    }
    if (spec.hills) {
        if (!spec.mountains)
            build_ridge_layer(0.28, 3, 0.07 * H, 1.6, false, mix(pal.hill, pal.haze, 0.45), 0.3, snowcaps, hy);
        build_ridge_layer(0.4, 4, 0.05 * H, 2.4, false, pal.hill, 0.15, snowcaps, hy + 0.01 * H);
    }
    if (spec.city)
        build_city(false, hy + (water ? 0 : 0.005 * H), 0.45);
    const bool shore = water;
    if (spec.forest && shore)
        build_forest(hy, 0.5, true);
    if (spec.castle && water)
        build_castle(hy, 0.5);
    if (!water) {
        if (spec.forest)
            build_forest(hy + 0.08 * H, 0.6, false);
        else if (!spec.city || spec.snowfield || spec.grass)
            build_ground(hy + 0.02 * H, 0.55);
        if (spec.river)
            build_water(0.6);
        if (spec.castle)
            build_castle(hy + (spec.forest ? 0.12 : 0.1) * H, 0.65);
        if (spec.city && !spec.forest && !spec.snowfield && !spec.grass)
            build_city(true, H * 0.78, 0.7);
    } else {
        build_water(0.55);
    }
    if (spec.fog)
        build_fog(0.62);
    if (spec.snowfield || spec.grass || spec.beach || spec.lake ||
        (spec.forest && !water && !spec.castle) || spec.season == Season::Spring)
        build_foreground(0.9);
    build_particles();
}

// --- particles --------------------------------------------------------------------------------

void SceneGenerator::Impl::build_particles()
{
    const double u = unit;
    const double area = double(W) * H / (1080.0 * 1920.0);
    auto count = [&](int n) { return std::max(8, int(n * area + 0.5)); };
    const bool night = spec.time == TimeOfDay::Night || spec.abstract || style == SceneStyle::Card;
    if (spec.snow) {
        ParticleSet ps{Part::Snow};
        for (double r : {2.4, 3.6, 5.5, 8.5}) {
            const double rr = std::max(1.6, r * u);
            const int s = int(std::ceil(rr * 2.4)) + 2;
            ps.sprites.push_back(make_sprite(s, s, [rr](cairo_t* cr, int w, int h) {
                glow(cr, w / 2.0, h / 2.0, rr, rgb(255, 255, 255), 0.95, 0.45);
            }));
        }
        ps.count = count(360);
        particles.push_back(std::move(ps));
    }
    if (spec.rain) {
        ParticleSet ps{Part::Rain};
        for (double len : {24.0, 40.0, 60.0}) {
            const double l = std::max(6.0, len * u), wd = std::max(0.8, 1.3 * u);
            ps.sprites.push_back(make_sprite(int(l * 0.25) + 4, int(l) + 4, [l, wd](cairo_t* cr, int w, int h) {
                cairo_pattern_t* pt = cairo_pattern_create_linear(0, 2, 0, h - 2);
                cairo_pattern_add_color_stop_rgba(pt, 0, 0.85, 0.88, 0.95, 0);
                cairo_pattern_add_color_stop_rgba(pt, 1, 0.85, 0.88, 0.95, 0.55);
                cairo_set_source(cr, pt);
                cairo_set_line_width(cr, wd);
                cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
                cairo_move_to(cr, w / 2.0 + l * 0.1, 2);
                cairo_line_to(cr, w / 2.0 - l * 0.1, h - 2);
                cairo_stroke(cr);
                cairo_pattern_destroy(pt);
            }));
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
                ps.sprites.push_back(make_sprite(dim, dim, [=](cairo_t* cr, int w, int h) {
                    cairo_translate(cr, w / 2.0, h / 2.0);
                    cairo_rotate(cr, ang);
                    cairo_scale(cr, 1.0, 0.55 + 0.35 * std::fabs(std::cos(ang * 2)));  // tumbling
                    cairo_pattern_t* pt = cairo_pattern_create_linear(-s, 0, s, 0);
                    cairo_pattern_add_color_stop_rgba(pt, 0, a.r, a.g, a.b, 0.95);
                    cairo_pattern_add_color_stop_rgba(pt, 1, b.r, b.g, b.b, 0.95);
                    cairo_set_source(cr, pt);
                    cairo_move_to(cr, -s, 0);
                    cairo_curve_to(cr, -s * 0.4, -s * 0.75, s * 0.6, -s * 0.6, s, -s * 0.12);
                    cairo_line_to(cr, s * 0.8, 0);
                    cairo_line_to(cr, s, s * 0.12);
                    cairo_curve_to(cr, s * 0.6, s * 0.6, -s * 0.4, s * 0.75, -s, 0);
                    cairo_fill(cr);
                    cairo_pattern_destroy(pt);
                }));
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
            ps.sprites.push_back(make_sprite(dim, dim, [s](cairo_t* cr, int w, int h) {
                const double cx = w / 2.0, cy = h / 2.0;
                glow(cr, cx, cy, s * 3.4, rgb(255, 150, 60), 0.35);
                glow(cr, cx, cy, s * 1.8, rgb(255, 180, 90), 0.45);
                // Body: a paper lantern, wider at the top, glowing from the flame at its base.
                cairo_pattern_t* pt = cairo_pattern_create_linear(0, cy - s, 0, cy + s);
                cairo_pattern_add_color_stop_rgba(pt, 0, 0.95, 0.45, 0.15, 1);
                cairo_pattern_add_color_stop_rgba(pt, 1, 1.0, 0.85, 0.45, 1);
                cairo_set_source(cr, pt);
                cairo_move_to(cr, cx - s * 0.62, cy - s);
                cairo_curve_to(cr, cx - s * 0.75, cy, cx - s * 0.5, cy + s * 0.7, cx - s * 0.42, cy + s);
                cairo_line_to(cr, cx + s * 0.42, cy + s);
                cairo_curve_to(cr, cx + s * 0.5, cy + s * 0.7, cx + s * 0.75, cy, cx + s * 0.62, cy - s);
                cairo_close_path(cr);
                cairo_fill(cr);
                cairo_pattern_destroy(pt);
                glow(cr, cx, cy + s * 0.6, s * 0.5, rgb(255, 250, 220), 0.9);
            }));
        }
        ps.count = count(26);
        particles.push_back(std::move(ps));
    }
    if (spec.bokeh) {
        ParticleSet ps{Part::Bokeh};
        std::vector<C3> cols;
        if (spec.neon)
            cols = {rgb(255, 110, 190), rgb(110, 210, 255), rgb(190, 130, 255), rgb(255, 214, 120), rgb(255, 160, 110)};
        else if (spec.abstract || style == SceneStyle::Card)
            cols = {hsv(spec.hue + 20, 0.35, 1.0), hsv(spec.hue - 20, 0.45, 1.0), hsv(spec.hue + 50, 0.3, 1.0)};
        else
            cols = {rgb(255, 205, 130), rgb(255, 180, 100), rgb(255, 232, 180), hsv(spec.hue, 0.45, 1.0)};
        const bool soft = !(spec.abstract || style == SceneStyle::Card);
        const double k = soft ? 0.6 : 1.0;
        for (double r : soft ? std::array<double, 3>{18.0, 32.0, 55.0} : std::array<double, 3>{30.0, 55.0, 90.0}) {
            for (const C3& c : cols) {
                const double rr = std::max(4.0, r * u);
                const int dim = int(rr * 2) + 6;
                ps.sprites.push_back(make_sprite(dim, dim, [rr, c, k](cairo_t* cr, int w, int h) {
                    const double cx = w / 2.0, cy = h / 2.0;
                    cairo_pattern_t* pt = cairo_pattern_create_radial(cx, cy, 0, cx, cy, rr);
                    cairo_pattern_add_color_stop_rgba(pt, 0, c.r, c.g, c.b, 0.32 * k);
                    cairo_pattern_add_color_stop_rgba(pt, 0.8, c.r, c.g, c.b, 0.4 * k);
                    cairo_pattern_add_color_stop_rgba(pt, 0.93, c.r, c.g, c.b, 0.5 * k);
                    cairo_pattern_add_color_stop_rgba(pt, 1, c.r, c.g, c.b, 0);
                    cairo_set_source(cr, pt);
                    cairo_arc(cr, cx, cy, rr, 0, 2 * M_PI);
                    cairo_fill(cr);
                    cairo_pattern_destroy(pt);
                }));
            }
        }
        ps.count = count(spec.abstract || style == SceneStyle::Card ? 22 : 30);
        particles.push_back(std::move(ps));
    }
    if (spec.fireworks) {
        ParticleSet ps{Part::Fireworks};
        std::vector<C3> cols = {rgb(255, 90, 90), rgb(255, 210, 90), rgb(110, 200, 255), rgb(200, 120, 255),
                                rgb(120, 255, 160), hsv(spec.hue, 0.6, 1.0)};
        for (const C3& c : cols) {
            const double r = std::max(2.5, 11 * u);
            const int dim = int(r * 2) + 4;
            ps.sprites.push_back(make_sprite(dim, dim, [r, c](cairo_t* cr, int w, int h) {
                glow(cr, w / 2.0, h / 2.0, r, c, 0.85, 0.15);
                glow(cr, w / 2.0, h / 2.0, r * 0.4, mix(c, rgb(255, 255, 255), 0.75), 1.0, 0.45);
            }));
        }
        for (const C3& c : cols) {  // flashes
            const double r = std::max(8.0, 160 * u);
            const int dim = int(r * 2) + 4;
            ps.sprites.push_back(make_sprite(dim, dim, [r, c](cairo_t* cr, int w, int h) {
                glow(cr, w / 2.0, h / 2.0, r, mix(c, rgb(255, 255, 255), 0.3), 0.3);
            }));
        }
        ps.count = 6;  // colours
        particles.push_back(std::move(ps));
    }
    if ((spec.stars && night) || spec.twinkle) {
        ParticleSet ps{Part::Twinkle};
        const double r = std::max(2.0, 9 * u);
        const int dim = int(r * 2) + 4;
        ps.sprites.push_back(make_sprite(dim, dim, [r](cairo_t* cr, int w, int h) {
            const double cx = w / 2.0, cy = h / 2.0;
            glow(cr, cx, cy, r * 0.5, rgb(255, 255, 255), 0.8);
            cairo_set_source_rgba(cr, 1, 1, 1, 0.7);
            cairo_set_line_width(cr, std::max(0.6, r * 0.09));
            cairo_move_to(cr, cx - r, cy);
            cairo_line_to(cr, cx + r, cy);
            cairo_move_to(cr, cx, cy - r);
            cairo_line_to(cr, cx, cy + r);
            cairo_stroke(cr);
        }));
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
        ps.sprites.push_back(make_sprite(int(r * 2) + 4, int(r * 0.6) + 4, [r, c](cairo_t* cr, int w, int h) {
            cairo_save(cr);
            cairo_translate(cr, w / 2.0, h / 2.0);
            cairo_scale(cr, 1.0, 0.22);
            glow(cr, 0, 0, r, c, 0.9, 0.2);
            cairo_restore(cr);
        }));
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
        ps.sprites.push_back(make_sprite(int(r * 2) + 4, int(r * 2) + 4, [r](cairo_t* cr, int w, int h) {
            glow(cr, w / 2.0, h / 2.0, r, rgb(255, 255, 255), 0.9, 0.1);
        }));
        ps.count = count(60);
        ps.parallax = 0.9;
        ps.y0 = H * 0.84;
        ps.y1 = H;
        particles.push_back(std::move(ps));
    }
}

void SceneGenerator::Impl::draw_particles(Frame& out, double t, const Cam& cam)
{
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

// --- per-frame composition --------------------------------------------------------------------

void SceneGenerator::Impl::compose(Frame& out, double u)
{
    const Cam cam = camera(u);
    const size_t nl = layers.size();
    for (int p = 0; p < 2; ++p) {
        ax_x[p].resize(nl);
        ax_y[p].resize(nl);
    }
    size_t maxw = 0;
    for (size_t l = 0; l < nl; ++l) {
        const Layer& L = layers[l];
        const View v = view(L, cam, u);
        for (int p = 0; p < 2; ++p) {
            const double sc = p == 0 ? 1.0 : 0.5;
            const int ow = p == 0 ? W : W / 2, oh = p == 0 ? H : H / 2;
            make_axis(ax_x[p][l], ow, (v.x0 + L.ox) * sc, 1.0 / v.s, L.yuv.plane_width(p));
            make_axis(ax_y[p][l], oh, (v.y0 + L.oy) * sc, 1.0 / v.s, L.yuv.plane_height(p));
            ax_y[p][l].blocks.clear();
        }
        maxw = std::max(maxw, size_t(L.width()));
    }
    scratch.resize(maxw + 64);
    tmp_v.resize(W + 64);
    tmp_a.resize(W + 64);
    tmp_v2.resize(W + 64);
    compose_plane(out, 0);
    compose_plane(out, 1);
}

// One plane kind (0 = luma, 1 = both chroma planes): for each output row, find the nearest
// layer that covers the row opaquely, write it, then blend the nearer layers over it, each only
// across the columns where it has any alpha.
void SceneGenerator::Impl::compose_plane(Frame& out, int pk)
{
    const int nl = (int)layers.size();
    const int oh = pk == 0 ? H : H / 2, ow = pk == 0 ? W : W / 2;
    uint8_t* sc = scratch.data();
    for (int r = 0; r < oh; ++r) {
        int base = 0;
        for (int l = nl - 1; l >= 0; --l) {
            const Layer& L = layers[l];
            const Tap t = ax_y[pk][l].taps[r];
            const int i1 = std::min(t.index + 1, (int)L.rows[pk].size() - 1);
            if (L.rows[pk][t.index].opaque && (t.weight == 0 || L.rows[pk][i1].opaque)) {
                base = l;
                break;
            }
        }
        for (int l = base; l < nl; ++l) {
            const Layer& L = layers[l];
            const Axis& ax = ax_x[pk][l];
            const Tap t = ax_y[pk][l].taps[r];
            const int i0 = t.index, i1 = std::min(t.index + 1, (int)L.rows[pk].size() - 1);
            const int wy = i1 == i0 ? 0 : t.weight;
            const RowInfo& a = L.rows[pk][i0];
            const RowInfo& b = wy ? L.rows[pk][i1] : a;
            const int planes[2] = {pk == 0 ? 0 : 1, 2};
            const int np = pk == 0 ? 1 : 2;
            if (l == base) {
                for (int q = 0; q < np; ++q) {
                    const int p = planes[q];
                    sample_span(L.yuv.row(p, i0), L.yuv.row(p, i1), wy, ax, 0, ow, sc, out.row(p, r));
                }
                continue;
            }
            const bool ea = a.x1 <= a.x0, eb = b.x1 <= b.x0;
            if (ea && eb)
                continue;
            const int sx0 = std::min(ea ? INT32_MAX : a.x0, eb ? INT32_MAX : b.x0);
            const int sx1 = std::max(ea ? 0 : a.x1, eb ? 0 : b.x1);
            // Output columns whose taps touch [sx0 - 1, sx1).
            const auto& taps = ax.taps;
            const int o0 = int(std::lower_bound(taps.begin(), taps.end(), sx0 - 1,
                                                [](const Tap& tp, int v) { return tp.index < v; }) -
                               taps.begin());
            const int o1 = int(std::lower_bound(taps.begin(), taps.end(), sx1,
                                                [](const Tap& tp, int v) { return tp.index < v; }) -
                               taps.begin());
            if (o1 <= o0)
                continue;
            sample_span(L.alpha.row(pk, i0), L.alpha.row(pk, i1), wy, ax, o0, o1, sc, tmp_a.data());
            for (int q = 0; q < np; ++q) {
                const int p = planes[q];
                sample_span(L.yuv.row(p, i0), L.yuv.row(p, i1), wy, ax, o0, o1, sc, tmp_v.data());
                blend_over(out.row(p, r) + o0, tmp_v.data() + o0, tmp_a.data() + o0, o1 - o0, p == 0 ? 16 : 128,
                           p == 0 ? 235 : 240);
            }
        }
    }
}

// --- public API -------------------------------------------------------------------------------

SceneGenerator::SceneGenerator(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
SceneGenerator::~SceneGenerator() = default;
int SceneGenerator::width() const { return m_impl->W; }
int SceneGenerator::height() const { return m_impl->H; }
int64_t SceneGenerator::frame_count() const { return m_impl->n; }

core::Result<std::unique_ptr<SceneGenerator>> SceneGenerator::create(const SceneSpec& spec, SceneStyle style, int width,
                                                                     int height, int64_t frame_count, core::Rational fps)
{
    if (width <= 0 || height <= 0 || width % 2 || height % 2 || width > 16384 || height > 16384)
        return core::make_error(core::ErrorCategory::Internal, "scene size must be even and positive",
                                std::to_string(width) + "x" + std::to_string(height));
    if (frame_count <= 0 || fps.num <= 0 || fps.den <= 0)
        return core::make_error(core::ErrorCategory::Internal, "scene needs at least one frame and a positive rate",
                                std::to_string(frame_count) + " frames at " + fps.to_string());
    auto impl = std::make_unique<Impl>();
    impl->spec = spec;
    impl->style = style;
    impl->W = width;
    impl->H = height;
    impl->n = frame_count;
    impl->fps = fps;
    impl->build();
    if (!impl->error.empty())
        return core::make_error(core::ErrorCategory::Internal, "could not draw the scene", impl->error);
    impl->pool = core::FramePool::create(width, height);
    return std::unique_ptr<SceneGenerator>(new SceneGenerator(std::move(impl)));
}

core::Result<Frame> SceneGenerator::frame(int64_t i)
{
    Impl& m = *m_impl;
    if (i < 0 || i >= m.n)
        return core::make_error(core::ErrorCategory::Internal, "scene frame index out of range",
                                std::to_string(i) + " of " + std::to_string(m.n));
    Frame out = m.pool->acquire();
    const double u = m.n > 1 ? double(i) / double(m.n - 1) : 0.0;
    const double t = double(i) * double(m.fps.den) / double(m.fps.num);
    m.compose(out, u);
    m.draw_particles(out, t, m.camera(u));
    out.index = i;
    return out;
}

}  // namespace sw::scene
