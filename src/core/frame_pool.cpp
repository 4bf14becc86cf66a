#include "core/frame_pool.h"

namespace sw::core {

std::shared_ptr<FramePool> FramePool::create(int width, int height)
{
    return std::shared_ptr<FramePool>(new FramePool(width, height));
}

Frame FramePool::acquire()
{
    Frame backing;
    {
        std::lock_guard lock(m_mutex);
        if (!m_free.empty()) {
            backing = std::move(m_free.back());
            m_free.pop_back();
        }
    }
    if (backing.empty())
        backing = Frame(m_width, m_height);
    // The handed-out frame shares ownership of `backing`'s buffer through a deleter that puts
    // `backing` back on the free list; a weak_ptr lets buffers outlive the pool safely.
    auto holder = std::make_shared<Frame>(std::move(backing));
    std::weak_ptr<FramePool> weak = weak_from_this();
    uint8_t* raw = holder->buffer().get();
    std::shared_ptr<uint8_t[]> handle(raw, [holder, weak](uint8_t*) mutable {
        if (auto pool = weak.lock()) {
            std::lock_guard lock(pool->m_mutex);
            if (pool->m_free.size() < 12)  // more than the pipeline keeps in flight
                pool->m_free.push_back(std::move(*holder));
        }
    });
    return Frame::adopt(m_width, m_height, std::move(handle));
}


}  // namespace sw::core
