#pragma once
// A shot's pictures at the output size and rate, one frame after another. A segment of the
// video pulls frames k..m of each shot it shows in order (each frame exactly once).

#include <memory>

#include "core/error.h"
#include "core/frame.h"
#include "core/frame_pool.h"
#include "timeline/plan.h"
#include "timeline/project.h"

namespace sw::render {

struct RenderContext {
    int width = 0;
    int height = 0;
    core::Rational fps{30, 1};
    core::Rgb background{0, 0, 0};
    std::shared_ptr<core::FramePool> pool;  // frames of width x height
    int decoder_threads = 1;
};

class ShotSource {
public:
    virtual ~ShotSource() = default;
    // The next frame of the shot. Frames are read-only for the caller: a source may hand out
    // the same picture again (a still without a move).
    virtual core::Result<core::Frame> next() = 0;
};

// Opens the shot's visual (decodes stills, opens videos) and prepares whatever is reused every
// frame. Errors name the shot and the file. `first_frame` > 0 starts the shot further on: the
// source's first frame is then the shot's frame `first_frame`, identical to the one a source
// started at 0 gives after that many (segments of one shot are rendered independently).
core::Result<std::unique_ptr<ShotSource>> make_shot_source(const timeline::Shot& shot,
                                                           const timeline::PlannedShot& planned,
                                                           const RenderContext& ctx, int64_t first_frame = 0);

// How a picture of `src_w` x `src_h` (display orientation) is placed in `dst_w` x `dst_h`:
// the source rectangle to read and the destination rectangle to fill (luma pixels).
struct Placement {
    double sx, sy, sw, sh;
    int dx, dy, dw, dh;
};
Placement place(timeline::Fit fit, int src_w, int src_h, int dst_w, int dst_h);

}  // namespace sw::render
