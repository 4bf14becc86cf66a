#include "core/cancel.h"

#include <string>

#include <csignal>

namespace sw::core {

static std::atomic<int> g_cancel{0};

int cancel_signal() { return g_cancel.load(std::memory_order_relaxed); }
bool cancelled() { return g_cancel.load(std::memory_order_relaxed) != 0; }
void request_cancel(int sig) { g_cancel.store(sig ? sig : SIGINT, std::memory_order_relaxed); }

static void on_signal(int sig)
{
    // A second Ctrl-C while we clean up: leave now with the conventional status.
    if (g_cancel.load(std::memory_order_relaxed) != 0)
        std::_Exit(128 + sig);
    g_cancel.store(sig, std::memory_order_relaxed);
}

void install_signal_handlers()
{
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
}

Error cancelled_error()
{
    return Error{ErrorCategory::Cancelled, "render cancelled", "signal " + std::to_string(cancel_signal()), {}};
}

}  // namespace sw::core

namespace sw::core {

Error CancelToken::error() const
{
    if (core::cancelled())
        return cancelled_error();
    return Error{ErrorCategory::Cancelled, "cancelled", {}, {}};
}

}  // namespace sw::core
