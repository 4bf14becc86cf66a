#pragma once
// The landscape elements of a scene, each drawn into its own layer (internal to src/scene).
// Water mirrors what stands on the horizon before it, so those builders also return how to
// draw their shape mirrored; the caller passes what water should reflect (Reflections).

#include <cstdint>
#include <functional>
#include <vector>

#include "core/error.h"
#include "scene/sky.h"
#include "scene/stage.h"

namespace sw::scene::detail {

// Draws a shape mirrored about its base line (into a water layer's detail surface).
using MirrorFn = std::function<void(cairo_t*)>;

// A ridge's outline, for its reflection: y per world x (from -ox) and its colour.
struct RidgeOutline {
    std::vector<float> y;
    C3 colour;
    int ox = 0;
};

struct Ridge {
    Layer layer;
    RidgeOutline outline;
};

// A layer standing on a base line and, where water may lie in front of it, its mirror image.
struct Standing {
    Layer layer;
    MirrorFn mirrored;  // empty when nothing reflects it
};

// What a water layer reflects, drawn in this order: ridges far to near, the shore forest, the
// castle, the far city.
struct Reflections {
    std::vector<RidgeOutline> ridges;
    MirrorFn forest, castle, city;
};

// A mountain or hill range at parallax p: seeded fractal noise (ridged for mountains) `height`
// above `base_y`, coloured `col`, fading to haze by `haze`, snow-capped when `snowcap`; lit from
// the side the sky's sun or moon is on.
core::Result<Ridge> build_ridge_layer(const Stage& st, const SkyModel& sky, double p, uint64_t salt, double height,
                                      double freq, bool ridged, C3 col, double haze, bool snowcap, double base_y);
// A castle (ice or stone) on base_y; mirrored image always.
core::Result<Standing> build_castle(const Stage& st, double base_y, double p);
// A skyline on base_y, far (mirrored, with light streaks at night) or near (not mirrored).
core::Result<Standing> build_city(const Stage& st, bool near, double base_y, double p);
// Two rows of trees on line_y and the ground below; a far shore's trees are small and mirrored.
core::Result<Standing> build_forest(const Stage& st, double line_y, double p, bool far_shore);
// Open ground from top_y down.
core::Result<Layer> build_ground(const Stage& st, double top_y, double p);
// Water from the horizon down (or a winding river), reflecting the sky and `mirror`.
core::Result<Layer> build_water(const Stage& st, const SkyModel& sky, const Reflections& mirror, double p);
// Snow drifts, grass or sand across the bottom of the frame.
core::Result<Layer> build_foreground(const Stage& st, double p);
// Drifting fog banks about the horizon.
core::Result<Layer> build_fog(const Stage& st, double p);

}  // namespace sw::scene::detail
