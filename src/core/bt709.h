#pragma once
// ITU-R BT.709, the colour space of every frame we make: its luma weights and the scales of its
// colour differences, written once. (G from Y, Cb, Cr uses the rounded 0.1873/0.4681 the
// standard's tables give.) The float forms are the same numbers rounded once to float
// (tests/unit/core checks they equal the float literals, so float code keeps its exact pixels).

namespace sw::core::bt709 {

inline constexpr double kr = 0.2126, kg = 0.7152, kb = 0.0722;
inline constexpr double cb_scale = 1.8556;  // 2 (1 − Kb): Cb = (B − Y) / cb_scale
inline constexpr double cr_scale = 1.5748;  // 2 (1 − Kr): Cr = (R − Y) / cr_scale
inline constexpr double g_from_cb = 0.1873, g_from_cr = 0.4681;  // G = Y − g_from_cb·Cb − g_from_cr·Cr

inline constexpr float kr_f = float(kr), kg_f = float(kg), kb_f = float(kb);
inline constexpr float cb_scale_f = float(cb_scale), cr_scale_f = float(cr_scale);

// Y′ of gamma-encoded R′G′B′ in 0..1 (or any common scale).
inline constexpr double luma(double r, double g, double b) { return kr * r + kg * g + kb * b; }
inline constexpr float luma(float r, float g, float b) { return kr_f * r + kg_f * g + kb_f * b; }

}  // namespace sw::core::bt709
