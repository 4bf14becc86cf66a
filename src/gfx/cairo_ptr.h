#pragma once
// Owners for Cairo handles, shared by every module that draws with Cairo (text, scene, render):
// one way to hold a surface, a context or a pattern, released on every path.

#include <cairo.h>

#include <memory>

namespace sw::gfx {

struct CairoDeleter {
    void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
    void operator()(cairo_t* c) const { cairo_destroy(c); }
    void operator()(cairo_pattern_t* p) const { cairo_pattern_destroy(p); }
};

using SurfacePtr = std::unique_ptr<cairo_surface_t, CairoDeleter>;
using CairoPtr = std::unique_ptr<cairo_t, CairoDeleter>;
using PatternPtr = std::unique_ptr<cairo_pattern_t, CairoDeleter>;

}  // namespace sw::gfx
