#pragma once
// Picture operations on core::Frame (YUV 4:2:0), used to compose shots. All work per plane in
// the working colour space; nothing converts to RGB and back.

#include "core/error.h"
#include "core/frame.h"

namespace sw::render {

// Scales the rectangle (x, y, w, h) of `src` (luma pixels; x, y, w, h rounded to even) into all
// of `dst` with swscale (bicubic; area-averaging when shrinking by more than 2×).
core::Status scale_frame(const core::Frame& src, int x, int y, int w, int h, core::Frame& dst);
inline core::Status scale_frame(const core::Frame& src, core::Frame& dst)
{
    return scale_frame(src, 0, 0, src.width(), src.height(), dst);
}

// Samples the sub-pixel rectangle (x, y, w, h) of `src` into all of `dst` with bilinear
// filtering. For smooth camera moves: positions are not rounded, so slow moves do not jitter.
// Meant for scale factors between about 0.7 and 1.5 (bilinear aliases beyond that).
void sample_bilinear(const core::Frame& src, double x, double y, double w, double h, core::Frame& dst,
                     int y0 = 0, int y1 = -1);

// Box blur, `passes` times (3 passes ≈ Gaussian), radius in luma pixels (chroma uses half).
void box_blur(core::Frame& f, int radius, int passes = 3);

// Pulls luma toward black and chroma toward grey: `light` = 1 keeps, 0 = black.
void darken(core::Frame& f, double light, double saturation);

// Copies `src` into `dst` with its top-left at (x, y) (rounded down to even), clipped to `dst`.
void blit(const core::Frame& src, core::Frame& dst, int x, int y);

// Smooth ease-in-out for moves: 0 → 0, 1 → 1, zero slope at both ends.
double ease_in_out(double t);

}  // namespace sw::render
