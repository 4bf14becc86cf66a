#include "project_load.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <tuple>

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
    return s;
}

void print_diagnostics(const core::Diagnostics& diag)
{
    std::fputs(diagnostics_text(diag).c_str(), stderr);
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
