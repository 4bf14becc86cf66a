#pragma once
// Private to src/effects: the arithmetic xfade's transitions share, and the plumbing that
// walks the rows a render() call owns. Every transition file builds on this.
//
// Bit-exactness with FFmpeg 5.1 matters more than elegance here: xfade does its arithmetic in
// float (never double, except where a double constant sneaks in) and stores results into
// 8-bit samples by C conversion, i.e. truncation toward zero. The helpers below keep the
// same operations in the same order so that g++ produces the same IEEE results.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "effects/transition.h"

namespace sw::effects::detail {

// a*m + b*(1-m): xfade's blend, operands in this order (float rounding depends on it).
inline float mix(float a, float b, float m)
{
    return a * m + b * (1.f - m);
}

inline float fract(float a)
{
    return a - std::floor(a);
}

// Clamp as av_clipf does it (NaN passes through untouched).
// Written as selects (not early returns) so loops using it stay branch-free and vectorise.
inline float clipf(float a, float lo, float hi)
{
    a = a < lo ? lo : a;
    return a > hi ? hi : a;
}

inline float smoothstep(float e0, float e1, float x)
{
    const float t = clipf((x - e0) / (e1 - e0), 0.f, 1.f);
    return t * t * (3.f - 2.f * t);
}

// Float → 8-bit sample as C assignment does it: truncation. Every value xfade stores lies in
// [0, 255], so going through int is exact and lets g++ vectorise the conversion.
inline uint8_t to_u8(float v)
{
    return (uint8_t)(int)v;
}

// Everything one render() call needs, with the luma geometry xfade uses for every plane.
struct Job {
    const core::Frame& a;
    const core::Frame& b;
    core::Frame& out;
    float progress;
    int y0, y1;  // luma rows
    int W() const { return out.width(); }
    int H() const { return out.height(); }
};

// One output row of one plane. `Y` is the luma row this row stands for (2*cy for chroma),
// `xs` the luma columns per sample (1 luma, 2 chroma): sample i stands for luma column i*xs.
struct RowRef {
    int plane;
    int y;      // row within the plane
    int Y;      // luma-coordinate row
    int n;      // samples in the row
    int xs;     // 1 or 2
    const uint8_t* a;
    const uint8_t* b;
    uint8_t* out;
};

// Calls fn(const RowRef&) for every row of every plane that [y0, y1) covers.
template <class Fn>
inline void for_each_row(const Job& j, Fn&& fn)
{
    for (int p = 0; p < 3; ++p) {
        const int sub = p == 0 ? 0 : 1;
        const int r0 = j.y0 >> sub, r1 = j.y1 >> sub;
        const int n = j.out.plane_width(p);
        for (int y = r0; y < r1; ++y)
            fn(RowRef{p, y, y << sub, n, 1 << sub, j.a.row(p, y), j.b.row(p, y), j.out.row(p, y)});
    }
}

// A transition defined by a render function; the common case for xfade's catalogue.
using RenderFn = void (*)(const Job&);

class FnTransition final : public Transition {
public:
    constexpr FnTransition(std::string_view name, std::string_view description, RenderFn fn)
        : m_name(name)
        , m_description(description)
        , m_fn(fn)
    {
    }
    std::string_view name() const override { return m_name; }
    std::string_view description() const override { return m_description; }
    void render(const core::Frame& a, const core::Frame& b, core::Frame& out, float progress, int y0,
                int y1) const override
    {
        m_fn(Job{a, b, out, progress, y0, y1});
    }

private:
    std::string_view m_name;
    std::string_view m_description;
    RenderFn m_fn;
};

// Defines transition_<n>() (declared through builtin_list.h) for a render_<n> function in the
// same file: one line per transition in the family files.
#define SW_DEFINE_TRANSITION(n, desc)                       \
    const Transition& transition_##n()                      \
    {                                                       \
        static const FnTransition t{#n, desc, render_##n};  \
        return t;                                           \
    }

// hypotf as glibc 2.36 computes it for float arguments: exactly in double, one rounding to
// float. Inline and vectorisable, unlike the libm call; a unit test checks it against ::hypotf.
inline float hypot_f(float x, float y)
{
    return (float)std::sqrt((double)x * (double)x + (double)y * (double)y);
}

// A per-column value computed once per call: luma[X] for every luma column X, and chroma[i] =
// luma[2i] (chroma sample i stands for luma column 2i), so both planes' loops run at stride 1.
template <class T>
struct Columns {
    std::vector<T> luma, chroma;
    const T* for_plane(int p) const { return p == 0 ? luma.data() : chroma.data(); }
};

template <class F>
inline auto make_columns(int W, F f)
{
    using T = decltype(f(0));
    Columns<T> c;
    c.luma.resize((size_t)W);
    for (int x = 0; x < W; ++x)
        c.luma[(size_t)x] = f(x);
    c.chroma.resize((size_t)W / 2);
    for (int i = 0; i < W / 2; ++i)
        c.chroma[(size_t)i] = c.luma[(size_t)(2 * i)];
    return c;
}

// Row kernels. They take plain restrict pointers and scalars by value: with the pointers
// inside a struct or the scalars captured by reference, g++ must assume the 8-bit stores may
// overwrite them and gives up vectorising.

// out = mix(a, b, m) with one m for the row.
inline void mix_row(const uint8_t* __restrict a, const uint8_t* __restrict b, uint8_t* __restrict out, int n,
                    float m)
{
    for (int i = 0; i < n; ++i)
        out[i] = to_u8(mix(a[i], b[i], m));
}

// out = mix(b, a, s[i]) = b*s + a*(1-s): the form most xfade shapes use.
inline void mix_row_ba(const uint8_t* __restrict a, const uint8_t* __restrict b, uint8_t* __restrict out,
                       int n, const float* __restrict s)
{
    for (int i = 0; i < n; ++i)
        out[i] = to_u8(mix(b[i], a[i], s[i]));
}

inline void blend_row_ba(RowRef r, const float* s)
{
    mix_row_ba(r.a, r.b, r.out, r.n, s);
}

// out = a where take_a[i], else b.
inline void select_row(RowRef r, const uint8_t* __restrict take_a)
{
    const uint8_t* __restrict a = r.a;
    const uint8_t* __restrict b = r.b;
    uint8_t* __restrict out = r.out;
    const int n = r.n;
    for (int i = 0; i < n; ++i) {
        const uint8_t va = a[i], vb = b[i];
        out[i] = take_a[i] ? va : vb;
    }
}

// Copies luma columns [X0, X1) of the row from `src` (a or b of the same row), converted to
// the samples of this plane: sample i covers luma column i*xs.
inline void copy_columns(RowRef r, const uint8_t* src, int X0, int X1)
{
    const int lo = std::clamp((X0 + r.xs - 1) / r.xs, 0, r.n);
    const int hi = std::clamp((X1 + r.xs - 1) / r.xs, 0, r.n);
    if (hi > lo)
        std::memcpy(r.out + lo, src + lo, (size_t)(hi - lo));
}

// out = mix(b, a, s) with one s for the whole row.
inline void blend_row_ba_const(RowRef r, float s)
{
    for (int i = 0; i < r.n; ++i)
        r.out[i] = to_u8(mix(r.b[i], r.a[i], s));
}

}  // namespace sw::effects::detail
