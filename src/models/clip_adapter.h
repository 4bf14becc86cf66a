#pragma once
// Generated clips: one interface for external text-to-video models (a local program or an HTTP
// service), what each backend supports, and the configuration a user writes for it.
//
// The engine asks for a clip (prompt, seconds, size, seed, optional first/last frame images);
// `snap_request` fits the request to what the backend can do (allowed durations, frame-count
// rule such as Wan's 4n+1, native fps, size multiple); the adapter runs the model and returns the
// file it produced (MJPG AVI, WebM, animated WebP, MP4 or a PNG sequence); `media::normalize_clip` turns
// that into an H.264 MP4 at the project's size and rate, which is what gets cached and rendered.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/rational.h"

namespace sw::models {

namespace fs = std::filesystem;

// What the engine wants.
struct ClipRequest {
    std::string prompt;
    std::string negative;
    double seconds = 5;
    int fps = 16;          // frames per second asked of the model (snapped to its native rate)
    int width = 832;       // snapped to the backend's size multiple
    int height = 480;
    uint64_t seed = 0;
    fs::path init_image;   // first frame (image-to-video); empty = text-to-video
    fs::path end_image;    // last frame (first-last-frame models); empty = none
    std::map<std::string, std::string> extra;  // steps, cfg, model, ... passed through to templates
    // Filled by snap_request: the exact number of frames asked for.
    int frames = 0;
};

// What a backend can do. Defaults describe a Wan2.1-like model.
struct ClipCapabilities {
    bool text_to_video = true;
    bool image_to_video = false;
    bool first_last_frame = false;
    std::vector<double> durations;  // allowed lengths in seconds; empty = any in [min, max]
    double min_seconds = 1;
    double max_seconds = 5;         // the longest single clip (longer shots are chained)
    int frame_multiple = 4;         // frames = frame_multiple * n + frame_offset (Wan: 4n+1)
    int frame_offset = 1;
    int native_fps = 16;            // 0 = whatever is asked
    int size_multiple = 16;         // width and height rounded to a multiple of this
    int max_concurrency = 1;        // clips generated at once on this backend
};

// Fits `req` to `caps`: duration clamped/snapped to an allowed one, fps to the native rate,
// frames to the frame rule (nearest count ≥ 1 second's worth that satisfies it), size to the
// multiple (keeping the aspect ratio as closely as possible). Drops end_image when unsupported
// and init_image when image-to-video is unsupported. Always succeeds.
ClipRequest snap_request(const ClipRequest& req, const ClipCapabilities& caps);

// Control of one generation: a deadline (the adapter gives up with a Media error "timed out
// after N s" when passed), a cancel flag (SIGINT), and progress in 0..1 when the backend says.
struct GenerateControl {
    std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
    const std::atomic<bool>* cancel = nullptr;
    std::function<void(double)> progress;
    bool expired() const { return std::chrono::steady_clock::now() >= deadline; }
};

// One configured backend.
class ClipAdapter {
public:
    virtual ~ClipAdapter() = default;
    // "command", "sdcpp-server", "comfyui" or "rest".
    virtual std::string kind() const = 0;
    // Identifies the backend and model for cache keys (never contains secrets).
    virtual std::string id() const = 0;
    virtual ClipCapabilities capabilities() const = 0;
    // Runs the model for an already snapped request, writing into `work_dir` (created, empty,
    // owned by the caller). Returns the produced file (a video file, an animated WebP, or the
    // first file of a PNG sequence named like 001.png / frame_0001.png). Errors say what failed
    // (HTTP status and the service's message, the program's exit code and last stderr lines),
    // with any API key removed.
    virtual core::Result<fs::path> generate(const ClipRequest& req, const fs::path& work_dir,
                                            const GenerateControl& ctl) = 0;
};

// The user's generator settings (a `[generator]` table in shotweave.toml beside the script, or
// the file named by `generator:` in the front matter). Secrets are never stored here: only the
// names of environment variables that hold them.
struct GeneratorConfig {
    std::string kind;          // "command", "sdcpp-server", "comfyui", "rest"
    std::string name;          // a label for messages ("wan-local", "kling")
    std::string model;         // passed as {model}; part of cache keys
    fs::path config_file;      // where this was read (relative paths resolve against its folder)
    ClipCapabilities caps;
    double timeout_s = 900;    // per clip
    int retries = 2;           // after the first attempt
    double backoff_s = 5;      // doubled after each failed attempt
    std::map<std::string, std::string> extra;  // default extra parameters (steps, cfg, ...)
    std::string negative;      // default negative prompt

    // command: argv template; placeholders {prompt} {negative} {width} {height} {frames} {fps}
    // {seconds} {seed} {init_image} {end_image} {output} {model} and {extra.KEY}. An argument
    // whose placeholder is empty (no init image) is dropped together with the flag before it
    // when that flag is listed in `optional_flags`.
    std::vector<std::string> command;
    std::vector<std::string> optional_flags;
    std::string output_name = "out.avi";  // file name given as {output} inside work_dir

    // HTTP backends.
    std::string base_url;                  // e.g. http://127.0.0.1:1234
    std::string api_key_env;               // environment variable holding the key ("" = none)
    std::map<std::string, std::string> headers;  // extra headers; values may use ${ENV}
    double poll_interval_s = 2;

    // comfyui: an API-format workflow JSON file with placeholders (as for `command`), and the
    // node input that receives an uploaded first frame.
    fs::path workflow;

    // rest: a generic asynchronous task API.
    std::string submit_path;               // POST, e.g. /v1/videos/text2video
    std::string submit_body;               // JSON template with placeholders
    std::string id_path;                   // JSON pointer of the task id in the submit response, e.g. /data/task_id
    std::string status_path_template;      // GET, e.g. /v1/videos/text2video/{id}
    std::string status_pointer;            // JSON pointer of the status, e.g. /data/task_status
    std::vector<std::string> done_values;  // e.g. {"succeed", "SUCCEEDED", "completed"}
    std::vector<std::string> failed_values;
    std::string error_pointer;             // JSON pointer of a failure message (optional)
    std::string url_pointer;               // JSON pointer of the result's download URL
};

// Reads a TOML generator config ([generator] table; see docs/generators.md). Errors are
// `file:line:col: message — how to fix` (Script category).
core::Result<GeneratorConfig> load_generator_config(const fs::path& toml_file);
// The same from TOML text in memory; `toml_file` names it in messages and is the folder
// relative paths resolve against.
core::Result<GeneratorConfig> parse_generator_config(std::string_view text, const fs::path& toml_file);

// The adapter for a config. Input error when the kind is unknown or a required setting is missing.
core::Result<std::unique_ptr<ClipAdapter>> make_clip_adapter(const GeneratorConfig& config);

}  // namespace sw::models
