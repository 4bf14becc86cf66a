// `shotweave batch`: fills a script template with each row of a data table and renders the rows
// in worker threads, each row loaded and rendered by the same code as `shotweave render`.
//
// Thread safety (checked for this command): espeak-ng is behind its own global lock
// (audio/tts_espeak.cpp), cancellation is one atomic, the libav log level is set once before any
// thread starts, Pango gives each thread its own font map, and the effect tables' lazy caches are
// locked. Loading a row (TTS, indexing the `library:` folder in SQLite, calling a text-to-video
// model) is nevertheless serialised by `g_load_mutex` below: two rows indexing the same library at
// once would contend for its write lock and fall back to a stale index, and two rows calling one
// local model would compete for the same GPU. Rendering — the expensive part — runs in parallel:
// every row's segments go to one shared pool of workers (render::RenderPool, one per core) and
// one segment cache, so a shot shared by many rows is encoded once.

#include "batch_cmd.h"

#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "project_load.h"

#include "core/cancel.h"
#include "core/encoding.h"
#include "core/file.h"
#include "core/sha256.h"
#include "core/text_util.h"
#include "render/clips.h"
#include "render/renderer.h"
#include "script/script.h"
#include "script/template.h"

namespace fs = std::filesystem;

namespace sw::cli {

namespace {

constexpr int kExitOk = 0, kExitRender = 1, kExitInput = 2;

const char* kBatchUsage = R"(usage: shotweave batch TEMPLATE --data ROWS.csv|ROWS.jsonl -o "out/{{field}}.mp4" [options]

