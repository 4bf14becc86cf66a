// draft_script: the user's brief (topic, article, length, voice, library) to a checked script
// file, with src/draft asking the model and Engine::check judging every answer.

#include "engine/draft.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <regex>

#include "core/encoding.h"
#include "core/file.h"
#include "core/text_util.h"
#include "library/library.h"
#include "script/script.h"

namespace sw::engine {

namespace fs = std::filesystem;
using core::ErrorCategory;

namespace {

DraftResult fail(DraftResult r, Outcome o, core::Error e)
{
    r.outcome = o;
    r.error = std::move(e);
    return r;
}

DraftResult input_error(DraftResult r, std::string message)
{
    return fail(std::move(r), Outcome::InputError, core::Error{ErrorCategory::Input, std::move(message), {}, {}});
}

// The line ranges of the shots in a JSON text dumped with an indent of 2: each shot object
// opens on a line of its own, indented by 4 (nothing else in a drafted script does).
std::vector<int> shot_start_lines(const std::string& text)
{
    std::vector<int> starts;
    int line = 1;
    size_t pos = 0;
    while (pos <= text.size()) {
        size_t e = text.find('\n', pos);
        std::string_view l = std::string_view(text).substr(pos, e == std::string::npos ? std::string::npos : e - pos);
        if (l == "    {")
            starts.push_back(line);
        if (e == std::string::npos)
            break;
        pos = e + 1;
        ++line;
    }
    return starts;
}

// What the model is told about one problem: which shot (by number and name) and what is wrong,
// in the check's own words.
std::string problem_text(const core::Diagnostic& d, const std::vector<int>& starts, const draft::Json& script)
{
    std::string where;
    if (d.where.line > 0 && !starts.empty() && d.where.line >= starts.front()) {
        size_t i = std::upper_bound(starts.begin(), starts.end(), d.where.line) - starts.begin();
        const auto& shots = script["shots"];
        where = "shot " + std::to_string(i);
        if (i >= 1 && i <= shots.size() && shots[i - 1].is_object() && shots[i - 1].contains("name") &&
            shots[i - 1]["name"].is_string())
            where += " (\"" + shots[i - 1]["name"].get<std::string>() + "\")";
        where += ": ";
    }
    return where + d.message + (d.hint.empty() ? "" : " — " + d.hint);
}

// The library's files and its tags, most frequent first.
core::Status read_library(const fs::path& dir, draft::Brief& brief, std::vector<std::string>& notes)
{
    auto lib = library::Library::open(dir);
    if (!lib)
        return tl::unexpected(lib.error());
    auto stats = lib->update();
    if (!stats)
        return tl::unexpected(stats.error());
    auto assets = lib->assets();
    if (!assets)
        return tl::unexpected(assets.error());
    std::map<std::string, int> count;
    for (const auto& a : *assets) {
        draft::LibraryItem it;
        it.file = a.rel_path;
        it.kind = library::to_string(a.kind);
        it.seconds = a.duration_us > 0 ? a.duration_us / 1e6 : 0;
        it.description = a.description;
        it.tags = a.tags;
        for (const auto& t : a.tags)
            ++count[t];
        brief.library_items.push_back(std::move(it));
    }
    std::vector<std::pair<std::string, int>> tags(count.begin(), count.end());
    std::stable_sort(tags.begin(), tags.end(), [](auto& a, auto& b) { return a.second > b.second; });
    for (auto& [t, n] : tags)
        brief.library_tags.push_back(t);
    if (assets->empty())
        notes.push_back("the library " + dir.string() + " has no photos or videos yet; visuals are described freely");
    return {};
}

bool has_extension(const fs::path& p, std::initializer_list<const char*> exts)
{
    std::string e = core::to_lower_ascii(p.extension().string());
    return std::any_of(exts.begin(), exts.end(), [&](const char* x) { return e == x; });
}

}  // namespace

std::optional<double> length_in_topic(std::string_view topic)
{
    static const std::regex re(
        R"(([0-9]+(?:\.[0-9]+)?)\s*(秒钟|秒|s\b|sec\b|secs\b|seconds?\b|分钟|分|min\b|mins\b|minutes?\b))",
        std::regex::ECMAScript | std::regex::icase);
    std::string s(topic);
    std::smatch m;
    if (!std::regex_search(s, m, re))
        return std::nullopt;
    double v = std::stod(m[1].str());
    std::string unit = core::to_lower_ascii(m[2].str());
    if (unit == "分钟" || unit == "分" || unit.rfind("min", 0) == 0)
        v *= 60;
    if (v <= 0)
        return std::nullopt;
    return v;
}

DraftResult draft_script(Engine& engine, const DraftRequest& req, const Job& job)
{
    DraftResult r;
    auto note = [&](const std::string& s) {
        if (req.on_note)
            req.on_note(s);
    };

    // The output first: nothing is asked of a (paid) model for a file that cannot be written.
    if (req.output.empty())
        return input_error(std::move(r), "where should the script go? Give -o NAME.md (or NAME.json)");
    const bool json = has_extension(req.output, {".json"});
    if (!json && !has_extension(req.output, {".md", ".markdown"}))
        return input_error(std::move(r), "-o " + req.output.string() +
                                             ": a script is a .md file (to edit) or a .json file (the JSON form)");
    std::error_code ec;
    if (fs::exists(req.output, ec) && !req.force)
        return input_error(std::move(r), req.output.string() + " already exists — choose another name, or add --force to replace it");
    std::vector<core::ReadFile> inputs;
    if (!req.article.empty())
        inputs.push_back({req.article, "the article (--from)"});
    if (auto st = core::check_output_path(req.output, "-o " + req.output.string(), inputs); !st)
        return fail(std::move(r), Outcome::InputError, st.error());
    const fs::path out_dir = req.output.has_parent_path() ? req.output.parent_path() : fs::path();

    // The model's settings.
    fs::path config = req.config;
    if (config.empty()) {
        config = out_dir / "shotweave.toml";
        if (!fs::is_regular_file(config, ec))
            config = "shotweave.toml";
    } else if (!fs::is_regular_file(config, ec)) {
        return input_error(std::move(r), "--config " + config.string() + " does not exist — check the path");
    }
    auto cfg = draft::resolve_writer_config(config, req.getenv);
    if (!cfg)
        return fail(std::move(r), Outcome::InputError, cfg.error());
    r.config_origin = cfg->origin;

    // The brief.
    draft::Brief brief;
    brief.topic = std::string(core::trim(req.topic));
    timeline::Project front;  // the article's front matter, when it has one
    if (!req.article.empty()) {
        auto bytes = core::read_file(req.article);
        if (!bytes)
            return input_error(std::move(r), "cannot read the article " + req.article.string() + " — check the path");
        core::DecodedText decoded = core::decode_text(*bytes);
        if (decoded.converted())
            r.notes.push_back(core::converted_note(decoded, req.article.filename().string()));
        auto [fm, body] = draft::split_front_matter(decoded.text);
        brief.article = std::string(core::trim(body));
        brief.article_name = req.article.filename().string();
        if (brief.article.empty())
            return input_error(std::move(r), "the article " + req.article.string() + " has no text");
        if (!fm.empty()) {
            // Read with the script reader, so its settings mean what they mean in a script.
            core::Diagnostics fd;
            auto p = script::read_script_text(fm + "\n# -\n-\n", req.article.string(), script::Format::Markdown,
                                              req.article.has_parent_path() ? req.article.parent_path() : fs::path("."), fd);
            if (!p || fd.has_errors()) {
                r.diag = std::move(fd);
                return fail(std::move(r), Outcome::InputError,
                            p ? core::Error{ErrorCategory::Script, "the article's front matter has errors", {}, {}} : p.error());
            }
            front = std::move(*p);
        }
    }
    if (brief.topic.empty() && brief.article.empty())
        return input_error(std::move(r), "what should the script be about? Give a topic (shotweave draft \"…\") or an article (--from FILE)");
    brief.title = front.title;
    brief.language = draft::language_of(brief.topic + "\n" + brief.article);
    brief.seconds = req.seconds > 0 ? req.seconds : length_in_topic(brief.topic).value_or(60);
    if (brief.seconds < 5 || brief.seconds > 1800)
        return input_error(std::move(r), "a length of " + core::format_number(brief.seconds) +
                                             " s is outside what a draft is for — give 5 s to 30 min (--length 60s)");

    // The voice: --voice, else the article's, else one for the language.
    std::string voice = req.voice;
    if (voice.empty() && !front.voice.empty()) {
        brief.voice = front.voice;
        brief.rate_wpm = front.voice_rate;
    } else if (voice == "none" || voice == "off") {
        brief.voice.clear();
    } else if (!voice.empty()) {
        std::string name = voice, rest;
        if (size_t sp = voice.find_first_of(" \t"); sp != std::string::npos)
            name = voice.substr(0, sp), rest = std::string(core::trim(std::string_view(voice).substr(sp)));
        brief.voice = name;
        if (!rest.empty()) {
            static const std::regex rate_re(R"(^rate=([0-9]+)$)");
            std::smatch m;
            if (!std::regex_match(rest, m, rate_re) || std::stoi(m[1].str()) < 80 || std::stoi(m[1].str()) > 450)
                return input_error(std::move(r), "--voice \"" + voice + "\": after the name only rate=N (80-450 words a minute) may follow, e.g. --voice \"zh rate=190\"");
            brief.rate_wpm = std::stoi(m[1].str());
        }
    } else {
        brief.voice = brief.language;
    }
    if (!req.size.empty())
        brief.size = req.size;
    else if (front.size_loc.valid())
        brief.size = std::to_string(front.width) + "x" + std::to_string(front.height);

    // The library: --library, else the article's `library:`; written relative to the output.
    fs::path lib = !req.library.empty() ? req.library : front.library_dir;
    if (!lib.empty()) {
        if (!fs::is_directory(lib, ec))
            return input_error(std::move(r), "the library " + lib.string() + " is not a folder — check the path (--library DIR)");
        if (auto st = read_library(lib, brief, r.notes); !st)
            return fail(std::move(r), Outcome::InputError, st.error());
        fs::path rel = fs::proximate(fs::absolute(lib), out_dir.empty() ? fs::current_path() : fs::absolute(out_dir), ec);
        brief.library = (ec ? fs::absolute(lib) : rel).generic_string();
    }

    // Every answer is checked as the JSON script it is, as if saved where the output goes.
    const fs::path as_if = req.output;
    draft::Checker check = [&](const draft::Json& script) {
        draft::CheckReport rep;
        const std::string text = script.dump(2, ' ', false, draft::Json::error_handler_t::replace);
        ScriptSource src{as_if, text, script::Format::Json};
        Loaded l = engine.check(src, {}, job);
        const auto starts = shot_start_lines(text);
        for (const auto& d : l.diag.items()) {
            (d.severity == core::Severity::Error ? rep.errors : rep.warnings).push_back(problem_text(d, starts, script));
        }
        if (l.ok) {
            rep.total_s = core::frames_to_seconds(l.plan.total_frames, l.plan.fps);
            for (const auto& s : l.plan.shots)
                rep.shot_s.push_back(core::frames_to_seconds(s.frames - s.in_frames, l.plan.fps));
        }
        return rep;
    };

    // The user's settings alone first (a placeholder shot): an unknown voice or a bad size is
    // the user's to fix, not something to spend the model's answers on.
    {
        draft::Json probe{{"shots", {{{"name", "-"}, {"narration", "-"}, {"visual", {{"description", "-"}}}}}}};
        draft::apply_brief(probe, brief);
        draft::CheckReport rep = check(probe);
        if (!rep.errors.empty())
            return input_error(std::move(r), "the draft's settings (--voice, --size, --library or the article's front matter) are not valid: " +
                                                 core::join(rep.errors, "; "));
    }

    const core::CancelToken* cancel = &job.cancel;
    auto drafted = draft::write_draft(*cfg, brief, check, cancel, note);
    if (!drafted) {
        Outcome o = drafted.error().category == ErrorCategory::Cancelled ? Outcome::Cancelled
                    : drafted.error().category == ErrorCategory::Script     ? Outcome::InputError
                                                                            : Outcome::RenderError;
        return fail(std::move(r), o, drafted.error());
    }
    r.questions = drafted->questions;
    for (auto& n : drafted->notes)
        r.notes.push_back(n);

    // The file as written, checked once more in its own form.
    const std::string text = json ? drafted->script.dump(2, ' ', false, draft::Json::error_handler_t::replace) + "\n"
                                  : draft::to_markdown(drafted->script);
    Loaded final_check = engine.check(ScriptSource{as_if, text, json ? script::Format::Json : script::Format::Markdown}, {}, job);
    r.diag = final_check.diag;
    if (!final_check.ok)
        return fail(std::move(r), Outcome::RenderError,
                    core::Error{ErrorCategory::Internal,
                                "the drafted script passed its check as JSON but not as written — a bug in shotweave; "
                                "draft again with --json to get the JSON form",
                                {}, {}});
    r.shots = (int)final_check.project.shots.size();
    r.total_s = core::frames_to_seconds(final_check.plan.total_frames, final_check.plan.fps);

    if (fs::exists(req.output, ec) && !req.force)  // made meanwhile
        return input_error(std::move(r), req.output.string() + " appeared while the model was writing — choose another name, or add --force");
    if (auto st = core::write_file_atomic(req.output, text); !st)
        return fail(std::move(r), Outcome::RenderError, st.error());
    r.output = req.output;
    r.outcome = Outcome::Done;
    return r;
}

}  // namespace sw::engine
