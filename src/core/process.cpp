#include "core/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <thread>

namespace sw::core {

namespace {

struct Fd {
    int fd = -1;
    Fd() = default;
    explicit Fd(int f) : fd(f) {}
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() { reset(); }
    void reset()
    {
        if (fd >= 0)
            ::close(fd);
        fd = -1;
    }
};

// Keeps what was read from a chatty program's stderr bounded: only the tail is ever shown.
void append_capped(std::string& text, const char* data, size_t n)
{
    text.append(data, n);
    if (text.size() > 64 * 1024)
        text.erase(0, text.size() - 16 * 1024);
}

}  // namespace

std::string ProcessFailure::message() const { return std::strerror(error); }

tl::expected<ProcessResult, ProcessFailure> run_process(const ProcessSpec& spec)
{
    using clock = std::chrono::steady_clock;
    using Kind = ProcessFailure::Kind;
    auto fail = [](Kind k) { return tl::unexpected(ProcessFailure{k, errno}); };

    std::vector<std::string> args = spec.argv;
    std::vector<char*> argv;
    for (auto& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    const std::string dir = spec.dir.string();

    Fd log_fd, err_r, err_w;
    if (!spec.log.empty()) {
        log_fd.fd = ::open(spec.log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (log_fd.fd < 0)
            return fail(Kind::Log);
    } else {
        int p[2];
        if (::pipe2(p, O_CLOEXEC) != 0)
            return fail(Kind::Setup);
        err_r.fd = p[0];
        err_w.fd = p[1];
    }
    int exec_pipe[2];
    if (::pipe2(exec_pipe, O_CLOEXEC) != 0)
        return fail(Kind::Setup);
    Fd exec_r(exec_pipe[0]), exec_w(exec_pipe[1]);

    // Only async-signal-safe calls between fork and exec: other threads may hold locks.
    const pid_t pid = ::fork();
    if (pid < 0)
        return fail(Kind::Setup);
    if (pid == 0) {
        ::setpgid(0, 0);
        const int devnull = ::open("/dev/null", O_RDWR);
        if (devnull >= 0)
            ::dup2(devnull, 0);
        if (log_fd.fd >= 0) {
            ::dup2(log_fd.fd, 1);
            ::dup2(log_fd.fd, 2);
        } else {
            if (devnull >= 0)
                ::dup2(devnull, 1);
            ::dup2(err_w.fd, 2);
        }
        if (dir.empty() || ::chdir(dir.c_str()) == 0)
            ::execvp(argv[0], argv.data());
        int e = errno;
        [[maybe_unused]] auto n = ::write(exec_w.fd, &e, sizeof e);
        ::_exit(127);
    }
    ::setpgid(pid, pid);  // also here: no race with kill(-pid) below
    exec_w.reset();
    err_w.reset();
    log_fd.reset();

    int exec_errno = 0;
    ssize_t got;
    do
        got = ::read(exec_r.fd, &exec_errno, sizeof exec_errno);
    while (got < 0 && errno == EINTR);
    if (got == sizeof exec_errno) {
        ::waitpid(pid, nullptr, 0);
        return tl::unexpected(ProcessFailure{Kind::Exec, exec_errno});
    }

    ProcessResult r;
    using Stop = ProcessResult::Stop;
    clock::time_point term_sent{};
    bool killed = false;
    clock::time_point next_tick = clock::now() + std::chrono::milliseconds(200);
    for (;;) {
        if (err_r.fd >= 0) {
            pollfd p{err_r.fd, POLLIN, 0};
            if (::poll(&p, 1, 20) > 0) {
                char buf[4096];
                const ssize_t n = ::read(err_r.fd, buf, sizeof buf);
                if (n > 0)
                    append_capped(r.stderr_text, buf, size_t(n));
                else if (n == 0 || errno != EINTR)
                    err_r.reset();  // closed: the program (and all it started) let go of stderr
            }
        } else {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        const pid_t w = ::waitpid(pid, &r.status, WNOHANG);
        if (w == pid || (w < 0 && errno != EINTR))
            break;
        const auto now = clock::now();
        if (r.stop == Stop::None) {
            if (spec.stop_requested && spec.stop_requested())
                r.stop = Stop::Requested;
            else if (now >= spec.deadline)
                r.stop = Stop::Deadline;
            if (r.stop != Stop::None) {
                if (spec.grace.count() > 0) {
                    ::kill(-pid, SIGTERM);
                } else {
                    ::kill(-pid, SIGKILL);
                    ::kill(pid, SIGKILL);
                    killed = true;
                }
                term_sent = now;
            } else if (spec.on_tick && now >= next_tick) {
                next_tick = now + std::chrono::milliseconds(200);
                spec.on_tick();
            }
        } else if (!killed && now - term_sent >= spec.grace) {
            ::kill(-pid, SIGKILL);
            killed = true;
        }
    }
    if (r.stop != Stop::None) {
        ::kill(-pid, SIGKILL);  // anything left in the group
    } else if (err_r.fd >= 0) {
        // Whatever the program left in the pipe.
        ::fcntl(err_r.fd, F_SETFL, O_NONBLOCK);
        char buf[4096];
        ssize_t n;
        while ((n = ::read(err_r.fd, buf, sizeof buf)) > 0)
            append_capped(r.stderr_text, buf, size_t(n));
    }
    return r;
}

bool exited_ok(int status) { return WIFEXITED(status) && WEXITSTATUS(status) == 0; }

std::string describe_exit(int status, const std::string& code_word)
{
    return WIFEXITED(status) ? "exited with " + code_word + " " + std::to_string(WEXITSTATUS(status))
                             : "was killed by signal " + std::to_string(WTERMSIG(status));
}

}  // namespace sw::core
