// The batch engine. Rows run on `jobs` threads of their own; each loads its filled script (voice,
// visuals, clips — the engine's per-library and per-generator locks keep two rows from indexing
// one library or calling one model at once) and renders through the engine's shared workers
// and cache. The rows in flight only prepare their sound and wait on the workers, so one more
// row than cores keeps the workers fed while a row loads or joins.

#include "engine/batch.h"

#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <map>
#include <thread>

#include "core/encoding.h"
#include "core/file.h"
#include "core/sha256.h"
#include "engine/outputs.h"
#include "script/template.h"

namespace fs = std::filesystem;

namespace sw::engine {

int BatchResult::exit_code() const
{
    if (!errors.empty())
        return core::kExitInput;
    bool input = false, render = false;
    for (auto& r : rows) {
        input |= r.status == Outcome::InputError;
        render |= r.status == Outcome::RenderError;
    }
    if (cancelled)
        return 130;
    return input ? core::kExitInput : render ? core::kExitRender : core::kExitOk;
}

namespace {

int available_cores()
{
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
        return CPU_COUNT(&set);
    return std::max(1u, std::thread::hardware_concurrency());
}

fs::path stamp_of_output(const fs::path& out) { return fs::path(out.string() + ".batch.json"); }

// A row as the batch works on it.
struct Work {
    BatchRow* result = nullptr;
    const script::DataRow* data = nullptr;
    std::string text;  // the filled script
    script::TemplateMap map;
    bool filled = false;
};

}  // namespace

class BatchRun {
public:
    BatchRun(Engine& engine, const BatchRequest& req, const Job& job) : m_engine(engine), m_req(req), m_job(job) {}
    BatchResult run();

private:
    std::string options_key() const;
    std::string stamp(const Work& w) const { return core::sha256_hex(w.text + '\0' + options_key()); }
    std::optional<double> up_to_date(const Work& w) const;
    void write_stamp(const Work& w, const Loaded& l, const RenderResult& rr) const;
    void run_row(Work& w);
    Job row_job(const Work& w) const;
    void row_event(const Work& w, const std::string& status, const RenderResult* rr = nullptr,
                   const core::Diagnostics* diag = nullptr) const;
    void warn(BatchResult& res, std::string line) const;  // said at once, and kept in the result
    std::vector<core::ReadFile> inputs() const { return {{m_req.templ, "the template"}, {m_req.data, "the data file"}}; }
    std::string output_label(const Work& w) const
    {
        return "row " + std::to_string(w.data->number) + "'s output " + w.result->output.string();
    }

