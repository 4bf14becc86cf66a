#pragma once
// A pre-rendered overlay (text, box, logo) and its per-frame blend into a YUV 4:2:0 frame.
// The expensive work — rasterising and converting RGB to BT.709 YUV — happens once when the
// overlay is made; blending per frame is integer arithmetic over the overlay's rectangle only.

#include <cstdint>
#include <string>
#include <vector>

#include "core/frame.h"

namespace sw::text {

struct CueBitmap {
    // Placement in the frame (top-left, always even so chroma samples line up) and size (even).
    int x = 0, y = 0, w = 0, h = 0;
    // Luma-resolution planes, w*h: alpha in 0..4096 and premultiplied luma (limited range) ×16.
    std::vector<uint16_t> alpha, luma;
    // Chroma-resolution planes, (w/2)*(h/2): 2×2-averaged alpha (0..4096) and premultiplied
    // signed U/V offsets from 128, ×16.
    std::vector<uint16_t> calpha;
    std::vector<int16_t> cu, cv;
    // Per luma row the [first, last] column holding any ink (first > last: empty row).
    std::vector<int> row_first, row_last;
    std::vector<std::string> lines;  // the text lines drawn (for callers and tests)

    bool empty() const { return w == 0 || h == 0; }
};

// Converts a premultiplied ARGB32 image (Cairo's layout) to a CueBitmap placed at (ox, oy);
// odd positions are rounded down to even.
CueBitmap bitmap_from_argb(const uint8_t* px, int stride, int w, int h, int ox, int oy);

// The bitmap scaled by `scale` (> 0) about its centre, resampled bilinearly (its planes are
// premultiplied, so this is exact for coverage). Used for animated titles ("pop").
CueBitmap scale_bitmap(const CueBitmap& b, double scale);

// Blends the bitmap into the frame at its position with an overall opacity (0..1), clipped to
// the frame.
void blend(core::Frame& frame, const CueBitmap& bitmap, double opacity = 1.0);

}  // namespace sw::text
