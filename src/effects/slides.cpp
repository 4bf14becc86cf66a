// Before any #include: functions compiled with different optimisation settings cannot be
// inlined into one another, so every function in this file, headers included, gets them.
// g++ -O2 vectorises only loops whose trip count is a known multiple of the vector width
// ("very cheap" cost model); the per-row loops here have arbitrary widths. None of these
// changes a floating-point result: nothing is reordered (no -ffast-math); no-math-errno only
// drops sqrt's errno write, no-trapping-math only lets compares become branch-free selects.
#pragma GCC optimize("-fvect-cost-model=dynamic", "-fno-math-errno", "-fno-trapping-math")

// Moves: transitions that fetch samples from somewhere else in A or B — slides, squeezes,
// zoom and pixelize. Where a sample comes from is separable (column map × row map), so the
// maps are computed once per call and the inner loops are plain gathers.
//
// Chroma: xfade computes the source position in luma coordinates (it runs in 4:4:4); the
// chroma sample standing for luma column X reads chroma column srcX >> 1 (see transition.h).

#include "effects/xfade_math.h"

namespace sw::effects {
using namespace detail;

namespace {

// Source position wrapped into [0, n). xfade writes this as zx % n + n * (zx < 0), which
// yields n itself (one past the row or plane) when zx = -n, i.e. at progress exactly 1;
// it then reads memory outside the picture. We wrap that case to 0, so progress 1 shows A.
int wrap(int v, int n)
{
    const int m = v % n;
    return m < 0 ? m + n : m;
}

// Horizontal slide: z is the shift in luma columns. xfade wraps the source column into
// [0, W) and takes B where the shifted column lands inside the frame, A where it wrapped.
void slide_h(const Job& j, int z)
{
    const int W = j.W();
    struct Src {
        int col;
        bool from_b;
    };
    auto cols = make_columns(W, [&](int X) {
        const int zx = z + X;
        return Src{wrap(zx, W), zx >= 0 && zx < W};
    });
    for_each_row(j, [&](RowRef r) {
        const Src* c = cols.for_plane(r.plane);
        const int shift = r.xs == 2 ? 1 : 0;
        for (int i = 0; i < r.n; ++i) {
            const int s = c[i].col >> shift;
            r.out[i] = c[i].from_b ? r.b[s] : r.a[s];
        }
    });
}

void slide_v(const Job& j, int z)
{
    const int H = j.H();
    for_each_row(j, [&](RowRef r) {
        const int zy = z + r.Y;
        const int zz = wrap(zy, H);
        const core::Frame& src = zy >= 0 && zy < H ? j.b : j.a;
        std::memcpy(r.out, src.row(r.plane, r.xs == 2 ? zz >> 1 : zz), (size_t)r.n);
    });
}

void render_slideleft(const Job& j) { slide_h(j, (int)(-j.progress * j.W())); }
void render_slideright(const Job& j) { slide_h(j, (int)(j.progress * j.W())); }
void render_slideup(const Job& j) { slide_v(j, (int)(-j.progress * j.H())); }
void render_slidedown(const Job& j) { slide_v(j, (int)(j.progress * j.H())); }

// xfade rounds squeeze positions with lrintf into an int. At progress 0 it divides by zero,
// and the exact centre line gets 0/0 = NaN, which no range test rejects; lrintf(NaN) is
// LONG_MIN on x86-64 (0 on AArch64), whose low 32 bits are 0. So that line shows A's first
// row/column. We make that explicit rather than relying on undefined conversions.
int squeeze_index(float z, float extent)
{
    if (std::isnan(z))
        return 0;
    return (int)std::lrint(z * (extent - 1.f));
}

// squeezeh: A is squashed vertically towards the centre line, B shows above and below.
void render_squeezeh(const Job& j)
{
    const float p = j.progress;
    const float h = (float)j.H();
    for_each_row(j, [&](RowRef r) {
        const float z = .5f + (r.Y / h - .5f) / p;
        if (z < 0.f || z > 1.f) {
            std::memcpy(r.out, r.b, (size_t)r.n);
            return;
        }
        const int yy = squeeze_index(z, h);
        std::memcpy(r.out, j.a.row(r.plane, r.xs == 2 ? yy >> 1 : yy), (size_t)r.n);
    });
}

// squeezev: the same, squashed horizontally towards the centre column.
void render_squeezev(const Job& j)
{
    const float p = j.progress;
    const float w = (float)j.W();
    auto cols = make_columns(j.W(), [&](int X) {
        const float z = .5f + (X / w - .5f) / p;
        if (z < 0.f || z > 1.f)
            return -1;  // B, same column
        return squeeze_index(z, w);
    });
    for_each_row(j, [&](RowRef r) {
        const int* c = cols.for_plane(r.plane);
        const int shift = r.xs == 2 ? 1 : 0;
        for (int i = 0; i < r.n; ++i)
            r.out[i] = c[i] < 0 ? r.b[i] : r.a[c[i] >> shift];
    });
}

// zoomin: A is magnified about the centre while B fades in over the first half.
void render_zoomin(const Job& j)
{
    const float p = j.progress;
    const float w = (float)j.W(), h = (float)j.H();
    const float zf = smoothstep(0.5f, 1.f, p);
    const float s = smoothstep(0.f, 0.5f, p);
    auto cols = make_columns(j.W(), [&](int X) {
        const float u = 0.5f + (X / w - 0.5f) * zf;
        return (int)std::ceil(u * (w - 1));
    });
    for_each_row(j, [&](RowRef r) {
        const float v = 0.5f + (r.Y / h - 0.5f) * zf;
        const int iv = (int)std::ceil(v * (h - 1));
        const int shift = r.xs == 2 ? 1 : 0;
        const uint8_t* src = j.a.row(r.plane, iv >> shift);
        const int* c = cols.for_plane(r.plane);
        for (int i = 0; i < r.n; ++i)
            r.out[i] = to_u8(mix(src[c[i] >> shift], r.b[i], s));
    });
}

// pixelize: both pictures are sampled on a coarsening grid (coarsest at the midpoint) while
// cross-fading.
void render_pixelize(const Job& j)
{
    const float p = j.progress;
    const int W = j.W(), H = j.H();
    const float d = std::fmin(p, 1.f - p);
    const float dist = std::ceil(d * 50.f) / 50.f;
    const float sq = 2.f * dist * std::min(W, H) / 20.f;
    auto grid = [&](int X, int limit) {
        if (!(dist > 0.f))
            return X;
        const float v = (std::floor(X / sq) + .5f) * sq;
        const float m = (float)(limit - 1);
        return (int)(v > m ? m : v);
    };
    auto cols = make_columns(W, [&](int X) { return grid(X, W); });
    for_each_row(j, [&](RowRef r) {
        const int sy = grid(r.Y, H);
        const int shift = r.xs == 2 ? 1 : 0;
        const uint8_t* a = j.a.row(r.plane, sy >> shift);
        const uint8_t* b = j.b.row(r.plane, sy >> shift);
        const int* c = cols.for_plane(r.plane);
        for (int i = 0; i < r.n; ++i) {
            const int s = c[i] >> shift;
            r.out[i] = to_u8(mix(a[s], b[s], p));
        }
    });
}

}  // namespace

SW_DEFINE_TRANSITION(slideleft, "A slides out to the left as B slides in from the right")
SW_DEFINE_TRANSITION(slideright, "A slides out to the right as B slides in from the left")
SW_DEFINE_TRANSITION(slideup, "A slides out upwards as B slides in from below")
SW_DEFINE_TRANSITION(slidedown, "A slides out downwards as B slides in from above")
SW_DEFINE_TRANSITION(squeezeh, "A is squeezed vertically into a line, revealing B")
SW_DEFINE_TRANSITION(squeezev, "A is squeezed horizontally into a line, revealing B")
SW_DEFINE_TRANSITION(zoomin, "B fades in, then A zooms in towards its centre and vanishes")
SW_DEFINE_TRANSITION(pixelize, "Cross-fade through growing then shrinking pixel blocks")

}  // namespace sw::effects
