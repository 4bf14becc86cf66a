#pragma once
// Recycles frame buffers of one size. A 1080x1920 frame is ~3 MB: allocating it per frame
// means an mmap/munmap and page faults each time, which shows up next to the encoder.

#include <memory>
#include <mutex>
#include <vector>

#include "core/frame.h"

namespace sw::core {

class FramePool : public std::enable_shared_from_this<FramePool> {
public:
    static std::shared_ptr<FramePool> create(int width, int height);
    // A frame whose buffer returns to this pool when its last copy is destroyed.
    Frame acquire();
    int width() const { return m_width; }
    int height() const { return m_height; }

private:
    FramePool(int w, int h) : m_width(w), m_height(h) {}

    int m_width, m_height;
    std::mutex m_mutex;
    std::vector<Frame> m_free;
};

}  // namespace sw::core
