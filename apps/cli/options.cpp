#include "options.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <mutex>

#include "core/text_util.h"
#include "engine/events.h"
#include "render/segment_cache.h"

namespace sw::cli {

int usage_error(const std::string& msg)
{
    std::fprintf(stderr, "shotweave: %s\nRun `shotweave --help` for usage.\n", msg.c_str());
    return core::kExitInput;
}

void print_diagnostics(const core::Diagnostics& diag)
{
    std::fputs(engine::diagnostics_text(diag).c_str(), stderr);
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

ParsedOption parse_encode_option(const std::vector<std::string>& args, size_t& i, engine::RenderSettings& s,
                                 std::string& error)
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
        s.encode.crf = (int)crf;
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
        s.encode.preset = *v;
        s.preset_given = true;
    } else if (a == "--bitrate") {
        if (!v || !parse_bitrate(*v, s.encode.bitrate))
            return fail("--bitrate needs a rate such as 6M or 2500k");
    } else {
        if (!v)
            return fail("--subtitles needs a list such as srt,ass");
        std::string list = *v + ",";
        for (size_t p = 0, q; (q = list.find(',', p)) != std::string::npos; p = q + 1) {
            std::string f = list.substr(p, q - p);
            if (f == "srt")
                s.write_srt = true;
            else if (f == "ass")
                s.write_ass = true;
            else if (!f.empty())
                return fail("--subtitles takes srt and/or ass, not \"" + f + "\"");
        }
    }
    return ParsedOption::Taken;
}

ParsedOption parse_cache_option(const std::vector<std::string>& args, size_t& i, engine::EngineOptions& o,
                                std::string& error)
{
    const std::string& a = args[i];
    if (a == "--no-cache") {
        o.use_cache = false;
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
        o.cache_dir = *v;
        return ParsedOption::Taken;
    }
    auto size = v ? render::parse_size(*v) : std::nullopt;
    if (!size) {
        error = "--cache-limit needs a size such as 500M or 4G";
        return ParsedOption::UsageError;
    }
    o.cache_limit = *size;
    return ParsedOption::Taken;
}

ParsedOption parse_load_option(const std::vector<std::string>& args, size_t& i, engine::LoadOptions& o,
                               std::string& error)
{
    const std::string& a = args[i];
    if (a == "--offline" || a == "--strict") {
        (a == "--offline" ? o.offline : o.strict) = true;
        return ParsedOption::Taken;
    }
    if (a != "--library" && a != "--seed")
        return ParsedOption::NotOurs;
    if (i + 1 >= args.size()) {
        error = a == "--library" ? "--library needs a folder, e.g. --library media/" : "--seed needs a number, e.g. --seed 2";
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
        error = "--seed needs a whole number, e.g. --seed 2";
        return ParsedOption::UsageError;
    }
    o.seed = n;
    return ParsedOption::Taken;
}

ParsedOption parse_render_option(const std::vector<std::string>& args, size_t& i, const RenderOptionTargets& to,
                                 std::string& error)
{
    ParsedOption po = parse_load_option(args, i, to.load, error);
    if (po == ParsedOption::NotOurs)
        po = parse_encode_option(args, i, to.settings, error);
    if (po == ParsedOption::NotOurs)
        po = parse_cache_option(args, i, to.engine, error);
    if (po == ParsedOption::NotOurs)
        po = parse_progress_option(args, i, to.progress, error);
    return po;
}

ParsedOption parse_progress_option(const std::vector<std::string>& args, size_t& i, ProgressStyle& style,
                                   std::string& error)
{
    if (args[i] != "--progress")
        return ParsedOption::NotOurs;
    const std::string v = i + 1 < args.size() ? args[++i] : "";
    if (v == "bar")
        style = ProgressStyle::Bar;
    else if (v == "json")
        style = ProgressStyle::Json;
    else if (v == "none")
        style = ProgressStyle::None;
    else {
        error = "--progress takes bar, json or none" + (v.empty() ? std::string() : ", not \"" + v + "\"");
        return ParsedOption::UsageError;
    }
    return ParsedOption::Taken;
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

void ProgressBar::update(const engine::Event& e)
{
    if (e.type != engine::EventType::Progress || e.frames_total <= 0)
        return;
    const bool complete = e.frames_done == e.frames_total;
    if (!complete && m_last >= 0 && e.elapsed_s - m_last < 0.1)
        return;
    m_last = e.elapsed_s;
    m_drawn = true;
    double frac = double(e.frames_done) / double(e.frames_total);
    const int width = 28;
    int fill = (int)std::lround(frac * width);
    std::string bar(fill, '#');
    bar += std::string(width - fill, '-');
    std::fprintf(stderr, "\r[%s] %3d%%  %lld/%lld frames  %5.1f fps  ETA %s ", bar.c_str(), (int)(frac * 100),
                 (long long)e.frames_done, (long long)e.frames_total, e.fps, clock(e.eta_s).c_str());
    std::fflush(stderr);
}

void ProgressBar::finish()
{
    if (m_drawn)
        std::fputs("\n", stderr);
    m_drawn = false;
}

void print_diagnostics(const engine::Event& e)
{
    std::string text;
    for (auto& d : e.diagnostics)
        text += d.to_string() + "\n";
    if (e.omitted)
        text += "… and " + std::to_string(e.omitted) + " more problem" + (e.omitted == 1 ? "" : "s") + " not shown\n";
    std::fputs(text.c_str(), stderr);
}

void print_json_event(const engine::Event& e)
{
    static std::mutex mutex;
    std::string line = engine::to_json(e).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    std::lock_guard lock(mutex);
    std::fputs(line.c_str(), stdout);
    std::fflush(stdout);
}

}  // namespace sw::cli
