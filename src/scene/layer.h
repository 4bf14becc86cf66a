#pragma once
// Layer plumbing of the scene generator (internal to src/scene): Cairo canvases, their
// conversion to premultiplied YUV 4:2:0 + alpha layers, and sprites.

#include <cairo.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "core/bt709.h"
#include "core/error.h"
#include "core/frame.h"
#include "gfx/cairo_ptr.h"
#include "scene/colour.h"

namespace sw::scene::detail {

using core::Frame;

inline void set_source(cairo_t* cr, C3 c, double a = 1.0) { cairo_set_source_rgba(cr, c.r, c.g, c.b, a); }

// A radial glow: colour c, opacity a at the centre fading to 0 at radius r (smooth falloff).
void glow(cairo_t* cr, double x, double y, double r, C3 c, double a, double core = 0.0);

struct RowInfo {
    int x0 = 0, x1 = 0;  // columns with alpha > 0: [x0, x1)
    bool opaque = false;  // alpha 255 across the whole row
};

// A picture in premultiplied YUV 4:2:0 with alpha, placed in world coordinates (the frame at
// the camera's rest position): world (0, 0) is the layer's pixel (ox, oy).
struct Layer {
    Frame yuv, alpha;  // alpha: plane 0 at luma resolution, plane 1 at chroma resolution
    int ox = 0, oy = 0;
    double parallax = 1.0;  // how much of the camera move it follows (far layers less)
    double drift_x = 0;     // its own motion over the whole shot (clouds, fog), world pixels
    std::vector<RowInfo> rows[2];
    int width() const { return yuv.width(); }
    int height() const { return yuv.height(); }
};

// Cairo surfaces for one layer: `mask` (A8) is the shape whose colour comes from the shade
// function, `detail` (ARGB32) is painted over it in its own colours.
struct Canvas {
    int w = 0, h = 0, ox = 0, oy = 0;
    // Owners; the surfaces are declared first, so they outlive the contexts drawing on them.
    gfx::SurfacePtr mask_surface, detail_surface;
    gfx::CairoPtr mask_cr, detail_cr;
    // The same handles, for the drawing code.
    cairo_surface_t* ms = nullptr;
    cairo_surface_t* ds = nullptr;
    cairo_t* m = nullptr;
    cairo_t* d = nullptr;
    Canvas(int w_, int h_, int ox_, int oy_)
        : w(w_), h(h_), ox(ox_), oy(oy_), mask_surface(cairo_image_surface_create(CAIRO_FORMAT_A8, w, h)),
          detail_surface(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h)),
          mask_cr(cairo_create(mask_surface.get())), detail_cr(cairo_create(detail_surface.get())),
          ms(mask_surface.get()), ds(detail_surface.get()), m(mask_cr.get()), d(detail_cr.get())
    {
        cairo_translate(m, ox, oy);
        cairo_translate(d, ox, oy);
    }
    Canvas(const Canvas&) = delete;
    Canvas& operator=(const Canvas&) = delete;
    bool ok() const
    {
        return cairo_status(m) == CAIRO_STATUS_SUCCESS && cairo_status(d) == CAIRO_STATUS_SUCCESS;
    }
};

// Ordered dither (8x8 Bayer), in code values, centred on 0: breaks the 8-bit steps of slow
// gradients into a fine pattern the eye (and the encoder) averages.
extern const std::array<float, 64> kBayer;

// Each row's covered columns and whether it is opaque, so composition skips empty spans.
void compute_rows(Layer& L);

