#include "core/text_util.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace sw::core {

std::string_view trim(std::string_view s)
{
    auto is_space = [](unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; };
    while (!s.empty() && is_space(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && is_space(s.back()))
        s.remove_suffix(1);
    return s;
}

std::string to_lower_ascii(std::string_view s)
{
    std::string r(s);
    for (auto& c : r)
        if (c >= 'A' && c <= 'Z')
            c = char(c - 'A' + 'a');
    return r;
}

std::u32string utf8_decode(std::string_view s)
{
    std::u32string out;
    out.reserve(s.size());
    size_t i = 0;
    while (i < s.size()) {
        unsigned char c = s[i];
        char32_t cp = 0;
        int extra = 0;
        if (c < 0x80) {
            cp = c;
        } else if ((c & 0xE0) == 0xC0) {
            cp = c & 0x1F;
            extra = 1;
        } else if ((c & 0xF0) == 0xE0) {
            cp = c & 0x0F;
            extra = 2;
        } else if ((c & 0xF8) == 0xF0) {
            cp = c & 0x07;
            extra = 3;
        } else {
            out.push_back(0xFFFD);
            ++i;
            continue;
        }
        bool ok = true;
        for (int k = 1; k <= extra; ++k) {
            if (i + k >= s.size() || (static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) {
                ok = false;
                break;
            }
            cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
        }
        if (!ok) {
            out.push_back(0xFFFD);
            ++i;
            continue;
        }
        out.push_back(cp);
        i += 1 + extra;
    }
    return out;
}

std::string utf8_encode(char32_t cp)
{
    std::string s;
    if (cp < 0x80) {
        s += char(cp);
    } else if (cp < 0x800) {
        s += char(0xC0 | (cp >> 6));
        s += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        s += char(0xE0 | (cp >> 12));
        s += char(0x80 | ((cp >> 6) & 0x3F));
        s += char(0x80 | (cp & 0x3F));
    } else {
        s += char(0xF0 | (cp >> 18));
        s += char(0x80 | ((cp >> 12) & 0x3F));
        s += char(0x80 | ((cp >> 6) & 0x3F));
        s += char(0x80 | (cp & 0x3F));
    }
    return s;
}

size_t utf8_length(std::string_view s)
{
    size_t n = 0;
    for (unsigned char c : s)
        n += (c & 0xC0) != 0x80;
    return n;
}

std::string code_point_name(char32_t c)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "U+%04X", unsigned(c));
    return buf;
}

size_t find_control_char(std::string_view s)
{
    for (size_t i = 0; i < s.size(); ++i) {
        unsigned char c = s[i];
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F)
            return i;
        // C1 controls U+0080..U+009F are C2 80..C2 9F in UTF-8.
        if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80
            && static_cast<unsigned char>(s[i + 1]) <= 0x9F)
            return i;
    }
    return std::string_view::npos;
}

size_t edit_distance(std::string_view a8, std::string_view b8)
{
    // Optimal string alignment distance: Levenshtein plus adjacent transpositions ("fsp" → "fps"
    // is one typo, not two).
    auto a = utf8_decode(a8), b = utf8_decode(b8);
    const size_t n = a.size(), m = b.size();
    std::vector<size_t> d((n + 1) * (m + 1));
    auto at = [&](size_t i, size_t j) -> size_t& { return d[i * (m + 1) + j]; };
    for (size_t i = 0; i <= n; ++i)
        at(i, 0) = i;
    for (size_t j = 0; j <= m; ++j)
        at(0, j) = j;
    for (size_t i = 1; i <= n; ++i)
        for (size_t j = 1; j <= m; ++j) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            at(i, j) = std::min({at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                at(i, j) = std::min(at(i, j), at(i - 2, j - 2) + 1);
        }
    return at(n, m);
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates)
{
    size_t longest = 0;
    for (auto& c : candidates)
        longest = std::max(longest, c.size());
    if (word.size() > 4 * longest + 16)  // no typo of any of them; edit distance would be length × length
        return {};
    std::string lw = to_lower_ascii(word);
    std::string best;
    size_t best_d = SIZE_MAX;
    for (auto& c : candidates) {
        size_t d = edit_distance(lw, to_lower_ascii(c));
        if (d < best_d) {
            best_d = d;
            best = c;
        }
    }
    size_t len = utf8_length(word);
    size_t limit = len <= 3 ? 1 : len <= 6 ? 2 : 3;
    return best_d <= limit && best_d > 0 ? best : (best_d == 0 ? best : std::string{});
}

std::string join(const std::vector<std::string>& items, std::string_view separator)
{
    std::string s;
    for (size_t i = 0; i < items.size(); ++i) {
        if (i)
            s += separator;
        s += items[i];
    }
    return s;
}

char32_t code_point_at(std::string_view s, size_t i)
{
    if (i >= s.size())
        return 0;
    std::u32string d = utf8_decode(s.substr(i, std::min(s.size() - i, utf8_sequence_length((unsigned char)s[i]))));
    return d.empty() ? 0 : d[0];
}

std::string format_number(double v)
{
    if (v == std::round(v) && std::fabs(v) < 1e15)
        return std::to_string(static_cast<long long>(v));
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

std::string seconds_text(int64_t us)
{
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.6f", double(us) / 1e6);
    std::string s = buf;
    while (!s.empty() && s.back() == '0')
        s.pop_back();
    if (!s.empty() && s.back() == '.')
        s.pop_back();
    return s;
}

bool is_wide(char32_t c)
{
    return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) || (c >= 0x3041 && c <= 0x33FF)
        || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF)
        || (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F)
        || (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F)
        || (c >= 0x1F900 && c <= 0x1F9FF) || (c >= 0x20000 && c <= 0x3FFFD);
}

size_t display_width(std::string_view text)
{
    size_t w = 0;
    for (char32_t c : utf8_decode(text))
        w += c < 0x20 ? 0 : is_wide(c) ? 2 : 1;
    return w;
}

std::string pad_columns(std::string_view text, size_t width, bool right)
{
    const size_t w = display_width(text);
    std::string fill(w < width ? width - w : 0, ' ');
    return right ? fill + std::string(text) : std::string(text) + fill;
}

}  // namespace sw::core
