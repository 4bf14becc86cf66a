#include "render/clip_chain.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

#include "core/bt709.h"
#include "core/frame.h"
#include "gfx/cairo_ptr.h"
#include "media/media.h"

namespace sw::render {

namespace fs = std::filesystem;

namespace {

// Per-plane first and second moments, sampled on a 2-pixel grid (plenty for a whole clip).
struct Moments {
    std::array<double, 3> sum{}, sum2{};
    std::array<double, 3> n{};
    void add(const core::Frame& f)
    {
        for (int p = 0; p < 3; ++p)
            for (int y = 0; y < f.plane_height(p); y += 2) {
                const uint8_t* r = f.row(p, y);
                for (int x = 0; x < f.plane_width(p); x += 2) {
                    sum[p] += r[x];
                    sum2[p] += double(r[x]) * r[x];
                    n[p] += 1;
                }
            }
    }
    double mean(int p) const { return n[p] ? sum[p] / n[p] : 0; }
    double sd(int p) const { return n[p] ? std::sqrt(std::max(0.0, sum2[p] / n[p] - mean(p) * mean(p))) : 0; }
};

double luma_mad(const core::Frame& a, const core::Frame& b)
{
    double s = 0;
    int64_t n = 0;
    for (int y = 0; y < a.height(); y += 2) {
        const uint8_t* ra = a.row(0, y);
        const uint8_t* rb = b.row(0, y);
        for (int x = 0; x < a.width(); x += 2, ++n)
            s += std::abs(int(ra[x]) - int(rb[x]));
    }
    return n ? s / double(n) : 0;
}

// Mean BT.709 limited-range YUV → CIE Lab (D65), for colour drift in perceptual units.
std::array<double, 3> yuv_to_lab(double y, double u, double v)
{
    double yy = (y - 16) / 219.0, pb = (u - 128) / 224.0, pr = (v - 128) / 224.0;
    namespace bt = core::bt709;
    double rgb[3] = {yy + bt::cr_scale * pr, yy - bt::g_from_cb * pb - bt::g_from_cr * pr, yy + bt::cb_scale * pb};
    for (double& c : rgb) {
        c = std::clamp(c, 0.0, 1.0);
        c = c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
    }
    double X = 0.4124 * rgb[0] + 0.3576 * rgb[1] + 0.1805 * rgb[2];
    double Y = 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
    double Z = 0.0193 * rgb[0] + 0.1192 * rgb[1] + 0.9505 * rgb[2];
    auto f = [](double t) { return t > 216.0 / 24389 ? std::cbrt(t) : (24389.0 / 27 * t + 16) / 116; };
    double fx = f(X / 0.95047), fy = f(Y), fz = f(Z / 1.08883);
    return {116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)};
}

double delta_e(const Moments& a, const Moments& b)
{
    auto la = yuv_to_lab(a.mean(0), a.mean(1), a.mean(2));
    auto lb = yuv_to_lab(b.mean(0), b.mean(1), b.mean(2));
    return std::sqrt((la[0] - lb[0]) * (la[0] - lb[0]) + (la[1] - lb[1]) * (la[1] - lb[1]) +
                     (la[2] - lb[2]) * (la[2] - lb[2]));
}

// Decodes a normalised clip frame by frame into working-format frames of width x height.
template <class Fn>
core::Status for_each_frame(const fs::path& clip, int width, int height, core::Rational fps, Fn&& fn)
{
    auto reader = SW_TRY(media::VideoReader::open(clip, fps));
    media::FrameConverter conv;
    for (;;) {
        const AVFrame* av = SW_TRY(reader.next());
        if (!av)
            break;
        core::Frame f = SW_TRY(conv.convert(av, width, height));
        SW_TRY_STATUS(fn(f));
    }
    return {};
}

}  // namespace

std::string ChainReport::summary() const
{
    std::string s;
    char buf[160];
    for (size_t k = 0; k < joints.size(); ++k) {
        std::snprintf(buf, sizeof buf, "%sjoint %zu: jump %.1fx, drift ΔE %.1f → %.1f", k ? "; " : "", k + 1,
                      joints[k].jump_ratio, joints[k].drift_before, joints[k].drift_after);
        s += buf;
    }
    return s;
}

