#pragma once
// The colours a scene is drawn in, by time of day and weather (internal to src/scene).

#include "scene/colour.h"
#include "scene/scene.h"

namespace sw::scene::detail {

struct Palette {
    C3 top, mid, hor;  // sky gradient
    double mid_at = 0.55;
    C3 haze;           // what distance fades to
    C3 mount_far, mount_near, hill, forest, ground, snow, water, sun, glow, window;
};

// The palette for a spec: its time of day, greyed by overcast or rain, tinted by season and fog.
Palette palette_for(const SceneSpec& s);

}  // namespace sw::scene::detail
