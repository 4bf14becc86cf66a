#include "script/script.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <system_error>

#include "core/encoding.h"
#include "core/file.h"
#include "core/text_util.h"
#include "script/readers.h"
#include "script/values.h"

namespace sw::script {

namespace fs = std::filesystem;

const char* to_string(Format f)
{
    switch (f) {
    case Format::Markdown: return "markdown";
    case Format::Article: return "article";
    case Format::Json: return "json";
    }
    return "markdown";
}

std::optional<Format> format_for(const fs::path& path, std::string_view text)
{
    std::string ext = core::to_lower_ascii(path.extension().string());
    if (ext == ".md" || ext == ".markdown")
        return Format::Markdown;
    if (ext == ".json")
        return Format::Json;
    if (ext == ".txt")
        return detail::has_heading(text) ? Format::Markdown : Format::Article;
    return std::nullopt;
}

namespace {

// The limits of script.h and control characters, checked on what every reader produced (and so
// on the text a batch row filled in): an over-long text is reported and dropped, so that no
// later step (the glyph check, the subtitle layout, the speech) spends minutes on it.
void check_text(std::string& text, const core::SourceLoc& where, const char* what, size_t max_chars,
                core::Diagnostics& diag)
{
    if (size_t bad = core::find_control_char(text); bad != std::string::npos) {
        // A NUL or an escape is never meant; it would also cut the messages that quote the text.
        core::SourceLoc at = where;
        if (at.col > 0 && text.find('\n') > bad)
            at.col += int(core::utf8_length(std::string_view(text).substr(0, bad)));
        diag.error(at, std::string(what) + " has a control character (" + core::code_point_name(static_cast<unsigned char>(text[bad])) + ")",
                   "remove it (an editor that shows invisible characters helps)");
        text.clear();
        return;
    }
    std::replace(text.begin(), text.end(), '\t', ' ');  // a tab has no glyph; it reads as a space
    if (size_t n = core::utf8_length(text); n > max_chars) {
        diag.error(where, std::string(what) + " is " + std::to_string(n) + " characters long; at most " + std::to_string(max_chars) + " are accepted",
                   "shorten it, or spread it over several shots");
        text.clear();
    }
}

void check_limits(timeline::Project& p, const std::string& file, core::Diagnostics& diag)
{
    if (p.shots.size() > kMaxShots) {
        diag.error(p.shots[kMaxShots].loc, "more than " + std::to_string(kMaxShots) + " shots in one script",
                   "split the script into several videos");
        p.shots.resize(kMaxShots);
    }
    check_text(p.title, {file, 1, 1}, "the title", kMaxTitleChars, diag);
    for (auto& s : p.shots) {
        check_text(s.name, s.loc, "the shot's name", kMaxTitleChars, diag);
        check_text(s.title, s.title_loc, "the title", kMaxTitleChars, diag);
        if (!s.visual.description.empty())
            check_text(s.visual.description, s.visual.loc, "the visual's description", kMaxDescriptionChars, diag);
        size_t total = 0;
        for (size_t k = 0; k < s.narration.size(); ++k) {
            core::SourceLoc at = k < s.narration_locs.size() ? s.narration_locs[k] : s.loc;
            check_text(s.narration[k], at, "the narration", kMaxNarrationChars, diag);
            total += core::utf8_length(s.narration[k]);
            if (total > kMaxNarrationChars) {
                diag.error(at, "the narration of shot \"" + s.name + "\" is longer than " + std::to_string(kMaxNarrationChars) + " characters",
                           "spread it over several shots (a shot's narration is rarely more than a few hundred characters)");
                s.narration.clear();
                s.narration_locs.clear();
                break;
            }
        }
    }
}

}  // namespace

namespace {

// words.txt beside the script: names and terms kept whole, one or more per line (separated as in
// `words:`), `#` starts a comment. Same warnings as `words:`, at the file's own lines.
void read_words_file(timeline::Project& project, core::Diagnostics& diag)
{
    const fs::path path = project.base_dir / "words.txt";
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        return;
    std::optional<std::string> raw = core::read_file(path);
    if (!raw) {
        diag.warning({path.string(), 0, 0}, "the word list could not be read; line breaks go on without it",
                     "check the file's permissions");
        return;
    }
    core::DecodedText decoded = core::decode_text(*raw);
    if (decoded.converted())
        diag.warning({path.string(), 1, 1}, core::converted_note(decoded, "the word list"), "save it as UTF-8");
    project.words_file = path;
    std::string_view text = decoded.text;
    int line = 0;
    for (size_t start = 0; start <= text.size();) {
        size_t nl = text.find('\n', start);
        if (nl == std::string_view::npos)
            nl = text.size();
        std::string_view l = text.substr(start, nl - start);
        ++line;
        if (size_t hash = l.find('#'); hash != std::string_view::npos)
            l = l.substr(0, hash);
        if (!l.empty() && l.back() == '\r')
            l.remove_suffix(1);
        Span span{{path.string(), line, 1}, l};
        for (auto& w : read_word_list(span, diag))
            project.words.push_back(std::move(w));
        start = nl + 1;
    }
}

}  // namespace

core::Result<timeline::Project> read_script_text(std::string_view text_in, std::string_view file_name, Format format,
                                                 const fs::path& base_dir, core::Diagnostics& diag)
{
    std::string file(file_name);
    // UTF-16 and GB18030 are read (with a warning); bytes that are none of them become U+FFFD,
    // except in JSON, whose parser reports invalid UTF-8 itself.
    core::DecodedText decoded = core::decode_text(text_in);
    std::string_view text = decoded.text;
    if (decoded.converted()) {
        diag.warning({file, 1, 1}, core::converted_note(decoded, "the script"), "save it as UTF-8 (the usual encoding of scripts)");
    } else if (decoded.first_invalid != std::string::npos) {
        if (format == Format::Json) {
            text = text_in;
        } else {
            std::string_view before = text.substr(0, decoded.first_invalid);
            size_t nl = before.rfind('\n');
            int line = 1 + int(std::count(before.begin(), before.end(), '\n'));
            size_t line_start = nl == std::string_view::npos ? 0 : nl + 1;
            int col = 1 + int(core::utf8_length(before.substr(line_start)));
            diag.error({file, line, col}, "the script is not valid UTF-8 text",
                       "save it as UTF-8 (it may be in another legacy encoding, such as Latin-1 or Big5)");
        }
    }
    core::Result<timeline::Project> project = format == Format::Json
                                                ? detail::read_json(text, file, base_dir, diag)
                                                : detail::read_markdown(text, file, base_dir, format == Format::Article, diag);
    if (project) {
        check_limits(*project, file, diag);
        read_words_file(*project, diag);
    }
    return project;
}

core::Result<timeline::Project> read_script(const fs::path& path, core::Diagnostics& diag)
{
    std::string name = path.string();
    auto fail = [&](core::ErrorCategory cat, std::string msg, std::string hint, std::string detail = {}) {
        return core::make_error(cat, msg + " — " + hint, std::move(detail), core::SourceLoc{name});
    };
    std::error_code ec;
    if (!fs::exists(path, ec))
        return fail(core::ErrorCategory::Input, "script file not found", "check the path (" + fs::absolute(path, ec).string() + ")");
    if (fs::is_directory(path, ec))
        return fail(core::ErrorCategory::Input, "this is a folder, not a script file", "give the path of a .md, .txt or .json script");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return fail(core::ErrorCategory::Input, "cannot read the script file", "check its permissions",
                    std::error_code(errno, std::generic_category()).message());
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad())
        return fail(core::ErrorCategory::Input, "error while reading the script file", "check the file and the disk");
    std::string text = ss.str();
    auto format = format_for(path, core::decode_text(text).text);  // a UTF-16 heading is a heading
    if (!format)
        return fail(core::ErrorCategory::Script, "unsupported script type \"" + path.extension().string() + "\"",
                    "use a .md (or .markdown), .txt or .json file");
    fs::path base = path.parent_path();
    if (base.empty())
        base = ".";
    return read_script_text(text, name, *format, base, diag);
}

}  // namespace sw::script
