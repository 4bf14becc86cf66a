#include "render/image_ops.h"

#include <algorithm>
#include <cmath>
#include <vector>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

extern "C" {
#include <libswscale/swscale.h>
}

namespace sw::render {

using core::Frame;

core::Status scale_frame(const Frame& src, int x, int y, int w, int h, Frame& dst)
{
    x = std::clamp(x & ~1, 0, src.width() - 2);
    y = std::clamp(y & ~1, 0, src.height() - 2);
    w = std::clamp(w & ~1, 2, src.width() - x);
    h = std::clamp(h & ~1, 2, src.height() - y);
    int flags = (w > 2 * dst.width() || h > 2 * dst.height()) ? SWS_AREA : SWS_BICUBIC;
    flags |= SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT;
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

namespace {

struct Tap {
    int index;
    int weight;  // of index+1, in 1/256
};

// Tap positions for `n` output samples covering [start, start + len) of a source of `size`.
void make_taps(std::vector<Tap>& taps, int n, double start, double len, int size)
{
    taps.resize(n);
    double step = len / n;
    for (int i = 0; i < n; ++i) {
        double s = start + (i + 0.5) * step - 0.5;
        s = std::clamp(s, 0.0, double(size - 1));
        int idx = std::min((int)s, std::max(size - 2, 0));
        int wgt = (int)std::lround((s - idx) * 256.0);
        if (size == 1) {
            idx = 0;
            wgt = 0;
        }
        taps[i] = {idx, std::clamp(wgt, 0, 256)};
    }
}

// Vertical pass: blends two source rows. SSE2 (every x86-64 has it): 16 samples per step.
void vblend(const uint8_t* __restrict a, const uint8_t* __restrict b, uint8_t* __restrict out, int n, int wb)
{
    int i = 0;
#if defined(__SSE2__)
    const __m128i wa = _mm_set1_epi16(int16_t(256 - wb)), w1 = _mm_set1_epi16(int16_t(wb));
    const __m128i half = _mm_set1_epi16(128), zero = _mm_setzero_si128();
    for (; i + 16 <= n; i += 16) {
        __m128i va = _mm_loadu_si128(reinterpret_cast<const __m128i*>(a + i));
        __m128i vb = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b + i));
        __m128i lo = _mm_add_epi16(_mm_mullo_epi16(_mm_unpacklo_epi8(va, zero), wa),
                                   _mm_mullo_epi16(_mm_unpacklo_epi8(vb, zero), w1));
        __m128i hi = _mm_add_epi16(_mm_mullo_epi16(_mm_unpackhi_epi8(va, zero), wa),
                                   _mm_mullo_epi16(_mm_unpackhi_epi8(vb, zero), w1));
        lo = _mm_srli_epi16(_mm_add_epi16(lo, half), 8);
        hi = _mm_srli_epi16(_mm_add_epi16(hi, half), 8);
        _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i), _mm_packus_epi16(lo, hi));
    }
#endif
    for (; i < n; ++i)
        out[i] = uint8_t((a[i] * (256 - wb) + b[i] * wb + 128) >> 8);
}

// Horizontal pass: a two-tap gather per output sample, as a + (b − a)·w (one multiply).
void hgather(const uint8_t* __restrict row, const Tap* __restrict taps, uint8_t* __restrict out, int n)
{
    for (int i = 0; i < n; ++i) {
        const uint8_t* p = row + taps[i].index;
        const int a = p[0], b = p[1];
        out[i] = uint8_t(a + (((b - a) * taps[i].weight + 128) >> 8));
    }
}

#if defined(__x86_64__)
// The same gather 8 samples at a time with SSSE3's byte shuffle: when 8 consecutive taps read
// within 16 source bytes (true for scale factors up to ~1.8, which covers camera moves), one
// load plus two shuffles fetch all their left and right neighbours. The shuffle masks depend
// only on the taps, so they are built once per plane and reused for every row.
struct GatherBlock {
    int base;           // first source byte of the 16 loaded
    uint8_t ia[16];     // shuffle: left taps into 16-bit lanes (high bytes zeroed with 0x80)
    uint8_t ib[16];     // shuffle: right taps
    uint16_t wa[8];     // 256 − w
    uint16_t wb[8];     // w
};

