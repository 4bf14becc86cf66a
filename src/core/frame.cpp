#include "core/frame.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdlib>

#include "core/bt709.h"

namespace sw::core {

static int align64(int v) { return (v + 63) & ~63; }

size_t Frame::buffer_size(int width, int height)
{
    size_t total = (size_t)align64(width) * height + 2 * (size_t)align64(width / 2) * (height / 2) + 64;
    return (total + 63) & ~size_t(63);  // +64: slack for vector over-reads at row ends
}

void Frame::layout(int width, int height, uint8_t* base)
{
    assert(width > 0 && height > 0 && width % 2 == 0 && height % 2 == 0);
    m_width = width;
    m_height = height;
    m_stride = {align64(width), align64(width / 2), align64(width / 2)};
    m_plane[0] = base;
    m_plane[1] = base + (size_t)m_stride[0] * height;
    m_plane[2] = m_plane[1] + (size_t)m_stride[1] * (height / 2);
}

Frame::Frame(int width, int height)
{
    const size_t size = buffer_size(width, height);
    auto* raw = static_cast<uint8_t*>(std::aligned_alloc(64, size));
    // Row padding and the slack are never drawn on, but SIMD code (ours, swscale's, x264's)
    // reads them: they must hold defined bytes, or a render could depend on the heap's history.
    std::memset(raw, 0, size);
    m_buffer = std::shared_ptr<uint8_t[]>(raw, [](uint8_t* p) { std::free(p); });
    layout(width, height, raw);
}

Frame Frame::adopt(int width, int height, std::shared_ptr<uint8_t[]> buffer)
{
    Frame f;
    f.m_buffer = std::move(buffer);
    f.layout(width, height, f.m_buffer.get());
    return f;
}

void Frame::fill(uint8_t y, uint8_t u, uint8_t v)
{
    const uint8_t val[3] = {y, u, v};
    for (int p = 0; p < 3; ++p)
        for (int r = 0; r < plane_height(p); ++r)
            std::memset(row(p, r), val[p], plane_width(p));
}

void Frame::copy_from(const Frame& o)
{
    assert(o.m_width == m_width && o.m_height == m_height);
    for (int p = 0; p < 3; ++p)
        for (int r = 0; r < plane_height(p); ++r)
            std::memcpy(row(p, r), o.row(p, r), plane_width(p));
    index = o.index;
}

Frame Frame::clone() const
{
    if (empty())
        return {};
    Frame f(m_width, m_height);
    f.copy_from(*this);
    return f;
}

Yuv rgb_to_yuv709(Rgb c)
{
    // BT.709 on gamma-encoded values, limited range (16-235 / 16-240).
    double r = c.r / 255.0, g = c.g / 255.0, b = c.b / 255.0;
    double y = bt709::luma(r, g, b);
    double u = (b - y) / bt709::cb_scale;
    double v = (r - y) / bt709::cr_scale;
    auto cl = [](double x) { return (uint8_t)std::clamp((int)std::lround(x), 0, 255); };
    return {cl(16 + 219 * y), cl(128 + 224 * u), cl(128 + 224 * v)};
}

}  // namespace sw::core
