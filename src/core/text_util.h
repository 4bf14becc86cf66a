#pragma once
// Small text helpers shared by the readers: UTF-8 code points, trimming, "did you mean".

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
// "U+0000" for messages.
std::string code_point_name(char32_t c);
// Control characters that have no place in shown text: C0 and C1 controls and DEL, except tab,
// line feed and carriage return. Byte offset of the first one in `s`, or npos.
size_t find_control_char(std::string_view s);
// Edit distance (Levenshtein) over code points.
size_t edit_distance(std::string_view a, std::string_view b);
// The closest candidate if it is close enough to be a plausible typo, else empty.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace sw::core
