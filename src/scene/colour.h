#pragma once
// Colours of the scene generator (internal to src/scene): RGB in [0, 1] as floats, mixed and
// shaded in floating point before the layers are dithered to 8 bits.

#include <cmath>

#include "core/bt709.h"

namespace sw::scene::detail {

struct C3 {
    float r = 0, g = 0, b = 0;
};
inline C3 operator+(C3 a, C3 b) { return {a.r + b.r, a.g + b.g, a.b + b.b}; }
inline C3 operator*(C3 a, double k) { return {float(a.r * k), float(a.g * k), float(a.b * k)}; }
inline C3 mix(C3 a, C3 b, double t) { return a + (C3{b.r - a.r, b.g - a.g, b.b - a.b} * t); }
inline C3 rgb(int r, int g, int b) { return {r / 255.f, g / 255.f, b / 255.f}; }
inline float luma(C3 c) { return core::bt709::luma(c.r, c.g, c.b); }
inline C3 saturate(C3 c, double s)
{
    const float l = luma(c);
    return mix(C3{l, l, l}, c, s);
}

inline C3 hsv(double h, double s, double v)
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

}  // namespace sw::scene::detail
