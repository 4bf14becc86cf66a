// Before any #include: functions compiled with different optimisation settings cannot be
// inlined into one another, so every function in this file, headers included, gets them.
// g++ -O2 vectorises only loops whose trip count is a known multiple of the vector width
// ("very cheap" cost model); the per-row loops here have arbitrary widths. None of these
// changes a floating-point result: nothing is reordered (no -ffast-math); no-math-errno only
// drops sqrt's errno write, no-trapping-math only lets compares become branch-free selects.
#pragma GCC optimize("-fvect-cost-model=dynamic", "-fno-math-errno", "-fno-trapping-math")

// Soft-edged shapes: a smoothstep ramp, driven by position and progress, blends A and B —
// smooth wipes, opening/closing bars and circles, diagonals, the radial sweep, dissolve and
// the slice wipes. Column-only and row-only ramps are computed once per column/row.

#include <memory>
#include <mutex>

#include "effects/xfade_math.h"

namespace sw::effects {
using namespace detail;

namespace {

// ---- ramps that depend on the column only: s[X] once per call --------------------------

template <class F>
void column_ramp(const Job& j, F smooth)
{
    auto s = make_columns(j.W(), [&](int X) { return smoothstep(0.f, 1.f, smooth(X)); });
    for_each_row(j, [&](RowRef r) { blend_row_ba(r, s.for_plane(r.plane)); });
}

void render_smoothleft(const Job& j)
{
    const float w = (float)j.W(), p2 = j.progress * 2.f;
    column_ramp(j, [&](int X) { return 1.f + X / w - p2; });
}

void render_smoothright(const Job& j)
{
    const float w = (float)j.W(), p2 = j.progress * 2.f;
    column_ramp(j, [&](int X) { return 1.f + (w - 1 - X) / w - p2; });
}

void render_vertopen(const Job& j)
{
    const float w2 = (float)(j.W() / 2), p2 = j.progress * 2.f;
    column_ramp(j, [&](int X) { return 2.f - std::fabs((X - w2) / w2) - p2; });
}

void render_vertclose(const Job& j)
{
    const float w2 = (float)(j.W() / 2), p2 = j.progress * 2.f;
    column_ramp(j, [&](int X) { return 1.f + std::fabs((X - w2) / w2) - p2; });
}

// ---- ramps that depend on the row only ----------------------------------------------------

template <class F>
void row_ramp(const Job& j, F smooth)
{
    for_each_row(j, [&](RowRef r) {
        // mix(b, a, s): mix_row with the operands swapped.
        mix_row(r.b, r.a, r.out, r.n, smoothstep(0.f, 1.f, smooth(r.Y)));
    });
}

void render_smoothup(const Job& j)
{
    const float h = (float)j.H(), p2 = j.progress * 2.f;
    row_ramp(j, [&](int Y) { return 1.f + Y / h - p2; });
}

void render_smoothdown(const Job& j)
{
    const float h = (float)j.H(), p2 = j.progress * 2.f;
    row_ramp(j, [&](int Y) { return 1.f + (h - 1 - Y) / h - p2; });
}

void render_horzopen(const Job& j)
{
    const float h2 = (float)(j.H() / 2), p2 = j.progress * 2.f;
    row_ramp(j, [&](int Y) { return 2.f - std::fabs((Y - h2) / h2) - p2; });
}

void render_horzclose(const Job& j)
{
    const float h2 = (float)(j.H() / 2), p2 = j.progress * 2.f;
    row_ramp(j, [&](int Y) { return 1.f + std::fabs((Y - h2) / h2) - p2; });
}

// ---- ramps over both coordinates ----------------------------------------------------------

// Diagonals: xfade's ramp is 1 + (x/w)·(y/h) − 2p, with x and/or y mirrored; the product is
// evaluated left to right as xfade writes it: ((x / w) * y) / h.
void diag_weights(const float* __restrict cx, float* __restrict s, int n, float fy, float h, float p2)
{
    for (int i = 0; i < n; ++i)
        s[i] = smoothstep(0.f, 1.f, 1.f + cx[i] * fy / h - p2);
}

template <bool MirrorX, bool MirrorY>
void diag(const Job& j)
{
    const float w = (float)j.W(), h = (float)j.H(), p2 = j.progress * 2.f;
    auto cx = make_columns(j.W(), [&](int X) { return MirrorX ? (w - 1 - X) / w : X / w; });
    std::vector<float> s((size_t)j.W());
    for_each_row(j, [&](RowRef r) {
        const float fy = MirrorY ? h - 1 - r.Y : (float)r.Y;
        diag_weights(cx.for_plane(r.plane), s.data(), r.n, fy, h, p2);
        blend_row_ba(r, s.data());
    });
}

void render_diagtl(const Job& j) { diag<false, false>(j); }
void render_diagtr(const Job& j) { diag<true, false>(j); }
void render_diagbl(const Job& j) { diag<false, true>(j); }
void render_diagbr(const Job& j) { diag<true, true>(j); }

// circleopen/circleclose: B appears inside (or A remains inside) a soft circle around the
// centre, radius relative to the half-diagonal. The distance is hypot_f spelled out so the
// squares come from per-column/per-row tables: dx² + dy² in double is what hypot_f computes.
void circle_weights(const double* __restrict dx2, double dy2, float* __restrict t, int n, float z, float pp)
{
    for (int i = 0; i < n; ++i)
        t[i] = smoothstep(0.f, 1.f, (float)std::sqrt(dx2[i] + dy2) / z + pp);
}

template <bool Open>
void circle(const Job& j)
{
    const int W = j.W(), H = j.H();
    const float z = hypot_f(W / 2, H / 2);
    const float pp = Open ? (j.progress - 0.5f) * 3.f : (1.f - j.progress - 0.5f) * 3.f;
    auto dx2 = make_columns(W, [&](int X) {
        const double dx = (float)(X - W / 2);
        return dx * dx;
    });
    std::vector<float> t((size_t)W);
    for_each_row(j, [&](RowRef r) {
        const double dy = (float)(r.Y - H / 2);
        circle_weights(dx2.for_plane(r.plane), dy * dy, t.data(), r.n, z, pp);
        // circleopen blends mix(a, b, t), circleclose mix(b, a, t); 1 - t would not be exact.
        if (Open)
            mix_row_ba(r.b, r.a, r.out, r.n, t.data());
        else
            mix_row_ba(r.a, r.b, r.out, r.n, t.data());
    });
}

void render_circleopen(const Job& j) { circle<true>(j); }
void render_circleclose(const Job& j) { circle<false>(j); }

// Per-size tables that do not depend on progress (angles for radial, noise for dissolve):
// computing atan2f/sinf per pixel per frame would dominate a 1080x1920 render, so each is
// computed once per frame size and shared (read-only) by every call and thread.
class SizeCache {
public:
    using Table = std::vector<float>;
    template <class F>
    std::shared_ptr<const Table> get(int W, int H, F fill)
    {
        std::lock_guard lock(m_mutex);
        if (!m_table || m_w != W || m_h != H) {
            auto t = std::make_shared<Table>((size_t)W * H);
            for (int y = 0; y < H; ++y)
                for (int x = 0; x < W; ++x)
                    (*t)[(size_t)y * W + x] = fill(x, y);
            m_table = std::move(t);
            m_w = W;
            m_h = H;
        }
        return m_table;
    }

private:
    std::mutex m_mutex;
    std::shared_ptr<const Table> m_table;
    int m_w = 0, m_h = 0;
};

template <int Xs>
void radial_weights(const float* __restrict ang, float* __restrict s, int n, double shift)
{
    for (int i = 0; i < n; ++i)
        s[i] = smoothstep(0.f, 1.f, (float)(ang[i * Xs] - shift));
}

// radial: a clock-hand sweep around the centre. xfade's angle is atan2f(x - W/2, y - H/2)
// (x first); the progress term is computed in double because xfade multiplies by M_PI.
void render_radial(const Job& j)
{
    static SizeCache cache;
    const int W = j.W(), H = j.H();
    auto angles = cache.get(W, H, [&](int x, int y) {
        return std::atan2((float)(x - W / 2), (float)(y - H / 2));
    });
    const double shift = (double)(j.progress - 0.5f) * (M_PI * 2.5f);
    std::vector<float> s((size_t)W);
    for_each_row(j, [&](RowRef r) {
        const float* ang = angles->data() + (size_t)r.Y * W;
        if (r.xs == 1)
            radial_weights<1>(ang, s.data(), r.n, shift);
        else
            radial_weights<2>(ang, s.data(), r.n, shift);
        blend_row_ba(r, s.data());
    });
}

template <int Xs>
void dissolve_row(const float* __restrict nz, const uint8_t* __restrict a, const uint8_t* __restrict b,
                  uint8_t* __restrict out, int n, float p2)
{
    for (int i = 0; i < n; ++i)
    {
        const uint8_t va = a[i], vb = b[i];
        out[i] = nz[i * Xs] * 2.f + p2 - 1.5f >= 0.5f ? va : vb;
    }
}

// dissolve: per-pixel noise decides when each pixel flips from A to B. The noise is xfade's
// shader-style hash: fract(sin(x·12.9898 + y·78.233) · 43758.545).
void render_dissolve(const Job& j)
{
    static SizeCache cache;
    const int W = j.W(), H = j.H();
    auto noise = cache.get(W, H, [](int x, int y) {
        const float v = std::sin(x * 12.9898f + y * 78.233f) * 43758.545f;
        return v - std::floor(v);
    });
    const float p2 = j.progress * 2.f;
    for_each_row(j, [&](RowRef r) {
        const float* nz = noise->data() + (size_t)r.Y * W;
        if (r.xs == 1)
            dissolve_row<1>(nz, r.a, r.b, r.out, r.n, p2);
        else
            dissolve_row<2>(nz, r.a, r.b, r.out, r.n, p2);
    });
}

// Slices: the edge is a ramp over position whose teeth (fract of 10·position) make venetian
// blinds; every sample is wholly A or B. All four are separable into one coordinate.
bool slice_takes_a(float pos, float p)
{
    const float smooth = smoothstep(-0.5f, 0.f, pos - p * 1.5f);
    // xfade: ss = smooth <= fract(10·pos) ? 0 : 1, then mix(b, a, ss): ss = 0 → A.
    return smooth <= fract(10.f * pos);
}

void render_hlslice(const Job& j)
{
    const float w = (float)j.W(), p = j.progress;
    // 10·x/w is evaluated as (10·x)/w in xfade, not 10·(x/w).
    auto take = make_columns(j.W(), [&](int X) -> uint8_t {
        const float smooth = smoothstep(-0.5f, 0.f, X / w - p * 1.5f);
        return smooth <= fract(10.f * X / w);
    });
    for_each_row(j, [&](RowRef r) { select_row(r, take.for_plane(r.plane)); });
}

void render_hrslice(const Job& j)
{
    const float w = (float)j.W(), p = j.progress;
    auto take = make_columns(j.W(), [&](int X) -> uint8_t { return slice_takes_a((w - 1 - X) / w, p); });
    for_each_row(j, [&](RowRef r) { select_row(r, take.for_plane(r.plane)); });
}

void render_vuslice(const Job& j)
{
    const float h = (float)j.H(), p = j.progress;
    for_each_row(j, [&](RowRef r) {
        const float smooth = smoothstep(-0.5f, 0.f, r.Y / h - p * 1.5f);
        const bool a = smooth <= fract(10.f * r.Y / h);
        std::memcpy(r.out, a ? r.a : r.b, (size_t)r.n);
    });
}

void render_vdslice(const Job& j)
{
    const float h = (float)j.H(), p = j.progress;
    for_each_row(j, [&](RowRef r) {
        std::memcpy(r.out, slice_takes_a((h - 1 - r.Y) / h, p) ? r.a : r.b, (size_t)r.n);
    });
}

}  // namespace

SW_DEFINE_TRANSITION(smoothleft, "Soft-edged wipe: B sweeps in from the right")
SW_DEFINE_TRANSITION(smoothright, "Soft-edged wipe: B sweeps in from the left")
SW_DEFINE_TRANSITION(smoothup, "Soft-edged wipe: B sweeps in from the bottom")
SW_DEFINE_TRANSITION(smoothdown, "Soft-edged wipe: B sweeps in from the top")
SW_DEFINE_TRANSITION(circleopen, "B appears in a soft circle growing from the centre")
SW_DEFINE_TRANSITION(circleclose, "A shrinks into a soft circle at the centre, revealing B")
SW_DEFINE_TRANSITION(vertopen, "B appears in a vertical band opening from the centre")
SW_DEFINE_TRANSITION(vertclose, "A closes into a vertical band at the centre, revealing B")
SW_DEFINE_TRANSITION(horzopen, "B appears in a horizontal band opening from the centre")
SW_DEFINE_TRANSITION(horzclose, "A closes into a horizontal band at the centre, revealing B")
SW_DEFINE_TRANSITION(diagtl, "Soft diagonal wipe towards the top-left corner")
SW_DEFINE_TRANSITION(diagtr, "Soft diagonal wipe towards the top-right corner")
SW_DEFINE_TRANSITION(diagbl, "Soft diagonal wipe towards the bottom-left corner")
SW_DEFINE_TRANSITION(diagbr, "Soft diagonal wipe towards the bottom-right corner")
SW_DEFINE_TRANSITION(radial, "B is revealed by a sweeping clock hand")
SW_DEFINE_TRANSITION(dissolve, "Pixels flip from A to B in random order")
SW_DEFINE_TRANSITION(hlslice, "B slides in as vertical blinds from the right")
SW_DEFINE_TRANSITION(hrslice, "B slides in as vertical blinds from the left")
SW_DEFINE_TRANSITION(vuslice, "B slides in as horizontal blinds from the bottom")
SW_DEFINE_TRANSITION(vdslice, "B slides in as horizontal blinds from the top")

}  // namespace sw::effects
