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
#include "draft_cmd.h"
#include "library_cmd.h"
#include "options.h"
#include "voice_cmd.h"

#include "core/cancel.h"
#include "core/diagnostics.h"
#include "core/text_util.h"
#include "effects/transition.h"
#include "engine/engine.h"
#include "media/media.h"
#include "script/storyboard.h"

namespace fs = std::filesystem;
using namespace sw;

namespace {

using core::kExitInput;
using core::kExitOk;

const char* kUsage = R"(shotweave — turn a written script into a finished short video

usage:
  shotweave check SCRIPT [--json] [--library DIR] [--seed N]
                                           validate; print the storyboard (or JSON)
  shotweave render SCRIPT [-o OUT.mp4] [options]
  shotweave generate SCRIPT [--offline]    only make the generated clips (cached), with progress
  shotweave batch TEMPLATE --data ROWS.csv|.jsonl -o "out/{{field}}.mp4" [--jobs N] [--force]
                                           one video per data row (docs/batch.md)
  shotweave draft "TOPIC" -o OUT.md | --from ARTICLE.txt [--length 60s] [--voice zh]
          [--library DIR] [--size 9:16] [--json] [--force]
                                           a script written by your language model (OpenAI-compatible
                                           chat API: SHOTWEAVE_LLM_URL/_MODEL/_KEY or [writer] in
                                           shotweave.toml), checked, for you to edit (docs/draft.md)
  shotweave list transitions [--json]      every transition, one line each
  shotweave voices [ENGINE] [--json] [--config FILE]
                                           the voices of espeak-ng (with its variants, zh+f3) or
                                           of a speech server: openai, cosyvoice, gpt-sovits, piper
  shotweave say "TEXT" [--voice V] [--rate N] [--pitch N] [--engine E] [--config FILE]
                -o OUT.wav [--force]       hear a voice: speak one line into a WAV file
                                           (docs/voices.md; engine settings: [tts] in shotweave.toml)
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
  --progress STYLE      bar (default on a terminal), json (one event per line on stdout,
                        docs/progress.md) or none
  --library DIR         pick visuals for described shots from this folder (overrides `library:`)
  --seed N              another pick among near-equal library matches / another generated scene
  --offline             use only generated clips already in the cache; the other shots fall back
  --strict              a clip the generator fails to make is an error, not a fallback

SCRIPT is a .md/.txt/.json file; see docs/script.md. Exit codes: 0 ok, 1 render failure,
2 script or input error, 130/143 interrupted.
)";

using cli::ParsedOption;
using cli::parse_load_option;
using cli::print_diagnostics;
using cli::usage_error;

