#pragma once
// Helpers for the media tests: a temporary folder, running ffmpeg/ffprobe, reading their output.

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace sw::media::test {

namespace fs = std::filesystem;

// A fresh folder under the system temp dir, removed with everything in it at the end.
class TempDir {
public:
    TempDir()
    {
        std::string tmpl = (fs::temp_directory_path() / "sw-media-XXXXXX").string();
        char* p = mkdtemp(tmpl.data());
        if (!p)
            throw std::runtime_error("mkdtemp failed");
        m_path = p;
    }
    ~TempDir()
    {
        std::error_code ec;
        // A test may have made a folder read-only; give permissions back before removing.
        fs::permissions(m_path, fs::perms::owner_all, fs::perm_options::add, ec);
        fs::remove_all(m_path, ec);
    }
    const fs::path& path() const { return m_path; }
    fs::path operator/(const std::string& name) const { return m_path / name; }

private:
    fs::path m_path;
};

inline std::string shell_quote(const std::string& s)
{
    std::string out = "'";
    for (char c : s) {
        if (c == '\'')
            out += "'\\''";
        else
            out += c;
    }
    return out + "'";
}

struct RunResult {
    int exit_code = -1;
    std::string out;  // stdout (binary-safe)
};

// Runs a shell command, capturing stdout; stderr goes to the test log.
inline RunResult run(const std::string& cmd)
{
    RunResult r;
    FILE* p = popen(cmd.c_str(), "r");
    if (!p)
        return r;
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0)
        r.out.append(buf, n);
    int status = pclose(p);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

// ffmpeg with quiet logging; returns true on success.
inline bool ffmpeg(const std::string& args)
{
    RunResult r = run("ffmpeg -nostdin -hide_banner -loglevel error -y " + args);
    return r.exit_code == 0;
}

// An input made by `ffmpeg <args> <output>`, shared by every test process of the build tree
// (ctest runs each test in its own process, and regenerating the same clips for each one
// would dominate the suite's time). Keyed by the command, so changing a test's recipe makes
// a new file; written under a temporary name and renamed, so parallel tests never see half
// a file. Returns an empty path if ffmpeg fails.
inline fs::path cached_input(const std::string& name, const std::string& args)
{
    const fs::path dir = fs::path(SW_BINARY_DIR) / "media-test-inputs";
    std::error_code ec;
    fs::create_directories(dir, ec);
    char key[32];
    std::snprintf(key, sizeof key, "%016zx", std::hash<std::string>{}(args + "|" + name));
    const fs::path out = dir / (std::string(key) + "-" + name);
    if (fs::exists(out))
        return out;
    // The temporary keeps the extension: ffmpeg picks the container from it.
    const fs::path tmp = dir / (".tmp-" + std::to_string(getpid()) + "-" + name);
    if (!ffmpeg(args + " " + shell_quote(tmp.string())))
        return {};
    fs::rename(tmp, out, ec);
    return ec ? fs::path{} : out;
}

inline nlohmann::json ffprobe_json(const fs::path& file, bool count_frames = true)
{
    RunResult r = run("ffprobe -v error -show_streams -show_format " +
                      std::string(count_frames ? "-count_frames " : "") + "-of json " + shell_quote(file.string()));
    if (r.exit_code != 0)
        return {};
    return nlohmann::json::parse(r.out, nullptr, false);
}

inline const nlohmann::json* stream_of_type(const nlohmann::json& probe, const std::string& type)
{
    if (!probe.contains("streams"))
        return nullptr;
    for (const auto& s : probe["streams"])
        if (s.value("codec_type", "") == type)
            return &s;
    return nullptr;
}

inline double json_number(const nlohmann::json& j, const std::string& key)
{
    if (!j.contains(key))
        return -1;
    const auto& v = j[key];
    if (v.is_string())
        return std::stod(v.get<std::string>());
    return v.get<double>();
}

// Decodes every frame of a file to raw yuv420p (at its own size).
inline std::string decode_raw_yuv420p(const fs::path& file)
{
    return run("ffmpeg -nostdin -hide_banner -loglevel error -i " + shell_quote(file.string()) +
               " -f rawvideo -pix_fmt yuv420p -")
        .out;
}

inline std::string read_file(const fs::path& p)
{
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

inline void write_file(const fs::path& p, const std::string& data)
{
    std::ofstream out(p, std::ios::binary);
    out.write(data.data(), (std::streamsize)data.size());
}

}  // namespace sw::media::test