  TEMPLATE        a script (.md/.txt/.json) with {{field}} placeholders ({{{{ = a literal {{)
  --data FILE     the rows: CSV with a header row, or JSON Lines (one object per line)
  -o PATTERN      each row's output, with placeholders too; required, one file per row
  --jobs N        rows in flight at once (default: cores + 1); their segments share
  --threads N     the same workers: segments encoded at once (default: one per core)
  --no-cache, --cache-dir DIR, --cache-limit SIZE
                  the segment cache, shared by all rows (docs/cache.md)
  --force         render every row, even those whose output is up to date
  -q, --quiet     no per-row progress lines (errors and the summary table still print)
  --preview, --crf N, --preset NAME, --bitrate RATE, --subtitles srt,ass,
  --library DIR, --seed N, --offline, --strict      as for `shotweave render`
See docs/batch.md.
)";

int batch_usage_error(const std::string& msg)
{
    std::fprintf(stderr, "shotweave: batch: %s\n%s", msg.c_str(), kBatchUsage);
    return kExitInput;
}

std::mutex g_load_mutex;   // see the comment at the top of the file
std::mutex g_print_mutex;  // one row's lines are printed together

enum class Status { Pending, Done, UpToDate, FailedInput, FailedRender, Interrupted, NotStarted };

const char* status_name(Status s)
{
    switch (s) {
    case Status::Done: return "done";
    case Status::UpToDate: return "up to date";
    case Status::FailedInput:
    case Status::FailedRender: return "failed";
    case Status::Interrupted: return "interrupted";
    case Status::NotStarted: return "not started";
    case Status::Pending: break;
    }
    return "?";
}

struct Row {
    const script::DataRow* data = nullptr;
    fs::path output;            // empty when -o could not be filled
    std::string text;           // the filled script
    script::TemplateMap map;
    core::Diagnostics fill_diag;  // problems filling the template and -o
    bool filled = false;
    // Results.
    Status status = Status::Pending;
    double video_s = -1, render_s = -1;
    std::string message;  // the first error line of a failed row
};

struct Settings {
    fs::path templ, data;
    std::string templ_text;
    script::Format format = script::Format::Markdown;
    std::string pattern;
    int jobs = 0;
    int threads = 0;  // pool workers, 0 = one per core
    CacheOptions co;
    render::SegmentCache* cache = nullptr;
    render::RenderPool* pool = nullptr;
    bool force = false, quiet = false, preview = false, preset_given = false;
    LoadOptions lo;
    render::RenderOptions ropt;
    size_t total_rows = 0;
};

int available_cores()
{
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
        return CPU_COUNT(&set);
    return std::max(1u, std::thread::hardware_concurrency());
}

fs::path sidecar_of(const fs::path& out) { return fs::path(out.string() + ".batch.json"); }

// What makes two renders of the same filled text differ: the render options (threads aside).
std::string options_key(const Settings& s)
{
    nlohmann::json j;
    j["shotweave"] = SHOTWEAVE_VERSION;
    j["crf"] = s.ropt.encode.crf;
    j["preset"] = s.ropt.encode.preset;
    j["bitrate"] = s.ropt.encode.bitrate;
    j["preview"] = s.preview;
    j["srt"] = s.ropt.write_srt;
    j["ass"] = s.ropt.write_ass;
    j["library"] = s.lo.library;
    j["seed"] = s.lo.seed ? (int64_t)*s.lo.seed : -1;
    j["offline"] = s.lo.clips.offline;
    j["strict"] = s.lo.clips.strict;
    j["template"] = fs::absolute(s.templ).lexically_normal().string();
    return j.dump();
}

std::string stamp_of(const Settings& s, const Row& r) { return core::sha256_hex(r.text + '\0' + options_key(s)); }

// Up to date: the output exists, its stamp matches, and no input file is newer than it. On a
// match the video's length recorded in the stamp is returned (or 0 if it has none).
std::optional<double> up_to_date(const Settings& s, const Row& r)
{
    std::error_code ec;
    if (!fs::is_regular_file(r.output, ec))
        return std::nullopt;
    auto side = core::read_file(sidecar_of(r.output));
    if (!side)
        return std::nullopt;
    auto j = nlohmann::json::parse(*side, nullptr, false);
    if (!j.is_object() || j.value("stamp", "") != stamp_of(s, r))
        return std::nullopt;
    auto out_time = fs::last_write_time(r.output, ec);
    if (ec)
        return std::nullopt;
    core::Diagnostics scratch;
    fs::path base = s.templ.has_parent_path() ? s.templ.parent_path() : fs::path(".");
    auto project = script::read_script_text(r.text, s.templ.string(), s.format, base, scratch);
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

std::string first_line(const std::string& s)
{
    size_t nl = s.find('\n');
    return nl == std::string::npos ? s : s.substr(0, nl);
}

std::string row_label(const Settings& s, const Row& r)
{
    std::string l = "row " + std::to_string(r.data->number) + "/" + std::to_string(s.total_rows);
    std::string lab = r.data->label();
    return lab.empty() ? l : l + " (" + lab + ")";
}

// "rows.csv:4: note: in row 3 (city=哈尔滨)": said after a row's diagnostics.
std::string row_note(const Settings& s, const Row& r)
{
    std::string lab = r.data->label();
    return s.data.string() + ":" + std::to_string(r.data->line) + ": note: in row " + std::to_string(r.data->number) +
           (lab.empty() ? "" : " (" + lab + ")") + "\n";
}

std::string first_error(const core::Diagnostics& d)
{
    std::string text = diagnostics_text(d);
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);)
        if (l.find(": error: ") != std::string::npos || l.rfind("error: ", 0) == 0)
            return l;
    return first_line(text);
}

void say(const std::string& text)
{
    std::lock_guard lock(g_print_mutex);
    std::fputs(text.c_str(), stderr);
    std::fflush(stderr);
}

void write_sidecar(const Settings& s, const Row& r, const Loaded& l, int w, int h)
{
    nlohmann::ordered_json j;
    j["stamp"] = stamp_of(s, r);
    j["shotweave"] = SHOTWEAVE_VERSION;
    j["template"] = s.templ.string();
    j["data"] = s.data.string();
    j["row"] = r.data->number;
    j["data_line"] = r.data->line;
    nlohmann::ordered_json fields = nlohmann::ordered_json::object();
    for (auto& [k, v] : r.data->fields)
        fields[k] = v;
    j["fields"] = fields;
    j["title"] = l.project.title;
    j["width"] = w;
    j["height"] = h;
    j["frames"] = l.plan.total_frames;
    j["duration_s"] = core::frames_to_seconds(l.plan.total_frames, l.plan.fps);
    j["render_s"] = r.render_s;
    fs::path side = sidecar_of(r.output);
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

std::string row_output_label(const Row& r)
{
    return "row " + std::to_string(r.data->number) + "'s output " + r.output.string();
}

std::vector<core::ReadFile> batch_inputs(const Settings& s)
{
    return {{s.templ, "the template"}, {s.data, "the data file"}};
}

void fail_input(Row& r, const Settings& s, const core::Diagnostics& d)
{
    r.status = Status::FailedInput;
    r.message = first_error(d);
    // A row the data file could not give already names its line.
    say(diagnostics_text(d) + (r.data->error.empty() ? row_note(s, r) : "") +
        (s.quiet ? "" : row_label(s, r) + ": failed\n"));
}

void run_row(Row& r, const Settings& s)
{
    if (!r.filled) {
        fail_input(r, s, r.fill_diag);
        return;
    }
    if (!s.force) {
        if (auto video = up_to_date(s, r)) {
            r.status = Status::UpToDate;
            r.video_s = *video;
            if (!s.quiet)
                say(row_label(s, r) + ": up to date: " + r.output.string() + "\n");
            return;
        }
    }
    if (!s.quiet)
        say(row_label(s, r) + ": rendering → " + r.output.string() + "\n");

    LoadOptions lo = s.lo;
    if (!s.quiet)
        lo.clips.on_progress = [&](const std::string& line) { say(row_label(s, r) + ": generate: " + line + "\n"); };
    Loaded l;
    {
        std::lock_guard lock(g_load_mutex);
        if (core::cancelled()) {
            r.status = Status::Interrupted;
            return;
        }
        l = load_text(r.text, s.templ, s.format, lo);
    }
    // Point every message at the template the user wrote, not the filled text.
    core::Diagnostics diag;
    for (auto d : l.diag.items()) {
        d.where = r.map.to_template(d.where);
        diag.add(std::move(d));
    }
    if (!l.ok) {
        fail_input(r, s, diag);
        return;
    }
    render::RenderOptions opt = s.ropt;
    // Nothing the row reads may be overwritten (the template and data were checked up front).
    if (auto ok = check_outputs(r.output, row_output_label(r), opt, l.project, batch_inputs(s), true, diag,
                                {sidecar_of(r.output)});
        !ok) {
        diag.error({}, ok.error().message);
        fail_input(r, s, diag);
        return;
    }
    if (!diag.items().empty() && !s.quiet)
        say(diagnostics_text(diag) + row_note(s, r));

    std::error_code ec;
    fs::path dir = r.output.has_parent_path() ? r.output.parent_path() : fs::path(".");
    fs::create_directories(dir, ec);
    if (ec || !fs::is_directory(dir, ec)) {
        core::Diagnostics d;
        d.error({}, "cannot create the output folder " + dir.string() + " (" + ec.message() + ")",
                "choose another -o");
        fail_input(r, s, d);
        return;
    }
    remove_orphaned_temps_beside(r.output);
    // The old stamp goes first: if this render fails, the old video is not taken as up to date.
    fs::remove(sidecar_of(r.output), ec);

    if (s.preview) {
        opt.width = std::max(2, (l.plan.width / 2) & ~1);
        opt.height = std::max(2, (l.plan.height / 2) & ~1);
    }
    opt.output = r.output;
    opt.voice = &l.voice;
    opt.pool = s.pool;
    opt.cache = s.cache;
    opt.evict = false;  // once, when the batch ends
    render::RenderStats stats;
    opt.stats = &stats;
    if (core::cancelled()) {
        r.status = Status::Interrupted;
        return;
    }
    auto t0 = std::chrono::steady_clock::now();
    auto st = render::render_project(l.project, l.plan, opt);
    r.render_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!st) {
        const core::Error& e = st.error();
        if (e.category == core::ErrorCategory::Cancelled) {
            r.status = Status::Interrupted;
            r.render_s = -1;
            if (!s.quiet)
                say(row_label(s, r) + ": interrupted; no output written\n");
            return;
        }
        r.status = core::exit_code_for(e.category) == kExitInput ? Status::FailedInput : Status::FailedRender;
        r.message = e.to_string();
        say("shotweave: " + r.message + "\n" + row_note(s, r) + (s.quiet ? "" : row_label(s, r) + ": failed\n"));
        return;
    }
    r.status = Status::Done;
    r.video_s = core::frames_to_seconds(l.plan.total_frames, l.plan.fps);
    write_sidecar(s, r, l, opt.width ? opt.width : l.plan.width, opt.height ? opt.height : l.plan.height);
    if (!s.quiet) {
        char buf[160];
        std::snprintf(buf, sizeof buf, " (%.2f s of video in %.2f s; segments: %d encoded, %d reused, %d shared)\n",
                      r.video_s, r.render_s, stats.rendered, stats.reused, stats.shared);
        say(row_label(s, r) + ": done: " + r.output.string() + buf);
    }
}

std::string seconds(double s)
{
    if (s < 0)
        return "-";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", s);
    return buf;
}

// Pads to `width` display columns (CJK characters are two columns wide).
std::string pad(const std::string& s, size_t width, bool right = false)
{
    size_t w = 0;
    for (char32_t c : core::utf8_decode(s))
        w += (c >= 0x1100 && (c <= 0x115F || (c >= 0x2E80 && c <= 0xA4CF) || (c >= 0xAC00 && c <= 0xD7A3) ||
                              (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
                              (c >= 0xFFE0 && c <= 0xFFE6) || c >= 0x20000))
                 ? 2
                 : 1;
    std::string fill(w < width ? width - w : 0, ' ');
    return right ? fill + s : s + fill;
}

void print_table(const std::vector<Row>& rows, double wall_s)
{
    size_t row_w = 3;
    for (auto& r : rows)
        row_w = std::max(row_w, std::to_string(r.data->number).size());
    std::string out = pad("row", row_w) + "  " + pad("status", 11) + "  " + pad("video (s)", 9, true) + "  " +
                      pad("render (s)", 10, true) + "  output\n";
    std::map<Status, int> counts;
    double render_total = 0;
    for (auto& r : rows) {
        ++counts[r.status];
        render_total += std::max(0.0, r.render_s);
        std::string last = r.status == Status::FailedInput || r.status == Status::FailedRender ? r.message
                                                                                                : r.output.string();
        out += pad(std::to_string(r.data->number), row_w) + "  " + pad(status_name(r.status), 11) + "  " +
               pad(seconds(r.video_s), 9, true) + "  " + pad(seconds(r.render_s), 10, true) + "  " + last + "\n";
    }
    out += std::to_string(rows.size()) + " row" + (rows.size() == 1 ? "" : "s") + ":";
    bool first = true;
    for (Status st : {Status::Done, Status::UpToDate, Status::FailedInput, Status::FailedRender, Status::Interrupted,
                      Status::NotStarted}) {
        int n = counts[st];
        if (st == Status::FailedInput)
            n += counts[Status::FailedRender];
        if (st == Status::FailedRender || n == 0)
            continue;
        out += std::string(first ? " " : ", ") + std::to_string(n) + " " + status_name(st);
        first = false;
    }
    char buf[96];
    std::snprintf(buf, sizeof buf, "; rendering took %.2f s, %.2f s in all\n", render_total, wall_s);
    out += buf;
    std::lock_guard lock(g_print_mutex);
    std::fputs(out.c_str(), stdout);
    std::fflush(stdout);
}

bool parse_int(const std::string& v, long lo, long hi, long& out)
{
    char* end = nullptr;
    out = std::strtol(v.c_str(), &end, 10);
    return !v.empty() && !*end && out >= lo && out <= hi;
}

}  // namespace

int cmd_batch(const std::vector<std::string>& args)
{
    Settings s;
    std::string data_arg;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (auto po = parse_load_option(args, i, s.lo); po != cli::ParsedOption::NotOurs) {
            if (po == cli::ParsedOption::UsageError)
                return kExitInput;
            continue;
        }
        std::string error;
        if (auto po = cli::parse_encode_option(args, i, s.ropt, s.preset_given, error); po != cli::ParsedOption::NotOurs) {
            if (po == cli::ParsedOption::UsageError)
                return batch_usage_error(error);
            continue;
        }
        if (auto po = cli::parse_cache_option(args, i, s.co, error); po != cli::ParsedOption::NotOurs) {
            if (po == cli::ParsedOption::UsageError)
                return batch_usage_error(error);
            continue;
        }
        auto value = [&]() -> const std::string* { return i + 1 < args.size() ? &args[++i] : nullptr; };
        long n = 0;
        if (a == "-h" || a == "--help") {
            std::fputs(kBatchUsage, stdout);
            return kExitOk;
        }
        if (a == "-o" || a == "--output") {
            auto v = value();
            if (!v || v->empty())
                return batch_usage_error("-o needs an output pattern, e.g. -o \"out/{{city}}.mp4\"");
            s.pattern = *v;
        } else if (a == "--data") {
            auto v = value();
            if (!v || v->empty())
                return batch_usage_error("--data needs a .csv or .jsonl file, e.g. --data rows.csv");
            data_arg = *v;
        } else if (a == "--jobs" || a == "-j") {
            auto v = value();
            if (!v || !parse_int(*v, 1, 256, n))
                return batch_usage_error("--jobs needs a number from 1 to 256");
            s.jobs = (int)n;
        } else if (a == "--threads") {
            auto v = value();
            if (!v || !parse_int(*v, 0, 256, n))
                return batch_usage_error("--threads needs a number from 0 (one per core) to 256");
            s.threads = (int)n;
        } else if (a == "--force") {
            s.force = true;
        } else if (a == "-q" || a == "--quiet") {
            s.quiet = true;
        } else if (a == "--preview") {
            s.preview = true;
        } else if (!a.empty() && a[0] == '-') {
            std::string g = core::did_you_mean(a, {"--data", "--output", "--jobs", "--threads", "--force", "--quiet",
                                                   "--preview", "--crf", "--preset", "--bitrate", "--subtitles",
                                                   "--library", "--seed", "--offline", "--strict", "--no-cache",
                                                   "--cache-dir", "--cache-limit"});
            return batch_usage_error("unknown option " + a + (g.empty() ? "" : "; did you mean " + g + "?"));
        } else if (s.templ.empty()) {
            s.templ = a;
        } else {
            return batch_usage_error("more than one template given (" + s.templ.string() + ", " + a + ")");
        }
    }
    if (s.templ.empty())
        return batch_usage_error("which template? e.g. `shotweave batch promo.md --data rows.csv -o \"out/{{city}}.mp4\"`");
    if (data_arg.empty())
        return batch_usage_error("--data is required: a CSV file with a header row, or JSON Lines");
    if (s.pattern.empty())
        return batch_usage_error("-o is required: an output pattern with placeholders, e.g. -o \"out/{{city}}.mp4\"");
    s.data = data_arg;
    if (s.preview && !s.preset_given)
        s.ropt.encode.preset = "ultrafast";

    std::error_code ec;
    auto templ_text = fs::is_regular_file(s.templ, ec) ? core::read_file(s.templ) : std::nullopt;
    if (!templ_text) {
        std::fprintf(stderr, "%s: error: cannot read the template — %s\n", s.templ.c_str(),
                     fs::exists(s.templ, ec) ? "check that it is a readable file" : "no such file; check the path");
        return kExitInput;
    }
    // A template saved as UTF-16 or GB18030 is filled as UTF-8 (docs/batch.md, "Encodings").
    core::DecodedText templ_decoded = core::decode_text(*templ_text);
    if (templ_decoded.converted()) {
        std::fprintf(stderr, "%s: warning: %s — save it as UTF-8\n", s.templ.c_str(),
                     core::converted_note(templ_decoded, "the template").c_str());
        s.templ_text = std::move(templ_decoded.text);
    } else {
        s.templ_text = std::move(*templ_text);
    }
    auto format = script::format_for(s.templ, s.templ_text);
    if (!format) {
        std::fprintf(stderr, "%s: error: a template is a script: .md, .txt or .json\n", s.templ.c_str());
        return kExitInput;
    }
    s.format = *format;
    auto table = script::read_data_file(s.data);
    if (!table) {
        std::fprintf(stderr, "%s: error: %s\n",
                     table.error().where.valid() ? table.error().where.to_string().c_str() : s.data.c_str(),
                     (table.error().message + (table.error().detail.empty() ? "" : " (" + table.error().detail + ")")).c_str());
        return kExitInput;
    }
    if (!table->warning.empty())
        std::fprintf(stderr, "%s: warning: %s\n", s.data.c_str(), table->warning.c_str());
    if (table->rows.empty()) {
        std::fprintf(stderr, "%s: error: no data rows — each row after the header (or each JSON line) is one video\n",
                     s.data.c_str());
        return kExitInput;
    }
    s.total_rows = table->rows.size();

    // Fill every row's output name and script first: outputs must be known (and distinct) before
    // anything is rendered.
    std::vector<Row> rows(table->rows.size());
    for (size_t k = 0; k < rows.size(); ++k) {
        Row& r = rows[k];
        r.data = &table->rows[k];
        if (!r.data->error.empty()) {
            r.fill_diag.error({s.data.string(), r.data->line, 0}, "row " + std::to_string(r.data->number) + ": " + r.data->error);
            continue;
        }
        auto out = script::fill_template(s.pattern, *r.data, "-o", r.fill_diag);
        if (out && out->text.find('\n') != std::string::npos) {
            r.fill_diag.error({"-o"}, "the output name of row " + std::to_string(r.data->number) + " has a line break",
                              "use fields without line breaks in -o");
            out.reset();
        }
        if (out)
            r.output = out->text;
        auto filled = script::fill_template(s.templ_text, *r.data, s.templ.string(), r.fill_diag);
        if (filled) {
            r.text = std::move(filled->text);
            r.map = std::move(filled->map);
        }
        r.filled = out && filled;
    }
    // Two rows writing one file, a row overwriting the template or the data, or an output path
    // that cannot be written: refuse them all before anything is rendered.
    {
        std::map<fs::path, size_t> seen;
        auto key = [](const fs::path& p) {
            std::error_code e;
            return fs::weakly_canonical(fs::absolute(p, e), e).lexically_normal();
        };
        bool clash = false;
        for (size_t k = 0; k < rows.size(); ++k) {
            if (rows[k].output.empty())
                continue;
            if (auto ok = core::check_output_path(rows[k].output, row_output_label(rows[k]), batch_inputs(s), true);
                !ok) {
                std::fprintf(stderr, "shotweave: batch: %s\n", ok.error().message.c_str());
                clash = true;
                continue;
            }
            fs::path p = key(rows[k].output);
            auto [it, fresh] = seen.emplace(p, k);
            if (!fresh) {
                const Row& a = rows[it->second];
                std::fprintf(stderr, "shotweave: batch: rows %d (%s) and %d (%s) both write %s — put a field that "
                                     "differs between rows into -o, e.g. -o \"out/{{id}}.mp4\"\n",
                             a.data->number, a.data->label().c_str(), rows[k].data->number,
                             rows[k].data->label().c_str(), rows[k].output.c_str());
                clash = true;
            }
        }
        if (clash) {
            std::fprintf(stderr, "shotweave: batch: nothing rendered\n");
            return kExitInput;
        }
    }

    // One pool of workers (one per core: each composes and encodes a segment on one core) for
    // every row; rows in flight only prepare their sound and wait, so one more row than cores
    // keeps the workers fed while a row loads or joins.
    const int cores = available_cores();
    if (s.jobs == 0)
        s.jobs = cores + 1;
    const int workers = std::max(1, std::min<int>(s.jobs, (int)rows.size()));
    int frame_w = 1080, frame_h = 1920;
    for (auto& r : rows)
        if (r.filled) {
            core::Diagnostics scratch;
            fs::path base = s.templ.has_parent_path() ? s.templ.parent_path() : fs::path(".");
            if (auto p = script::read_script_text(r.text, s.templ.string(), s.format, base, scratch)) {
                frame_w = p->width, frame_h = p->height;
                break;
            }
        }
    render::RenderPool pool(s.threads > 0 ? s.threads : render::RenderPool::default_workers(frame_w, frame_h));
    s.pool = &pool;
    std::optional<render::SegmentCache> cache = open_cache(s.co);
    s.cache = cache ? &*cache : nullptr;
    if (!s.quiet)
        std::fprintf(stderr, "batch: %zu row%s from %s, %d at a time, %d worker%s, segment cache %s\n", rows.size(),
                     rows.size() == 1 ? "" : "s", s.data.c_str(), workers, pool.workers(), pool.workers() == 1 ? "" : "s",
                     cache ? cache->dir().c_str() : "off");

    core::install_signal_handlers();
    auto t0 = std::chrono::steady_clock::now();
    std::atomic<size_t> next{0};
    auto work = [&] {
        for (;;) {
            if (core::cancelled())
                return;
            size_t k = next.fetch_add(1);
            if (k >= rows.size())
                return;
            run_row(rows[k], s);
        }
    };
    std::vector<std::thread> row_threads;
    for (int w = 1; w < workers; ++w)
        row_threads.emplace_back(work);
    work();
    for (auto& t : row_threads)
        t.join();
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (cache)
        cache->evict();

    bool any_input = false, any_render = false;
    for (auto& r : rows) {
        if (r.status == Status::Pending)
            r.status = Status::NotStarted;
        any_input |= r.status == Status::FailedInput;
        any_render |= r.status == Status::FailedRender;
    }
    print_table(rows, wall);
    if (core::cancelled()) {
        std::fprintf(stderr, "shotweave: batch interrupted; rows not finished left no output\n");
        return 128 + core::cancel_signal();
    }
    return any_input ? kExitInput : any_render ? kExitRender : kExitOk;
}

}  // namespace sw::cli
