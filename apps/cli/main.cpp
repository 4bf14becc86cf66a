// shotweave — the command-line front end. Thin: parses arguments, calls the libraries, prints.

#include <malloc.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <tuple>
#include <vector>

#include "batch_cmd.h"
#include "library_cmd.h"
#include "project_load.h"

#include "core/cancel.h"
#include "core/diagnostics.h"
#include "core/text_util.h"
#include "effects/transition.h"
#include "media/media.h"
#include "render/inspect.h"
#include "render/renderer.h"
#include "render/subtitles.h"
#include "render/clips.h"
#include "render/visual_pick.h"
#include "script/script.h"
#include "script/storyboard.h"
#include "timeline/plan.h"

namespace fs = std::filesystem;
using namespace sw;

namespace {

constexpr int kExitOk = 0, kExitRender = 1, kExitInput = 2;

const char* kUsage = R"(shotweave — turn a written script into a finished short video

usage:
  shotweave check SCRIPT [--json] [--library DIR] [--seed N]
                                           validate; print the storyboard (or JSON)
  shotweave render SCRIPT [-o OUT.mp4] [options]
  shotweave generate SCRIPT [--offline]    only make the generated clips (cached), with progress
  shotweave batch TEMPLATE --data ROWS.csv|.jsonl -o "out/{{field}}.mp4" [--jobs N] [--force]
                                           one video per data row (docs/batch.md)
  shotweave list transitions [--json]      every transition and its parameters
  shotweave library index DIR              index a folder of your photos and footage
  shotweave library search DIR "QUERY" [--json] [--limit N]
                                           find assets for a description (docs/library.md)
  shotweave --version | --help

render options:
  -o, --output FILE     output MP4 (default: SCRIPT's name with .mp4, beside it)
  --preview             fast draft: half size, fastest encoder preset
  --crf N               x264 quality, 0-51 (default 23; lower = better, bigger)
  --preset NAME         x264 preset: ultrafast … veryslow (default veryfast)
  --bitrate RATE        target bitrate instead of CRF, e.g. 6M or 2500k
  --threads N           segments encoded at once (default: one per core)
  --no-cache            encode every segment again (default: reuse unchanged ones)
  --cache-dir DIR       the segment cache (default ~/.cache/shotweave/segments; docs/cache.md)
  --cache-limit SIZE    keep the cache under SIZE, least recently used out first (default 4G)
  --subtitles srt,ass   also write the cues beside the video (OUT.srt, OUT.ass)
  -q, --quiet           no progress bar
  --library DIR         pick visuals for described shots from this folder (overrides `library:`)
  --seed N              another pick among near-equal library matches / another generated scene
  --offline             use only generated clips already in the cache; the other shots fall back
  --strict              a clip the generator fails to make is an error, not a fallback

SCRIPT is a .md/.txt/.json file; see docs/script.md. Exit codes: 0 ok, 1 render failure,
2 script or input error, 130/143 interrupted.
)";

using cli::load;
using cli::Loaded;
using cli::LoadOptions;
using cli::parse_load_option;
using cli::print_diagnostics;
using cli::usage_error;

int cmd_check(const std::vector<std::string>& args)
{
    std::string file;
    bool json = false;
    LoadOptions lo;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (auto po = parse_load_option(args, i, lo); po != cli::ParsedOption::NotOurs) {
            if (po == cli::ParsedOption::UsageError)
                return kExitInput;
            continue;
        }
        if (a == "--json")
            json = true;
        else if (!a.empty() && a[0] == '-')
            return usage_error("check: unknown option " + a);
        else if (file.empty())
            file = a;
        else
            return usage_error("check: more than one script given");
    }
    if (file.empty())
        return usage_error("check: which script? e.g. `shotweave check promo.md`");
    lo.clips.dry_run = true;  // check never calls a model; it says what a render would generate
    Loaded l = load(file, lo);
    if (json) {
        std::cout << script::storyboard_json(l.project, l.plan, l.diag).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    } else {
        if (!l.project.shots.empty())
            std::cout << script::storyboard_text(l.project, l.plan);
        print_diagnostics(l.diag);
        if (l.diag.has_errors())
            std::fprintf(stderr, "%zu error(s), %zu warning(s)\n", l.diag.error_count(), l.diag.warning_count());
    }
    return l.diag.has_errors() ? kExitInput : kExitOk;
}

