// The `command` clip adapter: runs a local text-to-video program (stable-diffusion.cpp's sd-cli,
// a Python script, ...) with fork/execvp — never through a shell, so a prompt with quotes,
// spaces or Chinese arrives as one argument and cannot inject commands.
//
// The program runs in its own process group, in the config file's folder (so relative model
// paths in the template work); stdout and stderr go to work_dir/generate.log. A deadline or a
// cancel stops the whole group (SIGTERM, then SIGKILL 2 s later), so helpers the program started
// die with it.

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "core/cancel.h"
#include "core/process.h"
#include "media/clip_normalize.h"
#include "models/clip_presets.h"

namespace sw::models {

using core::ErrorCategory;
using core::make_error;

namespace {

std::string format_seconds(double s)
{
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, s);
    return ec == std::errc() ? std::string(buf, end) : std::to_string(s);
}

std::string abs_or_empty(const fs::path& p)
{
    if (p.empty())
        return {};
    std::error_code ec;
    fs::path a = fs::absolute(p, ec);
    return (ec ? p : a).string();
}

// Value of one placeholder name (without braces), or nullopt when the name is not one of ours.
std::optional<std::string> placeholder_value(const std::string& name, const GeneratorConfig& config,
                                             const ClipRequest& req, const fs::path& output)
{
    if (name == "prompt") return req.prompt;
    if (name == "negative") return req.negative;
    if (name == "width") return std::to_string(req.width);
    if (name == "height") return std::to_string(req.height);
    if (name == "frames") return std::to_string(req.frames);
    if (name == "fps") return std::to_string(req.fps);
    if (name == "seconds") return format_seconds(req.seconds);
    if (name == "seed") return std::to_string(req.seed);
    if (name == "init_image") return abs_or_empty(req.init_image);
    if (name == "end_image") return abs_or_empty(req.end_image);
    if (name == "output") return output.string();
    if (name == "model") return config.model;
    if (name.rfind("extra.", 0) == 0) {
        auto it = req.extra.find(name.substr(6));
        return it == req.extra.end() ? std::string() : it->second;
    }
    return std::nullopt;
}

// Expands one template argument; `had_placeholder` says whether any known placeholder was in it.
std::string expand_arg(const std::string& arg, const GeneratorConfig& config, const ClipRequest& req,
                       const fs::path& output, bool& had_placeholder)
{
    std::string out;
    had_placeholder = false;
    size_t i = 0;
    while (i < arg.size()) {
        size_t open = arg.find('{', i);
        if (open == std::string::npos) {
            out.append(arg, i, std::string::npos);
            break;
        }
        out.append(arg, i, open - i);
        size_t close = arg.find('}', open + 1);
        if (close == std::string::npos) {
            out.append(arg, open, std::string::npos);
            break;
        }
        auto value = placeholder_value(arg.substr(open + 1, close - open - 1), config, req, output);
        if (value) {
            out += *value;
            had_placeholder = true;
            i = close + 1;
        } else {
            out += '{';  // not ours (e.g. JSON): keep it and look for placeholders after the brace
            i = open + 1;
        }
    }
    return out;
}

// Last `n` lines of a file (at most the final 64 KiB are read).
std::string tail_lines(const fs::path& file, int n)
{
    std::ifstream in(file, std::ios::binary);
    if (!in)
        return {};
    in.seekg(0, std::ios::end);
    std::streamoff size = in.tellg();
    std::streamoff start = std::max<std::streamoff>(0, size - 64 * 1024);
    in.seekg(start);
    std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // Progress bars redraw with '\r': keep what the terminal would show.
    std::vector<std::string> lines;
    std::string cur;
    for (char c : s) {
        if (c == '\n') {
            lines.push_back(cur);
            cur.clear();
        } else if (c == '\r') {
            cur.clear();
        } else {
            cur += c;
        }
    }
    if (!cur.empty())
        lines.push_back(cur);
    while (!lines.empty() && lines.back().find_first_not_of(" \t") == std::string::npos)
        lines.pop_back();
    size_t from = lines.size() > size_t(n) ? lines.size() - n : 0;
    std::string r;
    for (size_t k = from; k < lines.size(); ++k) {
        if (!r.empty())
            r += '\n';
        r += lines[k];
    }
    return r;
}

// The latest "| step/total" that a progress bar (sd-cli's, tqdm's) left at the end of the log,
// as a fraction; nullopt when there is none.
std::optional<double> progress_in_log(const fs::path& log)
{
    std::ifstream in(log, std::ios::binary);
    if (!in)
        return std::nullopt;
    in.seekg(0, std::ios::end);
    std::streamoff size = in.tellg();
    if (size <= 0)
        return std::nullopt;
    std::streamoff start = std::max<std::streamoff>(0, size - 4096);
    in.seekg(start);
    std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (size_t bar = s.rfind('|'); bar != std::string::npos && bar > 0; bar = s.rfind('|', bar - 1)) {
        size_t i = bar + 1;
        while (i < s.size() && s[i] == ' ')
            ++i;
        size_t a = i;
        while (i < s.size() && std::isdigit((unsigned char)s[i]))
            ++i;
        if (i == a || i >= s.size() || s[i] != '/')
            continue;
        size_t b = ++i;
        while (i < s.size() && std::isdigit((unsigned char)s[i]))
            ++i;
        if (i == b || i - b > 9 || b - 1 - a > 9)
            continue;
        double step = std::stod(s.substr(a, b - 1 - a)), total = std::stod(s.substr(b, i - b));
        if (total > 0 && step <= total)
            return step / total;
    }
    return std::nullopt;
}

bool is_picture_ext(const fs::path& p)
{
    std::string e = p.extension().string();
    std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return std::tolower(c); });
    return e == ".png" || e == ".jpg" || e == ".jpeg";
}

