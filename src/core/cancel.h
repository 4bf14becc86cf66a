#pragma once
// Process-wide cancellation: set by the SIGINT/SIGTERM handler, polled by long loops.

#include <atomic>

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

}  // namespace sw::core