std::string clock(double s)
{
    if (!std::isfinite(s) || s < 0)
        return "--:--";
    int t = (int)std::lround(s);
    char buf[32];
    if (t >= 3600)
        std::snprintf(buf, sizeof buf, "%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60);
    else
        std::snprintf(buf, sizeof buf, "%d:%02d", t / 60, t % 60);
    return buf;
}

// `shotweave generate SCRIPT`: only fetch/generate the clips (cached), with per-shot progress.
int cmd_generate(const std::vector<std::string>& args)
{
    std::string file;
    LoadOptions lo;
    for (size_t i = 0; i < args.size(); ++i) {
        if (auto po = parse_load_option(args, i, lo); po != cli::ParsedOption::NotOurs) {
            if (po == cli::ParsedOption::UsageError)
                return kExitInput;
            continue;
        }
        if (!args[i].empty() && args[i][0] == '-')
            return usage_error("generate: unknown option " + args[i]);
        if (!file.empty())
            return usage_error("generate: more than one script given");
        file = args[i];
    }
    if (file.empty())
        return usage_error("generate: which script? e.g. `shotweave generate promo.md`");
    core::install_signal_handlers();
    lo.clips.on_progress = [](const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); };
    Loaded l = load(file, lo);
    print_diagnostics(l.diag);
    if (render::generator_config_path(l.project).empty() && !l.diag.has_errors()) {
        std::fprintf(stderr, "shotweave: %s names no generator — add `generator: FILE.toml` or a shotweave.toml with a "
                             "[generator] table beside it (docs/generators.md)\n", file.c_str());
        return kExitInput;
    }
    int made = 0;
    for (size_t i = 0; i < l.project.shots.size(); ++i) {
        const auto& c = l.project.shots[i].choice;
        if (c.how != timeline::VisualChoice::How::Model)
            continue;
        ++made;
        std::printf("shot %zu %s: %d clip%s (%d from the cache)%s%s\n", i + 1, l.project.shots[i].name.c_str(), c.clips,
                    c.clips > 1 ? "s" : "", c.cached_clips, c.continuity.empty() ? "" : "; ", c.continuity.c_str());
    }
    std::printf("%d shot%s with generated clips\n", made, made == 1 ? "" : "s");
    if (core::cancelled())
        return 128 + core::cancel_signal();
    return l.diag.has_errors() ? kExitInput : kExitOk;
}

