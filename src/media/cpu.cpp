// The SIMD the codecs may use, chosen so that a render is the same bytes on every x86-64 machine
// (docs/cache.md, "Same bytes everywhere").
//
// Measured with x264 0.164 (Debian 12): every instruction set from SSSE3 up to AVX2 gives the
// bytes of the SSSE3 code, but its AVX-512 code gives other bytes at 1080x1920 and reads
// uninitialised memory (renders differed between runs); without SSSE3 x264 falls back to code
// whose bytes differ again. So x264 gets the CPU's own sets up to AVX2, never AVX-512, and
// machines without SSSE3 (x86-64 CPUs older than about 2008) form an output class of their own.
// FFmpeg's float audio code differs between its instruction sets too, so FFmpeg runs at the
// SSE2 level every x86-64 CPU has.

#include <cstdlib>
#include <cstring>
#include <string>

#include "media/media_internal.h"

extern "C" {
#include <libavutil/cpu.h>
#include <libswscale/swscale.h>
}

namespace sw::media {

namespace {

// What every x86-64 CPU has.
constexpr int kBaseline = AV_CPU_FLAG_MMX | AV_CPU_FLAG_MMXEXT | AV_CPU_FLAG_SSE | AV_CPU_FLAG_SSE2 |
                          AV_CPU_FLAG_SSE2SLOW | AV_CPU_FLAG_CMOV;

// SHOTWEAVE_CPU caps the instruction sets (to check what an older machine would make);
// returns the libavutil flags allowed at that level, or -1 for no cap.
int cap_mask(const char* level, std::string& name)
{
    const int sse2 = kBaseline;
    const int ssse3 = sse2 | AV_CPU_FLAG_SSE3 | AV_CPU_FLAG_SSE3SLOW | AV_CPU_FLAG_SSSE3 | AV_CPU_FLAG_SSSE3SLOW;
    const int sse42 = ssse3 | AV_CPU_FLAG_SSE4 | AV_CPU_FLAG_SSE42 | AV_CPU_FLAG_AESNI;
    const int avx = sse42 | AV_CPU_FLAG_AVX | AV_CPU_FLAG_AVXSLOW;
    const int avx2 = avx | AV_CPU_FLAG_AVX2 | AV_CPU_FLAG_FMA3 | AV_CPU_FLAG_BMI1 | AV_CPU_FLAG_BMI2;
    struct Level {
        const char* name;
        int mask;
    };
    static const Level kLevels[] = {{"c", 0},         {"sse2", sse2}, {"ssse3", ssse3},
                                    {"sse4.2", sse42}, {"avx", avx},   {"avx2", avx2}};
    if (!level || !*level || std::strcmp(level, "native") == 0)
        return -1;
    for (const Level& l : kLevels)
        if (std::strcmp(level, l.name) == 0) {
            name = l.name;
            return l.mask;
        }
    return -2;
}

// x264's names for the sets libavutil found (x264 parses them in its `asm` option).
std::string x264_asm_of(int f)
{
    // Each x264 name with every libavutil flag it needs. x264's BMI2 implies LZCNT and BMI1, and
    // its AVX2 implies FMA3, BMI1 and BMI2: named only when the CPU has all of them.
    struct Name {
        int needs;
        const char* name;
    };
    static const Name kNames[] = {
        {AV_CPU_FLAG_MMXEXT, "MMX2"},
        {AV_CPU_FLAG_SSE, "SSE"},
        {AV_CPU_FLAG_SSE2, nullptr},  // SSE2Slow or SSE2Fast, below
        {AV_CPU_FLAG_SSE3, "SSE3"},
        {AV_CPU_FLAG_SSSE3, "SSSE3"},
        {AV_CPU_FLAG_SSE4, "SSE4.1"},
        {AV_CPU_FLAG_SSE42, "SSE4.2"},
        {AV_CPU_FLAG_AVX, "AVX"},
        {AV_CPU_FLAG_FMA3, "FMA3"},
        {AV_CPU_FLAG_BMI1 | AV_CPU_FLAG_BMI2, "BMI2"},
        {AV_CPU_FLAG_AVX2 | AV_CPU_FLAG_FMA3 | AV_CPU_FLAG_BMI1 | AV_CPU_FLAG_BMI2, "AVX2"},
    };
    std::string s = "Cache64";  // every x86-64 CPU has 64-byte cache lines
    for (const Name& n : kNames)
        if ((f & n.needs) == n.needs)
            s += std::string(",") + (n.name ? n.name : (f & AV_CPU_FLAG_SSE2SLOW) ? "SSE2Slow" : "SSE2Fast");
    return s;  // never AVX512: see the top of this file
}

CpuProfile make_profile()
{
    CpuProfile p;
    av_force_cpu_flags(-1);  // detect
    const int detected = av_get_cpu_flags();
    std::string cap_name;
    const int mask = cap_mask(std::getenv("SHOTWEAVE_CPU"), cap_name);
    if (mask == -2)
        p.warning = std::string("SHOTWEAVE_CPU=") + std::getenv("SHOTWEAVE_CPU") +
                    " is not one of native, avx2, avx, sse4.2, ssse3, sse2, c — ignored";
    // x264: the CPU's sets up to AVX2 (see above).
    int x264 = detected & ~(AV_CPU_FLAG_AVX512 | AV_CPU_FLAG_AVX512ICL);
    // FFmpeg's own code: its video paths (H.264 decoding, bit-exact swscale) give the same bytes
    // with any sets, but its float audio code (MP3/AAC decoding, resampling, the AAC encoder)
    // gives other samples with SSE4.2, AVX and AVX2. So it always runs at the level every x86-64
    // CPU has; decoding a 1080x1920 H.264 clip measured no slower that way (audio is a small
    // share of a render).
    int ffmpeg = detected & kBaseline;
    if (mask >= 0) {
        x264 &= mask;
        ffmpeg &= mask;
        p.limit = cap_name;
    }
    av_force_cpu_flags(ffmpeg);
    p.x264_asm = x264 & AV_CPU_FLAG_SSE2 ? x264_asm_of(x264) : "0";
    p.output_class = !(ffmpeg & AV_CPU_FLAG_SSE2) ? "no simd"  // only under SHOTWEAVE_CPU=c
                     : (x264 & AV_CPU_FLAG_SSSE3) ? "x86-64 ssse3+"
                                                  : "x86-64 sse2";
    return p;
}

}  // namespace

int exact_sws_flags(int base)
{
    // SWS_BITEXACT keeps swscale on code paths whose output does not depend on the SIMD in use
    // (and that fully write their intermediate buffers).
    return base | SWS_BITEXACT | SWS_ACCURATE_RND;
}

const CpuProfile& cpu_profile()
{
    static const CpuProfile profile = make_profile();
    return profile;
}

}  // namespace sw::media
