// The scene generator: the order its layers are built in (far to near), and per-frame
// composition. Layers are drawn once with Cairo and shaded in floating point (smooth gradients,
// dithered once to 8 bits), converted to premultiplied YUV 4:2:0 + alpha; per frame they are
// sampled at their parallax camera position and blended, then particle sprites are laid on top.
// Nothing per pixel is computed per frame except the bilinear sampling and the blends.

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "core/bilinear.h"
#include "core/frame_pool.h"
#include "scene/landscape.h"
#include "scene/particles.h"
#include "scene/scene.h"
#include "scene/sky.h"
#include "scene/stage.h"

namespace sw::scene {

using core::Frame;
using core::bilinear::Axis;
using core::bilinear::Tap;
using core::bilinear::make_axis;
using core::bilinear::sample_span;
using kernels::blend_over;
using namespace detail;

struct SceneGenerator::Impl {
    Stage stage;
    int64_t n = 1;
    core::Rational fps{30, 1};
    std::vector<Layer> layers;  // far to near
    std::vector<ParticleSet> particles;
    std::shared_ptr<core::FramePool> pool;
    // Per-frame scratch.
    std::vector<Axis> ax_x[2], ax_y[2];
    std::vector<uint8_t> scratch, tmp_v, tmp_a, tmp_v2;