// The first file of a numbered picture sequence in `dir` (000.png, out_001.png, frame_0001.png).
std::optional<fs::path> find_picture_sequence(const fs::path& dir)
{
    std::vector<fs::path> found;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        if (!e.is_regular_file(ec) || !is_picture_ext(e.path()))
            continue;
        std::string stem = e.path().stem().string();
        if (!stem.empty() && std::isdigit((unsigned char)stem.back()))
            found.push_back(e.path());
    }
    if (found.empty())
        return std::nullopt;
    std::sort(found.begin(), found.end());
    auto seq = media::picture_sequence(found.front());
    return seq.empty() ? found.front() : seq.front();
}

bool should_stop(const GenerateControl& ctl)
{
    return (ctl.cancel && ctl.cancel->load()) || core::cancelled();
}

class CommandAdapter final : public ClipAdapter {
public:
    explicit CommandAdapter(GeneratorConfig config) : m_config(std::move(config)) {}

    std::string kind() const override { return "command"; }

    std::string id() const override
    {
        std::string s = "command:";
        for (size_t i = 0; i < m_config.command.size(); ++i)
            s += (i ? " " : "") + m_config.command[i];
        return s + " | model=" + m_config.model;
    }

    ClipCapabilities capabilities() const override { return m_config.caps; }

    core::Result<fs::path> generate(const ClipRequest& req_in, const fs::path& work_dir,
                                    const GenerateControl& ctl) override
    {
        const ClipRequest req = with_config_defaults(req_in, m_config);
        std::error_code ec;
        fs::create_directories(work_dir, ec);
        const fs::path dir = fs::absolute(work_dir, ec);
        const fs::path output = dir / (m_config.output_name.empty() ? std::string("out.avi") : m_config.output_name);
        std::vector<std::string> args = expand_command(m_config, req, output);
        // Relative paths in the template (the program, model files) are relative to the config
        // file's folder: the program runs there. Without a config file it inherits our directory.
        const fs::path run_dir =
            m_config.config_file.empty() ? fs::path() : fs::absolute(m_config.config_file, ec).parent_path();
        if (args[0].find('/') != std::string::npos && fs::path(args[0]).is_relative())
            args[0] = fs::absolute((run_dir.empty() ? fs::current_path(ec) : run_dir) / args[0], ec).string();
        const std::string program = args[0];
        const fs::path log = dir / "generate.log";

        using clock = std::chrono::steady_clock;
        const auto started = clock::now();
        core::ProcessSpec spec;
        spec.argv = std::move(args);
        spec.dir = run_dir;
        spec.log = log;
        spec.deadline = ctl.deadline;
        spec.stop_requested = [&ctl] { return should_stop(ctl); };
        spec.grace = std::chrono::seconds(2);
        double last_progress = -1;
        if (ctl.progress)
            spec.on_tick = [&] {
                if (auto f = progress_in_log(log); f && *f != last_progress) {
                    last_progress = *f;
                    ctl.progress(*f);
                }
            };
        auto run = core::run_process(spec);
        if (!run) {
            using Kind = core::ProcessFailure::Kind;
            const std::string why = run.error().message();
            if (run.error().kind == Kind::Log)
                return make_error(ErrorCategory::Io, "cannot write the generator log " + log.string(), why);
            if (run.error().kind == Kind::Setup)
                return make_error(ErrorCategory::Io, "cannot run the generator program", why);
            return make_error(ErrorCategory::Input,
                              "the generator program \"" + program + "\" could not be started — check that it is "
                              "installed and on PATH, or fix `command` in the [generator] settings",
                              why);
        }
        using Stop = core::ProcessResult::Stop;
        const Stop stop = run->stop;
        const int status = run->status;

        // The program's last 20 lines go into the message: that is where it says what went wrong.
        const std::string tail = tail_lines(log, 20);
        const std::string log_note = "full log: " + log.string();
        auto with_tail = [&](std::string msg) { return tail.empty() ? msg : msg + ":\n" + tail + "\n"; };
        if (stop == Stop::Requested)
            return make_error(ErrorCategory::Cancelled, "generating the clip was cancelled", log_note);
        if (stop == Stop::Deadline) {
            double limit = std::chrono::duration<double>(ctl.deadline - started).count();
            return make_error(ErrorCategory::Media,
                              with_tail("the generator program \"" + program + "\" timed out after " +
                                        format_seconds(std::round(limit * 10) / 10) + " s and was stopped") +
                                  " — raise `timeout_s` in the [generator] settings or ask for shorter/smaller clips",
                              log_note);
        }
        if (!core::exited_ok(status)) {
            return make_error(ErrorCategory::Media,
                              with_tail("the generator program \"" + program + "\" " + core::describe_exit(status)) +
                                  " — run it by hand to see what is wrong",
                              log_note);
        }
        if (fs::is_regular_file(output, ec))
            return output;
        if (auto seq = find_picture_sequence(dir))
            return *seq;
        return make_error(ErrorCategory::Media,
                          "the program exited 0 but wrote no video (expected " + output.string() +
                              ") — put {output} where the program takes its output path, or set `output_name` to "
                              "the file it writes",
                          log_note);
    }

private:
    GeneratorConfig m_config;
};

}  // namespace

