#include "test_support.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace sw::test {

CommandResult run(const std::vector<std::string>& argv, int timeout_s)
{
    CommandResult r;
    int out_pipe[2], err_pipe[2];
    if (pipe(out_pipe) != 0 || pipe(err_pipe) != 0)
        throw std::runtime_error("pipe failed");
    pid_t pid = fork();
    if (pid == 0) {
        dup2(out_pipe[1], 1);
        dup2(err_pipe[1], 2);
        int devnull = open("/dev/null", O_RDONLY);
        dup2(devnull, 0);
        close(out_pipe[0]);
        close(err_pipe[0]);
        std::vector<char*> args;
        for (auto& a : argv)
            args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        execvp(args[0], args.data());
        _exit(127);
    }
    close(out_pipe[1]);
    close(err_pipe[1]);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
    pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
    int open_fds = 2;
    bool killed = false;
    char buf[65536];
    while (open_fds > 0) {
        int ms = (int)std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
        if (ms <= 0) {
            kill(pid, SIGKILL);
            killed = true;
            break;
        }
        if (poll(fds, 2, std::min(ms, 1000)) < 0)
            break;
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP)))
                continue;
            ssize_t n = read(fds[i].fd, buf, sizeof buf);
            if (n <= 0) {
                close(fds[i].fd);
                fds[i].fd = -1;
                --open_fds;
            } else {
                (i == 0 ? r.out : r.err).append(buf, n);
            }
        }
    }
    for (auto& f : fds)
        if (f.fd >= 0)
            close(f.fd);
    int status = 0;
    waitpid(pid, &status, 0);
    if (killed)
        r.exit_code = 124;
    else if (WIFEXITED(status))
        r.exit_code = WEXITSTATUS(status);
    else if (WIFSIGNALED(status))
        r.exit_code = 128 + WTERMSIG(status);
    return r;
}

TempDir::TempDir(const std::string& tag)
{
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = tag;
    if (info)
        name += std::string("-") + info->test_suite_name() + "-" + info->name();
    for (auto& c : name)
        if (!isalnum((unsigned char)c) && c != '-')
            c = '_';
    m_path = fs::path(SW_BINARY_DIR) / "test-output" / name;
    fs::remove_all(m_path);
    fs::create_directories(m_path);
}

TempDir::~TempDir()
{
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    bool failed = info && info->result() && info->result()->Failed();
    if (!failed) {
        std::error_code ec;
        fs::remove_all(m_path, ec);
    }
}

void write_file(const fs::path& p, const std::string& content)
{
    std::ofstream f(p, std::ios::binary);
    f << content;
}

std::string read_file(const fs::path& p)
{
    std::ifstream f(p, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

void ffmpeg(const std::vector<std::string>& args)
{
    std::vector<std::string> argv{"ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y"};
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = run(argv);
    if (r.exit_code != 0)
        throw std::runtime_error("ffmpeg failed: " + r.err);
}

void make_image(const fs::path& out, const std::string& lavfi)
{
    ffmpeg({"-f", "lavfi", "-i", lavfi, "-frames:v", "1", "-update", "1", out.string()});
}

void make_video(const fs::path& out, const std::string& lavfi, double seconds, int fps)
{
    ffmpeg({"-f", "lavfi", "-i", lavfi, "-t", std::to_string(seconds), "-r", std::to_string(fps), "-c:v", "libx264",
            "-preset", "ultrafast", "-pix_fmt", "yuv420p", out.string()});
}

nlohmann::json probe(const fs::path& file)
{
    auto r = run({"ffprobe", "-v", "error", "-show_streams", "-show_format", "-count_frames", "-of", "json",
                  file.string()});
    if (r.exit_code != 0)
        throw std::runtime_error("ffprobe failed on " + file.string() + ": " + r.err);
    return nlohmann::json::parse(r.out);
}

nlohmann::json stream(const nlohmann::json& probe, const std::string& type)
{
    for (auto& s : probe.value("streams", nlohmann::json::array()))
        if (s.value("codec_type", "") == type)
            return s;
    return nullptr;
}

std::vector<uint8_t> decode_frame_yuv(const fs::path& video, int64_t index, int w, int h)
{
    auto r = run({"ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-i", video.string(), "-vf",
                  "select=eq(n\\," + std::to_string(index) + ")", "-vsync", "0", "-frames:v", "1", "-pix_fmt",
                  "yuv420p", "-f", "rawvideo", "-"});
    if (r.exit_code != 0)
        throw std::runtime_error("decoding frame failed: " + r.err);
    std::vector<uint8_t> v(r.out.begin(), r.out.end());
    if (v.size() != size_t(w) * h * 3 / 2)
        throw std::runtime_error("decoded frame " + std::to_string(index) + " has " + std::to_string(v.size()) +
                                 " bytes, expected " + std::to_string(size_t(w) * h * 3 / 2));
    return v;
}

double mean_abs_diff(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b)
{
    if (a.size() != b.size() || a.empty())
        return 1e9;
    double s = 0;
    for (size_t i = 0; i < a.size(); ++i)
        s += std::abs(int(a[i]) - int(b[i]));
    return s / a.size();
}

double psnr(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b)
{
    if (a.size() != b.size() || a.empty())
        return 0;
    double se = 0;
    for (size_t i = 0; i < a.size(); ++i) {
        double d = int(a[i]) - int(b[i]);
        se += d * d;
    }
    if (se == 0)
        return 99;
    return 10 * std::log10(255.0 * 255.0 / (se / a.size()));
}

void save_png(const std::vector<uint8_t>& yuv, int w, int h, const fs::path& png)
{
    fs::path raw = png;
    raw += ".yuv";
    write_file(raw, std::string(yuv.begin(), yuv.end()));
    ffmpeg({"-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", std::to_string(w) + "x" + std::to_string(h), "-i",
            raw.string(), "-frames:v", "1", "-update", "1", png.string()});
    fs::remove(raw);
}

Loudness measure_loudness(const fs::path& media)
{
    auto m = run({"ffmpeg", "-hide_banner", "-nostdin", "-i", media.string(), "-map", "0:a", "-af", "ebur128=peak=true",
                  "-f", "null", "-"});
    auto at = m.err.rfind("Summary:");
    if (m.exit_code != 0 || at == std::string::npos)
        throw std::runtime_error("ebur128 failed on " + media.string() + ": " + m.err);
    // The summary ends with "I:         -14.0 LUFS" ... "Peak:       -1.2 dBFS".
    Loudness l;
    l.summary = m.err.substr(at);
    l.integrated = std::stod(l.summary.substr(l.summary.find("I:") + 2));
    l.true_peak = std::stod(l.summary.substr(l.summary.find("Peak:") + 5));
    return l;
}

std::string cli() { return SW_CLI; }

}  // namespace sw::test
