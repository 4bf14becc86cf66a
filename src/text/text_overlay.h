#pragma once
// Text drawn onto frames through Pango (shaping, font fallback, line breaking) and Cairo
// (anti-aliased rasterising), then blended into the YUV frame. Used for card titles now; the
// subtitle and title features build on it.

#include <string_view>

#include "core/error.h"
#include "core/frame.h"

namespace sw::text {

struct TextStyle {
    std::string font = "Noto Sans CJK SC";  // fontconfig family; fallback covers missing glyphs
    double size_px = 64;                     // em size in output pixels
    bool bold = true;
    core::Rgb color{255, 255, 255};
    double max_width = 0.8;   // fraction of the frame width before wrapping
    double shadow = 0.45;     // opacity of a soft drop shadow (0 = none)
};

// Draws `text` centred horizontally with its block centred at `center_y` (fraction of the
// frame height), wrapping at word/character boundaries per Pango's (UAX #14) rules.
core::Status draw_text(core::Frame& frame, std::string_view text, const TextStyle& style, double center_y);

}  // namespace sw::text
