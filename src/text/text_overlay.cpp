#include "text/text_overlay.h"

#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

namespace sw::text {

namespace {

struct CairoDeleter {
    void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
    void operator()(cairo_t* c) const { cairo_destroy(c); }
};
struct GDeleter {
    void operator()(void* p) const { g_object_unref(p); }
};

// Blends a premultiplied ARGB32 surface placed at (ox, oy) into the frame.
void blend_argb(core::Frame& f, const uint8_t* px, int stride, int w, int h, int ox, int oy)
{
    auto argb = [&](int x, int y, double& a, double& r, double& g, double& b) {
        uint32_t v = *reinterpret_cast<const uint32_t*>(px + (size_t)y * stride + 4 * x);
        a = ((v >> 24) & 255) / 255.0;
        r = ((v >> 16) & 255) / 255.0;  // premultiplied
        g = ((v >> 8) & 255) / 255.0;
        b = (v & 255) / 255.0;
    };
    for (int y = 0; y < h; ++y) {
        int fy = oy + y;
        if (fy < 0 || fy >= f.height())
            continue;
        uint8_t* row = f.row(0, fy);
        for (int x = 0; x < w; ++x) {
            int fx = ox + x;
            if (fx < 0 || fx >= f.width())
                continue;
            double a, r, g, b;
            argb(x, y, a, r, g, b);
            if (a <= 0)
                continue;
            double yl = 16 + 219 * (0.2126 * r + 0.7152 * g + 0.0722 * b);  // premultiplied luma
            row[fx] = uint8_t(std::clamp((int)std::lround(row[fx] * (1 - a) + yl), 0, 255));
        }
    }
    for (int y = 0; y < h / 2 + 1; ++y) {
        int cy = (oy + 2 * y) / 2;
        if (cy < 0 || cy >= f.plane_height(1))
            continue;
        uint8_t* u = f.row(1, cy);
        uint8_t* v = f.row(2, cy);
        for (int x = 0; x < w / 2 + 1; ++x) {
            int cx = (ox + 2 * x) / 2;
            if (cx < 0 || cx >= f.plane_width(1))
                continue;
            double sa = 0, sr = 0, sg = 0, sb = 0;
            int n = 0;
            for (int dy = 0; dy < 2; ++dy)
                for (int dx = 0; dx < 2; ++dx) {
                    int sx = 2 * x + dx - (ox & 1), sy = 2 * y + dy - (oy & 1);
                    if (sx < 0 || sy < 0 || sx >= w || sy >= h)
                        continue;
                    double a, r, g, b;
                    argb(sx, sy, a, r, g, b);
                    sa += a, sr += r, sg += g, sb += b;
                    ++n;
                }
            if (n == 0 || sa <= 0)
                continue;
            sa /= 4, sr /= 4, sg /= 4, sb /= 4;
            double yl = 0.2126 * sr + 0.7152 * sg + 0.0722 * sb;
            double cu = 224 * (sb - yl) / 1.8556, cv = 224 * (sr - yl) / 1.5748;
            u[cx] = uint8_t(std::clamp((int)std::lround((u[cx] - 128) * (1 - sa) + 128 + cu), 0, 255));
            v[cx] = uint8_t(std::clamp((int)std::lround((v[cx] - 128) * (1 - sa) + 128 + cv), 0, 255));
        }
    }
}

}  // namespace

core::Status draw_text(core::Frame& frame, std::string_view text, const TextStyle& style, double center_y)
{
    if (text.empty())
        return {};
    const int max_w = std::max(16, (int)(frame.width() * style.max_width));
    // Measure first on a tiny surface, then rasterise into one just big enough.
    std::unique_ptr<cairo_surface_t, CairoDeleter> probe(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1));
    std::unique_ptr<cairo_t, CairoDeleter> pcr(cairo_create(probe.get()));
    std::unique_ptr<PangoLayout, GDeleter> layout(pango_cairo_create_layout(pcr.get()));
    std::unique_ptr<PangoFontDescription, decltype(&pango_font_description_free)> desc(
        pango_font_description_from_string(style.font.c_str()), pango_font_description_free);
    pango_font_description_set_absolute_size(desc.get(), style.size_px * PANGO_SCALE);
    pango_font_description_set_weight(desc.get(), style.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(layout.get(), desc.get());
    pango_layout_set_width(layout.get(), max_w * PANGO_SCALE);
    pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(layout.get(), PANGO_ALIGN_CENTER);
    pango_layout_set_text(layout.get(), text.data(), (int)text.size());
    PangoRectangle ink, logical;
    pango_layout_get_pixel_extents(layout.get(), &ink, &logical);

    const int pad = (int)std::ceil(style.size_px * 0.2);
    const int sw = max_w + 2 * pad, sh = logical.height + 2 * pad;
    std::unique_ptr<cairo_surface_t, CairoDeleter> surf(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, sw, sh));
    if (cairo_surface_status(surf.get()) != CAIRO_STATUS_SUCCESS)
        return core::make_error(core::ErrorCategory::Internal, "could not allocate a text surface");
    std::unique_ptr<cairo_t, CairoDeleter> cr(cairo_create(surf.get()));
    pango_cairo_update_layout(cr.get(), layout.get());
    if (style.shadow > 0) {
        // Soft shadow: a few offset copies at low opacity.
        const double off = std::max(1.0, style.size_px * 0.04);
        for (int i = 1; i <= 3; ++i) {
            cairo_set_source_rgba(cr.get(), 0, 0, 0, style.shadow / 3);
            cairo_move_to(cr.get(), pad + off * i / 2.0, pad + off * i / 2.0);
            pango_cairo_show_layout(cr.get(), layout.get());
        }
    }
    cairo_set_source_rgb(cr.get(), style.color.r / 255.0, style.color.g / 255.0, style.color.b / 255.0);
    cairo_move_to(cr.get(), pad, pad);
    pango_cairo_show_layout(cr.get(), layout.get());
    cairo_surface_flush(surf.get());

    int ox = (frame.width() - sw) / 2;
    int oy = (int)std::lround(center_y * frame.height() - sh / 2.0);
    blend_argb(frame, cairo_image_surface_get_data(surf.get()), cairo_image_surface_get_stride(surf.get()), sw, sh, ox, oy);
    return {};
}

}  // namespace sw::text
