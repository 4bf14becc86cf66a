#pragma once
// The worker threads that render segments, shared by every video rendered in the process (a
// batch renders many at once through one pool): the machine's cores are the budget, each worker
// composes and encodes one segment at a time on one core, so nothing is over-subscribed however
// many videos are in flight. A segment asked for again while it is being rendered (the same
// intro in many rows of a batch) is rendered once; every asker gets the same result.

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/error.h"

namespace sw::render {

class RenderPool {
public:
    using Job = std::function<core::Result<std::filesystem::path>()>;
    using Ticket = std::shared_future<core::Result<std::filesystem::path>>;

    // `workers` <= 0: default_workers(width, height) for a 1080x1920 frame.
    explicit RenderPool(int workers = 0);
    ~RenderPool();  // finishes the jobs already queued
    RenderPool(const RenderPool&) = delete;
    RenderPool& operator=(const RenderPool&) = delete;

    int workers() const { return (int)m_threads.size(); }

    // Queues `job` (FIFO). With a non-empty `key` already queued or running, returns that job's
    // ticket instead and drops this one (and sets *shared when given).
    // `owner` tags the job for drop_queued (any address unique to the submitter; may be null).
    Ticket submit(const std::string& key, Job job, bool* shared = nullptr, const void* owner = nullptr);

    // Takes `owner`'s jobs that have not started out of the queue; their tickets answer
    // Cancelled at once. A cancelled render uses it so that it need not wait behind other
    // renders' segments (a ticket another render shared gets Cancelled and that render
    // renders the segment itself).
    void drop_queued(const void* owner);

    // One worker per core, fewer when the memory available would not hold that many encoders
    // at this frame size (each single-threaded x264 keeps its look-ahead of frames, about 64
    // frames' worth with the sources), never fewer than one. $SHOTWEAVE_WORKERS overrides.
    static int default_workers(int width, int height);

private:
    struct Item {
        std::string key;
        const void* owner = nullptr;
        Job job;
        std::promise<core::Result<std::filesystem::path>> promise;
    };
    void run();

    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<std::unique_ptr<Item>> m_queue;
    std::map<std::string, Ticket> m_in_flight;
    bool m_stopping = false;
    std::vector<std::thread> m_threads;
};

}  // namespace sw::render
