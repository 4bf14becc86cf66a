#include "render/render_pool.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace sw::render {

namespace {

// MemAvailable from /proc/meminfo in bytes, 0 when unknown.
uint64_t memory_available()
{
    std::ifstream in("/proc/meminfo");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("MemAvailable:", 0) == 0) {
            std::istringstream s(line.substr(13));
            uint64_t kb = 0;
            s >> kb;
            return kb * 1024;
        }
    }
    return 0;
}

}  // namespace

int RenderPool::default_workers(int width, int height)
{
    if (const char* env = std::getenv("SHOTWEAVE_WORKERS")) {
        int n = std::atoi(env);
        if (n > 0)
            return std::min(n, 256);
    }
    int cores = (int)std::max(1u, std::thread::hardware_concurrency());
    const uint64_t per_worker = uint64_t(std::max(2, width)) * uint64_t(std::max(2, height)) * 3 / 2 * 64;
    const uint64_t avail = memory_available();
    if (avail > 0)
        cores = std::min<int>(cores, (int)std::max<uint64_t>(1, avail / per_worker));
    return std::max(1, cores);
}

RenderPool::RenderPool(int workers)
{
    if (workers <= 0)
        workers = default_workers(1080, 1920);
    for (int i = 0; i < workers; ++i)
        m_threads.emplace_back([this] { run(); });
}

RenderPool::~RenderPool()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_cv.notify_all();
    for (auto& t : m_threads)
        t.join();
}

RenderPool::Ticket RenderPool::submit(const std::string& key, Job job, bool* shared, const void* owner)
{
    std::lock_guard lock(m_mutex);
    if (shared)
        *shared = false;
    if (!key.empty()) {
        auto it = m_in_flight.find(key);
        if (it != m_in_flight.end()) {
            if (shared)
                *shared = true;
            return it->second;
        }
    }
    auto item = std::make_unique<Item>();
    item->key = key;
    item->owner = owner;
    item->job = std::move(job);
    Ticket ticket = item->promise.get_future().share();
    if (!key.empty())
        m_in_flight[key] = ticket;
    m_queue.push_back(std::move(item));
    m_cv.notify_one();
    return ticket;
}

void RenderPool::drop_queued(const void* owner)
{
    std::vector<std::unique_ptr<Item>> dropped;
    {
        std::lock_guard lock(m_mutex);
        for (auto it = m_queue.begin(); it != m_queue.end();) {
            if (owner && (*it)->owner == owner) {
                if (!(*it)->key.empty())
                    m_in_flight.erase((*it)->key);
                dropped.push_back(std::move(*it));
                it = m_queue.erase(it);
            } else {
                ++it;
            }
        }
    }
    for (auto& item : dropped)
        item->promise.set_value(core::make_error(core::ErrorCategory::Cancelled, "render stopped"));
}

void RenderPool::run()
{
    for (;;) {
        std::unique_ptr<Item> item;
        {
            std::unique_lock lock(m_mutex);
            m_cv.wait(lock, [&] { return m_stopping || !m_queue.empty(); });
            if (m_queue.empty())
                return;  // stopping, and nothing left to do
            item = std::move(m_queue.front());
            m_queue.pop_front();
        }
        auto result = item->job();
        {
            // Forget the key before publishing: a later submit of it then checks the cache
            // (where the result now is) rather than getting a ticket for a finished job.
            std::lock_guard lock(m_mutex);
            if (!item->key.empty())
                m_in_flight.erase(item->key);
        }
        item->promise.set_value(std::move(result));
    }
}

}  // namespace sw::render
