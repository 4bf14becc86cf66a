#pragma once
// Value syntax shared by the script readers (Markdown-like, article, JSON): durations, sizes,
// frame rates, colours, transitions, media file extensions, moves and fits. One place, so the
// three forms accept exactly the same spellings and give the same messages.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/diagnostics.h"
#include "core/rational.h"
#include "core/text_util.h"
#include "timeline/project.h"

namespace sw::script {

// A piece of the user's file and where it starts, so a problem found `byte_offset` bytes into
// the text can be reported at its exact column (columns count code points).
struct Span {
    core::SourceLoc start;
    std::string_view text;
    core::SourceLoc at(size_t byte_offset) const;
    // The last offset asked for and its column: a reader reporting words left to right counts on
    // from there, so a line of a thousand bad words is not counted from its start each time.
    mutable size_t last_offset = 0;
    mutable int last_col_add = 0;
};

// A value that could not be understood: what is wrong, how to fix it, and where inside the
// value (bytes from its start) the problem is.
struct ValueError {
    std::string message;
    std::string hint;
    size_t offset = 0;
};
template <class T>
using Parsed = tl::expected<T, ValueError>;

// Reports `e` at its position inside `span`.
void report(core::Diagnostics& diag, const Span& span, const ValueError& e);

// Longest accepted duration: one hour (a short-video tool; also keeps arithmetic far from overflow).
inline constexpr int64_t kMaxDurationUs = 3600LL * 1'000'000;

// "4s", "4.5s", "500ms", "1.5" (seconds), "4秒", "500毫秒", "2 s", "3sec", "3 seconds".
// Exact decimal arithmetic (no binary floating point): "0.1s" is exactly 100000 µs.
// `allow_zero` for trim points (`from 0s`); durations of shots and transitions must be > 0.
Parsed<int64_t> parse_duration_us(std::string_view text, bool allow_zero = false);
// Seconds as a JSON number (already a double) → µs, with the same checks.
Parsed<int64_t> seconds_to_us(double seconds, bool allow_zero = false);

struct Size {
    int width = 0;
    int height = 0;
};
inline constexpr int kMinDimension = 16;
inline constexpr int kMaxDimension = 7680;
// "1080x1920" (also "1080X1920", "1080×1920", "1080 x 1920") or a preset: 9:16 16:9 1:1 4:5.
// Both sides even (H.264 4:2:0) and within [kMinDimension, kMaxDimension].
Parsed<Size> parse_size(std::string_view text);

// "30", "29.97" (→ 30000/1001; also 23.976, 59.94, 119.88), "12.5" (→ 25/2), "30000/1001".
// Between 1 and 240 frames per second.
Parsed<core::Rational> parse_fps(std::string_view text);
Parsed<core::Rational> fps_from_number(double fps);

// "#rrggbb", "#rgb", or a CSS colour name ("black", "white", "navy", ...).
Parsed<core::Rgb> parse_color(std::string_view text);
std::vector<std::string> color_names();
std::string color_to_hex(core::Rgb c);

// The default transition duration when a script names a transition without one.
inline constexpr int64_t kDefaultTransitionUs = 500'000;

// `<name> [<duration>] [param=value ...]`, e.g. "fade 0.5s", "circleopen 0.8s", "cut",
// "wipeleft 1s softness=0.2". Validates the name (with a did-you-mean) and the parameters
// against the effects registry. Reports every problem found into `diag` and returns the spec
// only if it is entirely valid.
std::optional<timeline::TransitionSpec> read_transition(const Span& value, int64_t default_duration_us,
                                                        core::Diagnostics& diag);
// Validates a transition given as separate parts (the JSON object form). `name_span` and
// `duration_span` locate the parts for messages.
bool validate_transition(const timeline::TransitionSpec& t, const Span& name_span, core::Diagnostics& diag);

// Media recognised by extension (case-insensitive), kept in step with media::kind_from_extension
// (sw_script does not link sw_media).
enum class FileKind { Image, Video, Audio, Other };
FileKind file_kind_from_extension(std::string_view path);

std::optional<timeline::Move> parse_move(std::string_view word);
std::optional<timeline::Fit> parse_fit(std::string_view word);
std::vector<std::string> move_names();
// "slide-up", "fade", "pop", "none" (also "slideup", "slide").
std::optional<timeline::TitleAnimation> parse_title_animation(std::string_view word);
std::vector<std::string> title_animation_names();
std::vector<std::string> fit_names();
// "top-left", "top-right", "bottom-left", "bottom-right".
std::optional<timeline::LogoCorner> parse_logo_corner(std::string_view word);
// "bottom", "center", "top" (a percentage is the caller's: it carries a number).
std::optional<timeline::SubtitlePosition> parse_subtitle_position(std::string_view word);

// Why `term` cannot be a `words:` entry (lang::Lexicon keeps 2 to 16 characters whole); nullopt
// when it can.
std::optional<ValueError> word_entry_problem(std::string_view term);
// A Markdown `words:` value: entries separated by commas (, ， 、 ; ；), trimmed. An entry that
// cannot be kept whole is a warning at its column and is left out.
std::vector<std::string> read_word_list(const Span& value, core::Diagnostics& diag);

// Checks a media path (resolved against `base_dir` unless absolute): exists, is a regular file.
// On failure reports at `where` with a hint naming the folder searched and, when a file there has
// a similar name, "did you mean".
bool check_media_file(const std::string& as_written, const std::filesystem::path& resolved,
                      const core::SourceLoc& where, core::Diagnostics& diag);

// A path as written in a script, resolved against `base_dir` unless it is absolute.
std::filesystem::path resolve_path(std::string_view as_written, const std::filesystem::path& base_dir);

// `text` without one pair of surrounding double quotes (`"my music.mp3"` → `my music.mp3`).
std::string unquote(std::string_view text);

// Seconds for messages: "0.5", "4", "1.25".
using core::seconds_text;

// One linear pass over JSON text before nlohmann parses it, for what nlohmann handles badly:
// nesting deeper than `max_depth` (recursion and memory grow with depth) and a number outside
// the range of a double (nlohmann throws without a position). Returns the first problem, its
// offset in bytes from the start of `text`; nullopt when neither is there. Syntax errors are left
// to nlohmann.
std::optional<ValueError> check_json_limits(std::string_view text, int max_depth);

// The words joined by a separator: lists of names in hints.
using core::join;

// Splits `s` on ASCII whitespace (and U+3000) into (byte offset, token) pairs.
std::vector<std::pair<size_t, std::string_view>> split_words(std::string_view s);

}  // namespace sw::script
