#pragma once
// Internal to sw_script: the individual readers behind script.h.

#include <filesystem>
#include <string>
#include <string_view>

#include "core/diagnostics.h"
#include "timeline/project.h"

namespace sw::script::detail {

// Markdown-like script; `force_article` reads the body as an article even if it has headings.
// A body without any `# ` heading line is read as an article too.
timeline::Project read_markdown(std::string_view text, const std::string& file, const std::filesystem::path& base_dir,
                                bool force_article, core::Diagnostics& diag);

// JSON form. Returns an Error (not repeated in diag) for a syntax error or a non-object top level.
core::Result<timeline::Project> read_json(std::string_view text, const std::string& file,
                                          const std::filesystem::path& base_dir, core::Diagnostics& diag);

// True if some line (outside the front matter) is a level-1 heading `# ...`.
bool has_heading(std::string_view text);

// A key line `word: value` (ASCII word, ':' or full-width '：'): offsets in bytes.
struct KeyLine {
    std::string_view key;
    size_t key_off = 0;
    std::string_view value;  // trimmed
    size_t value_off = 0;    // where the value starts (end of line if empty)
};
bool parse_key_line(std::string_view line, KeyLine& out);

}  // namespace sw::script::detail
