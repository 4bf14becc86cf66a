#pragma once
// Cancellation. Two sources stop work: the process-wide flag a SIGINT/SIGTERM handler sets (the
// command line's Ctrl-C), and a per-job CancelToken (a server cancelling one job of many). Long
// loops poll a token, which answers for both.

#include <atomic>
#include <memory>

#include "core/error.h"

namespace sw::core {

// 0 = running; otherwise the signal number that asked us to stop.
int cancel_signal();
bool cancelled();
void request_cancel(int signal_number);
// Installs SIGINT/SIGTERM handlers that call request_cancel (async-signal-safe).
void install_signal_handlers();
// The error a render returns when cancelled: category Cancelled, "render cancelled", the
// signal in the detail.
Error cancelled_error();

// One job's stop flag. Copies share the flag: the job's owner keeps one to cancel, the work
// holds others to poll. Cheap to poll (an atomic load).
class CancelToken {
public:
    CancelToken() : m_flag(std::make_shared<std::atomic<bool>>(false)) {}
    void cancel() const { m_flag->store(true, std::memory_order_relaxed); }
    // This job was cancelled, or the process was asked to stop.
    bool cancelled() const { return m_flag->load(std::memory_order_relaxed) || core::cancelled(); }
    // For code that polls a plain flag (the clip scheduler); sees only this job's cancel, so
    // such code also polls core::cancelled().
    const std::atomic<bool>* flag() const { return m_flag.get(); }
    // The error a job returns when it stopped for this token: category Cancelled.
    Error error() const;

private:
    std::shared_ptr<std::atomic<bool>> m_flag;
};

}  // namespace sw::core
