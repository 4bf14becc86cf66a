#pragma once
// What every builder of a scene reads (internal to src/scene): the spec as drawn, the frame's
// geometry, the camera's reach and the palette. Fixed by make_stage before anything is drawn,
// so the builders depend on each other only through what they return.

#include <memory>

#include "core/error.h"
#include "scene/layer.h"
#include "scene/palette.h"
#include "scene/scene.h"

namespace sw::scene::detail {

struct Cam {
    double dx = 0, dy = 0, zoom = 1;  // at parallax 1, world pixels
};

struct View {
    double x0, y0, s;  // window top-left in world coordinates; frame pixels per world pixel
};

struct Stage {
    SceneSpec spec;  // as drawn: a card (or a spec without scene words) keeps only what floats
    SceneStyle style = SceneStyle::Landscape;
    int W = 0, H = 0;
    double unit = 1;     // min(W, H) / 1080
    double hy = 0;       // horizon
    double focus_y = 0;  // where the camera's zoom is centred vertically
    Cam cam_max;         // the largest camera offsets over the shot (for layer margins)
    Palette pal;

    // The camera at u in [0, 1] (start to end of the shot).
    Cam camera(double u) const;
    // Where layer L's window lies for camera c at u.
    View view(const Layer& L, const Cam& c, double u) const
    {
        const double s = 1 + (c.zoom - 1) * L.parallax;
        const double fx = W / 2.0, fy = focus_y;
        return {fx - fx / s + c.dx * L.parallax + L.drift_x * u, fy - fy / s + c.dy * L.parallax, s};
    }
    int margin_x(double parallax, double drift = 0) const
    {
        return ((int)std::ceil(std::fabs(cam_max.dx) * parallax + std::fabs(drift)) + 8) & ~1;
    }
    int margin_y(double parallax) const { return ((int)std::ceil(std::fabs(cam_max.dy) * parallax) + 8) & ~1; }
    // A canvas the frame's size plus the margins a layer at this parallax (and drift) needs.
    core::Result<std::unique_ptr<Canvas>> canvas(double parallax, double drift = 0) const;
};

// The stage for a spec drawn in a style at a size.
Stage make_stage(const SceneSpec& spec, SceneStyle style, int W, int H);

}  // namespace sw::scene::detail
