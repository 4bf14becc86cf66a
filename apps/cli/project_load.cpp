#include "project_load.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <tuple>

#include "core/text_util.h"
#include "render/inspect.h"
#include "render/subtitles.h"
#include "render/visual_pick.h"

namespace fs = std::filesystem;

namespace sw::cli {

int usage_error(const std::string& msg)
{
    std::fprintf(stderr, "shotweave: %s\nRun `shotweave --help` for usage.\n", msg.c_str());
    return 2;
}

std::string diagnostics_text(const core::Diagnostics& diag)
{
    std::vector<core::Diagnostic> items = diag.items();
    std::stable_sort(items.begin(), items.end(), [](const core::Diagnostic& a, const core::Diagnostic& b) {
        return std::tie(a.where.file, a.where.line, a.where.col) < std::tie(b.where.file, b.where.line, b.where.col);
    });
    std::string s;
    for (auto& d : items)
        s += d.to_string() + "\n";
    return s + diag.omitted_note();
}

void print_diagnostics(const core::Diagnostics& diag)
{
    std::fputs(diagnostics_text(diag).c_str(), stderr);
}

namespace {

bool parse_bitrate(const std::string& s, int64_t& out)
{
    char* end = nullptr;
    double v = std::strtod(s.c_str(), &end);
    if (end == s.c_str() || v <= 0)
        return false;
    std::string suf = core::to_lower_ascii(end);
    if (suf == "k")
        v *= 1e3;
    else if (suf == "m")
        v *= 1e6;
    else if (!suf.empty())
        return false;
    out = (int64_t)v;
    return out >= 10000;
}

}  // namespace

ParsedOption parse_encode_option(const std::vector<std::string>& args, size_t& i, render::RenderOptions& opt,
                                 bool& preset_given, std::string& error)
{
    const std::string& a = args[i];
    if (a != "--crf" && a != "--preset" && a != "--bitrate" && a != "--subtitles")
        return ParsedOption::NotOurs;
    const std::string* v = i + 1 < args.size() ? &args[++i] : nullptr;
    auto fail = [&](std::string msg) {
        error = std::move(msg);
        return ParsedOption::UsageError;
    };
    if (a == "--crf") {
        char* end = nullptr;
        long crf = v ? std::strtol(v->c_str(), &end, 10) : -1;
        if (!v || v->empty() || *end || crf < 0 || crf > 51)
            return fail("--crf needs a number from 0 to 51 (default 23)");
        opt.encode.crf = (int)crf;
    } else if (a == "--preset") {
        static const std::vector<std::string> presets = {"ultrafast", "superfast", "veryfast", "faster", "fast",
                                                         "medium", "slow", "slower", "veryslow", "placebo"};
        if (!v)
            return fail("--preset needs a name, e.g. --preset veryfast");
        if (std::find(presets.begin(), presets.end(), *v) == presets.end()) {
            std::string g = core::did_you_mean(*v, presets);
            return fail("unknown x264 preset \"" + *v + "\"" +
                        (g.empty() ? " (ultrafast … veryslow)" : "; did you mean \"" + g + "\"?"));
        }
        opt.encode.preset = *v;
        preset_given = true;
    } else if (a == "--bitrate") {
        if (!v || !parse_bitrate(*v, opt.encode.bitrate))
            return fail("--bitrate needs a rate such as 6M or 2500k");
    } else {
        if (!v)
            return fail("--subtitles needs a list such as srt,ass");
        std::string list = *v + ",";
        for (size_t p = 0, q; (q = list.find(',', p)) != std::string::npos; p = q + 1) {
            std::string f = list.substr(p, q - p);
            if (f == "srt")
                opt.write_srt = true;
            else if (f == "ass")
                opt.write_ass = true;
            else if (!f.empty())
                return fail("--subtitles takes srt and/or ass, not \"" + f + "\"");
        }
    }
    return ParsedOption::Taken;
}

ParsedOption parse_cache_option(const std::vector<std::string>& args, size_t& i, CacheOptions& o, std::string& error)
{
    const std::string& a = args[i];
    if (a == "--no-cache") {
        o.use = false;
        return ParsedOption::Taken;
    }
    if (a != "--cache-dir" && a != "--cache-limit")
        return ParsedOption::NotOurs;
    const std::string* v = i + 1 < args.size() ? &args[++i] : nullptr;
    if (a == "--cache-dir") {
        if (!v || v->empty()) {
            error = "--cache-dir needs a folder, e.g. --cache-dir ~/.cache/shotweave/segments";
            return ParsedOption::UsageError;
        }
        o.dir = *v;
        return ParsedOption::Taken;
    }
    auto size = v ? render::parse_size(*v) : std::nullopt;
    if (!size) {
        error = "--cache-limit needs a size such as 500M or 4G";
        return ParsedOption::UsageError;
    }
    o.limit = *size;
    return ParsedOption::Taken;
}

std::optional<render::SegmentCache> open_cache(const CacheOptions& o)
{
    if (!o.use)
        return std::nullopt;
    auto cache = render::SegmentCache::open(o.dir.empty() ? render::default_segment_cache_dir() : o.dir,
                                            o.limit ? o.limit : render::default_segment_cache_limit());
    if (!cache) {
        std::fprintf(stderr, "shotweave: warning: %s; rendering without the segment cache\n",
                     cache.error().to_string().c_str());
        return std::nullopt;
    }
    return std::move(*cache);
}

ParsedOption parse_load_option(const std::vector<std::string>& args, size_t& i, LoadOptions& o)
{
    const std::string& a = args[i];
    if (a == "--offline" || a == "--strict") {
        (a == "--offline" ? o.clips.offline : o.clips.strict) = true;
        return ParsedOption::Taken;
    }
    if (a != "--library" && a != "--seed")
        return ParsedOption::NotOurs;
    if (i + 1 >= args.size()) {
        usage_error(a == "--library" ? "--library needs a folder, e.g. --library media/" : "--seed needs a number, e.g. --seed 2");
        return ParsedOption::UsageError;
    }
    const std::string& v = args[++i];
    if (a == "--library") {
        o.library = v;
        return ParsedOption::Taken;
    }
    char* end = nullptr;
    unsigned long long n = std::strtoull(v.c_str(), &end, 10);
    if (v.empty() || *end || v[0] == '-') {
        usage_error("--seed needs a whole number, e.g. --seed 2");
        return ParsedOption::UsageError;
    }
    o.seed = n;
    return ParsedOption::Taken;
}

std::vector<core::ReadFile> project_inputs(const timeline::Project& p)
{
    std::vector<core::ReadFile> files;
    auto at = [](const core::SourceLoc& loc) { return loc.valid() ? " (" + loc.to_string() + ")" : std::string(); };
    if (!p.script_path.empty())
        files.push_back({p.script_path, "the script"});
    for (auto& s : p.shots) {
        if (s.visual.kind == timeline::VisualKind::Media && !s.visual.path.empty())
            files.push_back({s.visual.path, "the media of shot \"" + s.name + "\"" + at(s.visual.loc)});
        if (!s.voice_file.empty()) {
            files.push_back({s.voice_file, "the recorded voice of shot \"" + s.name + "\"" + at(s.voice_file_loc)});
            fs::path srt = s.voice_file;
            files.push_back({srt.replace_extension(".srt"),
                             "the subtitles of the recorded voice of shot \"" + s.name + "\"" + at(s.voice_file_loc)});
        }
    }
    if (p.music)
        files.push_back({p.music->path, "the music this script plays" + at(p.music->loc)});
    if (p.logo)
        files.push_back({p.logo->path, "the logo this script shows" + at(p.logo->loc)});
    fs::path gen = render::generator_config_path(p);
    if (!gen.empty())
        files.push_back({gen, "the generator settings" + at(p.generator_loc)});
    return files;
}

core::Status check_outputs(const fs::path& out, const std::string& shown, const render::RenderOptions& opt,
                           const timeline::Project& p, const std::vector<core::ReadFile>& extra_inputs,
                           bool create_folders, core::Diagnostics& warnings, const std::vector<fs::path>& extra_outputs)
{
    std::vector<core::ReadFile> inputs = project_inputs(p);
    inputs.insert(inputs.end(), extra_inputs.begin(), extra_inputs.end());
    std::vector<std::pair<fs::path, std::string>> outputs{{out, shown}};
    auto side = [&](const char* ext, const char* flag) {
        fs::path f = fs::path(out).replace_extension(ext);  // as the renderer names them
        outputs.push_back({f, std::string(flag) + " writes " + f.string() + ", which"});
    };
    if (opt.write_srt)
        side(".srt", "--subtitles srt");
    if (opt.write_ass)
        side(".ass", "--subtitles ass");
    for (auto& e : extra_outputs)
        outputs.push_back({e, e.string() + ", written beside " + out.string() + ","});
    for (auto& [file, label] : outputs) {
        SW_TRY_STATUS(core::check_output_path(file, label, inputs, create_folders));
        std::error_code ec;
        if (!p.library_dir.empty() && core::is_inside(file, p.library_dir)) {
            const std::string lib = p.library_as_written.empty() ? p.library_dir.string() : p.library_as_written;
            const std::string at = p.library_loc.valid() ? " (" + p.library_loc.to_string() + ")" : "";
            if (fs::exists(file, ec))
                return core::make_error(core::ErrorCategory::Input,
                                        label + " is a file in the library folder " + lib + at +
                                            " — choose an output outside it");
            warnings.warning(p.library_loc, label + " lies inside the library folder " + lib +
                                                ": the next index will take it for footage",
                             "write outputs outside the library folder");
        }
    }
    return {};
}

void remove_orphaned_temps_beside(const fs::path& out)
{
    const fs::path dir = out.has_parent_path() ? out.parent_path() : fs::path(".");
    for (const char* ext : {".srt", ".ass"})
        core::remove_orphaned_temps(dir, fs::path(out).replace_extension(ext).filename().string() + ".tmp.");
    core::remove_orphaned_temps(dir, out.filename().string() + ".batch.json.part-");
    core::remove_orphaned_temps(dir, "." + out.filename().string() + ".segments-.tmp.");
}

core::Status check_cache_dir(const CacheOptions& co, const timeline::Project& p)
{
    if (!co.use || co.dir.empty())
        return {};
    for (auto& in : project_inputs(p)) {
        std::error_code ec;
        if (fs::exists(co.dir, ec) && fs::exists(in.path, ec) && fs::equivalent(co.dir, in.path, ec))
            return core::make_error(core::ErrorCategory::Input,
                                    "--cache-dir " + co.dir.string() + " is " + in.role + " — choose another folder");
    }
    // (A file in the cache folder lies in the library when the folder is the library or in it.)
    if (!p.library_dir.empty() && core::is_inside(co.dir / "x", p.library_dir))
        return core::make_error(core::ErrorCategory::Input,
                                "--cache-dir " + co.dir.string() + " lies in the library folder " +
                                    p.library_dir.string() + " — its videos would be indexed as footage; choose "
                                    "another folder");
    return {};
}

namespace {

// Everything after reading: overrides, voice, visuals, generated clips, media, plan.
Loaded finish_load(core::Result<timeline::Project> project, core::Diagnostics diag, const fs::path& script,
                   const LoadOptions& opts)
{
    Loaded l;
    l.diag = std::move(diag);
    if (!project) {
        core::Diagnostic d;
        d.where = project.error().where.valid() ? project.error().where : core::SourceLoc{script.string(), 0, 0};
        d.message = project.error().message;
        if (!project.error().detail.empty())
            d.message += " (" + project.error().detail + ")";
        l.diag.add(d);
        return l;
    }
    l.project = std::move(*project);
    if (!opts.library.empty()) {
        l.project.library_as_written = opts.library;
        l.project.library_dir = opts.library;
        l.project.library_loc = core::SourceLoc{"--library", 0, 0};
        std::error_code ec;
        if (!fs::is_directory(l.project.library_dir, ec))
            l.diag.error(l.project.library_loc, "the library folder \"" + opts.library + "\" does not exist",
                         "give a folder of photos and videos");
    }
    if (opts.seed)
        l.project.seed = *opts.seed;
    l.voice = render::prepare_voice(l.project, l.diag);  // cached: a re-check or render re-uses it
    // Described shots take a library asset or a generated scene; a picked clip is then inspected
    // and planned like any other.
    if (!l.diag.has_errors())
        render::resolve_visuals(l.project, l.voice.speech_us, l.diag);
    if (!l.diag.has_errors())
        render::prepare_generated_clips(l.project, l.voice.speech_us, opts.clips, l.diag);
    auto source_frames = render::inspect_media(l.project, l.diag);
    render::check_subtitle_glyphs(l.project, l.diag);
    l.plan = timeline::plan_project(l.project, l.diag, source_frames, l.voice.speech_us);
    l.ok = !l.diag.has_errors();
    return l;
}

}  // namespace

Loaded load(const fs::path& script, const LoadOptions& opts)
{
    core::Diagnostics diag;
    auto project = script::read_script(script, diag);
    return finish_load(std::move(project), std::move(diag), script, opts);
}

Loaded load_text(std::string_view text, const fs::path& script, script::Format format, const LoadOptions& opts)
{
    core::Diagnostics diag;
    fs::path base = script.has_parent_path() ? script.parent_path() : fs::path(".");
    auto project = script::read_script_text(text, script.string(), format, base, diag);
    if (project)
        project->script_path = script;
    return finish_load(std::move(project), std::move(diag), script, opts);
}

}  // namespace sw::cli
