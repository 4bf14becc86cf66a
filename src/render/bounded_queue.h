#pragma once
// A small blocking queue between pipeline stages. Bounded so a fast producer cannot run ahead
// and hold many 3 MB frames: memory stays flat whatever the video's length.

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>

namespace sw::render {

template <class T>
class BoundedQueue {
public:
    explicit BoundedQueue(size_t capacity) : m_capacity(capacity) {}

    // Blocks while full. Returns false if the queue was closed (the item is dropped).
    bool push(T item)
    {
        std::unique_lock lock(m_mutex);
        m_not_full.wait(lock, [&] { return m_items.size() < m_capacity || m_closed; });
        if (m_closed)
            return false;
        m_items.push_back(std::move(item));
        m_not_empty.notify_one();
        return true;
    }

    // Blocks while empty. Returns nullopt once closed and drained.
    std::optional<T> pop()
    {
        std::unique_lock lock(m_mutex);
        m_not_empty.wait(lock, [&] { return !m_items.empty() || m_closed; });
        if (m_items.empty())
            return std::nullopt;
        T item = std::move(m_items.front());
        m_items.pop_front();
        m_not_full.notify_one();
        return item;
    }

    // No more pushes; pending pops drain what is left, then get nullopt.
    void close()
    {
        std::lock_guard lock(m_mutex);
        m_closed = true;
        m_not_empty.notify_all();
        m_not_full.notify_all();
    }

    // Close and drop everything queued (used when aborting).
    void cancel()
    {
        std::lock_guard lock(m_mutex);
        m_closed = true;
        m_items.clear();
        m_not_empty.notify_all();
        m_not_full.notify_all();
    }

private:
    size_t m_capacity;
    std::mutex m_mutex;
    std::condition_variable m_not_full, m_not_empty;
    std::deque<T> m_items;
    bool m_closed = false;
};

}  // namespace sw::render
