#pragma once
// Exact rational numbers for frame rates and time bases. Time positions are integer frame
// numbers at the output rate (or integer sample counts); never accumulated doubles.

#include <cstdint>
#include <numeric>
#include <string>

namespace sw::core {

struct Rational {
    int64_t num = 0;
    int64_t den = 1;

    constexpr double to_double() const { return den ? double(num) / double(den) : 0.0; }
    Rational reduced() const
    {
        int64_t g = std::gcd(num, den);
        return g ? Rational{num / g, den / g} : *this;
    }
    bool operator==(const Rational& o) const { return num * o.den == o.num * den; }
    std::string to_string() const
    {
        return den == 1 ? std::to_string(num) : std::to_string(num) + "/" + std::to_string(den);
    }
};

// Microseconds → frames at `fps`, rounded to nearest (half away from zero).
inline int64_t us_to_frames(int64_t us, Rational fps)
{
    // frames = us * num / (den * 1e6)
    __int128 n = (__int128)us * fps.num;
    __int128 d = (__int128)fps.den * 1000000;
    __int128 q = (2 * n + (n >= 0 ? d : -d)) / (2 * d);
    return (int64_t)q;
}

// Frame index → microseconds at `fps` (exact floor).
inline int64_t frames_to_us(int64_t frames, Rational fps)
{
    return (int64_t)((__int128)frames * fps.den * 1000000 / fps.num);
}

// Audio runs at 48 kHz everywhere in the engine.
inline constexpr int kAudioRate = 48000;

// Frame index → audio sample index (exact floor), so a frame boundary maps to one sample.
inline int64_t frames_to_samples(int64_t frames, Rational fps, int rate = kAudioRate)
{
    return (int64_t)((__int128)frames * rate * fps.den / fps.num);
}

// Audio sample index → the nearest frame index.
inline int64_t samples_to_frames(int64_t samples, Rational fps, int rate = kAudioRate)
{
    __int128 n = (__int128)samples * fps.num, d = (__int128)fps.den * rate;
    return (int64_t)((2 * n + d) / (2 * d));
}

inline double frames_to_seconds(int64_t frames, Rational fps)
{
    return double(frames) * double(fps.den) / double(fps.num);
}

}  // namespace sw::core
