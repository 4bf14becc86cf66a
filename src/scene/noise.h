#pragma once
// The scene generator's random numbers and noise (internal to src/scene). Everything is a pure
// function of a seed, so a frame never depends on what was drawn before it.

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace sw::scene::detail {

inline uint64_t mix64(uint64_t x)
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

inline double lattice(uint64_t seed, int64_t i)
{
    return double(mix64(seed ^ (uint64_t(i) * 0xd6e8feb86659fd93ull)) >> 11) * (2.0 / 9007199254740992.0) - 1.0;
}

inline double fade(double f) { return f * f * f * (f * (f * 6 - 15) + 10); }

// 1-D value noise in [-1, 1], smooth (C2) between lattice points.
inline double noise1(uint64_t seed, double x)
{
    const double fl = std::floor(x);
    const int64_t i = (int64_t)fl;
    const double t = fade(x - fl);
    const double a = lattice(seed, i), b = lattice(seed, i + 1);
    return a + (b - a) * t;
}

inline double fbm1(uint64_t seed, double x, int octaves, double gain = 0.5)
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
inline double ridged1(uint64_t seed, double x, int octaves)
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

inline double noise2(uint64_t seed, double x, double y)
{
    const double fx = std::floor(x), fy = std::floor(y);
    const int64_t ix = (int64_t)fx, iy = (int64_t)fy;
    const double tx = fade(x - fx), ty = fade(y - fy);
    auto h = [&](int64_t a, int64_t b) { return lattice(seed ^ (uint64_t(b) * 0x9e3779b97f4a7c15ull), a); };
    const double a = h(ix, iy) + (h(ix + 1, iy) - h(ix, iy)) * tx;
    const double b = h(ix, iy + 1) + (h(ix + 1, iy + 1) - h(ix, iy + 1)) * tx;
    return a + (b - a) * ty;
}

inline double smoothstep(double a, double b, double x)
{
    const double t = std::clamp((x - a) / (b - a), 0.0, 1.0);
    return t * t * (3 - 2 * t);
}

}  // namespace sw::scene::detail
