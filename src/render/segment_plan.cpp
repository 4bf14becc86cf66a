#include "render/segment_plan.h"

#include <algorithm>
#include <cmath>

namespace sw::render {

std::vector<Segment> split_segments(const timeline::Plan& plan, int64_t max_chunk_frames)
{
    if (max_chunk_frames <= 0)
        max_chunk_frames = std::max<int64_t>(1, std::llround(kChunkSeconds * plan.fps.to_double()));
    std::vector<Segment> out;
    for (size_t i = 0; i < plan.shots.size(); ++i) {
        const auto& ps = plan.shots[i];
        const int64_t from = ps.in_frames, to = ps.frames - ps.out_frames;
        const int64_t len = to - from;
        if (len > 0) {
            const int64_t n = (len + max_chunk_frames - 1) / max_chunk_frames;
            for (int64_t j = 0; j < n; ++j) {
                const int64_t a = from + len * j / n, b = from + len * (j + 1) / n;
                Segment s;
                s.start_frame = ps.start_frame + a;
                s.frames = b - a;
                s.shot = (int)i;
                s.shot_offset = a;
                out.push_back(s);
            }
        }
        const int ti = i < plan.transition_after.size() ? plan.transition_after[i] : -1;
        if (ti >= 0 && i + 1 < plan.shots.size()) {
            const auto& pt = plan.transitions[(size_t)ti];
            Segment s;
            s.start_frame = pt.start_frame;
            s.frames = pt.frames;
            s.shot = (int)i;
            s.shot_offset = ps.frames - pt.frames;
            s.transition = ti;
            s.next_shot = (int)i + 1;
            out.push_back(s);
        }
    }
    std::stable_sort(out.begin(), out.end(), [](const Segment& a, const Segment& b) { return a.start_frame < b.start_frame; });
    return out;
}

}  // namespace sw::render
