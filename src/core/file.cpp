#include "core/file.h"

#include <climits>
#include <csignal>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace sw::core {

std::optional<std::string> read_file(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return std::nullopt;
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad())
        return std::nullopt;
    return std::move(ss).str();
}

std::filesystem::path user_cache_dir(const std::string& name)
{
    namespace fs = std::filesystem;
    if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x && fs::path(x).is_absolute())
        return fs::path(x) / "shotweave" / name;
    if (const char* h = std::getenv("HOME"); h && *h)
        return fs::path(h) / ".cache" / "shotweave" / name;
    std::error_code ec;
    fs::path tmp = fs::temp_directory_path(ec);
    return (ec ? fs::path("/tmp") : tmp) / "shotweave" / name;
}

namespace {

// The program a process runs, as the kernel names it (/proc/PID/comm: the executable's name,
// at most 15 bytes); "" when it cannot be read.
std::string process_name(const std::string& pid)
{
    auto s = read_file("/proc/" + pid + "/comm");
    if (!s)
        return {};
    while (!s->empty() && s->back() == '\n')
        s->pop_back();
    return *s;
}

}  // namespace

bool temp_owner_gone(long pid)
{
    if (pid <= 0 || pid == (long)::getpid())
        return false;
    if (::kill((pid_t)pid, 0) != 0)
        return errno == ESRCH;  // EPERM: alive, another user's
    // Alive: ours only if it runs the same program (a crashed render's PID may be reused).
    const std::string theirs = process_name(std::to_string(pid)), ours = process_name("self");
    return !theirs.empty() && !ours.empty() && theirs != ours;
}

long temp_owner_pid(const std::string& name, const std::string& prefix, const std::string& marker)
{
    if (name.compare(0, prefix.size(), prefix) != 0)
        return 0;
    size_t pos = prefix.size();
    if (!marker.empty()) {
        pos = name.find(marker, pos);
        if (pos == std::string::npos)
            return 0;
        pos += marker.size();
    }
    size_t digits = 0;
    while (pos + digits < name.size() && std::isdigit((unsigned char)name[pos + digits]))
        ++digits;
    return digits == 0 || digits > 9 ? 0 : std::stol(name.substr(pos, digits));
}

int remove_orphaned_temps(const std::filesystem::path& dir, const std::string& prefix, const std::string& marker)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    int removed = 0;
    for (fs::directory_iterator it(dir.empty() ? fs::path(".") : dir, ec), end; !ec && it != end; it.increment(ec)) {
        const long pid = temp_owner_pid(it->path().filename().string(), prefix, marker);
        std::error_code ec2;
        if (pid > 0 && !it->is_symlink(ec2) && temp_owner_gone(pid) && fs::remove_all(it->path(), ec2) > 0)
            ++removed;
    }
    return removed;
}

namespace {

std::filesystem::path real_path(const std::filesystem::path& p)
{
    std::error_code ec;
    auto abs = std::filesystem::absolute(p, ec);
    auto r = std::filesystem::weakly_canonical(ec ? p : abs, ec);
    return (ec ? abs : r).lexically_normal();
}

bool same_inode(const std::filesystem::path& a, const std::filesystem::path& b)
{
    struct stat sa {}, sb {};
    return ::stat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

// The longest suffix shotweave adds to an output's name for its temporaries: "." in front and
// ".part-<pid>.mp4" (Mp4Writer), ".batch.json.part-<pid>" (batch stamps), ".tmp.<pid>.<n>".
constexpr size_t kTempNameRoom = 32;

}  // namespace

bool is_inside(const std::filesystem::path& path, const std::filesystem::path& dir)
{
    const auto p = real_path(path), d = real_path(dir);
    auto pi = p.begin(), di = d.begin();
    for (; di != d.end(); ++di, ++pi)
        if (di->empty())
            break;  // a trailing separator
        else if (pi == p.end() || *pi != *di)
            return false;
    return pi != p.end();
}

Status check_output_path(const std::filesystem::path& out, const std::string& shown,
                         const std::vector<ReadFile>& inputs, bool create_folders)
{
    namespace fs = std::filesystem;
    auto refuse = [](std::string msg) { return make_error(ErrorCategory::Input, std::move(msg)); };
    if (out.empty() || !out.has_filename())
        return refuse(shown + " names no file — give a file name such as out/video.mp4");
    const fs::path dir = out.has_parent_path() ? out.parent_path() : fs::path(".");
    long name_max = ::pathconf(dir.c_str(), _PC_NAME_MAX);
    if (name_max <= 0)
        name_max = NAME_MAX;
    const size_t name_limit = (size_t)name_max > kTempNameRoom ? (size_t)name_max - kTempNameRoom : (size_t)name_max;
    for (const auto& part : out) {
        const std::string s = part.string();
        if (s.size() > (part == out.filename() ? name_limit : (size_t)name_max))
            return refuse(shown + ": the name \"" + s.substr(0, 40) + "…\" is " + std::to_string(s.size()) +
                          " bytes long; file names may have at most " +
                          std::to_string(part == out.filename() ? name_limit : (size_t)name_max) +
                          " (room is kept for temporary files) — choose a shorter name");
    }
    if (out.string().size() + kTempNameRoom > PATH_MAX)
        return refuse(shown + ": the path is " + std::to_string(out.string().size()) + " bytes long, more than " +
                      std::to_string(PATH_MAX - kTempNameRoom) + " — choose a shorter path");
    std::error_code ec;
    if (fs::is_directory(out, ec))
        return refuse(shown + " is a folder — give a file name such as " + (out / "video.mp4").string());
    // The nearest existing folder above: a file there means the path cannot be a folder.
    fs::path up = dir;
    bool missing = false;
    while (!fs::exists(up, ec)) {
        missing = true;
        if (!up.has_parent_path() || up.parent_path() == up) {
            up = ".";
            break;
        }
        up = up.parent_path();
    }
    if (!fs::is_directory(up, ec))
        return refuse(shown + ": " + up.string() + " is a file, not a folder — choose another output path");
    if (missing && !create_folders)
        return refuse(shown + ": the folder " + dir.string() + " does not exist — create it or choose another output path");
    if (::access(up.c_str(), W_OK) != 0)
        return refuse(shown + ": the folder " + up.string() + " is not writable (" + std::strerror(errno) +
                      ") — choose another output path");
    if (fs::exists(out, ec))
        for (const auto& in : inputs)
            if (same_inode(out, in.path) || real_path(out) == real_path(in.path))
                return refuse(shown + " is " + in.role + " — choose another output name");
    return {};
}

std::string unique_temp_suffix()
{
    static std::atomic<uint64_t> counter{0};
    return ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter.fetch_add(1));
}

Status write_file_atomic(const std::filesystem::path& path, std::string_view bytes)
{
    namespace fs = std::filesystem;
    fs::path tmp = path;
    tmp += unique_temp_suffix();
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out)
            return make_error(ErrorCategory::Io,
                              "cannot write " + path.string() + " — check that the folder exists and is writable",
                              std::strerror(errno));
        out.write(bytes.data(), (std::streamsize)bytes.size());
        out.flush();
        if (!out) {
            std::error_code ec;
            fs::remove(tmp, ec);
            return make_error(ErrorCategory::Io, "writing " + path.string() + " failed — check free disk space",
                              std::strerror(errno));
        }
    }
    std::error_code ec;
    fs::rename(tmp, path, ec);
    if (ec) {
        std::error_code ec2;
        fs::remove(tmp, ec2);
        return make_error(ErrorCategory::Io, "cannot replace " + path.string(), ec.message());
    }
    return {};
}

}  // namespace sw::core
