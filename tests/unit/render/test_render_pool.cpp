// The worker pool: every job runs once, on at most `workers` threads at a time; a key asked for
// again while its job is queued or running gets the same result without a second run.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "render/render_pool.h"

using namespace sw;
using namespace std::chrono_literals;

TEST(RenderPool, RunsEveryJobWithinItsWorkers)
{
    std::atomic<int> running{0}, most{0}, done{0};
    std::vector<render::RenderPool::Ticket> tickets;
    {
        render::RenderPool pool(3);
        EXPECT_EQ(pool.workers(), 3);
        for (int i = 0; i < 12; ++i)
            tickets.push_back(pool.submit("", [&, i]() -> core::Result<std::filesystem::path> {
                int now = ++running;
                int m = most.load();
                while (now > m && !most.compare_exchange_weak(m, now)) {
                }
                std::this_thread::sleep_for(5ms);
                --running;
                ++done;
                return std::filesystem::path("job" + std::to_string(i));
            }));
        for (int i = 0; i < 12; ++i) {
            auto r = tickets[(size_t)i].get();
            ASSERT_TRUE(r);
            EXPECT_EQ(*r, "job" + std::to_string(i));
        }
    }
    EXPECT_EQ(done, 12);
    EXPECT_LE(most, 3);
    EXPECT_GE(most, 2) << "the workers ran side by side";
}

TEST(RenderPool, ASharedKeyRunsOnce)
{
    render::RenderPool pool(2);
    std::atomic<int> runs{0};
    std::atomic<bool> release{false};
    auto job = [&]() -> core::Result<std::filesystem::path> {
        ++runs;
        while (!release)
            std::this_thread::sleep_for(1ms);
        return std::filesystem::path("intro.mp4");
    };
    bool shared_a = true, shared_b = false;
    auto a = pool.submit("k1", job, &shared_a);
    auto b = pool.submit("k1", job, &shared_b);
    auto c = pool.submit("k2", job);
    EXPECT_FALSE(shared_a);
    EXPECT_TRUE(shared_b);
    release = true;
    EXPECT_EQ(*a.get(), "intro.mp4");
    EXPECT_EQ(*b.get(), "intro.mp4");
    ASSERT_TRUE(c.get());
    EXPECT_EQ(runs, 2) << "k1 once, k2 once";
    // Once finished, the key is forgotten: asking again runs the job again (the caller looks in
    // the cache first).
    bool shared_d = true;
    auto d = pool.submit("k1", job, &shared_d);
    EXPECT_FALSE(shared_d);
    ASSERT_TRUE(d.get());
    EXPECT_EQ(runs, 3);
}

TEST(RenderPool, ErrorsReachEveryAsker)
{
    render::RenderPool pool(1);
    auto fail = []() -> core::Result<std::filesystem::path> {
        std::this_thread::sleep_for(10ms);
        return core::make_error(core::ErrorCategory::Input, "broken clip");
    };
    auto a = pool.submit("k", fail);
    auto b = pool.submit("k", fail);
    ASSERT_FALSE(a.get());
    ASSERT_FALSE(b.get());
    EXPECT_EQ(b.get().error().message, "broken clip");
}

TEST(RenderPool, DefaultWorkersAreBetweenOneAndTheCores)
{
    int n = render::RenderPool::default_workers(1080, 1920);
    EXPECT_GE(n, 1);
    EXPECT_LE(n, (int)std::max(1u, std::thread::hardware_concurrency()));
    setenv("SHOTWEAVE_WORKERS", "5", 1);
    EXPECT_EQ(render::RenderPool::default_workers(1080, 1920), 5);
    unsetenv("SHOTWEAVE_WORKERS");
}
