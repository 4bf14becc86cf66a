#pragma once
// Particles of a scene (internal to src/scene): small sprites drawn once, laid over each frame
// at positions that are pure functions of the time, so any frame can be drawn in any order.

#include <vector>

#include "core/error.h"
#include "core/frame.h"
#include "scene/sky.h"
#include "scene/stage.h"

namespace sw::scene::detail {

enum class Part { Snow, Rain, Petals, Lanterns, Bokeh, Fireworks, Twinkle, Glitter, Sparkle };

struct ParticleSet {
    Part kind;
    std::vector<Layer> sprites;
    int count = 0;
    double parallax = 0;  // for things fixed in the world (stars, glitter)
    double x0 = 0, x1 = 0, y0 = 0, y1 = 0;  // area (world)
    double cx = 0, spread = 0;              // glitter path
};

// The particle sets the spec asks for (glitter on water needs the sky's sun or moon).
core::Result<std::vector<ParticleSet>> build_particles(const Stage& st, const SkyModel& sky);

// Lays the particles over frame `out` at time t (seconds) for camera position cam.
void draw_particles(const Stage& st, const std::vector<ParticleSet>& particles, core::Frame& out, double t,
                    const Cam& cam);

}  // namespace sw::scene::detail