core::Result<ChainReport> join_chain(const std::vector<fs::path>& clips, const fs::path& out, int width, int height,
                                     core::Rational fps, bool match_colour)
{
    if (clips.empty())
        return core::make_error(core::ErrorCategory::Internal, "join_chain: no clips");
    // Pass 1: each clip's colour statistics and its own frame-to-frame motion.
    std::vector<Moments> stats(clips.size());
    std::vector<double> inner_diffs;
    for (size_t k = 0; k < clips.size(); ++k) {
        core::Frame prev;
        SW_TRY_STATUS(for_each_frame(clips[k], width, height, fps, [&](const core::Frame& f) -> core::Status {
            stats[k].add(f);
            if (!prev.empty())
                inner_diffs.push_back(luma_mad(prev, f));
            prev = f.clone();
            return {};
        }));
    }
    std::vector<double> sorted = inner_diffs;
    std::sort(sorted.begin(), sorted.end());
    const double median = sorted.empty() ? 0 : sorted[sorted.size() / 2];

    // Pass 2: map each clip onto the anchor and write.
    media::EncodeSettings es;
    es.width = width;
    es.height = height;
    es.fps = fps;
    es.crf = 16;  // an intermediate: keep it close to what the model made
    auto writer = SW_TRY(media::Mp4Writer::open(out, es));
    ChainReport report;
    core::Frame last;
    for (size_t k = 0; k < clips.size(); ++k) {
        std::array<std::array<uint8_t, 256>, 3> lut;
        for (int p = 0; p < 3; ++p) {
            const double sa = stats[0].sd(p), sk = stats[k].sd(p);
            const double gain = match_colour && k > 0 && sk > 0.5 ? std::clamp(sa / sk, 0.5, 2.0) : 1.0;
            const double off = match_colour && k > 0 ? stats[0].mean(p) - stats[k].mean(p) * gain : 0.0;
            const int lo = 16, hi = p == 0 ? 235 : 240;
            for (int v = 0; v < 256; ++v)
                lut[p][v] = (uint8_t)std::clamp((int)std::lround(v * gain + off), lo, hi);
        }
        Moments after;
        int64_t index = 0;
        bool first_written = true;
        SW_TRY_STATUS(for_each_frame(clips[k], width, height, fps, [&](const core::Frame& f) -> core::Status {
            if (k > 0 && index++ == 0)
                return {};  // the previous clip's last frame, which this clip started from
            core::Frame g(width, height);
            for (int p = 0; p < 3; ++p)
                for (int y = 0; y < f.plane_height(p); ++y) {
                    const uint8_t* s = f.row(p, y);
                    uint8_t* d = g.row(p, y);
                    for (int x = 0; x < f.plane_width(p); ++x)
                        d[x] = lut[p][s[x]];
                }
            after.add(g);
            if (k > 0 && first_written) {
                ChainJoint j;
                j.jump_ratio = median > 0 ? luma_mad(last, g) / median : (luma_mad(last, g) > 0 ? 99.0 : 1.0);
                report.joints.push_back(j);
                first_written = false;
            }
            SW_TRY_STATUS(writer.write_video(g));
            ++report.frames;
            last = std::move(g);
            return {};
        }));
        if (k > 0 && !report.joints.empty()) {
            report.joints.back().drift_before = delta_e(stats[0], stats[k]);
            report.joints.back().drift_after = delta_e(stats[0], after);
        }
    }
    SW_TRY_STATUS(writer.finish());
    return report;
}

core::Status save_last_frame_png(const fs::path& video, const fs::path& png)
{
    auto info = SW_TRY(media::probe(video));
    const int w = info.coded_width & ~1, h = info.coded_height & ~1;
    core::Frame last;
    SW_TRY_STATUS(for_each_frame(video, w, h, info.avg_frame_rate.num > 0 ? info.avg_frame_rate : core::Rational{30, 1},
                                 [&](const core::Frame& f) -> core::Status {
                                     last = f.clone();
                                     return {};
                                 }));
    if (last.empty())
        return core::make_error(core::ErrorCategory::Input, "the clip " + video.string() + " has no frames");
    gfx::SurfacePtr surface(cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h));
    cairo_surface_t* s = surface.get();
    cairo_surface_flush(s);
    uint8_t* data = cairo_image_surface_get_data(s);
    const int stride = cairo_image_surface_get_stride(s);
    for (int y = 0; y < h; ++y) {
        uint32_t* row = reinterpret_cast<uint32_t*>(data + (size_t)y * stride);
        const uint8_t* yr = last.row(0, y);
        const uint8_t* ur = last.row(1, y / 2);
        const uint8_t* vr = last.row(2, y / 2);
        for (int x = 0; x < w; ++x) {
            double yy = (yr[x] - 16) / 219.0, pb = (ur[x / 2] - 128) / 224.0, pr = (vr[x / 2] - 128) / 224.0;
            auto c = [](double v) { return (uint32_t)std::clamp((int)std::lround(v * 255), 0, 255); };
            namespace bt = core::bt709;
            row[x] = (c(yy + bt::cr_scale * pr) << 16) | (c(yy - bt::g_from_cb * pb - bt::g_from_cr * pr) << 8) |
                     c(yy + bt::cb_scale * pb);
        }
    }
    cairo_surface_mark_dirty(s);
    fs::path tmp = png;
    tmp += ".part";
    cairo_status_t st = cairo_surface_write_to_png(s, tmp.c_str());
    surface.reset();
    std::error_code ec;
    if (st != CAIRO_STATUS_SUCCESS) {
        fs::remove(tmp, ec);
        return core::make_error(core::ErrorCategory::Io, "cannot write " + png.string(), cairo_status_to_string(st));
    }
    fs::rename(tmp, png, ec);
    if (ec)
        return core::make_error(core::ErrorCategory::Io, "cannot write " + png.string(), ec.message());
    return {};
}

}  // namespace sw::render