// Converts a canvas to a layer: colour = shade(world x, world y) where the mask covers, detail
// over it; premultiplied BT.709 limited range, dithered.
template <class Shade>
Layer finish(Canvas& cv, double parallax, Shade&& shade)
{
    cairo_surface_flush(cv.ms);
    cairo_surface_flush(cv.ds);
    const uint8_t* mdata = cairo_image_surface_get_data(cv.ms);
    const uint8_t* ddata = cairo_image_surface_get_data(cv.ds);
    const int mstride = cairo_image_surface_get_stride(cv.ms), dstride = cairo_image_surface_get_stride(cv.ds);
    const int w = cv.w, h = cv.h;
    Layer L;
    L.yuv = Frame(w, h);
    L.alpha = Frame(w, h);
    L.ox = cv.ox;
    L.oy = cv.oy;
    L.parallax = parallax;
    std::vector<float> pm(size_t(8) * w);  // premultiplied r, g, b, a of two rows
    constexpr float inv255 = 1.f / 255.f;
    for (int y = 0; y < h; y += 2) {
        bool any = false;
        for (int k = 0; k < 2; ++k) {
            const uint8_t* mrow = mdata + size_t(y + k) * mstride;
            const uint32_t* drow = reinterpret_cast<const uint32_t*>(ddata + size_t(y + k) * dstride);
            float* o = pm.data() + size_t(4) * w * k;
            const double wy = y + k - cv.oy + 0.5;
            for (int x = 0; x < w; ++x, o += 4) {
                const uint32_t dv = drow[x];
                const int m = mrow[x];
                if (!m && !dv) {
                    o[0] = o[1] = o[2] = o[3] = 0;
                    continue;
                }
                any = true;
                const float da = (dv >> 24) * inv255;
                float r = ((dv >> 16) & 255) * inv255, g = ((dv >> 8) & 255) * inv255, b = (dv & 255) * inv255;
                const float ma = m * inv255;
                if (m) {
                    const C3 c = shade(x - cv.ox + 0.5, wy);
                    const float f = ma * (1 - da);
                    r += std::clamp(c.r, 0.f, 1.f) * f;
                    g += std::clamp(c.g, 0.f, 1.f) * f;
                    b += std::clamp(c.b, 0.f, 1.f) * f;
                }
                o[0] = r, o[1] = g, o[2] = b, o[3] = da + ma * (1 - da);
            }
        }
        uint8_t* yr[2] = {L.yuv.row(0, y), L.yuv.row(0, y + 1)};
        uint8_t* ar[2] = {L.alpha.row(0, y), L.alpha.row(0, y + 1)};
        uint8_t* ur = L.yuv.row(1, y / 2);
        uint8_t* vr = L.yuv.row(2, y / 2);
        uint8_t* acr = L.alpha.row(1, y / 2);
        if (!any) {
            std::memset(yr[0], 16, w), std::memset(yr[1], 16, w);
            std::memset(ar[0], 0, w), std::memset(ar[1], 0, w);
            std::memset(ur, 128, w / 2), std::memset(vr, 128, w / 2), std::memset(acr, 0, w / 2);
            continue;
        }
        for (int k = 0; k < 2; ++k) {
            const float* o = pm.data() + size_t(4) * w * k;
            const float* dith = kBayer.data() + ((y + k) & 7) * 8;
            for (int x = 0; x < w; ++x, o += 4) {
                const float l = core::bt709::luma(o[0], o[1], o[2]);
                const float yv = 16.f + 219.f * l + dith[x & 7];
                yr[k][x] = uint8_t(std::clamp((int)std::lround(yv), 16, 235));
                ar[k][x] = uint8_t(std::lround(std::clamp(o[3], 0.f, 1.f) * 255.f));
            }
        }
        const float* dith = kBayer.data() + ((y / 2) & 7) * 8;
        for (int x = 0; x < w / 2; ++x) {
            const float* p0 = pm.data() + 8 * x;
            const float* p1 = pm.data() + size_t(4) * w + 8 * x;
            const float r = 0.25f * (p0[0] + p0[4] + p1[0] + p1[4]);
            const float g = 0.25f * (p0[1] + p0[5] + p1[1] + p1[5]);
            const float b = 0.25f * (p0[2] + p0[6] + p1[2] + p1[6]);
            const float a = 0.25f * (p0[3] + p0[7] + p1[3] + p1[7]);
            const float l = core::bt709::luma(r, g, b);
            const float dd = dith[(x + 3) & 7];
            ur[x] = uint8_t(std::clamp((int)std::lround(128.f + 224.f * (b - l) / core::bt709::cb_scale_f + dd), 16, 240));
            vr[x] = uint8_t(std::clamp((int)std::lround(128.f + 224.f * (r - l) / core::bt709::cr_scale_f + dd), 16, 240));
            acr[x] = uint8_t(std::lround(std::clamp(a, 0.f, 1.f) * 255.f));
        }
    }
    compute_rows(L);
    return L;
}

// The error every builder gives when Cairo cannot make a surface (out of memory).
core::Error cairo_error();

// A sprite: a small layer drawn with `draw` (world = sprite pixels, origin at its top-left).
template <class Draw>
core::Result<Layer> make_sprite(int w, int h, Draw&& draw)
{
    w = std::max(2, (w + 1) & ~1);
    h = std::max(2, (h + 1) & ~1);
    Canvas cv(w, h, 0, 0);
    if (!cv.ok())
        return tl::unexpected(cairo_error());
    draw(cv.d, w, h);
    return finish(cv, 0, [](double, double) { return C3{}; });
}

// Lays sprite `s` centred at (cx, cy) (luma pixels) over the frame with opacity op (0..256).
void draw_sprite(Frame& f, const Layer& s, double cx, double cy, int op);

}  // namespace sw::scene::detail
