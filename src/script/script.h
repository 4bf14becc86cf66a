#pragma once
// Script readers: a Markdown-like script, a plain article, or the JSON form → timeline::Project.
// Every key is declared once, in script/grammar.h; the grammar is documented in docs/script.md
// (its key reference generated from that table), the JSON form in docs/schema/project.schema.json
// (held to the table by a unit test).
//
// Every problem is reported into a core::Diagnostics as `file:line:col: message — how to fix`,
// and reading goes on after a problem so that `shotweave check` can show all of them at once.

#include <filesystem>
#include <optional>
#include <string_view>

#include "core/diagnostics.h"
#include "core/error.h"
#include "timeline/project.h"

namespace sw::script {

enum class Format {
    Markdown,  // `# heading` starts a shot; a body without any heading is read as an article
    Article,   // plain prose split into shots by sentence groups (front matter still allowed)
    Json,      // the machine form (docs/schema/project.schema.json)
};

const char* to_string(Format f);

// Limits no real short video reaches; past them a reader reports a located error instead of
// spending minutes (and gigabytes) laying out text nobody could read (docs/script.md, "Limits").
inline constexpr size_t kMaxLineBytes = 20'000;       // one line of a .md/.txt script
inline constexpr size_t kMaxNarrationChars = 5'000;   // narration of one shot, in characters
inline constexpr size_t kMaxTitleChars = 200;         // a title, a shot's name
inline constexpr size_t kMaxDescriptionChars = 5'000; // a described or generated visual
inline constexpr size_t kMaxShots = 1'000;            // shots per script
inline constexpr int kMaxJsonDepth = 64;              // nesting of arrays and objects (the schema needs 5)

// Format by file extension: .md/.markdown → Markdown, .json → Json, .txt → Article if the text
// has no `# ` heading line else Markdown; anything else → nullopt. `text` is only looked at
// for .txt.
std::optional<Format> format_for(const std::filesystem::path& path, std::string_view text = {});

// Reads a script file. Returns an Error only when no Project can be built at all:
//   - the file is missing or unreadable (category Input), or has an unsupported extension
//     (category Script);
//   - a JSON file that is not syntactically valid JSON or whose top level is not an object
//     (category Script).
// That Error carries the location (Error::where) and "message — how to fix" (Error::message);
// it is NOT repeated in `diag`, so a caller shows it itself (the CLI adds it to its list).
// Otherwise returns the Project, possibly with errors in `diag`: the caller must not render
// when diag.has_errors(). Media paths are resolved against the script's folder and checked to
// exist (a missing media file is an error at the path's column).
core::Result<timeline::Project> read_script(const std::filesystem::path& path, core::Diagnostics& diag);

// The same from text in memory (tests, stdin). `file_name_for_messages` is what diagnostics
// show as the file; `base_dir` is the folder relative media paths resolve against.
core::Result<timeline::Project> read_script_text(std::string_view text, std::string_view file_name_for_messages,
                                                 Format format, const std::filesystem::path& base_dir,
                                                 core::Diagnostics& diag);

// The keys the Markdown-like form knows (for `did you mean`), from the grammar table
// (script/grammar.h, which declares every key of both forms).
const std::vector<std::string>& front_matter_keys();
const std::vector<std::string>& shot_keys();

}  // namespace sw::script