    core::Status build();
    void compose(Frame& out, double u);
    void compose_plane(Frame& out, int plane);
};

// Which elements are drawn, far to near, at which parallax; what water reflects is what was
// built before it.
core::Status SceneGenerator::Impl::build()
{
    const Stage& st = stage;
    const SceneSpec& spec = st.spec;
    const int W = st.W, H = st.H;
    const Palette& pal = st.pal;
    const double hy = st.hy;
    if (spec.abstract || st.style == SceneStyle::Card) {
        layers = SW_TRY(build_abstract(st));
        particles = SW_TRY(build_particles(st, SkyModel{}));
        return {};
    }
    Sky sky = SW_TRY(build_sky(st));
    layers.push_back(std::move(sky.layer));
    if (spec.clouds)
        layers.push_back(SW_TRY(build_clouds(st)));
    Reflections mirror;
    auto add_ridge = [&](Ridge r) {
        layers.push_back(std::move(r.layer));
        mirror.ridges.push_back(std::move(r.outline));
    };
    const bool snowcaps = spec.season == Season::Winter || spec.snowfield || spec.snow || spec.ice;
    if (spec.mountains) {
        add_ridge(SW_TRY(build_ridge_layer(st, sky.model, 0.26, 1, (H > W ? 0.2 : 0.3) * H, 2.2, true, pal.mount_far,
                                           0.45, snowcaps, hy)));
        add_ridge(SW_TRY(build_ridge_layer(st, sky.model, 0.36, 2, (H > W ? 0.12 : 0.18) * H, 3.1, true,
                                           pal.mount_near, 0.2, snowcaps, hy + 0.004 * H)));
    }
    if (spec.hills) {
        if (!spec.mountains)
            add_ridge(SW_TRY(build_ridge_layer(st, sky.model, 0.28, 3, 0.07 * H, 1.6, false,
                                               mix(pal.hill, pal.haze, 0.45), 0.3, snowcaps, hy)));
        add_ridge(SW_TRY(build_ridge_layer(st, sky.model, 0.4, 4, 0.05 * H, 2.4, false, pal.hill, 0.15, snowcaps,
                                           hy + 0.01 * H)));
    }
    // What stands on the horizon: its layer, and its mirror image for any water built later.
    auto add_standing = [&](Standing s, MirrorFn& mirrored) {
        layers.push_back(std::move(s.layer));
        if (s.mirrored)
            mirrored = std::move(s.mirrored);
    };
    const bool water = spec.sea || spec.lake;
    if (spec.city)
        add_standing(SW_TRY(build_city(st, false, hy + (water ? 0 : 0.005 * H), 0.45)), mirror.city);
    const bool shore = water;
    if (spec.forest && shore)
        add_standing(SW_TRY(build_forest(st, hy, 0.5, true)), mirror.forest);
    if (spec.castle && water)
        add_standing(SW_TRY(build_castle(st, hy, 0.5)), mirror.castle);
    if (!water) {
        if (spec.forest)
            add_standing(SW_TRY(build_forest(st, hy + 0.08 * H, 0.6, false)), mirror.forest);
        else if (!spec.city || spec.snowfield || spec.grass)
            layers.push_back(SW_TRY(build_ground(st, hy + 0.02 * H, 0.55)));
        if (spec.river)
            layers.push_back(SW_TRY(build_water(st, sky.model, mirror, 0.6)));
        if (spec.castle)  // in front of the river: not reflected
            add_standing(SW_TRY(build_castle(st, hy + (spec.forest ? 0.12 : 0.1) * H, 0.65)), mirror.castle);
        if (spec.city && !spec.forest && !spec.snowfield && !spec.grass)
            add_standing(SW_TRY(build_city(st, true, H * 0.78, 0.7)), mirror.city);
    } else {
        layers.push_back(SW_TRY(build_water(st, sky.model, mirror, 0.55)));
    }
    if (spec.fog)
        layers.push_back(SW_TRY(build_fog(st, 0.62)));
    if (spec.snowfield || spec.grass || spec.beach || spec.lake ||
        (spec.forest && !water && !spec.castle) || spec.season == Season::Spring)
        layers.push_back(SW_TRY(build_foreground(st, 0.9)));
    particles = SW_TRY(build_particles(st, sky.model));
    return {};
}

// --- per-frame composition --------------------------------------------------------------------

void SceneGenerator::Impl::compose(Frame& out, double u)
{
    const int W = stage.W, H = stage.H;
    const Cam cam = stage.camera(u);
    const size_t nl = layers.size();
    for (int p = 0; p < 2; ++p) {
        ax_x[p].resize(nl);
        ax_y[p].resize(nl);
    }
    size_t maxw = 0;
    for (size_t l = 0; l < nl; ++l) {
        const Layer& L = layers[l];
        const View v = stage.view(L, cam, u);
        for (int p = 0; p < 2; ++p) {
            const double sc = p == 0 ? 1.0 : 0.5;
            const int ow = p == 0 ? W : W / 2, oh = p == 0 ? H : H / 2;
            make_axis(ax_x[p][l], ow, (v.x0 + L.ox) * sc, 1.0 / v.s, L.yuv.plane_width(p));
            make_axis(ax_y[p][l], oh, (v.y0 + L.oy) * sc, 1.0 / v.s, L.yuv.plane_height(p));
            ax_y[p][l].blocks.clear();
        }
        maxw = std::max(maxw, size_t(L.width()));
    }
    scratch.resize(maxw + 64);
    tmp_v.resize(W + 64);
    tmp_a.resize(W + 64);
    tmp_v2.resize(W + 64);
    compose_plane(out, 0);
    compose_plane(out, 1);
}

// One plane kind (0 = luma, 1 = both chroma planes): for each output row, find the nearest
// layer that covers the row opaquely, write it, then blend the nearer layers over it, each only
// across the columns where it has any alpha.
void SceneGenerator::Impl::compose_plane(Frame& out, int pk)
{
    const int W = stage.W, H = stage.H;
    const int nl = (int)layers.size();
    const int oh = pk == 0 ? H : H / 2, ow = pk == 0 ? W : W / 2;
    uint8_t* sc = scratch.data();
    for (int r = 0; r < oh; ++r) {
        int base = 0;
        for (int l = nl - 1; l >= 0; --l) {
            const Layer& L = layers[l];
            const Tap t = ax_y[pk][l].taps[r];
            const int i1 = std::min(t.index + 1, (int)L.rows[pk].size() - 1);
            if (L.rows[pk][t.index].opaque && (t.weight == 0 || L.rows[pk][i1].opaque)) {
                base = l;
                break;
            }
        }
        for (int l = base; l < nl; ++l) {
            const Layer& L = layers[l];
            const Axis& ax = ax_x[pk][l];
            const Tap t = ax_y[pk][l].taps[r];
            const int i0 = t.index, i1 = std::min(t.index + 1, (int)L.rows[pk].size() - 1);
            const int wy = i1 == i0 ? 0 : t.weight;
            const RowInfo& a = L.rows[pk][i0];
            const RowInfo& b = wy ? L.rows[pk][i1] : a;
            const int planes[2] = {pk == 0 ? 0 : 1, 2};
            const int np = pk == 0 ? 1 : 2;
            if (l == base) {
                for (int q = 0; q < np; ++q) {
                    const int p = planes[q];
                    sample_span(L.yuv.row(p, i0), L.yuv.row(p, i1), wy, ax, 0, ow, sc, out.row(p, r));
                }
                continue;
            }
            const bool ea = a.x1 <= a.x0, eb = b.x1 <= b.x0;
            if (ea && eb)
                continue;
            const int sx0 = std::min(ea ? INT32_MAX : a.x0, eb ? INT32_MAX : b.x0);
            const int sx1 = std::max(ea ? 0 : a.x1, eb ? 0 : b.x1);
            // Output columns whose taps touch [sx0 - 1, sx1).
            const auto& taps = ax.taps;
            const int o0 = int(std::lower_bound(taps.begin(), taps.end(), sx0 - 1,
                                                [](const Tap& tp, int v) { return tp.index < v; }) -
                               taps.begin());
            const int o1 = int(std::lower_bound(taps.begin(), taps.end(), sx1,
                                                [](const Tap& tp, int v) { return tp.index < v; }) -
                               taps.begin());
            if (o1 <= o0)
                continue;
            sample_span(L.alpha.row(pk, i0), L.alpha.row(pk, i1), wy, ax, o0, o1, sc, tmp_a.data());
            for (int q = 0; q < np; ++q) {
                const int p = planes[q];
                sample_span(L.yuv.row(p, i0), L.yuv.row(p, i1), wy, ax, o0, o1, sc, tmp_v.data());
                blend_over(out.row(p, r) + o0, tmp_v.data() + o0, tmp_a.data() + o0, o1 - o0, p == 0 ? 16 : 128,
                           p == 0 ? 235 : 240);
            }
        }
    }
}

// --- public API -------------------------------------------------------------------------------

SceneGenerator::SceneGenerator(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
SceneGenerator::~SceneGenerator() = default;
int SceneGenerator::width() const { return m_impl->stage.W; }
int SceneGenerator::height() const { return m_impl->stage.H; }
int64_t SceneGenerator::frame_count() const { return m_impl->n; }

core::Result<std::unique_ptr<SceneGenerator>> SceneGenerator::create(const SceneSpec& spec, SceneStyle style, int width,
                                                                     int height, int64_t frame_count, core::Rational fps)
{
    if (width <= 0 || height <= 0 || width % 2 || height % 2 || width > 16384 || height > 16384)
        return core::make_error(core::ErrorCategory::Internal, "scene size must be even and positive",
                                std::to_string(width) + "x" + std::to_string(height));
    if (frame_count <= 0 || fps.num <= 0 || fps.den <= 0)
        return core::make_error(core::ErrorCategory::Internal, "scene needs at least one frame and a positive rate",
                                std::to_string(frame_count) + " frames at " + fps.to_string());
    auto impl = std::make_unique<Impl>();
    impl->stage = make_stage(spec, style, width, height);
    impl->n = frame_count;
    impl->fps = fps;
    SW_TRY_STATUS(impl->build());
    impl->pool = core::FramePool::create(width, height);
    return std::unique_ptr<SceneGenerator>(new SceneGenerator(std::move(impl)));
}

core::Result<Frame> SceneGenerator::frame(int64_t i)
{
    Impl& m = *m_impl;
    if (i < 0 || i >= m.n)
        return core::make_error(core::ErrorCategory::Internal, "scene frame index out of range",
                                std::to_string(i) + " of " + std::to_string(m.n));
    Frame out = m.pool->acquire();
    const double u = m.n > 1 ? double(i) / double(m.n - 1) : 0.0;
    const double t = double(i) * double(m.fps.den) / double(m.fps.num);
    m.compose(out, u);
    draw_particles(m.stage, m.particles, out, t, m.stage.camera(u));
    out.index = i;
    return out;
}

}  // namespace sw::scene
