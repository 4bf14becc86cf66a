// snap_request: fits what the engine wants to what a text-to-video backend can make.
//
// Durations from an allowed list: the shortest allowed length that covers the request, or the
// longest one when none does (a 7 s shot on a {5, 10} model gets 10 s). A clip that covers its
// shot is trimmed invisibly; one that falls short would freeze on its last frame.

#include <algorithm>
#include <cmath>
#include <limits>

#include "models/clip_adapter.h"

namespace sw::models {

namespace {

double snap_seconds(double asked, const ClipCapabilities& caps)
{
    if (!std::isfinite(asked) || asked <= 0)
        asked = caps.durations.empty() ? caps.min_seconds : caps.durations.front();
    if (!caps.durations.empty()) {
        std::vector<double> d = caps.durations;
        std::sort(d.begin(), d.end());
        for (double v : d)
            if (v + 1e-9 >= asked)
                return v;
        return d.back();
    }
    double lo = std::max(0.0, caps.min_seconds), hi = std::max(lo, caps.max_seconds);
    return std::clamp(asked, lo, hi);
}

// The count frames = m*n + offset (n ≥ 0, count ≥ 1) nearest to `target`; ties go to the longer.
int snap_frames(double target, int multiple, int offset)
{
    const int m = std::max(1, multiple);
    // Smallest valid count ≥ 1.
    int64_t first = offset;
    if (first < 1)
        first += (int64_t)std::ceil((1.0 - first) / m) * m;
    if (!(target > first))
        return (int)first;
    double n = (target - first) / m;
    int64_t lo = first + (int64_t)std::floor(n) * m, hi = lo + m;
    int64_t best = (target - lo) < (hi - target) ? lo : hi;
    return (int)std::min<int64_t>(best, std::numeric_limits<int>::max());
}

// Width and height as multiples of `m` (at least one multiple each), choosing between rounding
// down and up so that the aspect ratio stays closest to the one asked.
void snap_size(int& w, int& h, int multiple)
{
    const int m = std::max(1, multiple);
    const int W = std::max(1, w), H = std::max(1, h);
    auto down = [m](int v) { return std::max(m, v / m * m); };
    auto up = [m](int v) { return std::max(m, (v + m - 1) / m * m); };
    const double aspect = double(W) / H;
    int best_w = down(W), best_h = down(H);
    double best_err = std::numeric_limits<double>::max(), best_dev = best_err;
    for (int cw : {down(W), up(W)})
        for (int ch : {down(H), up(H)}) {
            double err = std::abs(std::log((double(cw) / ch) / aspect));
            double dev = std::abs(cw - W) + std::abs(ch - H);
            if (err < best_err - 1e-12 || (std::abs(err - best_err) <= 1e-12 && dev < best_dev)) {
                best_w = cw;
                best_h = ch;
                best_err = err;
                best_dev = dev;
            }
        }
    w = best_w;
    h = best_h;
}

}  // namespace

ClipRequest snap_request(const ClipRequest& req, const ClipCapabilities& caps)
{
    ClipRequest r = req;
    r.seconds = snap_seconds(req.seconds, caps);
    if (caps.native_fps > 0)
        r.fps = caps.native_fps;
    else if (r.fps <= 0)
        r.fps = 16;
    r.frames = snap_frames(r.seconds * r.fps, caps.frame_multiple, caps.frame_offset);
    snap_size(r.width, r.height, caps.size_multiple);
    if (!caps.first_last_frame)
        r.end_image.clear();
    if (!caps.image_to_video)
        r.init_image.clear();
    return r;
}

}  // namespace sw::models
