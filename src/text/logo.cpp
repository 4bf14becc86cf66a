#include "text/logo.h"

#include <cmath>

#include "gfx/cairo_ptr.h"

namespace sw::text {

namespace {

using Surface = gfx::SurfacePtr;

core::Result<Surface> open_png(const std::filesystem::path& path)
{
    Surface s(cairo_image_surface_create_from_png(path.c_str()));
    auto st = cairo_surface_status(s.get());
    if (st == CAIRO_STATUS_FILE_NOT_FOUND)
        return core::make_error(core::ErrorCategory::Input, "logo " + path.string() + " not found",
                                "check the path (relative to the script)");
    if (st != CAIRO_STATUS_SUCCESS)
        return core::make_error(core::ErrorCategory::Input,
                                "logo " + path.string() + " could not be read as a PNG image",
                                std::string(cairo_status_to_string(st)) + "; save the logo as PNG (with transparency)");
    return s;
}

}  // namespace

core::Result<std::pair<int, int>> logo_size(const std::filesystem::path& path, int width_px)
{
    Surface s = SW_TRY(open_png(path));
    int w = cairo_image_surface_get_width(s.get()), h = cairo_image_surface_get_height(s.get());
    int tw = std::max(2, width_px & ~1);
    int th = std::max(2, (int)std::lround(double(h) * tw / std::max(1, w)) & ~1);
    return std::pair{tw, th};
}

core::Result<CueBitmap> load_logo(const std::filesystem::path& path, int width_px, int x, int y)
{
    Surface src = SW_TRY(open_png(path));
    int w = cairo_image_surface_get_width(src.get()), h = cairo_image_surface_get_height(src.get());
    if (w <= 0 || h <= 0 || (int64_t)w * h > 40'000'000)
        return core::make_error(core::ErrorCategory::Input, "logo " + path.string() + " has an unusable size",
                                std::to_string(w) + "x" + std::to_string(h));
    auto [tw, th] = SW_TRY(logo_size(path, width_px));
    Surface dst(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, tw, th));
    gfx::CairoPtr cr(cairo_create(dst.get()));
    cairo_scale(cr.get(), double(tw) / w, double(th) / h);
    cairo_set_source_surface(cr.get(), src.get(), 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr.get()), CAIRO_FILTER_GOOD);
    cairo_paint(cr.get());
    cairo_surface_flush(dst.get());
    return bitmap_from_argb(cairo_image_surface_get_data(dst.get()), cairo_image_surface_get_stride(dst.get()), tw, th,
                            x, y);
}

}  // namespace sw::text
