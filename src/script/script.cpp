#include "script/script.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <system_error>

#include "core/text_util.h"
#include "script/readers.h"

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

// Replaces invalid UTF-8 with U+FFFD. Returns the byte offset of the first invalid sequence,
// or npos when the text is valid. Scripts saved as GBK/GB18030 (common on Chinese Windows)
// are the usual cause, so say so rather than produce mojibake narration.
static size_t sanitize_utf8(std::string_view in, std::string& out)
{
    size_t first_bad = std::string_view::npos;
    out.reserve(in.size());
    for (size_t i = 0; i < in.size();) {
        unsigned char c = in[i];
        size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        bool ok = len > 0 && i + len <= in.size() && !(len == 2 && c < 0xC2);
        for (size_t k = 1; ok && k < len; ++k)
            ok = (static_cast<unsigned char>(in[i + k]) & 0xC0) == 0x80;
        if (ok && len == 3) {  // no overlongs or UTF-16 surrogates
            unsigned char c1 = in[i + 1];
            ok = !(c == 0xE0 && c1 < 0xA0) && !(c == 0xED && c1 >= 0xA0);
        } else if (ok && len == 4) {
            unsigned char c1 = in[i + 1];
            ok = !(c == 0xF0 && c1 < 0x90) && !(c == 0xF4 && c1 >= 0x90) && c <= 0xF4;
        }
        if (!ok) {
            if (first_bad == std::string_view::npos)
                first_bad = i;
            out += "\xEF\xBF\xBD";
            ++i;
            continue;
        }
        out.append(in.substr(i, len));
        i += len;
    }
    return first_bad;
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

core::Result<timeline::Project> read_script_text(std::string_view text_in, std::string_view file_name, Format format,
                                                 const fs::path& base_dir, core::Diagnostics& diag)
{
    std::string file(file_name);
    std::string clean;
    std::string_view text = text_in;
    if (format != Format::Json) {  // the JSON parser reports invalid UTF-8 itself
        size_t bad = sanitize_utf8(text_in, clean);
        if (bad != std::string_view::npos) {
            std::string_view before = text_in.substr(0, bad);
            size_t nl = before.rfind('\n');
            int line = 1 + int(std::count(before.begin(), before.end(), '\n'));
            size_t line_start = nl == std::string_view::npos ? 0 : nl + 1;
            int col = 1 + int(core::utf8_length(before.substr(line_start)));
            diag.error({file, line, col}, "the script is not valid UTF-8 text",
                       "save it as UTF-8 (it may be in GBK/GB18030 or another legacy encoding)");
        }
        text = clean;
    }
    core::Result<timeline::Project> project = format == Format::Json
                                                ? detail::read_json(text, file, base_dir, diag)
                                                : detail::read_markdown(text, file, base_dir, format == Format::Article, diag);
    if (project)
        check_limits(*project, file, diag);
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
    auto format = format_for(path, text);
    if (!format)
        return fail(core::ErrorCategory::Script, "unsupported script type \"" + path.extension().string() + "\"",
                    "use a .md (or .markdown), .txt or .json file");
    fs::path base = path.parent_path();
    if (base.empty())
        base = ".";
    return read_script_text(text, name, *format, base, diag);
}

}  // namespace sw::script
