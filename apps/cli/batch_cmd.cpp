// `shotweave batch`: option parsing and printing; the batch itself is engine::Engine::batch.

#include "batch_cmd.h"

#include <unistd.h>

#include <cstdio>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "options.h"

#include "core/cancel.h"
#include "core/text_util.h"
#include "engine/batch.h"

namespace fs = std::filesystem;

namespace sw::cli {

namespace {

using core::kExitInput;
using core::kExitOk;
using engine::Outcome;

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
  --progress json every event as one JSON line on stdout instead (docs/progress.md)
  --preview, --crf N, --preset NAME, --bitrate RATE, --subtitles srt,ass,
  --library DIR, --seed N, --offline, --strict      as for `shotweave render`
See docs/batch.md.
)";

int batch_usage_error(const std::string& msg)
{
    std::fprintf(stderr, "shotweave: batch: %s\n%s", msg.c_str(), kBatchUsage);
    return kExitInput;
}

std::string seconds(double s)
{
    if (s < 0)
        return "-";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", s);
    return buf;
}

std::string pad(const std::string& s, size_t width, bool right = false) { return core::pad_columns(s, width, right); }


void print_table(const std::vector<engine::BatchRow>& rows, double wall_s)
{
    size_t row_w = 3;
    for (auto& r : rows)
        row_w = std::max(row_w, std::to_string(r.number).size());
    std::string out = pad("row", row_w) + "  " + pad("status", 11) + "  " + pad("video (s)", 9, true) + "  " +
                      pad("render (s)", 10, true) + "  output\n";
    std::map<Outcome, int> counts;
    double render_total = 0;
    for (auto& r : rows) {
        ++counts[r.status];
        render_total += std::max(0.0, r.render_s);
        std::string last = r.status == Outcome::InputError || r.status == Outcome::RenderError ? r.message
                                                                                                : r.output.string();
        out += pad(std::to_string(r.number), row_w) + "  " + pad(engine::outcome_name(r.status), 11) + "  " +
               pad(seconds(r.video_s), 9, true) + "  " + pad(seconds(r.render_s), 10, true) + "  " + last + "\n";
    }
    out += std::to_string(rows.size()) + " row" + (rows.size() == 1 ? "" : "s") + ":";
    bool first = true;
    for (Outcome st : {Outcome::Done, Outcome::UpToDate, Outcome::InputError, Outcome::RenderError, Outcome::Cancelled,
                       Outcome::NotStarted}) {
        int n = counts[st];
        if (st == Outcome::InputError)
            n += counts[Outcome::RenderError];
        if (st == Outcome::RenderError || n == 0)
            continue;
        out += std::string(first ? " " : ", ") + std::to_string(n) + " " + engine::outcome_name(st);
        first = false;
    }
    char buf[96];
    std::snprintf(buf, sizeof buf, "; rendering took %.2f s, %.2f s in all\n", render_total, wall_s);
    out += buf;
    std::fputs(out.c_str(), stdout);
    std::fflush(stdout);
}

bool parse_int(const std::string& v, long lo, long hi, long& out)
{
    char* end = nullptr;
    out = std::strtol(v.c_str(), &end, 10);
    return !v.empty() && !*end && out >= lo && out <= hi;
}


// Prints a row's events as lines on stderr, one row's lines together.
class RowPrinter {
public:
    RowPrinter(const fs::path& data, bool quiet) : m_data(data), m_quiet(quiet) {}
    void operator()(const engine::Event& e);

private:
    void say(const std::string& text)
    {
        std::lock_guard lock(m_mutex);
        std::fputs(text.c_str(), stderr);
        std::fflush(stderr);
    }
    static std::string label(const engine::Event& e)
    {
        std::string l = "row " + std::to_string(e.row) + "/" + std::to_string(e.rows_total);
        return e.row_label.empty() ? l : l + " (" + e.row_label + ")";
    }
    // "rows.csv:4: note: in row 3 (city=哈尔滨)": said after a row's diagnostics.
    std::string note(const engine::Event& e) const
    {
        if (e.row_line <= 0)
            return {};
        return m_data.string() + ":" + std::to_string(e.row_line) + ": note: in row " + std::to_string(e.row) +
               (e.row_label.empty() ? "" : " (" + e.row_label + ")") + "\n";
    }
    static std::string diagnostics(const engine::Event& e)
    {
        std::string s;
        for (auto& d : e.diagnostics)
            s += d.to_string() + "\n";
        if (e.omitted)
            s += "… and " + std::to_string(e.omitted) + " more problem" + (e.omitted == 1 ? "" : "s") + " not shown\n";
        return s;
    }