int cmd_check(const std::vector<std::string>& args)
{
    std::string file;
    bool json = false;
    engine::LoadOptions lo;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        std::string error;
        if (auto po = parse_load_option(args, i, lo, error); po != ParsedOption::NotOurs) {
            if (po == ParsedOption::UsageError)
                return usage_error("check: " + error);
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
    engine::Engine eng({.use_cache = false});
    engine::Loaded l = eng.check({file}, lo);  // never calls a model: says what a render would generate
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

// The exit status after a cancel: 128 + the signal (SIGINT when a token, not a signal, stopped it).
int interrupted_code() { return 128 + (core::cancel_signal() ? core::cancel_signal() : 2); }

// `shotweave generate SCRIPT`: only fetch/generate the clips (cached), with per-shot progress.
int cmd_generate(const std::vector<std::string>& args)
{
    std::string file;
    engine::LoadOptions lo;
    for (size_t i = 0; i < args.size(); ++i) {
        std::string error;
        if (auto po = parse_load_option(args, i, lo, error); po != ParsedOption::NotOurs) {
            if (po == ParsedOption::UsageError)
                return usage_error("generate: " + error);
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
    engine::Engine eng({.use_cache = false});
    engine::Job job;
    job.on_event = [](const engine::Event& e) {
        if (e.type == engine::EventType::Message && e.phase == engine::Phase::Generate && !e.shot)
            std::fprintf(stderr, "%s\n", e.text.c_str());
        else if (e.type == engine::EventType::Diagnostics)
            cli::print_diagnostics(e);
    };
    engine::GenerateResult r = eng.generate({file}, lo, job);
    if (r.error && r.outcome == engine::Outcome::InputError && !r.loaded.diag.has_errors()) {
        std::fprintf(stderr, "shotweave: %s\n", r.error->message.c_str());
        return kExitInput;
    }
    for (auto& s : r.shots)
        std::printf("shot %d %s: %d clip%s (%d from the cache)%s%s\n", s.index, s.name.c_str(), s.clips,
                    s.clips > 1 ? "s" : "", s.cached_clips, s.continuity.empty() ? "" : "; ", s.continuity.c_str());
    std::printf("%zu shot%s with generated clips\n", r.shots.size(), r.shots.size() == 1 ? "" : "s");
    if (r.outcome == engine::Outcome::Cancelled)
        return interrupted_code();
    return engine::exit_code(r.outcome);
}

int cmd_render(const std::vector<std::string>& args)
{
    engine::RenderRequest req;
    engine::EngineOptions eo;
    std::string file, output;
    bool quiet = false;
    cli::ProgressStyle style = cli::ProgressStyle::Auto;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        std::string error;
        if (auto po = cli::parse_render_option(args, i, {req.load, req.settings, eo, style}, error);
            po != ParsedOption::NotOurs) {
            if (po == ParsedOption::UsageError)
                return usage_error("render: " + error);
            continue;
        }
        const std::string* v = i + 1 < args.size() ? &args[i + 1] : nullptr;
        if (a == "-o" || a == "--output") {
            if (!v)
                return usage_error("render: -o needs a file name, e.g. -o promo.mp4");
            output = *v, ++i;
        } else if (a == "--preview") {
            req.settings.preview = true;
        } else if (a == "-q" || a == "--quiet") {
            quiet = true;
        } else if (a == "--threads") {
            char* end = nullptr;
            long n = v ? std::strtol(v->c_str(), &end, 10) : -1;
            if (v)
                ++i;
            if (!v || *end || n < 0 || n > 256)
                return usage_error("render: --threads needs a number from 0 (one per core) to 256");
            eo.workers = (int)n;
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
    req.script.path = file;
    req.output = output;
    if (style == cli::ProgressStyle::Auto)
        style = quiet ? cli::ProgressStyle::None : isatty(STDERR_FILENO) ? cli::ProgressStyle::Bar : cli::ProgressStyle::None;
    const bool json = style == cli::ProgressStyle::Json;

    // What the engine says, as text on stderr (or as JSON lines on stdout).
    cli::ProgressBar bar;
    engine::Job job;
    job.on_event = [&](const engine::Event& e) {
        using engine::EventType;
        if (json)
            return cli::print_json_event(e);
        switch (e.type) {
        case EventType::Diagnostics:
            cli::print_diagnostics(e);
            break;
        case EventType::Message:
            if (e.phase == engine::Phase::Outputs)
                std::fprintf(stderr, "shotweave: %s\n", e.text.c_str());
            else if (!quiet && e.shot)
                std::fprintf(stderr, "shot %d %s: %s\n", e.shot, e.shot_name.c_str(), e.text.c_str());
            else if (!quiet)
                std::fprintf(stderr, "generate: %s\n", e.text.c_str());
            break;
        case EventType::Progress:
            if (style == cli::ProgressStyle::Bar)
                bar.update(e);
            break;
        default:
            break;
        }
    };

    core::install_signal_handlers();
    engine::Engine eng(eo);
    engine::RenderResult r = eng.render(req, job);
    bar.finish();
    if (r.outcome == engine::Outcome::Cancelled) {
        if (!json)
            std::fprintf(stderr, "shotweave: interrupted; no output written\n");
        return interrupted_code();
    }
    if (r.outcome != engine::Outcome::Done) {
        if (!json && r.error)
            std::fprintf(stderr, "shotweave: %s\n", (r.started ? r.error->to_string() : r.error->message).c_str());
        if (r.started && r.error)
            return core::exit_code_for(r.error->category);
        return engine::exit_code(r.outcome);
    }
    if (!quiet && !json) {
        std::fprintf(stderr, "wrote %s: %dx%d, %lld frames (%s s), %.1f s (%.1f fps)\n", r.output.c_str(), r.width,
                     r.height, (long long)r.frames, std::to_string(r.video_s).substr(0, 6).c_str(), r.render_s,
                     r.frames / std::max(r.render_s, 1e-6));
        if (auto* cache = eng.segment_cache())
            std::fprintf(stderr, "segments: %d encoded, %d reused from %s\n", r.segments.rendered, r.segments.reused,
                         cache->dir().c_str());
    }
    return kExitOk;
}

int cmd_list(const std::vector<std::string>& args)
{
    bool json = std::find(args.begin(), args.end(), "--json") != args.end();
    std::string what = args.empty() ? "" : args[0];
    if (what != "transitions")
        return usage_error("list: what? `shotweave list transitions`");
    if (json) {
        nlohmann::json arr = nlohmann::json::array();
        arr.push_back({{"name", "cut"}, {"description", "no transition: the next shot starts at once"}});
        for (auto* t : effects::all_transitions())
            arr.push_back({{"name", t->name()}, {"description", t->description()}});
        std::cout << arr.dump(2) << "\n";
        return kExitOk;
    }
    std::printf("%-14s %s\n", "cut", "no transition: the next shot starts at once");
    for (auto* t : effects::all_transitions())
        std::printf("%-14s %.*s\n", std::string(t->name()).c_str(), (int)t->description().size(), t->description().data());
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
    if (cmd == "draft")
        return cli::cmd_draft(rest);
    if (cmd == "voices")
        return cli::cmd_voices(rest);
    if (cmd == "say")
        return cli::cmd_say(rest);
    std::string s =
        core::did_you_mean(cmd, {"check", "render", "generate", "batch", "list", "library", "draft", "voices", "say"});
    return usage_error("unknown command \"" + cmd + "\"" + (s.empty() ? "" : "; did you mean \"" + s + "\"?"));
}
