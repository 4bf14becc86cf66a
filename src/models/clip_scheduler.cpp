// ClipScheduler: worker threads pull the first job whose dependency has finished; each job is
// prepared, snapped, looked up in the cache, and otherwise generated (retrying with backoff),
// normalised and stored. A monitor thread turns SIGINT (core::cancelled) or the caller's flag
// into one atomic flag that the adapters watch.

#include <unistd.h>

#include <cmath>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <random>
#include <thread>

#include "core/cancel.h"
#include "media/clip_normalize.h"
#include "models/clip_presets.h"
#include "models/clip_scheduler.h"

namespace sw::models {

using core::ErrorCategory;

const char* to_string(ClipJobState s)
{
    switch (s) {
    case ClipJobState::Queued: return "queued";
    case ClipJobState::Cached: return "cached";
    case ClipJobState::Running: return "running";
    case ClipJobState::Retrying: return "retrying";
    case ClipJobState::Done: return "done";
    case ClipJobState::Failed: return "failed";
    }
    return "?";
}

ClipScheduler::ClipScheduler(ClipAdapter& adapter, GeneratorConfig config, ClipSchedulerOptions options)
    : m_adapter(adapter), m_config(std::move(config)), m_options(std::move(options))
{
}

namespace {

fs::path make_work_root()
{
    std::string tmpl = (fs::temp_directory_path() / "shotweave-clips-XXXXXX").string();
    if (::mkdtemp(tmpl.data()))
        return tmpl;
    return fs::temp_directory_path() / ("shotweave-clips-" + std::to_string(::getpid()));
}

core::Error labelled(core::Error e, const std::string& label)
{
    if (!label.empty())
        e.message = "clip for \"" + label + "\": " + e.message;
    return e;
}

}  // namespace

std::vector<ClipJobResult> ClipScheduler::run(const std::vector<ClipJob>& jobs)
{
    const size_t n = jobs.size();
    std::vector<ClipJobResult> results(n);
    if (n == 0)
        return results;

    const ClipCache cache(m_options.cache_dir);
    const ClipCapabilities caps = m_adapter.capabilities();
    const std::string adapter_id = m_adapter.id();
    std::error_code ec;
    const bool own_root = m_options.work_dir.empty();
    const fs::path work_root = own_root ? make_work_root() : m_options.work_dir;
    fs::create_directories(work_root, ec);

    enum class Slot { Waiting, Running, Finished };
    std::vector<Slot> slot(n, Slot::Waiting);
    std::mutex mu;
    std::condition_variable cv;
    std::mutex progress_mu;
    std::atomic<bool> stop{false};
    bool finished_all = false;

    auto report = [&](size_t i, ClipJobState state, double fraction, int attempt, std::string message = {}) {
        if (!m_options.on_progress)
            return;
        std::lock_guard lk(progress_mu);
        m_options.on_progress(ClipProgress{i, jobs[i].label, state, fraction, attempt, std::move(message)});
    };
    auto stopping = [&] {
        return stop.load() || core::cancelled() || (m_options.cancel && m_options.cancel->load());
    };
    auto cancelled_error = [&](size_t i) {
        return labelled(core::Error{ErrorCategory::Cancelled, "cancelled before it was generated", {}, {}},
                        jobs[i].label);
    };

    // Sleeps up to `seconds`, waking early on a cancel.
    auto backoff_sleep = [&](double seconds) {
        using clock = std::chrono::steady_clock;
        const auto until = clock::now() + std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(seconds));
        while (!stopping()) {
            const auto left = until - clock::now();
            if (left <= clock::duration::zero())
                break;
            std::this_thread::sleep_for(std::min<clock::duration>(std::chrono::milliseconds(10), left));
        }
    };

