#include "core/file.h"

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
