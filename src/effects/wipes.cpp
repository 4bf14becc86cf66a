// Before any #include: functions compiled with different optimisation settings cannot be
// inlined into one another, so every function in this file, headers included, gets them.
// g++ -O2 vectorises only loops whose trip count is a known multiple of the vector width
// ("very cheap" cost model); the per-row loops here have arbitrary widths. None of these
// changes a floating-point result: nothing is reordered (no -ffast-math); no-math-errno only
// drops sqrt's errno write, no-trapping-math only lets compares become branch-free selects.
#pragma GCC optimize("-fvect-cost-model=dynamic", "-fno-math-errno", "-fno-trapping-math")

// Wipes and crops: a hard edge moves across the frame; each pixel is A, B or black, never a
// blend, so rows are assembled from memcpy'd runs.

#include "effects/xfade_math.h"

namespace sw::effects {
using namespace detail;

namespace {

// Row = A on luma columns [X0, X1), B elsewhere (or the other way round).
void split_row(RowRef r, int X0, int X1, bool inside_is_a)
{
    const uint8_t* in = inside_is_a ? r.a : r.b;
    const uint8_t* out = inside_is_a ? r.b : r.a;
    copy_columns(r, out, 0, X0);
    copy_columns(r, in, X0, X1);
    copy_columns(r, out, X1, 1 << 30);
}

// xfade's edges are "x > z" with z truncated from a float; a row is then A on [0, z] and B
// after it (or the reverse), in luma columns.
void render_wipeleft(const Job& j)
{
    const int z = (int)(j.W() * j.progress);
    for_each_row(j, [&](RowRef r) { split_row(r, 0, z + 1, true); });
}

void render_wiperight(const Job& j)
{
    const int z = (int)(j.W() * (1.f - j.progress));
    for_each_row(j, [&](RowRef r) { split_row(r, 0, z + 1, false); });
}

void render_wipeup(const Job& j)
{
    const int z = (int)(j.H() * j.progress);
    for_each_row(j, [&](RowRef r) { std::memcpy(r.out, r.Y > z ? r.b : r.a, (size_t)r.n); });
}

void render_wipedown(const Job& j)
{
    const int z = (int)(j.H() * (1.f - j.progress));
    for_each_row(j, [&](RowRef r) { std::memcpy(r.out, r.Y > z ? r.a : r.b, (size_t)r.n); });
}

// Corner wipes: A keeps a rectangle anchored at one corner that shrinks with progress.
// left/top: whether A's rectangle is against the left/top edge.
void corner_wipe(const Job& j, bool left, bool top)
{
    const float p = j.progress;
    const int zw = (int)(j.W() * (left ? p : 1.f - p));
    const int zh = (int)(j.H() * (top ? p : 1.f - p));
    for_each_row(j, [&](RowRef r) {
        const bool row_in = top ? r.Y <= zh : r.Y > zh;
        if (!row_in)
            std::memcpy(r.out, r.b, (size_t)r.n);
        else if (left)
            split_row(r, 0, zw + 1, true);
        else
            split_row(r, zw + 1, 1 << 30, true);
    });
}

void render_wipetl(const Job& j) { corner_wipe(j, true, true); }
void render_wipetr(const Job& j) { corner_wipe(j, false, true); }
void render_wipebl(const Job& j) { corner_wipe(j, true, false); }
void render_wipebr(const Job& j) { corner_wipe(j, false, false); }

void fill_row(RowRef r, uint8_t v, int X0, int X1)
{
    const int lo = std::clamp((X0 + r.xs - 1) / r.xs, 0, r.n);
    const int hi = std::clamp((X1 + r.xs - 1) / r.xs, 0, r.n);
    if (hi > lo)
        std::memset(r.out + lo, v, (size_t)(hi - lo));
}

// circlecrop: A is seen through a circle shrinking to nothing at the midpoint, then B through
// one growing back; black outside. Per row, the inside is one symmetric run of columns.
void render_circlecrop(const Job& j)
{
    const float p = j.progress;
    const int W = j.W(), H = j.H();
    const float z = std::pow(2.f * std::fabs(p - 0.5f), 3.f) * hypot_f(W / 2, H / 2);
    const bool show_b = p < 0.5f;
    // Inside test per luma column for this row, then emitted as runs: the distance grows
    // monotonically away from the centre column, so a linear scan finds the run.
    for_each_row(j, [&](RowRef r) {
        const float dy = (float)(r.Y - H / 2);
        int X0 = W, X1 = 0;
        for (int X = 0; X < W; X += r.xs) {
            if (!(z < hypot_f((float)(X - W / 2), dy))) {
                X0 = std::min(X0, X);
                X1 = X + 1;
            }
        }
        const uint8_t bg = kXfadeBlack[r.plane];
        if (X1 <= X0) {
            fill_row(r, bg, 0, W);
            return;
        }
        fill_row(r, bg, 0, X0);
        copy_columns(r, show_b ? r.b : r.a, X0, X1);
        fill_row(r, bg, X1, W);
    });
}

// rectcrop: the same with a rectangle.
void render_rectcrop(const Job& j)
{
    const float p = j.progress;
    const int W = j.W(), H = j.H();
    const int zh = (int)(std::fabs(p - 0.5f) * H);
    const int zw = (int)(std::fabs(p - 0.5f) * W);
    const bool show_b = p < 0.5f;
    for_each_row(j, [&](RowRef r) {
        const uint8_t bg = kXfadeBlack[r.plane];
        if (!(std::abs(r.Y - H / 2) < zh) || zw <= 0) {
            fill_row(r, bg, 0, W);
            return;
        }
        // |X - W/2| < zw  ⇔  X in [W/2 - zw + 1, W/2 + zw)
        const int X0 = W / 2 - zw + 1, X1 = W / 2 + zw;
        fill_row(r, bg, 0, X0);
        copy_columns(r, show_b ? r.b : r.a, X0, X1);
        fill_row(r, bg, X1, W);
    });
}

}  // namespace

SW_DEFINE_TRANSITION(wipeleft, "B is wiped in from the right edge towards the left")
SW_DEFINE_TRANSITION(wiperight, "B is wiped in from the left edge towards the right")
SW_DEFINE_TRANSITION(wipeup, "B is wiped in from the bottom edge upwards")
SW_DEFINE_TRANSITION(wipedown, "B is wiped in from the top edge downwards")
SW_DEFINE_TRANSITION(wipetl, "A shrinks into the top-left corner, revealing B")
SW_DEFINE_TRANSITION(wipetr, "A shrinks into the top-right corner, revealing B")
SW_DEFINE_TRANSITION(wipebl, "A shrinks into the bottom-left corner, revealing B")
SW_DEFINE_TRANSITION(wipebr, "A shrinks into the bottom-right corner, revealing B")
SW_DEFINE_TRANSITION(circlecrop, "A closes to a circle on black, B opens from one")
SW_DEFINE_TRANSITION(rectcrop, "A closes to a rectangle on black, B opens from one")

}  // namespace sw::effects