    auto run_job = [&](size_t i, const fs::path& dep_clip) -> ClipJobResult {
        const ClipJob& job = jobs[i];
        ClipJobResult res;
        auto fail = [&](core::Error e) {
            res.error = std::move(e);
            report(i, ClipJobState::Failed, 0, res.attempts, res.error->message);
            return res;
        };
        if (stopping())
            return fail(cancelled_error(i));
        ClipRequest req = job.request;
        if (job.prepare) {
            auto st = job.prepare(req, dep_clip);
            if (!st)
                return fail(labelled(st.error(), job.label));
        }
        const ClipRequest snapped = snap_request(with_config_defaults(req, m_config), caps);
        NormalizeTarget target = job.target;
        if (target.frames <= 0 && target.fps.num > 0 && snapped.fps > 0)
            target.frames = std::max<int64_t>(
                1, std::llround(double(snapped.frames) * target.fps.num / (double(snapped.fps) * target.fps.den)));
        auto key = clip_cache_key(adapter_id, m_config.model, snapped, target);
        if (!key)
            return fail(labelled(key.error(), job.label));
        if (auto hit = cache.lookup(*key)) {
            res.clip = *hit;
            res.cached = true;
            report(i, ClipJobState::Cached, 1, 0);
            return res;
        }

        const int max_attempts = 1 + std::max(0, m_config.retries);
        double backoff = std::max(0.0, m_config.backoff_s);
        core::Error last;
        for (int attempt = 1; attempt <= max_attempts; ++attempt) {
            if (stopping())
                return fail(cancelled_error(i));
            res.attempts = attempt;
            report(i, ClipJobState::Running, 0, attempt);
            const fs::path dir = work_root / ("job" + std::to_string(i) + "-try" + std::to_string(attempt));
            fs::remove_all(dir, ec);
            fs::create_directories(dir, ec);

            GenerateControl ctl;
            ctl.deadline = std::chrono::steady_clock::now() +
                           std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                               std::chrono::duration<double>(std::max(0.001, m_config.timeout_s)));
            ctl.cancel = &stop;
            ctl.progress = [&, attempt](double f) {
                report(i, ClipJobState::Running, std::clamp(f, 0.0, 1.0), attempt);
            };
            auto produced = m_adapter.generate(snapped, dir, ctl);
            core::Status st;
            if (produced) {
                const fs::path normalised = dir / "normalized.mp4";
                st = media::normalize_clip(*produced, normalised, target.width, target.height, target.fps, target.frames,
                                           core::Rational{snapped.fps, 1});
                if (st) {
                    ClipCacheMeta meta{adapter_id, m_config.model, job.label, snapped, target, attempt};
                    auto stored = cache.store(*key, normalised, meta);
                    if (stored) {
                        fs::remove_all(dir, ec);
                        res.clip = *stored;
                        report(i, ClipJobState::Done, 1, attempt);
                        return res;
                    }
                    st = tl::unexpected(stored.error());
                }
            } else {
                st = tl::unexpected(produced.error());
            }
            last = st.error();
            if (last.category == ErrorCategory::Cancelled || stopping())
                return fail(labelled(last, job.label));
            if (attempt < max_attempts) {
                report(i, ClipJobState::Retrying, 0, attempt, last.message);
                backoff_sleep(backoff);
                backoff *= 2;
            }
        }
        if (max_attempts > 1)
            last.message = "gave up after " + std::to_string(max_attempts) + " attempts: " + last.message;
        return fail(labelled(last, job.label));
    };

    // Dependencies must point backwards: that rules out cycles and guarantees progress (the
    // lowest waiting job's dependency has always finished or is running).
    for (size_t i = 0; i < n; ++i) {
        const int d = jobs[i].depends_on;
        if (d >= (int)i || d < -1) {
            results[i].error = labelled(core::Error{ErrorCategory::Internal,
                                                    "depends_on " + std::to_string(d) +
                                                        " must name an earlier job (or be -1)", {}, {}},
                                        jobs[i].label);
            slot[i] = Slot::Finished;
            report(i, ClipJobState::Failed, 0, 0, results[i].error->message);
        } else {
            report(i, ClipJobState::Queued, 0, 0);
        }
    }

    auto worker = [&] {
        std::unique_lock lk(mu);
        for (;;) {
            size_t pick = n;
            bool any_waiting = false;
            for (size_t i = 0; i < n && pick == n; ++i) {
                if (slot[i] != Slot::Waiting)
                    continue;
                any_waiting = true;
                const int d = jobs[i].depends_on;
                if (d < 0 || slot[d] == Slot::Finished)
                    pick = i;
            }
            if (!any_waiting)
                return;
            if (pick == n) {
                cv.wait(lk);
                continue;
            }
            slot[pick] = Slot::Running;
            const int d = jobs[pick].depends_on;
            ClipJobResult res;
            if (d >= 0 && !results[d].ok()) {
                core::Error e = *results[d].error;
                e.message = "needs the clip for job " + std::to_string(d) +
                            (jobs[d].label.empty() ? std::string() : " (\"" + jobs[d].label + "\")") +
                            ", which failed: " + e.message;
                if (e.category != ErrorCategory::Cancelled)
                    e.category = ErrorCategory::Media;
                res.error = labelled(std::move(e), jobs[pick].label);
                report(pick, ClipJobState::Failed, 0, 0, res.error->message);
            } else {
                const fs::path dep_clip = d >= 0 ? results[d].clip : fs::path();
                lk.unlock();
                res = run_job(pick, dep_clip);
                lk.lock();
            }
            results[pick] = std::move(res);
            slot[pick] = Slot::Finished;
            cv.notify_all();
        }
    };

    std::thread monitor([&] {
        std::unique_lock lk(mu);
        while (!finished_all) {
            if (!stop.load() && ((m_options.cancel && m_options.cancel->load()) || core::cancelled())) {
                stop.store(true);
                cv.notify_all();
            }
            cv.wait_for(lk, std::chrono::milliseconds(50));
        }
    });

    const size_t workers = std::min(n, (size_t)std::max(1, caps.max_concurrency));
    std::vector<std::thread> pool;
    for (size_t w = 0; w < workers; ++w)
        pool.emplace_back(worker);
    for (auto& t : pool)
        t.join();
    {
        std::lock_guard lk(mu);
        finished_all = true;
    }
    cv.notify_all();
    monitor.join();

    // Failed attempts keep their folders (the program's log is named in the error); the root goes
    // only when nothing is left in it.
    if (own_root)
        fs::remove(work_root, ec);
    return results;
}

}  // namespace sw::models
