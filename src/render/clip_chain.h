#pragma once
// Long generated shots: several model clips, each started from the previous clip's last frame,
// joined into one. Chained clips drift in colour and contrast; each is matched to the first
// clip of the chain (the anchor) by per-plane mean and spread, and the joints are measured so
// `check`/`render` can say how seamless the result is.

#include <filesystem>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/rational.h"

namespace sw::render {

struct ChainJoint {
    // Mean absolute luma difference between the frames either side of the joint, divided by the
    // median difference between consecutive frames inside the clips (≈1 = as smooth as motion
    // inside a clip; ≫1 = a visible jump).
    double jump_ratio = 0;
    double drift_before = 0;  // ΔE (CIE76, Lab of the clip's mean colour) from the anchor, as generated
    double drift_after = 0;   // the same after colour matching
};

struct ChainReport {
    int64_t frames = 0;
    std::vector<ChainJoint> joints;  // one per joint (clips − 1)
    // "joint 1: jump 1.1x, drift ΔE 6.2 → 0.8; joint 2: …"
    std::string summary() const;
};

// Joins clips (all `width` x `height` at `fps`, as normalised) into one H.264 MP4 at `out`
// (atomic). The first frame of every clip after the first is dropped: the model was started
// from the previous clip's last frame, so showing it twice would stall the motion. With
// `match_colour`, clips 2..n are mapped onto the anchor's per-plane mean and standard deviation.
core::Result<ChainReport> join_chain(const std::vector<std::filesystem::path>& clips, const std::filesystem::path& out,
                                     int width, int height, core::Rational fps, bool match_colour = true);

// The last frame of a video as a PNG (the next clip's first-frame image).
core::Status save_last_frame_png(const std::filesystem::path& video, const std::filesystem::path& png);

}  // namespace sw::render
