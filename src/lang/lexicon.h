#pragma once
// Words a person would not split: place names, dishes, scenic terms, the names a script itself
// uses. ICU's dictionary does not know transliterated names (圣索菲亚大教堂 comes out as
// 圣索 | 菲亚 | 大教堂) or local dishes (鲜花 | 饼); a Lexicon keeps such terms whole wherever
// text is segmented — subtitle and title line breaks, library search, scene words.

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace sw::lang {

struct Span {
    size_t begin = 0, end = 0;  // byte offsets, [begin, end)
    bool operator==(const Span&) const = default;
};

class Lexicon {
public:
    // Terms of 2 to kMaxTermCodePoints code points; others are ignored (one character is not a
    // term, and a longer "term" would stop every break in a sentence). ASCII letters match
    // case-insensitively. Returns whether the term was taken.
    static constexpr size_t kMaxTermCodePoints = 16;
    bool add(std::string_view term);
    // The pieces of a free text that name something: runs between spaces, punctuation and file
    // name separators (_ - . /) that hold a Han or kana character and are 2–8 code points long
    // ("visual: 圣索菲亚大教堂 夜景" gives 圣索菲亚大教堂 and 夜景). For shot names, titles, visual
    // descriptions, library tags and file names.
    void add_phrases(std::string_view text);
    void add_all(const Lexicon& other);

    // The terms found in `text`, leftmost-longest and not overlapping. Linear in the text's
    // length (at most kMaxTermCodePoints lookups per position).
    std::vector<Span> find(std::string_view text) const;
    // Every occurrence of every term, overlapping ones included (岳麓山 and 山寺 in 岳麓山寺), in
    // order of their start. Also linear.
    std::vector<Span> find_all(std::string_view text) const;

    bool contains(std::string_view term) const;
    size_t size() const { return m_terms.size(); }

    // Common Chinese place names, sights, scenic terms and local dishes, shipped with shotweave.
    static const Lexicon& builtin();

private:
    std::unordered_set<std::string> m_terms;                        // ASCII lower-cased
    std::unordered_map<char32_t, std::vector<size_t>> m_lengths;  // first code point → byte lengths, longest first
};

}  // namespace sw::lang