    Engine& m_engine;
    const BatchRequest& m_req;
    const Job& m_job;
    std::string m_templ_text;
    script::Format m_format = script::Format::Markdown;
    size_t m_total = 0;
};

// What makes two renders of the same filled text differ: the render options (threads aside).
std::string BatchRun::options_key() const
{
    const RenderSettings& s = m_req.settings;
    std::string preset = s.encode.preset;
    if (s.preview && !s.preset_given)
        preset = "ultrafast";
    nlohmann::json j;
    j["shotweave"] = SHOTWEAVE_VERSION;
    j["crf"] = s.encode.crf;
    j["preset"] = preset;
    j["bitrate"] = s.encode.bitrate;
    j["preview"] = s.preview;
    j["srt"] = s.write_srt;
    j["ass"] = s.write_ass;
    j["library"] = m_req.load.library;
    j["seed"] = m_req.load.seed ? (int64_t)*m_req.load.seed : -1;
    j["offline"] = m_req.load.offline;
    j["strict"] = m_req.load.strict;
    j["template"] = fs::absolute(m_req.templ).lexically_normal().string();
    return j.dump();
}

// Up to date: the output exists, its stamp matches, and no input file is newer than it. On a
// match the video's length recorded in the stamp is returned (or 0 if it has none).
std::optional<double> BatchRun::up_to_date(const Work& w) const
{
    const fs::path& out = w.result->output;
    std::error_code ec;
    if (!fs::is_regular_file(out, ec))
        return std::nullopt;
    auto side = core::read_file(stamp_of_output(out));
    if (!side)
        return std::nullopt;
    auto j = nlohmann::json::parse(*side, nullptr, false);
    if (!j.is_object() || j.value("stamp", "") != stamp(w))
        return std::nullopt;
    auto out_time = fs::last_write_time(out, ec);
    if (ec)
        return std::nullopt;
    core::Diagnostics scratch;
    fs::path base = m_req.templ.has_parent_path() ? m_req.templ.parent_path() : fs::path(".");
    auto project = script::read_script_text(w.text, m_req.templ.string(), m_format, base, scratch);
    if (!project || scratch.has_errors())
        return std::nullopt;
    // The files the row reads besides the template and the data file, whose content the stamp holds.
    for (auto& f : project_inputs(*project)) {
        if (f.path == project->script_path || !fs::exists(f.path, ec))
            continue;  // the template; a voice recording's optional .srt
        auto t = fs::last_write_time(f.path, ec);
        if (ec || t > out_time)
            return std::nullopt;
    }
    return j.value("duration_s", 0.0);
}

void BatchRun::write_stamp(const Work& w, const Loaded& l, const RenderResult& rr) const
{
    nlohmann::ordered_json j;
    j["stamp"] = stamp(w);
    j["shotweave"] = SHOTWEAVE_VERSION;
    j["template"] = m_req.templ.string();
    j["data"] = m_req.data.string();
    j["row"] = w.data->number;
    j["data_line"] = w.data->line;
    nlohmann::ordered_json fields = nlohmann::ordered_json::object();
    for (auto& [k, v] : w.data->fields)
        fields[k] = v;
    j["fields"] = fields;
    j["title"] = l.project.title;
    j["width"] = rr.width;
    j["height"] = rr.height;
    j["frames"] = l.plan.total_frames;
    j["duration_s"] = rr.video_s;
    j["render_s"] = rr.render_s;
    fs::path side = stamp_of_output(w.result->output);
    fs::path tmp = side;
    tmp += ".part-" + std::to_string(::getpid());
    {
        std::ofstream o(tmp, std::ios::binary | std::ios::trunc);
        o << j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
        if (!o)
            return;  // no stamp: the row is simply rendered again next time
    }
    std::error_code ec;
    fs::rename(tmp, side, ec);
    if (ec)
        fs::remove(tmp, ec);
}

// The row's own job: its events carry the row; the batch's cancel token stops it.
Job BatchRun::row_job(const Work& w) const
{
    Job j;
    j.id = m_job.id;
    j.cancel = m_job.cancel;
    if (m_job.on_event) {
        const int row = w.data->number, total = int(m_total), line = w.data->line;
        const std::string label = w.result->label;
        const EventSink& sink = m_job.on_event;
        j.on_event = [&sink, row, total, line, label](const Event& e) {
            Event r = e;
            r.row = row;
            r.rows_total = total;
            r.row_label = label;
            if (!r.row_line)
                r.row_line = line;
            sink(r);
        };
    }
    return j;
}

void BatchRun::row_event(const Work& w, const std::string& status, const RenderResult* rr,
                         const core::Diagnostics* diag) const
{
    Event e;
    e.type = EventType::Row;
    e.phase = Phase::Batch;
    e.text = status;
    e.output = w.result->output.string();
    e.video_s = w.result->video_s;
    if (rr && w.result->status == Outcome::Done) {
        e.render_s = rr->render_s;
        e.segments_encoded = rr->segments.rendered;
        e.segments_reused = rr->segments.reused;
        e.segments_shared = rr->segments.shared;
    }
    e.error = w.result->message;
    if (diag) {
        e.diagnostics = in_file_order(*diag);
        e.omitted = diag->error_count() + diag->warning_count() - diag->items().size();
    }
    Job j = row_job(w);
    // A row the data file could not give already names its line in its diagnostic.
    if (!w.data->error.empty())
        e.row_line = -1;
    if (j.on_event) {
        j.on_event(e);
    }
}

void BatchRun::run_row(Work& w)
{
    BatchRow& r = *w.result;
    auto fail_input = [&](const core::Diagnostics& d) {
        r.status = Outcome::InputError;
        r.diag = d;
        std::string text = diagnostics_text(d);
        r.message = text.substr(0, text.find('\n'));
        for (auto& item : in_file_order(d))
            if (item.severity == core::Severity::Error) {
                r.message = item.to_string();
                break;
            }
        row_event(w, outcome_name(r.status), nullptr, &d);
    };
    if (!w.filled)
        return fail_input(r.diag);
    if (!m_req.force) {
        if (auto video = up_to_date(w)) {
            r.status = Outcome::UpToDate;
            r.video_s = *video;
            row_event(w, outcome_name(r.status));
            return;
        }
    }
    if (m_job.cancel.cancelled()) {
        r.status = Outcome::Cancelled;
        return;
    }
    row_event(w, "rendering");
    const Job job = row_job(w);
    Loaded l = m_engine.load({m_req.templ, w.text, m_format}, m_req.load, job);
    // Point every message at the template the user wrote, not the filled text.
    core::Diagnostics diag;
    for (auto d : l.diag.items()) {
        d.where = w.map.to_template(d.where);
        diag.add(std::move(d));
    }
    if (m_job.cancel.cancelled()) {
        r.status = Outcome::Cancelled;
        return;
    }
    if (!l.ok)
        return fail_input(diag);

    RenderResult rr;
    l.diag = core::Diagnostics{};
    m_engine.render_loaded(l, m_req.settings, r.output, output_label(w), inputs(), {stamp_of_output(r.output)}, true,
                           job, w.data->number, rr);
    for (auto& d : l.diag.items())  // the outputs' warnings
        diag.add(d);
    r.diag = diag;
    r.segments = rr.segments;
    if (rr.outcome == Outcome::InputError && !rr.started) {
        // Refused before rendering: an output that would overwrite an input, an unmakeable folder.
        diag.error({}, rr.error->message, rr.error->detail);
        return fail_input(diag);
    }
    if (!diag.items().empty()) {
        Event e;
        e.type = EventType::Diagnostics;
        e.phase = Phase::Plan;
        e.diagnostics = in_file_order(diag);
        e.omitted = diag.error_count() + diag.warning_count() - diag.items().size();
        job.emit(std::move(e));
    }
    r.status = rr.outcome;
    if (rr.outcome == Outcome::Cancelled) {
        row_event(w, outcome_name(r.status));
        return;
    }
    r.render_s = rr.render_s;
    if (rr.outcome != Outcome::Done) {
        r.message = rr.error ? rr.error->to_string() : "failed";
        row_event(w, outcome_name(r.status));
        return;
    }
    r.video_s = rr.video_s;
    write_stamp(w, l, rr);
    row_event(w, outcome_name(r.status), &rr);
}

void BatchRun::warn(BatchResult& res, std::string line) const
{
    Event e;
    e.type = EventType::Message;
    e.phase = Phase::Batch;
    e.text = line;
    m_job.emit(std::move(e));
    res.warnings.push_back(std::move(line));
}

BatchResult BatchRun::run()
{
    BatchResult res;
    std::error_code ec;
    auto templ_text = fs::is_regular_file(m_req.templ, ec) ? core::read_file(m_req.templ) : std::nullopt;
    if (!templ_text) {
        res.errors.push_back(m_req.templ.string() + ": error: cannot read the template — " +
                             (fs::exists(m_req.templ, ec) ? "check that it is a readable file"
                                                          : "no such file; check the path"));
        return res;
    }
    // A template saved as UTF-16 or GB18030 is filled as UTF-8 (docs/batch.md, "Encodings").
    core::DecodedText decoded = core::decode_text(*templ_text);
    if (decoded.converted()) {
        warn(res, m_req.templ.string() + ": warning: " + core::converted_note(decoded, "the template") +
                               " — save it as UTF-8");
        m_templ_text = std::move(decoded.text);
    } else {
        m_templ_text = std::move(*templ_text);
    }
    auto format = script::format_for(m_req.templ, m_templ_text);
    if (!format) {
        res.errors.push_back(m_req.templ.string() + ": error: a template is a script: .md, .txt or .json");
        return res;
    }
    m_format = *format;
    auto table = script::read_data_file(m_req.data);
    if (!table) {
        const core::Error& e = table.error();
        res.errors.push_back((e.where.valid() ? e.where.to_string() : m_req.data.string()) + ": error: " + e.message +
                             (e.detail.empty() ? "" : " (" + e.detail + ")"));
        return res;
    }
    if (!table->warning.empty())
        warn(res, m_req.data.string() + ": warning: " + table->warning);
    if (table->rows.empty()) {
        res.errors.push_back(m_req.data.string() +
                             ": error: no data rows — each row after the header (or each JSON line) is one video");
        return res;
    }
    m_total = table->rows.size();

    // Fill every row's output name and script first: outputs must be known (and distinct) before
    // anything is rendered.
    res.rows.resize(m_total);
    std::vector<Work> work(m_total);
    for (size_t k = 0; k < m_total; ++k) {
        Work& w = work[k];
        w.result = &res.rows[k];
        w.data = &table->rows[k];
        BatchRow& r = res.rows[k];
        r.number = w.data->number;
        r.line = w.data->line;
        r.label = w.data->label();
        if (!w.data->error.empty()) {
            r.diag.error({m_req.data.string(), w.data->line, 0},
                         "row " + std::to_string(w.data->number) + ": " + w.data->error);
            continue;
        }
        auto out = script::fill_template(m_req.pattern, *w.data, "-o", r.diag);
        if (out && out->text.find('\n') != std::string::npos)
            r.diag.error({"-o"}, "the output name of row " + std::to_string(w.data->number) + " has a line break",
                         "use fields without line breaks in -o");
        else if (out)
            r.output = out->text;
        auto filled = script::fill_template(m_templ_text, *w.data, m_req.templ.string(), r.diag);
        if (filled) {
            w.text = std::move(filled->text);
            w.map = std::move(filled->map);
        }
        w.filled = out && filled;
    }
    // Two rows writing one file, a row overwriting the template or the data, or an output path
    // that cannot be written: refuse them all before anything is rendered.
    {
        std::map<fs::path, size_t> seen;
        auto key = [](const fs::path& p) {
            std::error_code e;
            return fs::weakly_canonical(fs::absolute(p, e), e).lexically_normal();
        };
        for (size_t k = 0; k < m_total; ++k) {
            const BatchRow& r = res.rows[k];
            if (r.output.empty())
                continue;
            if (auto ok = core::check_output_path(r.output, output_label(work[k]), inputs(), true); !ok) {
                res.errors.push_back("shotweave: batch: " + ok.error().message);
                continue;
            }
            auto [it, fresh] = seen.emplace(key(r.output), k);
            if (!fresh) {
                const BatchRow& a = res.rows[it->second];
                res.errors.push_back("shotweave: batch: rows " + std::to_string(a.number) + " (" + a.label + ") and " +
                                     std::to_string(r.number) + " (" + r.label + ") both write " + r.output.string() +
                                     " — put a field that differs between rows into -o, e.g. -o \"out/{{id}}.mp4\"");
            }
        }
        if (!res.errors.empty()) {
            res.errors.push_back("shotweave: batch: nothing rendered");
            return res;
        }
    }

    const int cores = available_cores();
    res.jobs = std::max(1, std::min<int>(m_req.jobs > 0 ? m_req.jobs : cores + 1, (int)m_total));
    // The workers are sized for the first row's frame (every row of one template is one size).
    int frame_w = 1080, frame_h = 1920;
    for (auto& w : work)
        if (w.filled) {
            core::Diagnostics scratch;
            fs::path base = m_req.templ.has_parent_path() ? m_req.templ.parent_path() : fs::path(".");
            if (auto p = script::read_script_text(w.text, m_req.templ.string(), m_format, base, scratch)) {
                frame_w = p->width, frame_h = p->height;
                break;
            }
        }
    res.workers = m_engine.pool(frame_w, frame_h).workers();
    std::string cache_warning;
    if (auto* c = m_engine.segment_cache(&cache_warning))
        res.cache_dir = c->dir();
    if (!cache_warning.empty())
        warn(res, "shotweave: warning: " + cache_warning);
    {
        Event e;
        e.type = EventType::Phase;
        e.phase = Phase::Batch;
        e.rows_total = int(m_total);
        e.text = std::to_string(m_total) + " row" + (m_total == 1 ? "" : "s") + " from " + m_req.data.string() + ", " +
                 std::to_string(res.jobs) + " at a time, " + std::to_string(res.workers) + " worker" +
                 (res.workers == 1 ? "" : "s") + ", segment cache " +
                 (res.cache_dir.empty() ? std::string("off") : res.cache_dir.string());
        m_job.emit(std::move(e));
    }

    auto t0 = std::chrono::steady_clock::now();
    std::atomic<size_t> next{0};
    auto worker = [&] {
        for (;;) {
            if (m_job.cancel.cancelled())
                return;
            size_t k = next.fetch_add(1);
            if (k >= m_total)
                return;
            run_row(work[k]);
        }
    };
    std::vector<std::thread> threads;
    for (int t = 1; t < res.jobs; ++t)
        threads.emplace_back(worker);
    worker();
    for (auto& t : threads)
        t.join();
    res.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    res.cancelled = m_job.cancel.cancelled();
    return res;
}

BatchResult Engine::batch(const BatchRequest& request, const Job& job)
{
    Active active(*this);
    return BatchRun(*this, request, job).run();
}

}  // namespace sw::engine
