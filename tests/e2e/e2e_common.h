#pragma once
#include <gtest/gtest.h>

#include "test_support.h"

namespace sw::test {

// BT.709 limited-range YUV of pure colours (what our renderer must produce from them).
struct Yuv3 {
    int y, u, v;
};
inline constexpr Yuv3 kRed{63, 102, 240};
inline constexpr Yuv3 kGreen{173, 42, 26};
inline constexpr Yuv3 kBlue{32, 240, 118};

// Mean of a plane rectangle (luma coordinates) of a yuv420p buffer.
inline double plane_mean(const std::vector<uint8_t>& f, int w, int h, int plane, int x0, int y0, int x1, int y1)
{
    const uint8_t* base = f.data();
    int pw = w, sc = 1;
    if (plane > 0) {
        base += size_t(w) * h + (plane - 1) * size_t(w / 2) * (h / 2);
        pw = w / 2;
        sc = 2;
    }
    double s = 0;
    int n = 0;
    for (int y = y0 / sc; y < y1 / sc; ++y)
        for (int x = x0 / sc; x < x1 / sc; ++x, ++n)
            s += base[size_t(y) * pw + x];
    return n ? s / n : 0;
}

inline void expect_colour(const std::vector<uint8_t>& f, int w, int h, int x0, int y0, int x1, int y1, Yuv3 c,
                          double tol, const std::string& what)
{
    EXPECT_NEAR(plane_mean(f, w, h, 0, x0, y0, x1, y1), c.y, tol) << what << " (Y)";
    EXPECT_NEAR(plane_mean(f, w, h, 1, x0, y0, x1, y1), c.u, tol) << what << " (U)";
    EXPECT_NEAR(plane_mean(f, w, h, 2, x0, y0, x1, y1), c.v, tol) << what << " (V)";
}

}  // namespace sw::test