int cmd_render(const std::vector<std::string>& args)
{
    std::string file, output;
    bool preview = false, quiet = false;
    render::RenderOptions opt;
    bool preset_given = false;
    LoadOptions lo;
    cli::CacheOptions co;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (auto po = parse_load_option(args, i, lo); po != cli::ParsedOption::NotOurs) {
            if (po == cli::ParsedOption::UsageError)
                return kExitInput;
            continue;
        }
        std::string error;
        if (auto po = cli::parse_encode_option(args, i, opt, preset_given, error); po != cli::ParsedOption::NotOurs) {
            if (po == cli::ParsedOption::UsageError)
                return usage_error("render: " + error);
            continue;
        }
        if (auto po = cli::parse_cache_option(args, i, co, error); po != cli::ParsedOption::NotOurs) {
            if (po == cli::ParsedOption::UsageError)
                return usage_error("render: " + error);
            continue;
        }
        auto value = [&](const char* what) -> const std::string* {
            if (i + 1 >= args.size())
                return nullptr;
            (void)what;
            return &args[++i];
        };
        if (a == "-o" || a == "--output") {
            auto v = value("output");
            if (!v)
                return usage_error("render: -o needs a file name, e.g. -o promo.mp4");
            output = *v;
        } else if (a == "--preview") {
            preview = true;
        } else if (a == "-q" || a == "--quiet") {
            quiet = true;
        } else if (a == "--threads") {
            auto v = value("threads");
            char* end = nullptr;
            long n = v ? std::strtol(v->c_str(), &end, 10) : -1;
            if (!v || *end || n < 0 || n > 256)
                return usage_error("render: --threads needs a number from 0 (one per core) to 256");
            opt.workers = (int)n;
        } else if (!a.empty() && a[0] == '-') {
            return usage_error("render: unknown option " + a);
        } else if (file.empty()) {
            file = a;
        } else {
            return usage_error("render: more than one script given (use -o for the output)");
        }
    }
    if (file.empty())
        return usage_error("render: which script? e.g. `shotweave render promo.md -o promo.mp4`");

    if (!quiet)
        lo.clips.on_progress = [](const std::string& line) { std::fprintf(stderr, "generate: %s\n", line.c_str()); };
    Loaded l = load(file, lo);
    print_diagnostics(l.diag);
    // The continuity of chained generated clips, as `check` shows it.
    for (size_t i = 0; i < l.project.shots.size() && !quiet; ++i) {
        const auto& c = l.project.shots[i].choice;
        if (c.how == timeline::VisualChoice::How::Model && !c.continuity.empty())
            std::fprintf(stderr, "shot %zu %s: %s\n", i + 1, l.project.shots[i].name.c_str(), c.continuity.c_str());
    }
    if (!l.ok) {
        std::fprintf(stderr, "shotweave: not rendering: %zu error(s) in %s\n", l.diag.error_count(), file.c_str());
        return kExitInput;
    }

    fs::path out = output.empty() ? fs::path(file).replace_extension(preview ? ".preview.mp4" : ".mp4") : fs::path(output);
    // Nothing the project reads may be overwritten, and every output path problem is said now,
    // not after the encode.
    {
        core::Diagnostics warnings;
        auto ok = cli::check_outputs(out, (output.empty() ? "the output " : "-o ") + out.string(), opt, l.project, {},
                                     false, warnings);
        if (ok)
            ok = cli::check_cache_dir(co, l.project);
        print_diagnostics(warnings);
        if (!ok) {
            std::fprintf(stderr, "shotweave: %s\n", ok.error().message.c_str());
            return kExitInput;
        }
    }
    cli::remove_orphaned_temps_beside(out);

    if (preview) {
        opt.width = std::max(2, (l.plan.width / 2) & ~1);
        opt.height = std::max(2, (l.plan.height / 2) & ~1);
        if (!preset_given)
            opt.encode.preset = "ultrafast";
    }
    opt.output = out;
    opt.voice = &l.voice;
    std::optional<render::SegmentCache> cache = cli::open_cache(co);
    opt.cache = cache ? &*cache : nullptr;
    render::RenderStats stats;
    opt.stats = &stats;

    const bool tty = isatty(STDERR_FILENO) && !quiet;
    auto last = std::chrono::steady_clock::now() - std::chrono::seconds(1);
    if (tty) {
        opt.on_progress = [&](const render::Progress& p) {
            auto now = std::chrono::steady_clock::now();
            if (p.frames_done != p.total_frames && now - last < std::chrono::milliseconds(100))
                return;
            last = now;
            double frac = double(p.frames_done) / double(p.total_frames);
            double fps = p.elapsed_s > 0 ? p.frames_done / p.elapsed_s : 0;
            double eta = fps > 0 ? (p.total_frames - p.frames_done) / fps : NAN;
            const int width = 28;
            int fill = (int)std::lround(frac * width);
            std::string bar(fill, '#');
            bar += std::string(width - fill, '-');
            std::fprintf(stderr, "\r[%s] %3d%%  %lld/%lld frames  %5.1f fps  ETA %s ", bar.c_str(), (int)(frac * 100),
                         (long long)p.frames_done, (long long)p.total_frames, fps, clock(eta).c_str());
            std::fflush(stderr);
        };
    }

    core::install_signal_handlers();
    auto t0 = std::chrono::steady_clock::now();
    auto st = render::render_project(l.project, l.plan, opt);
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (tty)
        std::fprintf(stderr, "\n");
    if (!st) {
        const core::Error& e = st.error();
        if (e.category == core::ErrorCategory::Cancelled) {
            std::fprintf(stderr, "shotweave: interrupted; no output written\n");
            return 128 + (core::cancel_signal() ? core::cancel_signal() : 2);
        }
        std::fprintf(stderr, "shotweave: %s\n", e.to_string().c_str());
        return core::exit_code_for(e.category);
    }
    if (!quiet) {
        std::fprintf(stderr, "wrote %s: %dx%d, %lld frames (%s s), %.1f s (%.1f fps)\n", out.c_str(),
                     opt.width ? opt.width : l.plan.width, opt.height ? opt.height : l.plan.height,
                     (long long)l.plan.total_frames,
                     std::to_string(core::frames_to_seconds(l.plan.total_frames, l.plan.fps)).substr(0, 6).c_str(),
                     secs, l.plan.total_frames / std::max(secs, 1e-6));
        if (cache)
            std::fprintf(stderr, "segments: %d encoded, %d reused from %s\n", stats.rendered, stats.reused,
                         cache->dir().c_str());
    }
    return kExitOk;
}

