// Before any #include: functions compiled with different optimisation settings cannot be
// inlined into one another, so every function in this file, headers included, gets them.
// g++ -O2 vectorises only loops whose trip count is a known multiple of the vector width
// ("very cheap" cost model); the per-row loops here have arbitrary widths. None of these
// changes a floating-point result: nothing is reordered (no -ffast-math); no-math-errno only
// drops sqrt's errno write, no-trapping-math only lets compares become branch-free selects.
#pragma GCC optimize("-fvect-cost-model=dynamic", "-fno-math-errno", "-fno-trapping-math")

// Fades: transitions that blend A and B sample by sample, with no geometry — fade, the fades
// through black/white/grey, the contrast-weighted fades, distance, and the horizontal blur.

#include <array>

#include "effects/xfade_math.h"

namespace sw::effects {
using namespace detail;

namespace {

// xfade's fade-through-a-colour uses one "phase": A reaches the colour over the first 20 % of
// the transition, B leaves it over the last 80 %.
constexpr float kPhase = 0.2f;

void render_fade(const Job& j)
{
    const float p = j.progress;
    for_each_row(j, [&](RowRef r) { mix_row(r.a, r.b, r.out, r.n, p); });
}

// mix(mix(a, bg, s_out), mix(bg, b, s_in), p) for one row: xfade's fade through a colour.
void through_row(const uint8_t* __restrict a, const uint8_t* __restrict b, uint8_t* __restrict out, int n,
                 float bg, float s_out, float s_in, float p)
{
    for (int i = 0; i < n; ++i)
        out[i] = to_u8(mix(mix(a[i], bg, s_out), mix(bg, b[i], s_in), p));
}

// The luma of fadegrays: the "colour" is each picture's own value.
void through_self_row(const uint8_t* __restrict a, const uint8_t* __restrict b, uint8_t* __restrict out, int n,
                      float s_out, float s_in, float p)
{
    for (int i = 0; i < n; ++i) {
        const float fa = a[i], fb = b[i];
        out[i] = to_u8(mix(mix(fa, fa, s_out), mix(fb, fb, s_in), p));
    }
}

// A → colour → B; the colour per plane comes from xfade's black/white tables.
void fade_through(const Job& j, const uint8_t (&colour)[3])
{
    const float p = j.progress;
    const float s_out = smoothstep(1.f - kPhase, 1.f, p);
    const float s_in = smoothstep(kPhase, 1.f, p);
    for_each_row(j, [&](RowRef r) { through_row(r.a, r.b, r.out, r.n, colour[r.plane], s_out, s_in, p); });
}

void render_fadeblack(const Job& j) { fade_through(j, kXfadeBlack); }
void render_fadewhite(const Job& j) { fade_through(j, kXfadeWhite); }

// Through each picture's own greyscale: luma keeps its value, chroma goes to neutral 128
// (xfade's "mid" = (max + 1) / 2). xfade still runs luma through the same mixes, which in
// float is not always a no-op, so we do too.
void render_fadegrays(const Job& j)
{
    const float p = j.progress;
    const float s_out = smoothstep(1.f - kPhase, 1.f, p);
    const float s_in = smoothstep(kPhase, 1.f, p);
    for_each_row(j, [&](RowRef r) {
        if (r.plane == 0)
            through_self_row(r.a, r.b, r.out, r.n, s_out, s_in, p);
        else
            through_row(r.a, r.b, r.out, r.n, 128.f, s_out, s_in, p);
    });
}

// fadefast/fadeslow weight each sample's blend by how different A and B are there. The weight
// depends only on |a - b| (0..255) for a given progress, so one 256-entry table per call
// replaces a powf+logf per sample with a lookup — same floats, a fraction of the cost.
template <bool Fast>
void render_contrast_fade(const Job& j)
{
    const float p = j.progress;
    const float imax = 1.f / 255;
    std::array<float, 256> w;
    for (int d = 0; d < 256; ++d)
        w[(size_t)d] = Fast ? std::pow(p, 1.f + std::log(1.f + d * imax))
                            : std::pow(p, 1.f + std::log(2.f - d * imax));
    for_each_row(j, [&](RowRef r) {
        for (int i = 0; i < r.n; ++i) {
            const int a = r.a[i], b = r.b[i];
            r.out[i] = to_u8(mix(a, b, w[(size_t)std::abs(a - b)]));
        }
    });
}

// distance: a pixel switches to B once its YUV distance between A and B drops below the
// progress-driven threshold; needs all three planes of the same (4:4:4-equivalent) pixel.
void render_distance(const Job& j)
{
    const float p = j.progress;
    // v / 255.f for every 8-bit v: the same floats xfade divides out per sample, looked up.
    static const std::array<float, 256> unit = [] {
        std::array<float, 256> t;
        const float max = 255.f;
        for (int v = 0; v < 256; ++v)
            t[(size_t)v] = v / max;
        return t;
    }();
    auto sq = [&](int a, int b) {
        const float d = unit[(size_t)a] - unit[(size_t)b];
        return d * d;
    };
    auto pick = [&](float dist) { return std::sqrt(dist) <= p ? 1.f : 0.f; };
    auto out = [&](int a, int b, float sel) { return to_u8(mix(mix(a, b, sel), b, p)); };

    const core::Frame &A = j.a, &B = j.b;
    for (int y = j.y0; y < j.y1; ++y) {
        const uint8_t *ay = A.row(0, y), *by = B.row(0, y);
        const uint8_t *au = A.row(1, y >> 1), *bu = B.row(1, y >> 1);
        const uint8_t *av = A.row(2, y >> 1), *bv = B.row(2, y >> 1);
        uint8_t* o = j.out.row(0, y);
        for (int x = 0; x < j.W(); ++x) {
            const int c = x >> 1;
            float dist = 0.f;
            dist += sq(ay[x], by[x]);
            dist += sq(au[c], bu[c]);
            dist += sq(av[c], bv[c]);
            o[x] = out(ay[x], by[x], pick(dist));
        }
    }
    for (int cy = j.y0 / 2; cy < j.y1 / 2; ++cy) {
        const uint8_t *ay = A.row(0, 2 * cy), *by = B.row(0, 2 * cy);
        const uint8_t *au = A.row(1, cy), *bu = B.row(1, cy);
        const uint8_t *av = A.row(2, cy), *bv = B.row(2, cy);
        uint8_t *ou = j.out.row(1, cy), *ov = j.out.row(2, cy);
        for (int c = 0; c < j.W() / 2; ++c) {
            const int x = 2 * c;
            float dist = 0.f;
            dist += sq(ay[x], by[x]);
            dist += sq(au[c], bu[c]);
            dist += sq(av[c], bv[c]);
            const float sel = pick(dist);
            ou[c] = out(au[c], bu[c], sel);
            ov[c] = out(av[c], bv[c], sel);
        }
    }
}

// hblur: both pictures are box-blurred horizontally (window growing to half the width at the
// midpoint) while fading. xfade keeps running float sums of 8-bit samples; those stay exact
// integers (at most 255 · width < 2^24), so integer window sums from a prefix table give the
// very same floats without the serial dependency. The window at column x is [x, x + size)
// clipped to the row, and its count shrinks near the right edge exactly as xfade's does.
// Chroma is summed over the row as xfade sees it in 4:4:4 (each sample twice), at even columns.
void hblur_row(const int32_t* __restrict P0, const int32_t* __restrict P1, uint8_t* __restrict out, int n,
               int xs, int W, int size, float p)
{
    for (int i = 0; i < n; ++i) {
        const int x = i * xs;
        const int end = std::min(x + size, W);
        const float cnt = (float)(end - x);
        const float s0 = (float)(P0[end] - P0[x]), s1 = (float)(P1[end] - P1[x]);
        out[i] = to_u8(mix(s0 / cnt, s1 / cnt, p));
    }
}

void render_hblur(const Job& j)
{
    const float p = j.progress;
    const int W = j.W();
    const float prog = p <= 0.5f ? p * 2.f : (1.f - p) * 2.f;
    const int size = (int)(1 + (W / 2) * prog);
    std::vector<int32_t> P0((size_t)W + 1), P1((size_t)W + 1);

    for_each_row(j, [&](RowRef r) {
        P0[0] = P1[0] = 0;
        for (int x = 0; x < W; ++x) {
            const int c = x / r.xs;
            P0[(size_t)x + 1] = P0[(size_t)x] + r.a[c];
            P1[(size_t)x + 1] = P1[(size_t)x] + r.b[c];
        }
        hblur_row(P0.data(), P1.data(), r.out, r.n, r.xs, W, size, p);
    });
}

}  // namespace

const Transition& transition_fade()
{
    static const FnTransition t{"fade", "Cross-fade: A dissolves evenly into B", render_fade};
    return t;
}

const Transition& transition_fadeblack()
{
    static const FnTransition t{"fadeblack", "Fade A to black, then black to B", render_fadeblack};
    return t;
}

const Transition& transition_fadewhite()
{
    static const FnTransition t{"fadewhite", "Fade A to white, then white to B", render_fadewhite};
    return t;
}

const Transition& transition_fadegrays()
{
    static const FnTransition t{"fadegrays", "Fade A to greyscale, then greyscale into B", render_fadegrays};
    return t;
}

const Transition& transition_fadefast()
{
    static const FnTransition t{"fadefast", "Cross-fade where high-contrast areas change first",
                                render_contrast_fade<true>};
    return t;
}

const Transition& transition_fadeslow()
{
    static const FnTransition t{"fadeslow", "Cross-fade where high-contrast areas change last",
                                render_contrast_fade<false>};
    return t;
}

const Transition& transition_distance()
{
    static const FnTransition t{"distance", "Pixels switch to B in order of how alike A and B are there",
                                render_distance};
    return t;
}

const Transition& transition_hblur()
{
    static const FnTransition t{"hblur", "Cross-fade through a horizontal blur", render_hblur};
    return t;
}

}  // namespace sw::effects
