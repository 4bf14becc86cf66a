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
    for_each_row(j, [&](const RowRef& r) {
        for (int i = 0; i < r.n; ++i)
            r.out[i] = to_u8(mix(r.a[i], r.b[i], p));
    });
}

// A → colour → B; the colour per plane comes from xfade's black/white tables.
void fade_through(const Job& j, const uint8_t (&colour)[3])
{
    const float p = j.progress;
    const float s_out = smoothstep(1.f - kPhase, 1.f, p);
    const float s_in = smoothstep(kPhase, 1.f, p);
    for_each_row(j, [&](const RowRef& r) {
        const float bg = colour[r.plane];
        for (int i = 0; i < r.n; ++i)
            r.out[i] = to_u8(mix(mix(r.a[i], bg, s_out), mix(bg, r.b[i], s_in), p));
    });
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
    for_each_row(j, [&](const RowRef& r) {
        if (r.plane == 0) {
            for (int i = 0; i < r.n; ++i) {
                const float a = r.a[i], b = r.b[i];
                r.out[i] = to_u8(mix(mix(a, a, s_out), mix(b, b, s_in), p));
            }
        } else {
            const float mid = 128.f;
            for (int i = 0; i < r.n; ++i)
                r.out[i] = to_u8(mix(mix(r.a[i], mid, s_out), mix(mid, r.b[i], s_in), p));
        }
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
    for_each_row(j, [&](const RowRef& r) {
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
    const float max = 255.f;
    auto sq = [&](int a, int b) {
        const float d = a / max - b / max;
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
// midpoint) while fading. The running sums are a float recurrence; we repeat it step by step
// because reordering it would change the rounding. Chroma runs over the row as xfade sees it
// in 4:4:4 (each sample twice) and keeps the even columns.
void render_hblur(const Job& j)
{
    const float p = j.progress;
    const int W = j.W();
    const float prog = p <= 0.5f ? p * 2.f : (1.f - p) * 2.f;
    const int size = (int)(1 + (W / 2) * prog);
    std::vector<uint8_t> wide0((size_t)W), wide1((size_t)W);

    for_each_row(j, [&](const RowRef& r) {
        const uint8_t *s0 = r.a, *s1 = r.b;
        if (r.xs == 2) {
            for (int x = 0; x < W; ++x) {
                wide0[(size_t)x] = r.a[x >> 1];
                wide1[(size_t)x] = r.b[x >> 1];
            }
            s0 = wide0.data();
            s1 = wide1.data();
        }
        float sum0 = 0.f, sum1 = 0.f, cnt = (float)size;
        for (int x = 0; x < size; ++x) {
            sum0 += s0[x];
            sum1 += s1[x];
        }
        for (int x = 0; x < W; ++x) {
            if (x % r.xs == 0)
                r.out[x / r.xs] = to_u8(mix(sum0 / cnt, sum1 / cnt, p));
            if (x + size < W) {
                sum0 += s0[x + size] - s0[x];
                sum1 += s1[x + size] - s1[x];
            } else {
                sum0 -= s0[x];
                sum1 -= s1[x];
                cnt--;
            }
        }
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