const char* type_name(effects::ParamType t)
{
    switch (t) {
    case effects::ParamType::Float: return "float";
    case effects::ParamType::Int: return "int";
    case effects::ParamType::Color: return "color";
    case effects::ParamType::Enum: return "enum";
    case effects::ParamType::Duration: return "duration";
    }
    return "?";
}

int cmd_list(const std::vector<std::string>& args)
{
    bool json = std::find(args.begin(), args.end(), "--json") != args.end();
    std::string what = args.empty() ? "" : args[0];
    if (what != "transitions")
        return usage_error("list: what? `shotweave list transitions`");
    if (json) {
        nlohmann::json arr = nlohmann::json::array();
        arr.push_back({{"name", "cut"}, {"description", "no transition: the next shot starts at once"}, {"params", nlohmann::json::array()}});
        for (auto* t : effects::all_transitions()) {
            nlohmann::json params = nlohmann::json::array();
            for (auto& p : t->params())
                params.push_back({{"name", p.name}, {"type", type_name(p.type)}, {"default", p.default_value},
                                  {"min", p.min}, {"max", p.max}, {"choices", p.choices}, {"help", p.help}});
            arr.push_back({{"name", t->name()}, {"description", t->description()}, {"params", params}});
        }
        std::cout << arr.dump(2) << "\n";
        return kExitOk;
    }
    std::printf("%-14s %s\n", "cut", "no transition: the next shot starts at once");
    for (auto* t : effects::all_transitions()) {
        std::printf("%-14s %.*s\n", std::string(t->name()).c_str(), (int)t->description().size(), t->description().data());
        for (auto& p : t->params()) {
            std::printf("%-14s   %s (%s, default %s", "", p.name.c_str(), type_name(p.type), p.default_value.c_str());
            if (p.type == effects::ParamType::Enum) {
                std::string c;
                for (auto& x : p.choices)
                    c += (c.empty() ? "" : "|") + x;
                std::printf(", one of %s", c.c_str());
            } else if (p.max > p.min) {
                std::printf(", %g–%g", p.min, p.max);
            }
            std::printf(")  %s\n", p.help.c_str());
        }
    }
    std::printf("\nEvery transition takes a duration: `transition: NAME 0.8s` (default 0.5s).\n");
    return kExitOk;
}

}  // namespace

int main(int argc, char** argv)
{
    std::vector<std::string> args(argv + 1, argv + argc);
    media::set_libav_logging(false);
    if (const std::string& w = media::cpu_profile().warning; !w.empty())
        std::fprintf(stderr, "shotweave: warning: %s\n", w.c_str());
    // Frames are 3 MB: keep such blocks out of the heap arenas (glibc would otherwise raise its
    // mmap threshold after the first free and keep freed frames resident in every thread's arena).
    mallopt(M_MMAP_THRESHOLD, 1 << 20);
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        std::fputs(kUsage, args.empty() ? stderr : stdout);
        return args.empty() ? kExitInput : kExitOk;
    }
    if (args[0] == "--version") {
        // The output class: renders made in one class are the same bytes (docs/cache.md).
        std::printf("shotweave %s (output class: %s)\n", SHOTWEAVE_VERSION, media::cpu_profile().output_class.c_str());
        return kExitOk;
    }
    std::string cmd = args[0];
    std::vector<std::string> rest(args.begin() + 1, args.end());
    if (cmd == "check")
        return cmd_check(rest);
    if (cmd == "render")
        return cmd_render(rest);
    if (cmd == "generate")
        return cmd_generate(rest);
    if (cmd == "list")
        return cmd_list(rest);
    if (cmd == "batch")
        return cli::cmd_batch(rest);
    if (cmd == "library")
        return cli::cmd_library(rest);
    std::string s = core::did_you_mean(cmd, {"check", "render", "generate", "batch", "list", "library"});
    return usage_error("unknown command \"" + cmd + "\"" + (s.empty() ? "" : "; did you mean \"" + s + "\"?"));
}
