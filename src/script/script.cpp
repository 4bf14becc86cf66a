#include "script/script.h"

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

core::Result<timeline::Project> read_script_text(std::string_view text, std::string_view file_name, Format format,
                                                 const fs::path& base_dir, core::Diagnostics& diag)
{
    std::string file(file_name);
    switch (format) {
    case Format::Json:
        return detail::read_json(text, file, base_dir, diag);
    case Format::Article:
        return detail::read_markdown(text, file, base_dir, true, diag);
    case Format::Markdown:
        break;
    }
    return detail::read_markdown(text, file, base_dir, false, diag);
}

core::Result<timeline::Project> read_script(const fs::path& path, core::Diagnostics& diag)
{
    std::string name = path.string();
    auto fail = [&](core::ErrorCategory cat, std::string msg, std::string hint, std::string detail = {}) {
        diag.error(core::SourceLoc{name}, msg, hint);
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