    fs::path m_data;
    bool m_quiet;
    std::mutex m_mutex;
};

void RowPrinter::operator()(const engine::Event& e)
{
    using engine::EventType;
    if (e.type == EventType::Phase && e.phase == engine::Phase::Batch) {
        if (!m_quiet)
            say("batch: " + e.text + "\n");
    } else if (e.type == EventType::Message && e.phase == engine::Phase::Batch) {
        say(e.text + "\n");
    } else if (e.type == EventType::Message && e.row && !m_quiet) {
        say(label(e) + ": generate: " + e.text + "\n");
    } else if (e.type == EventType::Diagnostics && e.row && !m_quiet) {
        say(diagnostics(e) + note(e));
    } else if (e.type == EventType::Row) {
        const std::string failed = m_quiet ? "" : label(e) + ": failed\n";
        if (e.text == "rendering" && !m_quiet) {
            say(label(e) + ": rendering → " + e.output + "\n");
        } else if (e.text == "up to date" && !m_quiet) {
            say(label(e) + ": up to date: " + e.output + "\n");
        } else if (e.text == "failed" && !e.diagnostics.empty()) {
            say(diagnostics(e) + note(e) + failed);
        } else if (e.text == "failed") {
            say("shotweave: " + e.error + "\n" + note(e) + failed);
        } else if (e.text == "interrupted" && !m_quiet) {
            say(label(e) + ": interrupted; no output written\n");
        } else if (e.text == "done" && !m_quiet) {
            char buf[160];
            std::snprintf(buf, sizeof buf, " (%.2f s of video in %.2f s; segments: %d encoded, %d reused, %d shared)\n",
                          e.video_s, e.render_s, e.segments_encoded, e.segments_reused, e.segments_shared);
            say(label(e) + ": done: " + e.output + buf);
        }
    }
}

}  // namespace

int cmd_batch(const std::vector<std::string>& args)
{
    engine::BatchRequest req;
    engine::EngineOptions eo;
    std::string data_arg;
    bool quiet = false;
    ProgressStyle style = ProgressStyle::Auto;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        std::string error;
        if (auto po = parse_render_option(args, i, {req.load, req.settings, eo, style}, error);
            po != ParsedOption::NotOurs) {
            if (po == ParsedOption::UsageError)
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
            req.pattern = *v;
        } else if (a == "--data") {
            auto v = value();
            if (!v || v->empty())
                return batch_usage_error("--data needs a .csv or .jsonl file, e.g. --data rows.csv");
            data_arg = *v;
        } else if (a == "--jobs" || a == "-j") {
            auto v = value();
            if (!v || !parse_int(*v, 1, 256, n))
                return batch_usage_error("--jobs needs a number from 1 to 256");
            req.jobs = (int)n;
        } else if (a == "--threads") {
            auto v = value();
            if (!v || !parse_int(*v, 0, 256, n))
                return batch_usage_error("--threads needs a number from 0 (one per core) to 256");
            eo.workers = (int)n;
        } else if (a == "--force") {
            req.force = true;
        } else if (a == "-q" || a == "--quiet") {
            quiet = true;
        } else if (a == "--preview") {
            req.settings.preview = true;
        } else if (!a.empty() && a[0] == '-') {
            std::string g = core::did_you_mean(a, {"--data", "--output", "--jobs", "--threads", "--force", "--quiet",
                                                   "--preview", "--crf", "--preset", "--bitrate", "--subtitles",
                                                   "--library", "--seed", "--offline", "--strict", "--no-cache",
                                                   "--cache-dir", "--cache-limit", "--progress"});
            return batch_usage_error("unknown option " + a + (g.empty() ? "" : "; did you mean " + g + "?"));
        } else if (req.templ.empty()) {
            req.templ = a;
        } else {
            return batch_usage_error("more than one template given (" + req.templ.string() + ", " + a + ")");
        }
    }
    if (req.templ.empty())
        return batch_usage_error("which template? e.g. `shotweave batch promo.md --data rows.csv -o \"out/{{city}}.mp4\"`");
    if (data_arg.empty())
        return batch_usage_error("--data is required: a CSV file with a header row, or JSON Lines");
    if (req.pattern.empty())
        return batch_usage_error("-o is required: an output pattern with placeholders, e.g. -o \"out/{{city}}.mp4\"");
    req.data = data_arg;

    const bool json = style == ProgressStyle::Json;
    RowPrinter printer(req.data, quiet || style == ProgressStyle::None);
    engine::Job job;
    job.on_event = [&](const engine::Event& e) {
        if (json)
            print_json_event(e);
        else
            printer(e);
    };
    core::install_signal_handlers();
    engine::Engine eng(eo);
    engine::BatchResult res = eng.batch(req, job);
    if (!res.errors.empty()) {
        for (auto& line : res.errors)
            std::fprintf(stderr, "%s\n", line.c_str());
        return res.exit_code();
    }
    if (!json)
        print_table(res.rows, res.wall_s);
    if (res.cancelled) {
        std::fprintf(stderr, "shotweave: batch interrupted; rows not finished left no output\n");
        return 128 + (core::cancel_signal() ? core::cancel_signal() : 2);
    }
    return res.exit_code();
}

}  // namespace sw::cli
