#pragma once
// RAII owners for the Pango/GObject handles the text module creates (internal header); Cairo's
// come from gfx/cairo_ptr.h.

#include <pango/pangocairo.h>

#include <memory>
#include <string>

#include "gfx/cairo_ptr.h"

namespace sw::text::detail {

using gfx::CairoPtr;
using gfx::SurfacePtr;

struct GDeleter {
    void operator()(void* p) const { g_object_unref(p); }
};
struct FontDescDeleter {
    void operator()(PangoFontDescription* d) const { pango_font_description_free(d); }
};

using LayoutPtr = std::unique_ptr<PangoLayout, GDeleter>;
using FontDescPtr = std::unique_ptr<PangoFontDescription, FontDescDeleter>;

// A layout bound to a private 1x1 surface: enough for shaping and measuring, and the same
// font map/options pango_cairo uses when the layout is later drawn on a real surface.
struct Measurer {
    SurfacePtr surface;
    CairoPtr cr;
    LayoutPtr layout;
};

inline Measurer make_measurer(const std::string& font, double size_px, bool bold)
{
    Measurer m;
    m.surface.reset(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1));
    m.cr.reset(cairo_create(m.surface.get()));
    m.layout.reset(pango_cairo_create_layout(m.cr.get()));
    FontDescPtr desc(pango_font_description_from_string(font.c_str()));
    pango_font_description_set_absolute_size(desc.get(), size_px * PANGO_SCALE);
    pango_font_description_set_weight(desc.get(), bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(m.layout.get(), desc.get());
    return m;
}

}  // namespace sw::text::detail
