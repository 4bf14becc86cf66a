#pragma once
// Bilinear resampling of 8-bit rows: the kernel behind camera moves on stills and the scene
// generator's parallax layers. A row of output samples is described once by an Axis (which
// source sample each output reads, and its weight); each output row then costs one vertical
// blend of two source rows and a horizontal two-tap gather, both SIMD (SSE2 everywhere,
// SSSE3/AVX2 when the CPU has them).

#include <cstdint>
#include <vector>

namespace sw::core::bilinear {

struct Tap {
    int index;   // left source sample
    int weight;  // of index + 1, in 1/256
};

// Eight taps fetched with one 16-byte load and two byte shuffles (SSSE3): when 8 consecutive
// taps read within 16 source bytes (scale factors up to ~1.8, which covers camera moves).
struct GatherBlock {
    int base;           // first source byte of the 16 loaded
    uint8_t ia[16];     // shuffle: left taps into 16-bit lanes (high bytes zeroed with 0x80)
    uint8_t ib[16];     // shuffle: right taps
    uint16_t wa[8];     // 256 − w
    uint16_t wb[8];     // w
};

struct Axis {
    std::vector<Tap> taps;
    std::vector<GatherBlock> blocks;
    int size = 0;       // source samples
    bool fast = false;  // blocks usable
};

// The source positions of `n` output samples starting at source coordinate `start` (pixel
// edges), `step` source pixels apart, in a source of `size` samples (clamped at the edges).
void make_axis(Axis& ax, int n, double start, double step, int size);

// out[i] = (a[i]·(256 − wb) + b[i]·wb + 128) >> 8.
void vblend(const uint8_t* a, const uint8_t* b, uint8_t* out, int n, int wb);

// Bilinear samples [o0, o1) of one output row into out[o0..o1), between source rows r0 and r1
// (r1 weighted wy/256). `scratch` holds at least ax.size + 32 bytes (zero-initialised once);
// the source rows are read only within the columns the taps use.
void sample_span(const uint8_t* r0, const uint8_t* r1, int wy, const Axis& ax, int o0, int o1, uint8_t* scratch,
                 uint8_t* out);

}  // namespace sw::core::bilinear
