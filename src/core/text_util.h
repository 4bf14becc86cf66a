#pragma once
// Small text helpers: UTF-8 code points, trimming, "did you mean", and the one set of formatters
// (lists, numbers, seconds, terminal columns) every module uses.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sw::core {

std::string_view trim(std::string_view s);
std::string to_lower_ascii(std::string_view s);
// Decodes UTF-8 into code points; invalid bytes become U+FFFD.
std::u32string utf8_decode(std::string_view s);
std::string utf8_encode(char32_t cp);
// Number of code points (1-based column arithmetic for diagnostics).
size_t utf8_length(std::string_view s);
// Bytes of the UTF-8 sequence that starts with `lead` (1 for a stray continuation byte, so a
// scan always advances).
inline size_t utf8_sequence_length(unsigned char lead) { return lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4; }
// The code point that starts at byte `i` of `s` (0 at the end or for bytes that are not UTF-8).
char32_t code_point_at(std::string_view s, size_t i);
// "U+0000" for messages.
std::string code_point_name(char32_t c);
// Control characters that have no place in shown text: C0 and C1 controls and DEL, except tab,
// line feed and carriage return. Byte offset of the first one in `s`, or npos.
size_t find_control_char(std::string_view s);
// Edit distance (Levenshtein) over code points.
size_t edit_distance(std::string_view a, std::string_view b);
// The closest candidate if it is close enough to be a plausible typo, else empty.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

// "a, b, c" (or with another separator).
std::string join(const std::vector<std::string>& items, std::string_view separator = ", ");
// A number as a person writes it: whole numbers without a point ("3", "1234567"), others with up
// to six significant digits ("0.25", "1.5e-07").
std::string format_number(double v);
// Microseconds as seconds with no trailing zeros: 2500000 → "2.5", 1000000 → "1", 1 → "0.000001".
std::string seconds_text(int64_t us);
// Terminal columns `text` takes: East Asian wide and full-width characters (and emoji) count 2,
// control characters 0.
bool is_wide(char32_t c);
size_t display_width(std::string_view text);
// `text` padded with spaces to `width` columns (on the left when `right`-aligned).
std::string pad_columns(std::string_view text, size_t width, bool right = false);

}  // namespace sw::core