ClipRequest with_config_defaults(const ClipRequest& req, const GeneratorConfig& config)
{
    ClipRequest r = req;
    if (r.negative.empty())
        r.negative = config.negative;
    for (const auto& [k, v] : config.extra)
        r.extra.emplace(k, v);  // emplace keeps the request's own value
    return r;
}

std::vector<std::string> expand_command(const GeneratorConfig& config, const ClipRequest& req,
                                        const fs::path& output)
{
    const std::set<std::string> optional(config.optional_flags.begin(), config.optional_flags.end());
    std::vector<std::string> out;
    const auto& t = config.command;
    for (size_t i = 0; i < t.size(); ++i) {
        bool had = false;
        if (optional.count(t[i]) && i + 1 < t.size()) {
            std::string next = expand_arg(t[i + 1], config, req, output, had);
            if (had && next.empty()) {
                ++i;  // drop the flag and its empty value
                continue;
            }
            out.push_back(t[i]);
            out.push_back(std::move(next));
            ++i;
            continue;
        }
        out.push_back(expand_arg(t[i], config, req, output, had));
    }
    return out;
}

GeneratorConfig sdcpp_cli_preset(const std::string& sd_cli_path, const std::string& model_path)
{
    GeneratorConfig c;
    c.kind = "command";
    c.name = "sd-cli";
    c.model = model_path;
    c.command = {sd_cli_path, "-M", "vid_gen", "-m", model_path, "-p", "{prompt}", "-n", "{negative}",
                 "-W", "{width}", "-H", "{height}", "--video-frames", "{frames}", "--fps", "{fps}",
                 "-s", "{seed}", "-i", "{init_image}", "--end-img", "{end_image}", "-o", "{output}"};
    c.optional_flags = {"-i", "--end-img", "-n"};
    c.output_name = "out.avi";
    c.caps.text_to_video = true;
    c.caps.image_to_video = true;
    c.caps.first_last_frame = true;
    c.caps.durations.clear();
    c.caps.min_seconds = 1;
    c.caps.max_seconds = 5;
    c.caps.frame_multiple = 4;
    c.caps.frame_offset = 1;
    c.caps.native_fps = 16;
    c.caps.size_multiple = 16;
    c.caps.max_concurrency = 1;
    return c;
}

core::Result<std::unique_ptr<ClipAdapter>> make_command_adapter(const GeneratorConfig& config)
{
    if (config.command.empty() || config.command.front().empty())
        return make_error(ErrorCategory::Input,
                          "generator \"" + config.name + "\": `command` is empty — give the program and its "
                          "arguments, e.g. command = [\"sd-cli\", \"-M\", \"vid_gen\", \"-p\", \"{prompt}\", "
                          "\"-o\", \"{output}\"]");
    return std::unique_ptr<ClipAdapter>(new CommandAdapter(config));
}

}  // namespace sw::models
