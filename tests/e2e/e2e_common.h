#pragma once
#include <gtest/gtest.h>

#include <regex>
#include <sstream>

#include "test_support.h"

namespace sw::test {

// A cue of an .srt side file: its times in seconds and its lines joined with '\n'.
struct SrtCue {
    double start = 0, end = 0;
    std::string text;
};

inline std::vector<SrtCue> read_srt(const fs::path& p)
{
    std::vector<SrtCue> cues;
    std::istringstream in(read_file(p));
    const std::regex time_re(R"((\d+):(\d+):(\d+),(\d+) --> (\d+):(\d+):(\d+),(\d+))");
    std::string line;
    SrtCue* cur = nullptr;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        std::smatch m;
        if (std::regex_match(line, m, time_re)) {
            auto t = [&](int k) {
                return std::stoi(m[k]) * 3600.0 + std::stoi(m[k + 1]) * 60.0 + std::stoi(m[k + 2]) +
                       std::stoi(m[k + 3]) / 1000.0;
            };
            cues.push_back({t(1), t(5), ""});
            cur = &cues.back();
        } else if (line.empty()) {
            cur = nullptr;
        } else if (cur) {
            cur->text += (cur->text.empty() ? "" : "\n") + line;
        }
    }
    return cues;
}

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
