#pragma once
// How a planned video is cut into segments that are encoded separately and joined by stream
// copy: each shot's own part (between its transitions) in chunks of at most kChunkSeconds, and
// each transition on its own. A segment's pixels then depend only on the shot (or the two shots)
// it shows, never on where they sit in the video, so an edit re-encodes only the segments of the
// shots it touches, and a shot shared by many videos of a batch is encoded once.

#include <cstdint>
#include <string>
#include <vector>

#include "timeline/plan.h"

namespace sw::render {

// Long enough that the key frame starting each chunk costs little, short enough that an edited
// shot's chunks keep every core busy.
inline constexpr double kChunkSeconds = 3.0;

struct Segment {
    int64_t start_frame = 0;  // first output frame
    int64_t frames = 0;
    int shot = 0;              // the shot shown (body) or the outgoing one (transition)
    int64_t shot_offset = 0;   // frame of `shot` shown at start_frame
    int transition = -1;       // index into plan.transitions, or -1 for a body chunk
    int next_shot = -1;        // transition: the incoming shot (its frame 0 at start_frame)
};

// The segments in output order, covering frames [0, plan.total_frames) exactly once. A shot's
// body of n frames is split into ceil(n / chunk) nearly equal chunks, chunk = kChunkSeconds at the
// plan's rate (or `max_chunk_frames` when > 0).
std::vector<Segment> split_segments(const timeline::Plan& plan, int64_t max_chunk_frames = 0);

}  // namespace sw::render
