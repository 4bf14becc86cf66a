#pragma once
// Converts decoded video frames (any pixel format, range and matrix) into the working format in
// one swscale pass: crop (by offsetting plane pointers), scale and colour conversion together.

#include "core/error.h"
#include "core/frame.h"

struct AVFrame;
struct SwsContext;

namespace sw::render {

class SwsConverter {
public:
    SwsConverter() = default;
    ~SwsConverter();
    SwsConverter(const SwsConverter&) = delete;
    SwsConverter& operator=(const SwsConverter&) = delete;

    // Converts the rectangle (x, y, w, h) of `src` (rounded to the format's chroma grid) into all
    // of `dst`. The swscale context is cached while sizes and formats stay the same.
    core::Status convert(const AVFrame* src, int x, int y, int w, int h, core::Frame& dst);

private:
    SwsContext* m_ctx = nullptr;
};

}  // namespace sw::render
