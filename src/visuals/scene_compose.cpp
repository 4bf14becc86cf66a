// Per-frame composition kernels of the scene generator: bilinear sampling of a layer row at a
// camera position and blending premultiplied YUV+alpha into the output. These run for every
// pixel of every frame, so they are SIMD (SSE2 everywhere, SSSE3/AVX2 when the CPU has them).

#include "visuals/scene.h"

#include <algorithm>
#include <cmath>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace sw::visuals::kernels {

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
    const uint8_t* src;
    if (wy == 0) {
        src = r0;  // on a source row: no vertical blend (the 16-byte loads may read past the
                   // row into the next one or the buffer's slack; those lanes are never used)
    } else {
        vblend(r0 + c0, r1 + c0, scratch + c0, c1 - c0, wy);
        scratch[c1] = scratch[c1 - 1];  // a last tap of weight 0 may read one past the span
        src = scratch;
    }
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

namespace {

// out = v + (out − offset)·(256 − a′)/256, a′ = a + a/128 (so 255 → 256): premultiplied "over".
void blend_scalar(uint8_t* out, const uint8_t* v, const uint8_t* a, int n, int offset, int hi)
{
    for (int i = 0; i < n; ++i) {
        const int ap = a[i] + (a[i] >> 7);
        const int r = v[i] + (((out[i] - offset) * (256 - ap) + 128) >> 8);
        out[i] = uint8_t(std::clamp(r, 16, hi));
    }
}

#if defined(__x86_64__)
__attribute__((target("avx2"))) void blend_avx2(uint8_t* __restrict out, const uint8_t* __restrict v,
                                                const uint8_t* __restrict a, int n, int offset, int hi)
{
    int i = 0;
    const __m256i zero = _mm256_setzero_si256(), k256 = _mm256_set1_epi16(256), half = _mm256_set1_epi16(128);
    const __m256i off = _mm256_set1_epi16(int16_t(offset));
    const __m256i lo8 = _mm256_set1_epi8(16), hi8 = _mm256_set1_epi8((char)hi);
    for (; i + 32 <= n; i += 32) {
        __m256i vo = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(out + i));
        __m256i vv = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(v + i));
        __m256i va = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(a + i));
        __m256i res[2];
        for (int h = 0; h < 2; ++h) {
            __m256i o16 = h ? _mm256_unpackhi_epi8(vo, zero) : _mm256_unpacklo_epi8(vo, zero);
            __m256i v16 = h ? _mm256_unpackhi_epi8(vv, zero) : _mm256_unpacklo_epi8(vv, zero);
            __m256i a16 = h ? _mm256_unpackhi_epi8(va, zero) : _mm256_unpacklo_epi8(va, zero);
            a16 = _mm256_add_epi16(a16, _mm256_srli_epi16(a16, 7));
            __m256i inv = _mm256_sub_epi16(k256, a16);
            __m256i d = _mm256_sub_epi16(o16, off);  // signed: chroma may be below its offset
            __m256i m = _mm256_mullo_epi16(d, inv);
            // Signed (d·inv + 128) >> 8 without overflow: |d| ≤ 219 for luma needs 17 bits, so
            // split: high part via mulhi gives the exact 32-bit product's upper 16 bits.
            __m256i mh = _mm256_mulhi_epi16(d, inv);
            // 32-bit product p = mh:m; (p + 128) >> 8 fits 16 bits: combine the halves.
            __m256i lo = _mm256_add_epi16(m, half);
            __m256i carry = _mm256_srli_epi16(_mm256_andnot_si256(lo, m), 15);  // carry out of m + 128
            mh = _mm256_add_epi16(mh, carry);
            __m256i r = _mm256_or_si256(_mm256_srli_epi16(lo, 8), _mm256_slli_epi16(mh, 8));
            res[h] = _mm256_add_epi16(v16, r);
        }
        __m256i packed = _mm256_packus_epi16(res[0], res[1]);
        packed = _mm256_min_epu8(_mm256_max_epu8(packed, lo8), hi8);
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i), packed);
    }
    blend_scalar(out + i, v + i, a + i, n - i, offset, hi);
}

void blend_sse2(uint8_t* __restrict out, const uint8_t* __restrict v, const uint8_t* __restrict a, int n, int offset,
                int hi)
{
    int i = 0;
    const __m128i zero = _mm_setzero_si128(), k256 = _mm_set1_epi16(256), half = _mm_set1_epi16(128);
    const __m128i off = _mm_set1_epi16(int16_t(offset));
    const __m128i lo8 = _mm_set1_epi8(16), hi8 = _mm_set1_epi8((char)hi);
    for (; i + 16 <= n; i += 16) {
        __m128i vo = _mm_loadu_si128(reinterpret_cast<const __m128i*>(out + i));
        __m128i vv = _mm_loadu_si128(reinterpret_cast<const __m128i*>(v + i));
        __m128i va = _mm_loadu_si128(reinterpret_cast<const __m128i*>(a + i));
        __m128i res[2];
        for (int h = 0; h < 2; ++h) {
            __m128i o16 = h ? _mm_unpackhi_epi8(vo, zero) : _mm_unpacklo_epi8(vo, zero);
            __m128i v16 = h ? _mm_unpackhi_epi8(vv, zero) : _mm_unpacklo_epi8(vv, zero);
            __m128i a16 = h ? _mm_unpackhi_epi8(va, zero) : _mm_unpacklo_epi8(va, zero);
            a16 = _mm_add_epi16(a16, _mm_srli_epi16(a16, 7));
            __m128i inv = _mm_sub_epi16(k256, a16);
            __m128i d = _mm_sub_epi16(o16, off);
            __m128i m = _mm_mullo_epi16(d, inv);
            __m128i mh = _mm_mulhi_epi16(d, inv);
            __m128i lo = _mm_add_epi16(m, half);
            __m128i carry = _mm_srli_epi16(_mm_andnot_si128(lo, m), 15);
            mh = _mm_add_epi16(mh, carry);
            __m128i r = _mm_or_si128(_mm_srli_epi16(lo, 8), _mm_slli_epi16(mh, 8));
            res[h] = _mm_add_epi16(v16, r);
        }
        __m128i packed = _mm_packus_epi16(res[0], res[1]);
        packed = _mm_min_epu8(_mm_max_epu8(packed, lo8), hi8);
        _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i), packed);
    }
    blend_scalar(out + i, v + i, a + i, n - i, offset, hi);
}
#endif

}  // namespace

void blend_over(uint8_t* out, const uint8_t* v, const uint8_t* a, int n, int offset, int hi)
{
#if defined(__x86_64__)
    if (g_avx2)
        return blend_avx2(out, v, a, n, offset, hi);
    return blend_sse2(out, v, a, n, offset, hi);
#else
    blend_scalar(out, v, a, n, offset, hi);
#endif
}

}  // namespace sw::visuals::kernels
