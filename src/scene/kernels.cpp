// Per-frame composition kernel of the scene generator: blending premultiplied YUV+alpha into the
// output (sampling layers at the camera position is core/bilinear.h). It runs for every pixel of
// every frame, so it is SIMD (SSE2 everywhere, AVX2 when the CPU has it).

#include "scene/scene.h"

#include <algorithm>
#include <cmath>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace sw::scene::kernels {

namespace {

#if defined(__x86_64__)
const bool g_avx2 = __builtin_cpu_supports("avx2");
#endif

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

}  // namespace sw::scene::kernels
