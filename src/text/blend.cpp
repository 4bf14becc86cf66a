#include "text/blend.h"

#include <algorithm>
#include <cmath>

#include "core/bt709.h"

namespace sw::text {

CueBitmap bitmap_from_argb(const uint8_t* px, int stride, int w, int h, int ox, int oy)
{
    CueBitmap b;
    // Even origin and size: each 2×2 block of the bitmap then maps onto exactly one chroma sample.
    b.x = ox - (ox & 1);
    b.y = oy - (oy & 1);
    int sx0 = ox - b.x, sy0 = oy - b.y;  // where the source starts inside the bitmap (0 or 1)
    b.w = (w + sx0 + 1) & ~1;
    b.h = (h + sy0 + 1) & ~1;
    if (w <= 0 || h <= 0) {
        b.w = b.h = 0;
        return b;
    }
    const size_t n = (size_t)b.w * b.h;
    b.alpha.assign(n, 0);
    b.luma.assign(n, 0);
    std::vector<float> fr(n, 0), fg(n, 0), fb(n, 0), fa(n, 0);
    b.row_first.assign(b.h, b.w);
    b.row_last.assign(b.h, -1);
    for (int y = 0; y < h; ++y) {
        const uint32_t* row = reinterpret_cast<const uint32_t*>(px + (size_t)y * stride);
        for (int x = 0; x < w; ++x) {
            uint32_t v = row[x];
            if (v == 0)
                continue;
            size_t i = (size_t)(y + sy0) * b.w + (x + sx0);
            float a = ((v >> 24) & 255) / 255.f, r = ((v >> 16) & 255) / 255.f, g = ((v >> 8) & 255) / 255.f,
                  bl = (v & 255) / 255.f;  // premultiplied
            fa[i] = a, fr[i] = r, fg[i] = g, fb[i] = bl;
            float yl = 16 * a + 219 * core::bt709::luma(r, g, bl);
            b.alpha[i] = (uint16_t)std::lround(a * 4096);
            b.luma[i] = (uint16_t)std::lround(yl * 16);
            int by = y + sy0, bx = x + sx0;
            b.row_first[by] = std::min(b.row_first[by], bx & ~1);
            b.row_last[by] = std::max(b.row_last[by], bx | 1);
        }
    }
    const int cw = b.w / 2, ch = b.h / 2;
    b.calpha.assign((size_t)cw * ch, 0);
    b.cu.assign((size_t)cw * ch, 0);
    b.cv.assign((size_t)cw * ch, 0);
    for (int y = 0; y < ch; ++y)
        for (int x = 0; x < cw; ++x) {
            float sa = 0, sr = 0, sg = 0, sb = 0;
            for (int dy = 0; dy < 2; ++dy)
                for (int dx = 0; dx < 2; ++dx) {
                    size_t i = (size_t)(2 * y + dy) * b.w + 2 * x + dx;
                    sa += fa[i], sr += fr[i], sg += fg[i], sb += fb[i];
                }
            sa /= 4, sr /= 4, sg /= 4, sb /= 4;
            float yl = core::bt709::luma(sr, sg, sb);
            size_t c = (size_t)y * cw + x;
            b.calpha[c] = (uint16_t)std::lround(sa * 4096);
            b.cu[c] = (int16_t)std::lround(16 * 224 * (sb - yl) / core::bt709::cb_scale_f);
            b.cv[c] = (int16_t)std::lround(16 * 224 * (sr - yl) / core::bt709::cr_scale_f);
        }
    return b;
}

namespace {

// Bilinear sample of a w×h plane at (x, y) in source pixel units (pixel centres at +0.5); outside is 0.
template <class T>
double sample(const std::vector<T>& p, int w, int h, double x, double y)
{
    x -= 0.5, y -= 0.5;
    int x0 = (int)std::floor(x), y0 = (int)std::floor(y);
    double fx = x - x0, fy = y - y0;
    auto at = [&](int xx, int yy) -> double {
        if (xx < 0 || yy < 0 || xx >= w || yy >= h)
            return 0;
        return p[(size_t)yy * w + xx];
    };
    return (at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx) * (1 - fy) +
           (at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx) * fy;
}

}  // namespace

CueBitmap scale_bitmap(const CueBitmap& b, double scale)
{
    if (b.empty() || scale <= 0)
        return {};
    CueBitmap o;
    o.lines = b.lines;
    o.w = std::max(2, (int)std::lround(b.w * scale) & ~1);
    o.h = std::max(2, (int)std::lround(b.h * scale) & ~1);
    // Keep the centre where it was (rounded to even, as every bitmap position is).
    o.x = (int)std::lround(b.x + (b.w - o.w) / 2.0) & ~1;
    o.y = (int)std::lround(b.y + (b.h - o.h) / 2.0) & ~1;
    const double sx = (double)b.w / o.w, sy = (double)b.h / o.h;
    const size_t n = (size_t)o.w * o.h;
    o.alpha.assign(n, 0);
    o.luma.assign(n, 0);
    o.row_first.assign(o.h, o.w);
    o.row_last.assign(o.h, -1);
    for (int y = 0; y < o.h; ++y)
        for (int x = 0; x < o.w; ++x) {
            double fx = (x + 0.5) * sx, fy = (y + 0.5) * sy;
            double a = sample(b.alpha, b.w, b.h, fx, fy);
            if (a < 0.5)
                continue;
            size_t i = (size_t)y * o.w + x;
            o.alpha[i] = (uint16_t)std::lround(a);
            o.luma[i] = (uint16_t)std::lround(sample(b.luma, b.w, b.h, fx, fy));
            o.row_first[y] = std::min(o.row_first[y], x & ~1);
            o.row_last[y] = std::max(o.row_last[y], x | 1);
        }
    const int cw = o.w / 2, ch = o.h / 2, bcw = b.w / 2, bch = b.h / 2;
    o.calpha.assign((size_t)cw * ch, 0);
    o.cu.assign((size_t)cw * ch, 0);
    o.cv.assign((size_t)cw * ch, 0);
    for (int y = 0; y < ch; ++y)
        for (int x = 0; x < cw; ++x) {
            double fx = (x + 0.5) * sx, fy = (y + 0.5) * sy;
            size_t c = (size_t)y * cw + x;
            o.calpha[c] = (uint16_t)std::lround(sample(b.calpha, bcw, bch, fx, fy));
            o.cu[c] = (int16_t)std::lround(sample(b.cu, bcw, bch, fx, fy));
            o.cv[c] = (int16_t)std::lround(sample(b.cv, bcw, bch, fx, fy));
        }
    return o;
}

void blend(core::Frame& f, const CueBitmap& b, double opacity)
{
    if (b.empty() || opacity <= 0)
        return;
    const int o = (int)std::lround(std::min(opacity, 1.0) * 4096);
    const int x0 = std::max(0, -b.x), x1 = std::min(b.w, f.width() - b.x);  // visible columns
    const int y0 = std::max(0, -b.y), y1 = std::min(b.h, f.height() - b.y);
    if (x0 >= x1 || y0 >= y1)
        return;
    for (int y = y0; y < y1; ++y) {
        int lo = std::max(x0, b.row_first[y]), hi = std::min(x1 - 1, b.row_last[y]);
        if (lo > hi)
            continue;
        uint8_t* row = f.row(0, b.y + y) + b.x;
        const uint16_t* A = b.alpha.data() + (size_t)y * b.w;
        const uint16_t* L = b.luma.data() + (size_t)y * b.w;
        for (int x = lo; x <= hi; ++x) {
            int a = (A[x] * o + 2048) >> 12;
            int l = (L[x] * o + 2048) >> 12;  // ×16
            int v = (row[x] * (4096 - a) + l * 256 + 2048) >> 12;
            row[x] = (uint8_t)std::clamp(v, 0, 255);
        }
    }
    const int cw = b.w / 2;
    for (int y = y0 / 2; y < (y1 + 1) / 2; ++y) {
        int lo = std::max(x0, std::min(b.row_first[2 * y], b.row_first[std::min(2 * y + 1, b.h - 1)]));
        int hi = std::min(x1 - 1, std::max(b.row_last[2 * y], b.row_last[std::min(2 * y + 1, b.h - 1)]));
        if (lo > hi)
            continue;
        uint8_t* u = f.row(1, b.y / 2 + y) + b.x / 2;
        uint8_t* v = f.row(2, b.y / 2 + y) + b.x / 2;
        const uint16_t* A = b.calpha.data() + (size_t)y * cw;
        const int16_t* U = b.cu.data() + (size_t)y * cw;
        const int16_t* V = b.cv.data() + (size_t)y * cw;
        for (int x = lo / 2; x <= hi / 2; ++x) {
            int a = (A[x] * o + 2048) >> 12;
            int keep = 4096 - a;
            int du = (U[x] * o) / 4096, dv = (V[x] * o) / 4096;  // ×16
            int nu = ((u[x] - 128) * keep + du * 256 + (128 << 12) + 2048) >> 12;
            int nv = ((v[x] - 128) * keep + dv * 256 + (128 << 12) + 2048) >> 12;
            u[x] = (uint8_t)std::clamp(nu, 0, 255);
            v[x] = (uint8_t)std::clamp(nv, 0, 255);
        }
    }
}

}  // namespace sw::text
