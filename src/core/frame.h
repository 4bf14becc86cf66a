#pragma once
// A picture in the engine's working format: planar YUV 4:2:0, 8 bits, BT.709, limited range.
// Every stage composes in this format so pixels are converted once, when they enter
// (decode) — never back and forth per frame.

#include <array>
#include <cstdint>
#include <cstring>
#include <memory>

namespace sw::core {

class Frame {
public:
    Frame() = default;
    // Allocates width x height (both even, > 0). Rows are 64-byte aligned; all bytes start at 0
    // (so row padding, which nothing draws on but SIMD code reads, is always defined).
    Frame(int width, int height);

    bool empty() const { return m_width == 0; }
    int width() const { return m_width; }
    int height() const { return m_height; }
    // Plane 0 = Y (width x height), planes 1, 2 = U, V (width/2 x height/2).
    int plane_width(int p) const { return p == 0 ? m_width : m_width / 2; }
    int plane_height(int p) const { return p == 0 ? m_height : m_height / 2; }
    int stride(int p) const { return m_stride[p]; }
    uint8_t* plane(int p) { return m_plane[p]; }
    const uint8_t* plane(int p) const { return m_plane[p]; }
    uint8_t* row(int p, int y) { return m_plane[p] + (size_t)y * m_stride[p]; }
    const uint8_t* row(int p, int y) const { return m_plane[p] + (size_t)y * m_stride[p]; }

    // Fill with one colour given in limited-range BT.709 YUV.
    void fill(uint8_t y, uint8_t u, uint8_t v);
    void copy_from(const Frame& other);  // sizes must match
    Frame clone() const;

    // Wraps an existing buffer laid out exactly as Frame(width, height) would allocate it
    // (used by FramePool to hand out recycled buffers).
    static Frame adopt(int width, int height, std::shared_ptr<uint8_t[]> buffer);
    static size_t buffer_size(int width, int height);
    const std::shared_ptr<uint8_t[]>& buffer() const { return m_buffer; }

    // Presentation index in the output timeline (set by the pipeline; -1 = unset).
    int64_t index = -1;

private:
    void layout(int width, int height, uint8_t* base);

    int m_width = 0;
    int m_height = 0;
    std::array<int, 3> m_stride{};
    std::array<uint8_t*, 3> m_plane{};
    std::shared_ptr<uint8_t[]> m_buffer;
};

// An sRGB colour (8-bit per channel) and its BT.709 limited-range YUV equivalent.
struct Rgb {
    uint8_t r = 0, g = 0, b = 0;
};
struct Yuv {
    uint8_t y = 16, u = 128, v = 128;
};
Yuv rgb_to_yuv709(Rgb c);

}  // namespace sw::core