bool build_blocks(const std::vector<Tap>& taps, int src_len, std::vector<GatherBlock>& blocks)
{
    const int n = (int)taps.size();
    blocks.resize(n / 8);
    for (int k = 0; k < n / 8; ++k) {
        GatherBlock& g = blocks[k];
        g.base = taps[8 * k].index;
        if (g.base + 16 > src_len + 1)  // the 16-byte load must stay inside the row buffer
            return false;
        for (int j = 0; j < 8; ++j) {
            const Tap& t = taps[8 * k + j];
            int off = t.index - g.base;
            if (off < 0 || off + 1 > 15)
                return false;
            g.ia[2 * j] = uint8_t(off);
            g.ia[2 * j + 1] = 0x80;
            g.ib[2 * j] = uint8_t(off + 1);
            g.ib[2 * j + 1] = 0x80;
            g.wa[j] = uint16_t(256 - t.weight);
            g.wb[j] = uint16_t(t.weight);
        }
    }
    return true;
}

__attribute__((target("ssse3"))) void hgather_ssse3(const uint8_t* __restrict row, const Tap* __restrict taps,
                                                   const GatherBlock* blocks, uint8_t* __restrict out, int n)
{
    const __m128i half = _mm_set1_epi16(128);
    const int nb = n / 8;
    for (int k = 0; k < nb; ++k) {
        const GatherBlock& g = blocks[k];
        __m128i src = _mm_loadu_si128(reinterpret_cast<const __m128i*>(row + g.base));
        __m128i a = _mm_shuffle_epi8(src, _mm_loadu_si128(reinterpret_cast<const __m128i*>(g.ia)));
        __m128i b = _mm_shuffle_epi8(src, _mm_loadu_si128(reinterpret_cast<const __m128i*>(g.ib)));
        __m128i v = _mm_add_epi16(_mm_mullo_epi16(a, _mm_loadu_si128(reinterpret_cast<const __m128i*>(g.wa))),
                                  _mm_mullo_epi16(b, _mm_loadu_si128(reinterpret_cast<const __m128i*>(g.wb))));
        v = _mm_srli_epi16(_mm_add_epi16(v, half), 8);
        _mm_storel_epi64(reinterpret_cast<__m128i*>(out + 8 * k), _mm_packus_epi16(v, v));
    }
    hgather(row, taps + 8 * nb, out + 8 * nb, n - 8 * nb);
}
#endif

}  // namespace

void sample_bilinear(const Frame& src, double x, double y, double w, double h, Frame& dst, int y0, int y1)
{
    if (y1 < 0)
        y1 = dst.height();
    std::vector<Tap> xt, yt;
    std::vector<uint8_t> tmp;
#if defined(__x86_64__)
    std::vector<GatherBlock> blocks;
#endif
    for (int p = 0; p < 3; ++p) {
        const double sc = p == 0 ? 1.0 : 0.5;
        const int dw = dst.plane_width(p), dh = dst.plane_height(p);
        const int sw = src.plane_width(p), sh = src.plane_height(p);
        make_taps(xt, dw, x * sc, w * sc, sw);
        make_taps(yt, dh, y * sc, h * sc, sh);
        // Only the source columns the taps touch are blended vertically.
        const int xa = xt.front().index, xb = std::min(sw, xt.back().index + 2);
        tmp.assign(xb - xa + 18, 0);  // +16: slack for the 16-byte loads of the last block
        for (auto& t : xt)
            t.index -= xa;
#if defined(__x86_64__)
        static const bool have_ssse3 = __builtin_cpu_supports("ssse3");
        const bool fast = have_ssse3 && build_blocks(xt, xb - xa + 16, blocks);
#endif
        const int r0 = p == 0 ? y0 : y0 / 2, r1 = p == 0 ? y1 : y1 / 2;
        for (int r = r0; r < r1; ++r) {
            const int sy = yt[r].index, sy1 = std::min(sy + 1, sh - 1);
            vblend(src.row(p, sy) + xa, src.row(p, sy1) + xa, tmp.data(), xb - xa, yt[r].weight);
            tmp[xb - xa] = tmp[xb - xa - 1];  // a last tap with weight 0 may read one past the span
#if defined(__x86_64__)
            if (fast) {
                hgather_ssse3(tmp.data(), xt.data(), blocks.data(), dst.row(p, r), dw);
                continue;
            }
#endif
            hgather(tmp.data(), xt.data(), dst.row(p, r), dw);
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
