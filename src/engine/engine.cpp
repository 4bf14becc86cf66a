#include "engine/engine.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "engine/batch.h"
#include "engine/outputs.h"
#include "render/inspect.h"
#include "render/subtitles.h"
#include "render/visual_pick.h"

namespace fs = std::filesystem;

namespace sw::engine {

const char* outcome_name(Outcome o)
{
    switch (o) {
    case Outcome::Done: return "done";
    case Outcome::UpToDate: return "up to date";
    case Outcome::InputError:
    case Outcome::RenderError: return "failed";
    case Outcome::Cancelled: return "interrupted";
    case Outcome::NotStarted: return "not started";
    }
    return "?";
}

int exit_code(Outcome o)
{
    switch (o) {
    case Outcome::Done:
    case Outcome::UpToDate: return core::kExitOk;
    case Outcome::InputError: return core::kExitInput;
    case Outcome::RenderError: return core::kExitRender;
    case Outcome::Cancelled:
    case Outcome::NotStarted: return 130;
    }
    return core::kExitRender;
}

void Job::emit(Event e) const
{
    if (!on_event)
        return;
    e.job = id;
    on_event(e);
}

Engine::Engine(EngineOptions options) : m_options(std::move(options))
{
    // libav's own log lines would interleave with our messages; errors reach users as ours.
    // Set here, before any job's thread starts (the level is process-wide).
    media::set_libav_logging(false);
}

render::SegmentCache* Engine::segment_cache(std::string* warning)
{
    std::lock_guard lock(m_mutex);
    if (!m_options.use_cache)
        return nullptr;
    if (!m_cache_tried) {
        m_cache_tried = true;
        auto cache = render::SegmentCache::open(
            m_options.cache_dir.empty() ? render::default_segment_cache_dir() : m_options.cache_dir,
            m_options.cache_limit ? m_options.cache_limit : render::default_segment_cache_limit());
        if (cache)
            m_cache.emplace(std::move(*cache));
        else if (warning)
            *warning = cache.error().to_string() + "; rendering without the segment cache";
    }
    return m_cache ? &*m_cache : nullptr;
}

Engine::~Engine() = default;

void Engine::job_finished()
{
    std::lock_guard lock(m_mutex);
    if (--m_active == 0 && m_cache)
        m_cache->evict();
}

render::RenderPool& Engine::pool(int width, int height)
{
    std::lock_guard lock(m_mutex);
    if (!m_pool)
        m_pool = std::make_unique<render::RenderPool>(
            m_options.workers > 0 ? m_options.workers : render::RenderPool::default_workers(width, height));
    return *m_pool;
}

std::mutex& Engine::lock_for(const std::string& kind, const fs::path& what)
{
    std::error_code ec;
    std::string key = kind + ":" + fs::weakly_canonical(fs::absolute(what, ec), ec).string();
    std::lock_guard lock(m_mutex);
    auto& m = m_locks[key];
    if (!m)
        m = std::make_unique<std::mutex>();
    return *m;
}

Loaded Engine::load(const ScriptSource& source, const LoadOptions& opts, const Job& job, bool dry_run)
{
    auto phase = [&](Phase p) {
        Event e;
        e.type = EventType::Phase;
        e.phase = p;
        job.emit(std::move(e));
    };
    Loaded l;
    phase(Phase::Read);
    core::Result<timeline::Project> project = core::make_error(core::ErrorCategory::Internal, "not read");
    if (source.text) {
        fs::path base = source.path.has_parent_path() ? source.path.parent_path() : fs::path(".");
        project = script::read_script_text(*source.text, source.path.string(), source.format, base, l.diag);
        if (project)
            project->script_path = source.path;
    } else {
        project = script::read_script(source.path, l.diag);
    }
    if (!project) {
        core::Diagnostic d;
        d.where = project.error().where.valid() ? project.error().where : core::SourceLoc{source.path.string(), 0, 0};
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
    auto stopped = [&] { return job.cancel.cancelled(); };

    phase(Phase::Voice);
    l.voice = render::prepare_voice(l.project, l.diag, m_options.tts_cache_dir);  // cached: a re-check or render re-uses it
    // Described shots take a library asset or a built-in scene; a picked clip is then inspected
    // and planned like any other. One job at a time indexes a library folder (SQLite's write
    // lock would otherwise send the second to a stale index).
    if (!l.diag.has_errors() && !stopped()) {
        phase(Phase::Visuals);
        std::unique_lock<std::mutex> lib;
        if (!l.project.library_dir.empty())
            lib = std::unique_lock(lock_for("library", l.project.library_dir));
        render::resolve_visuals(l.project, l.voice.speech_us, l.diag);
    }
    if (!l.diag.has_errors() && !stopped()) {
        fs::path gen = render::generator_config_path(l.project);
        if (!gen.empty()) {
            phase(Phase::Generate);
            render::ClipOptions co;
            co.offline = opts.offline;
            co.strict = opts.strict;
            co.dry_run = dry_run;
            co.cancel = job.cancel;
            co.cache_dir = m_options.clip_cache_dir;
            co.on_progress = [&](const std::string& line) {
                Event e;
                e.type = EventType::Message;
                e.phase = Phase::Generate;
                e.text = line;
                job.emit(std::move(e));
            };
            // Two jobs calling one model would compete for the same GPU: one job's clips at a time
            // per generator (a dry run only looks in the cache).
            std::unique_lock<std::mutex> model;
            if (!dry_run)
                model = std::unique_lock(lock_for("generator", gen));
            render::prepare_generated_clips(l.project, l.voice.speech_us, co, l.diag);
        }
    }
    if (stopped())
        return l;
    phase(Phase::Media);
    auto source_frames = render::inspect_media(l.project, l.diag);
    render::check_text_glyphs(l.project, l.diag);
    phase(Phase::Plan);
    l.plan = timeline::plan_project(l.project, l.diag, source_frames, l.voice.speech_us);
    l.ok = !l.diag.has_errors();
    return l;
}

Loaded Engine::check(const ScriptSource& script, const LoadOptions& options, const Job& job)
{
    return load(script, options, job, /*dry_run=*/true);
}

namespace {

void emit_diagnostics(const Job& job, const core::Diagnostics& diag, Phase phase, int row = 0,
                      const std::string& row_label = {})
{
    if (diag.items().empty())
        return;
    Event e;
    e.type = EventType::Diagnostics;
    e.phase = phase;
    e.row = row;
    e.row_label = row_label;
    e.diagnostics = in_file_order(diag);
    e.omitted = diag.error_count() + diag.warning_count() - diag.items().size();
    job.emit(std::move(e));
}

// The continuity of chained generated clips, as `check` shows it.
void emit_continuity(const Job& job, const timeline::Project& p)
{
    for (size_t i = 0; i < p.shots.size(); ++i) {
        const auto& c = p.shots[i].choice;
        if (c.how != timeline::VisualChoice::How::Model || c.continuity.empty())
            continue;
        Event e;
        e.type = EventType::Message;
        e.phase = Phase::Generate;
        e.shot = int(i + 1);
        e.shot_name = p.shots[i].name;
        e.text = c.continuity;
        job.emit(std::move(e));
    }
}

}  // namespace

void Engine::render_loaded(Loaded& l, const RenderSettings& settings, const fs::path& out, const std::string& shown,
                           const std::vector<core::ReadFile>& extra_inputs, const std::vector<fs::path>& extra_outputs,
                           bool create_folders, const Job& job, int row, RenderResult& result)
{
    auto fail = [&](Outcome o, core::Error e) {
        result.outcome = o;
        result.error = std::move(e);
    };
    result.output = out;
    {
        Event e;
        e.type = EventType::Phase;
        e.phase = Phase::Outputs;
        e.row = row;
        job.emit(std::move(e));
    }
    // Nothing the project reads may be overwritten, and every output path problem is said now,
    // not after the encode.
    std::vector<std::pair<fs::path, std::string>> outputs{{out, shown}};
    auto side = [&](const char* ext, const char* flag) {
        fs::path f = fs::path(out).replace_extension(ext);  // as the renderer names them
        outputs.push_back({f, std::string(flag) + " writes " + f.string() + ", which"});
    };
    if (settings.write_srt)
        side(".srt", "--subtitles srt");
    if (settings.write_ass)
        side(".ass", "--subtitles ass");
    for (auto& e : extra_outputs)
        outputs.push_back({e, e.string() + ", written beside " + out.string() + ","});
    core::Diagnostics warnings;
    auto ok = check_outputs(outputs, l.project, extra_inputs, create_folders, warnings);
    if (ok && m_options.use_cache)
        ok = check_cache_dir(m_options.cache_dir, l.project);
    for (auto& w : warnings.items())
        l.diag.add(w);
    if (row == 0)
        emit_diagnostics(job, warnings, Phase::Outputs);
    if (!ok)
        return fail(Outcome::InputError, ok.error());
    if (create_folders) {
        std::error_code ec;
        fs::path dir = out.has_parent_path() ? out.parent_path() : fs::path(".");
        fs::create_directories(dir, ec);
        if (ec || !fs::is_directory(dir, ec))
            return fail(Outcome::InputError,
                        core::Error{core::ErrorCategory::Input,
                                    "cannot create the output folder " + dir.string() + " (" + ec.message() + ")",
                                    "choose another -o", {}});
    }
    remove_orphaned_temps_beside(out);
    for (auto& e : extra_outputs) {
        // An old stamp goes first: if this render fails, the old video is not taken as up to date.
        std::error_code ec;
        fs::remove(e, ec);
    }

    render::RenderOptions opt;
    opt.encode = settings.encode;
    opt.write_srt = settings.write_srt;
    opt.write_ass = settings.write_ass;
    if (settings.preview) {
        opt.width = std::max(2, (l.plan.width / 2) & ~1);
        opt.height = std::max(2, (l.plan.height / 2) & ~1);
        if (!settings.preset_given)
            opt.encode.preset = "ultrafast";
    }
    opt.output = out;
    opt.voice = &l.voice;
    std::string cache_warning;
    opt.cache = segment_cache(&cache_warning);
    if (!cache_warning.empty()) {
        Event e;
        e.type = EventType::Message;
        e.phase = Phase::Outputs;
        e.text = "warning: " + cache_warning;
        job.emit(std::move(e));
    }
    opt.evict = false;  // when the last job ends (Active)
    opt.pool = &pool(l.plan.width, l.plan.height);
    opt.cancel = job.cancel;
    opt.stats = &result.segments;
    result.width = opt.width ? opt.width : l.plan.width;
    result.height = opt.height ? opt.height : l.plan.height;
    result.frames = l.plan.total_frames;
    result.video_s = core::frames_to_seconds(l.plan.total_frames, l.plan.fps);

    {
        Event e;
        e.type = EventType::Phase;
        e.phase = Phase::Render;
        e.row = row;
        job.emit(std::move(e));
    }
    if (job.on_event) {
        opt.on_progress = [&job, row](const render::Progress& p) {
            Event e;
            e.type = EventType::Progress;
            e.phase = Phase::Render;
            e.row = row;
            e.frames_done = p.frames_done;
            e.frames_total = p.total_frames;
            e.segments_done = p.segments_done;
            e.segments_total = p.segments_total;
            e.segments_reused = p.segments_reused;
            e.elapsed_s = p.elapsed_s;
            e.fps = p.elapsed_s > 0 ? double(p.frames_done) / p.elapsed_s : 0;
            e.eta_s = e.fps > 0 ? double(p.total_frames - p.frames_done) / e.fps : -1;
            job.emit(std::move(e));
        };
    }
    if (job.cancel.cancelled())
        return fail(Outcome::Cancelled, job.cancel.error());
    result.started = true;
    auto t0 = std::chrono::steady_clock::now();
    auto st = render::render_project(l.project, l.plan, opt);
    result.render_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!st) {
        const core::Error& e = st.error();
        if (e.category == core::ErrorCategory::Cancelled)
            return fail(Outcome::Cancelled, e);
        return fail(core::exit_code_for(e.category) == core::kExitInput ? Outcome::InputError : Outcome::RenderError, e);
    }
    result.outcome = Outcome::Done;
    if (settings.write_srt)
        result.side_files.push_back(fs::path(out).replace_extension(".srt"));
    if (settings.write_ass)
        result.side_files.push_back(fs::path(out).replace_extension(".ass"));
}

RenderResult Engine::render(const RenderRequest& req, const Job& job)
{
    Active active(*this);
    RenderResult result;
    result.loaded = load(req.script, req.load, job);
    Loaded& l = result.loaded;
    emit_diagnostics(job, l.diag, Phase::Plan);
    emit_continuity(job, l.project);
    auto done = [&] {
        Event e;
        e.type = EventType::Done;
        e.phase = Phase::Render;
        e.text = outcome_name(result.outcome);
        if (result.outcome == Outcome::Done) {
            e.output = result.output.string();
            e.video_s = result.video_s;
            e.render_s = result.render_s;
            e.segments_encoded = result.segments.rendered;
            e.segments_reused = result.segments.reused;
            e.segments_shared = result.segments.shared;
        }
        if (result.error)
            e.error = result.error->to_string();
        job.emit(std::move(e));
        return std::move(result);
    };
    if (job.cancel.cancelled()) {
        result.outcome = Outcome::Cancelled;
        result.error = job.cancel.error();
        return done();
    }
    if (!l.ok) {
        result.outcome = Outcome::InputError;
        result.error = core::Error{core::ErrorCategory::Script,
                                   "not rendering: " + std::to_string(l.diag.error_count()) + " error(s) in " +
                                       req.script.path.string(),
                                   {}, {}};
        return done();
    }
    const bool named = !req.output.empty();
    fs::path out = named ? req.output
                         : fs::path(req.script.path).replace_extension(req.settings.preview ? ".preview.mp4" : ".mp4");
    render_loaded(l, req.settings, out, (named ? "-o " : "the output ") + out.string(), {}, {}, false, job, 0, result);
    return done();
}

GenerateResult Engine::generate(const ScriptSource& script, const LoadOptions& options, const Job& job)
{
    GenerateResult r;
    r.loaded = load(script, options, job);
    emit_diagnostics(job, r.loaded.diag, Phase::Generate);
    const auto& p = r.loaded.project;
    if (render::generator_config_path(p).empty() && !r.loaded.diag.has_errors()) {
        r.error = core::Error{core::ErrorCategory::Input,
                              script.path.string() + " names no generator — add `generator: FILE.toml` or a "
                                                     "shotweave.toml with a [generator] table beside it "
                                                     "(docs/generators.md)",
                              {}, {}};
        return r;
    }
    for (size_t i = 0; i < p.shots.size(); ++i) {
        const auto& c = p.shots[i].choice;
        if (c.how == timeline::VisualChoice::How::Model)
            r.shots.push_back({int(i + 1), p.shots[i].name, c.clips, c.cached_clips, c.continuity});
    }
    if (job.cancel.cancelled()) {
        r.outcome = Outcome::Cancelled;
        r.error = job.cancel.error();
    } else {
        r.outcome = r.loaded.diag.has_errors() ? Outcome::InputError : Outcome::Done;
    }
    return r;
}

}  // namespace sw::engine
