#include "render/image_ops.h"

#include <algorithm>
#include <cmath>
#include <vector>

extern "C" {
#include <libswscale/swscale.h>
}

#include "core/bilinear.h"
#include "media/media.h"

namespace sw::render {

using core::Frame;

core::Status scale_frame(const Frame& src, int x, int y, int w, int h, Frame& dst)
{
    x = std::clamp(x & ~1, 0, src.width() - 2);
    y = std::clamp(y & ~1, 0, src.height() - 2);
    w = std::clamp(w & ~1, 2, src.width() - x);
    h = std::clamp(h & ~1, 2, src.height() - y);
    media::cpu_profile();
    int flags = media::exact_sws_flags((w > 2 * dst.width() || h > 2 * dst.height()) ? SWS_AREA : SWS_BICUBIC);
    flags |= SWS_FULL_CHR_H_INT;
    SwsContext* ctx = sws_getContext(w, h, AV_PIX_FMT_YUV420P, dst.width(), dst.height(), AV_PIX_FMT_YUV420P,
                                     flags, nullptr, nullptr, nullptr);
    if (!ctx)
        return core::make_error(core::ErrorCategory::Internal, "could not set up picture scaling",
                                std::to_string(w) + "x" + std::to_string(h) + " → " + std::to_string(dst.width()) +
                                    "x" + std::to_string(dst.height()));
    const uint8_t* sp[4] = {src.plane(0) + (size_t)y * src.stride(0) + x,
                            src.plane(1) + (size_t)(y / 2) * src.stride(1) + x / 2,
                            src.plane(2) + (size_t)(y / 2) * src.stride(2) + x / 2, nullptr};
    int ss[4] = {src.stride(0), src.stride(1), src.stride(2), 0};
    uint8_t* dp[4] = {dst.plane(0), dst.plane(1), dst.plane(2), nullptr};
    int ds[4] = {dst.stride(0), dst.stride(1), dst.stride(2), 0};
    sws_scale(ctx, sp, ss, 0, h, dp, ds);
    sws_freeContext(ctx);
    return {};
}

void sample_bilinear(const Frame& src, double x, double y, double w, double h, Frame& dst, int y0, int y1)
{
    namespace bl = core::bilinear;
    if (y1 < 0)
        y1 = dst.height();
    bl::Axis xa, ya;
    std::vector<uint8_t> scratch;
    for (int p = 0; p < 3; ++p) {
        const double sc = p == 0 ? 1.0 : 0.5;
        const int dw = dst.plane_width(p), dh = dst.plane_height(p);
        const int sw = src.plane_width(p), sh = src.plane_height(p);
        bl::make_axis(xa, dw, x * sc, w * sc / dw, sw);
        bl::make_axis(ya, dh, y * sc, h * sc / dh, sh);
        scratch.assign(sw + 32, 0);
        const int r0 = p == 0 ? y0 : y0 / 2, r1 = p == 0 ? y1 : y1 / 2;
        for (int r = r0; r < r1; ++r) {
            const int sy = ya.taps[r].index, sy1 = std::min(sy + 1, sh - 1);
            bl::sample_span(src.row(p, sy), src.row(p, sy1), ya.taps[r].weight, xa, 0, dw, scratch.data(), dst.row(p, r));
        }
    }
}

static void blur_line(const uint8_t* in, uint8_t* out, int n, int step, int radius, std::vector<uint8_t>& tmp)
{
    tmp.resize(n);
    for (int i = 0; i < n; ++i)
        tmp[i] = in[(size_t)i * step];
    const int window = 2 * radius + 1;
    int sum = 0;
    for (int k = -radius; k <= radius; ++k)
        sum += tmp[std::clamp(k, 0, n - 1)];
    for (int i = 0; i < n; ++i) {
        out[(size_t)i * step] = uint8_t((sum + window / 2) / window);
        sum += tmp[std::min(i + radius + 1, n - 1)] - tmp[std::max(i - radius, 0)];
    }
}

void box_blur(Frame& f, int radius, int passes)
{
    std::vector<uint8_t> tmp;
    for (int p = 0; p < 3; ++p) {
        int r = p == 0 ? radius : std::max(1, radius / 2);
        int w = f.plane_width(p), h = f.plane_height(p);
        for (int pass = 0; pass < passes; ++pass) {
            for (int y = 0; y < h; ++y)
                blur_line(f.row(p, y), f.row(p, y), w, 1, r, tmp);
            for (int x = 0; x < w; ++x)
                blur_line(f.plane(p) + x, f.plane(p) + x, h, f.stride(p), r, tmp);
        }
    }
}

void darken(Frame& f, double light, double saturation)
{
    const int ly = (int)std::lround(light * 256), ls = (int)std::lround(saturation * 256);
    for (int p = 0; p < 3; ++p) {
        const int base = p == 0 ? 16 : 128, k = p == 0 ? ly : ls;
        for (int y = 0; y < f.plane_height(p); ++y) {
            uint8_t* row = f.row(p, y);
            for (int x = 0; x < f.plane_width(p); ++x)
                row[x] = uint8_t(base + (((row[x] - base) * k) >> 8));
        }
    }
}

void blit(const Frame& src, Frame& dst, int x, int y)
{
    x &= ~1;
    y &= ~1;
    for (int p = 0; p < 3; ++p) {
        int sc = p == 0 ? 1 : 2;
        int px = x / sc, py = y / sc;
        int sx0 = std::max(0, -px), sy0 = std::max(0, -py);
        int w = std::min(src.plane_width(p), dst.plane_width(p) - px) - sx0;
        int h = std::min(src.plane_height(p), dst.plane_height(p) - py) - sy0;
        if (w <= 0 || h <= 0)
            continue;
        for (int r = 0; r < h; ++r)
            std::memcpy(dst.row(p, py + sy0 + r) + px + sx0, src.row(p, sy0 + r) + sx0, w);
    }
}

double ease_in_out(double t)
{
    t = std::clamp(t, 0.0, 1.0);
    return 0.5 - 0.5 * std::cos(M_PI * t);
}

}  // namespace sw::render
