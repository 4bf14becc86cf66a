#pragma once
// Transitions: every transition of FFmpeg 5.1's `xfade` filter, by the same names and
// looking the same at the same progress, plus `cut`. Like xfade's, they take no parameters
// besides their duration: a variant (a direction, a colour) is a transition of its own name.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/frame.h"

namespace sw::effects {

class Transition {
public:
    virtual ~Transition() = default;
    virtual std::string_view name() const = 0;
    virtual std::string_view description() const = 0;  // one line
    // Writes the blend of `a` (outgoing) and `b` (incoming) into `out` at xfade progress
    // `progress` (1 = all a, 0 = all b; xfade's convention). All three frames have the same size.
    // `out` may alias neither a nor b. Rows [y0, y1) of the luma
    // plane (and the matching chroma rows) only, so callers can split work across threads;
    // y0 and y1 are even.
    virtual void render(const core::Frame& a, const core::Frame& b, core::Frame& out, float progress, int y0,
                        int y1) const = 0;
};

// ---------------------------------------------------------------------------------------------
// Progress, exactly as FFmpeg 5.1's xfade computes it.
//
// xfade works on presentation timestamps in the output time base (1/fps for constant-rate
// input): d = duration rescaled to that time base (rounded to nearest), and for the first
// input's frame with pts = first_pts + offset + k (k = 0, 1, ...) it computes, in float,
//     progress = clamp(1.f - (float)k / d, 0, 1)
// and blends that frame with the second input's frame k. So in output frames: frame s+k of a
// d-frame transition starting at s has progress 1 - k/d (k = 0 gives exactly 1 = all A).
// Caveat at the end: xfade keeps blending through k = d + 1 (progress clamped to 0, which
// for most transitions is pure B), then passes B frames d+2, d+3, ... through. Either way
// output frame s+k shows B frame k for k >= d, so total = len(A) + len(B) - d holds.
// Computing the float exactly this way (not in double) keeps us bit-identical to xfade.
inline float xfade_progress(int64_t k, int64_t d)
{
    if (d <= 0)
        return 0.f;
    const float p = 1.f - (float)k / (float)d;
    return p < 0.f ? 0.f : (p > 1.f ? 1.f : p);
}

// Chroma: FFmpeg 5.1's xfade accepts only 4:4:4 (and RGB/gray) formats, so with yuv420p input
// ffmpeg silently upsamples chroma to 4:4:4 before xfade and downsamples after. We work in
// 4:2:0 directly: chroma sample (cx, cy) is defined as what xfade computes for the 4:4:4 pixel
// at luma position (2cx, 2cy) when each chroma sample is replicated over its 2x2 block. That
// keeps every geometric edge where xfade puts it (to within one luma pixel) and is testable
// exactly; the only difference from the ffmpeg CLI chain is its bicubic chroma resampling.
//
// Black and white as xfade defines them for 8-bit YUV: black = (0, 127, 127),
// white = (255, 127, 127) (full-range extremes, chroma at max/2) — not limited-range 16/235.
inline constexpr uint8_t kXfadeBlack[3] = {0, 127, 127};
inline constexpr uint8_t kXfadeWhite[3] = {255, 127, 127};

// All registered transitions (excluding "cut"), in catalogue order.
std::span<const Transition* const> all_transitions();
// nullptr if unknown. "cut" is not a Transition object.
const Transition* find_transition(std::string_view name);
// Every valid name including "cut", for suggestions and the schema.
std::vector<std::string> transition_names();
// Convenience: render all rows.
inline void render_full(const Transition& t, const core::Frame& a, const core::Frame& b, core::Frame& out,
                        float progress)
{
    t.render(a, b, out, progress, 0, out.height());
}

}  // namespace sw::effects
