#pragma once
// Runs a program as a child process in its own process group, so stopping it also stops
// whatever it started: the one runner behind the TTS command engine and the command clip
// adapter. The child gets /dev/null as stdin; its output goes to a log file, or its stdout is
// dropped and its stderr captured. It is stopped at a deadline or when the caller asks:
// SIGTERM to the group, SIGKILL after a grace period (or at once when the grace is 0).

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/error.h"

namespace sw::core {

struct ProcessSpec {
    std::vector<std::string> argv;  // argv[0] is looked up on PATH; must not be empty
    std::filesystem::path dir;      // working directory; empty: ours
    // stdout and stderr are written to this file (created or truncated); empty: stdout goes to
    // /dev/null and stderr is captured into ProcessResult::stderr_text (only its tail is kept).
    std::filesystem::path log;
    std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
    std::function<bool()> stop_requested;   // polled while it runs; true stops it (Stop::Requested)
    std::chrono::milliseconds grace{0};     // SIGTERM → SIGKILL delay; 0: SIGKILL at once
    std::function<void()> on_tick;          // called about every 200 ms while it runs and is not stopping
};

struct ProcessResult {
    enum class Stop { None, Deadline, Requested };
    Stop stop = Stop::None;
    int status = 0;           // waitpid status (when it ended by itself)
    std::string stderr_text;  // captured stderr when spec.log is empty: at most the last 64 KiB
};

// Why a program could not be run at all.
struct ProcessFailure {
    enum class Kind { Log, Setup, Exec };  // cannot write spec.log / pipe or fork / exec (or chdir)
    Kind kind;
    int error = 0;  // errno
    std::string message() const;  // strerror(error)
};

tl::expected<ProcessResult, ProcessFailure> run_process(const ProcessSpec& spec);

// "exited with code N" / "was killed by signal N" for a waitpid status; `code_word` is the noun
// ("code" or "status") the caller's messages use.
std::string describe_exit(int status, const std::string& code_word = "code");
// True when the status says the program exited with 0.
bool exited_ok(int status);

}  // namespace sw::core
