#include "text/text_overlay.h"

#include "text/blend.h"
#include "text/pango_raii.h"
#include "text/subtitle.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

namespace sw::text {

using namespace detail;

core::Status draw_text(core::Frame& frame, std::string_view text, const TextStyle& style, double center_y)
{
    // A character no font has would be drawn as a box with its code: it is left out.
    const std::string shown = without_missing_glyphs(text, style.font, style.bold);
    if (shown.empty())
        return {};
    const int max_w = std::max(16, (int)(frame.width() * style.max_width));
    // Measure first on a tiny surface, then rasterise into one just big enough.
    Measurer probe = make_measurer(style.font, style.size_px, style.bold);
    PangoLayout* layout = probe.layout.get();
    pango_layout_set_width(layout, max_w * PANGO_SCALE);
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER);
    pango_layout_set_text(layout, shown.data(), (int)shown.size());
    PangoRectangle ink, logical;
    pango_layout_get_pixel_extents(layout, &ink, &logical);

    const int pad = (int)std::ceil(style.size_px * 0.2);
    const int sw = max_w + 2 * pad, sh = logical.height + 2 * pad;
    SurfacePtr surf(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, sw, sh));
    if (cairo_surface_status(surf.get()) != CAIRO_STATUS_SUCCESS)
        return core::make_error(core::ErrorCategory::Internal, "could not allocate a text surface");
    CairoPtr cr(cairo_create(surf.get()));
    pango_cairo_update_layout(cr.get(), layout);
    if (style.shadow > 0) {
        // Soft shadow: a few offset copies at low opacity, as paths so that colour glyphs
        // (emoji) cast a dark silhouette rather than a faint colour copy.
        const double off = std::max(1.0, style.size_px * 0.04);
        for (int i = 1; i <= 3; ++i) {
            cairo_set_source_rgba(cr.get(), 0, 0, 0, style.shadow / 3);
            cairo_new_path(cr.get());
            cairo_move_to(cr.get(), pad + off * i / 2.0, pad + off * i / 2.0);
            pango_cairo_layout_path(cr.get(), layout);
            cairo_fill(cr.get());
        }
    }
    cairo_set_source_rgb(cr.get(), style.color.r / 255.0, style.color.g / 255.0, style.color.b / 255.0);
    cairo_move_to(cr.get(), pad, pad);
    pango_cairo_show_layout(cr.get(), layout);
    cairo_surface_flush(surf.get());

    int ox = (frame.width() - sw) / 2;
    int oy = (int)std::lround(center_y * frame.height() - sh / 2.0);
    blend(frame, bitmap_from_argb(cairo_image_surface_get_data(surf.get()), cairo_image_surface_get_stride(surf.get()),
                                  sw, sh, ox, oy));
    return {};
}

}  // namespace sw::text
