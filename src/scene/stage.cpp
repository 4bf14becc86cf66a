// The stage: see stage.h.

#include "scene/stage.h"

#include <algorithm>
#include <cmath>

namespace sw::scene::detail {

namespace {
double ease(double u)
{
    u = std::clamp(u, 0.0, 1.0);
    return 0.6 * u + 0.4 * (0.5 - 0.5 * std::cos(M_PI * u));
}
}  // namespace

Cam Stage::camera(double u) const
{
    const double e = ease(u), k = spec.speed;
    Cam c;
    switch (spec.camera) {
    case CameraMotion::Drift:
        c.dx = 0.05 * W * (e - 0.5) * k;
        c.zoom = 1 + 0.035 * e * k;
        break;
    case CameraMotion::PushIn:
        c.dx = 0.012 * W * (e - 0.5) * k;
        c.zoom = 1 + 0.12 * e * k;
        break;
    case CameraMotion::PullOut:
        c.dx = -0.012 * W * (e - 0.5) * k;
        c.zoom = 1 + 0.12 * (1 - e) * k;
        break;
    case CameraMotion::Aerial:
        c.dy = -0.05 * H * (e - 0.5) * k;
        c.dx = 0.015 * W * (e - 0.5) * k;
        c.zoom = 1 + 0.07 * e * k;
        break;
    case CameraMotion::Still:
        c.zoom = 1 + 0.012 * e;
        break;
    }
    if (style == SceneStyle::Card) {
        c.dx = 0.04 * W * (e - 0.5) * k;
        c.dy = 0;
        c.zoom = 1 + 0.03 * e * k;
    }
    return c;
}

core::Result<std::unique_ptr<Canvas>> Stage::canvas(double parallax, double drift) const
{
    const int ox = margin_x(parallax, drift), oy = margin_y(parallax);
    auto cv = std::make_unique<Canvas>(W + 2 * ox, H + 2 * oy, ox, oy);
    if (!cv->ok())
        return tl::unexpected(cairo_error());
    return cv;
}

Stage make_stage(const SceneSpec& spec, SceneStyle style, int W, int H)
{
    Stage st;
    st.spec = spec;
    st.style = style;
    st.W = W;
    st.H = H;
    // The palette and horizon follow the words as written, before a card drops the landscape.
    st.pal = palette_for(spec);
    st.unit = std::min(W, H) / 1080.0;
    const bool water = spec.sea || spec.lake;
    st.hy = std::round(H * (H > W ? (water ? 0.56 : 0.6) : (water ? 0.58 : 0.64)));
    st.focus_y = st.hy;
    // The largest camera offsets over the shot, for the layers' margins.
    st.cam_max = {};
    for (int k = 0; k <= 16; ++k) {
        const Cam c = st.camera(k / 16.0);
        st.cam_max.dx = std::max(st.cam_max.dx, std::fabs(c.dx));
        st.cam_max.dy = std::max(st.cam_max.dy, std::fabs(c.dy));
    }
    if (spec.abstract || style == SceneStyle::Card) {
        // A card keeps only what floats over an abstract background: bokeh, snow, petals.
        SceneSpec& s = st.spec;
        s.bokeh = true;
        s.stars = s.twinkle = s.rain = s.fireworks = s.lanterns = false;
        s.sea = s.lake = s.river = s.snowfield = false;
    }
    return st;
}

}  // namespace sw::scene::detail
