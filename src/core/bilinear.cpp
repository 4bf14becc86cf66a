#include "core/bilinear.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace sw::core::bilinear {

void make_axis(Axis& ax, int n, double start, double step, int size)
{
    ax.taps.resize(n);
    for (int i = 0; i < n; ++i) {
        double s = start + (i + 0.5) * step - 0.5;
        s = std::clamp(s, 0.0, double(size - 1));
        int idx = std::min((int)s, std::max(size - 2, 0));
        int wgt = (int)std::lround((s - idx) * 256.0);
        if (size == 1)
            idx = 0, wgt = 0;
        ax.taps[i] = {idx, std::clamp(wgt, 0, 256)};
    }
    ax.size = size;
    ax.fast = false;
#if defined(__x86_64__)
    static const bool have_ssse3 = __builtin_cpu_supports("ssse3");
    if (!have_ssse3)
        return;
    ax.blocks.resize(n / 8);
    for (int k = 0; k < n / 8; ++k) {
        GatherBlock& g = ax.blocks[k];
        g.base = ax.taps[8 * k].index;
        for (int j = 0; j < 8; ++j) {
            const Tap& t = ax.taps[8 * k + j];
            const int off = t.index - g.base;
            if (off < 0 || off + 1 > 15)
                return;  // scale too small for one 16-byte load per 8 taps: scalar path
            g.ia[2 * j] = uint8_t(off);
            g.ia[2 * j + 1] = 0x80;
            g.ib[2 * j] = uint8_t(off + 1);
            g.ib[2 * j + 1] = 0x80;
            g.wa[j] = uint16_t(256 - t.weight);
            g.wb[j] = uint16_t(t.weight);
        }
    }
    ax.fast = true;
#endif
}

namespace {

void vblend_scalar(const uint8_t* a, const uint8_t* b, uint8_t* out, int n, int wb)
{
    for (int i = 0; i < n; ++i)
        out[i] = uint8_t((a[i] * (256 - wb) + b[i] * wb + 128) >> 8);
}

#if defined(__x86_64__)
__attribute__((target("avx2"))) void vblend_avx2(const uint8_t* __restrict a, const uint8_t* __restrict b,
                                                 uint8_t* __restrict out, int n, int wb)
{
    int i = 0;
    const __m256i wa = _mm256_set1_epi16(int16_t(256 - wb)), w1 = _mm256_set1_epi16(int16_t(wb));
    const __m256i half = _mm256_set1_epi16(128), zero = _mm256_setzero_si256();
    for (; i + 32 <= n; i += 32) {
        __m256i va = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(a + i));
        __m256i vb = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b + i));
        __m256i lo = _mm256_add_epi16(_mm256_mullo_epi16(_mm256_unpacklo_epi8(va, zero), wa),
                                      _mm256_mullo_epi16(_mm256_unpacklo_epi8(vb, zero), w1));
        __m256i hi = _mm256_add_epi16(_mm256_mullo_epi16(_mm256_unpackhi_epi8(va, zero), wa),
                                      _mm256_mullo_epi16(_mm256_unpackhi_epi8(vb, zero), w1));
        lo = _mm256_srli_epi16(_mm256_add_epi16(lo, half), 8);
        hi = _mm256_srli_epi16(_mm256_add_epi16(hi, half), 8);
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i), _mm256_packus_epi16(lo, hi));
    }
    vblend_scalar(a + i, b + i, out + i, n - i, wb);
}

void vblend_sse2(const uint8_t* __restrict a, const uint8_t* __restrict b, uint8_t* __restrict out, int n, int wb)
{
    int i = 0;
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
    vblend_scalar(a + i, b + i, out + i, n - i, wb);
}

const bool g_avx2 = __builtin_cpu_supports("avx2");
#endif

}  // namespace

void vblend(const uint8_t* a, const uint8_t* b, uint8_t* out, int n, int wb)
{
#if defined(__x86_64__)
    if (g_avx2)
        return vblend_avx2(a, b, out, n, wb);
    return vblend_sse2(a, b, out, n, wb);
#else
    vblend_scalar(a, b, out, n, wb);
#endif
}

namespace {

void hgather_scalar(const uint8_t* row, const Tap* taps, uint8_t* out, int n)
{
    for (int i = 0; i < n; ++i) {
        const uint8_t* p = row + taps[i].index;
        const int a = p[0], b = p[1];
        out[i] = uint8_t(a + (((b - a) * taps[i].weight + 128) >> 8));
    }
}

#if defined(__x86_64__)
__attribute__((target("ssse3"))) void hgather_ssse3(const uint8_t* __restrict row, const GatherBlock* blocks,
                                                   uint8_t* __restrict out, int nb)
{
    const __m128i half = _mm_set1_epi16(128);
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
}
#endif

}  // namespace

void sample_span(const uint8_t* r0, const uint8_t* r1, int wy, const Axis& ax, int o0, int o1, uint8_t* scratch,
                 uint8_t* out)
{
    if (o1 <= o0)
        return;
    const Tap* taps = ax.taps.data();
    const int c0 = taps[o0].index, c1 = std::min(taps[o1 - 1].index + 2, ax.size);
    // Only the columns the taps use are blended, into `scratch` at their own offsets; the
    // 16-byte gathers then read inside `scratch` (size + 32 bytes), never past a source row.
    if (wy == 0)
        std::memcpy(scratch + c0, r0 + c0, size_t(c1 - c0));
    else
        vblend(r0 + c0, r1 + c0, scratch + c0, c1 - c0, wy);
    scratch[c1] = scratch[c1 - 1];  // a last tap of weight 0 may read one past the span
    const uint8_t* src = scratch;
#if defined(__x86_64__)
    if (ax.fast) {
        const int b0 = (o0 + 7) / 8, b1 = o1 / 8;
        if (b1 > b0) {
            hgather_scalar(src, taps + o0, out + o0, 8 * b0 - o0);
            hgather_ssse3(src, ax.blocks.data() + b0, out + 8 * b0, b1 - b0);
            hgather_scalar(src, taps + 8 * b1, out + 8 * b1, o1 - 8 * b1);
            return;
        }
    }
#endif
    hgather_scalar(src, taps + o0, out + o0, o1 - o0);
}

}  // namespace sw::core::bilinear
