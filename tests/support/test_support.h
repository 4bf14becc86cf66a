#pragma once
// Shared test helpers: run commands, make test media with the ffmpeg CLI, read raw frames and
// probe outputs with ffprobe. Tests generate their media; nothing binary is committed.

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace sw::test {

namespace fs = std::filesystem;

struct CommandResult {
    int exit_code = -1;  // process exit status, or 128+signal
    std::string out;
    std::string err;
};

// Runs `argv` (no shell), capturing stdout and stderr. `timeout_s` kills it (exit_code 124).
CommandResult run(const std::vector<std::string>& argv, int timeout_s = 300);

// A fresh directory under the build tree, removed by the destructor unless the test failed.
class TempDir {
public:
    explicit TempDir(const std::string& tag);
    ~TempDir();
    const fs::path& path() const { return m_path; }
    fs::path operator/(const std::string& name) const { return m_path / name; }

private:
    fs::path m_path;
};

void write_file(const fs::path& p, const std::string& content);
std::string read_file(const fs::path& p);

// ffmpeg -f lavfi ... helpers (throw std::runtime_error via gtest-friendly FAIL if ffmpeg fails).
void ffmpeg(const std::vector<std::string>& args);
// A still image from a lavfi source description, e.g. "color=c=red:s=640x480".
void make_image(const fs::path& out, const std::string& lavfi);
// A video clip of `seconds` from a lavfi source at `fps`, H.264 yuv420p.
void make_video(const fs::path& out, const std::string& lavfi, double seconds, int fps = 30);

// ffprobe -show_streams -show_format -count_frames as JSON.
nlohmann::json probe(const fs::path& file);
// The first stream of `type` ("video"/"audio") in a probe result, or null.
nlohmann::json stream(const nlohmann::json& probe, const std::string& type);

// Decodes frame `index` of a video as gray-scale-free planar yuv420p bytes (w*h*3/2).
std::vector<uint8_t> decode_frame_yuv(const fs::path& video, int64_t index, int w, int h);

// Mean absolute difference and PSNR between two equally sized byte buffers.
double mean_abs_diff(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b);
double psnr(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b);

// Saves a yuv420p buffer as PNG (for failure artefacts and for looking at outputs).
void save_png(const std::vector<uint8_t>& yuv, int w, int h, const fs::path& png);

// Loudness of a file's audio as FFmpeg's ebur128 filter measures it (integrated LUFS, true peak
// dBFS); `summary` keeps the filter's summary text for failure messages.
struct Loudness {
    double integrated = 0, true_peak = 0;
    std::string summary;
};
Loudness measure_loudness(const fs::path& media);

// Path of the shotweave binary under test.
std::string cli();

}  // namespace sw::test
