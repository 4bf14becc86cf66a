#pragma once
// Word boundaries by ICU's word break rules. Chinese and Japanese have no spaces between words;
// ICU segments them with its dictionary, so "冰雪大世界点亮了" splits as 冰雪 | 大世界 | 点亮 | 了
// rather than between any two characters. Used to keep subtitle lines from breaking inside a
// word (a line ending in "大世" and the next starting with "界" reads badly).

#include <string_view>
#include <vector>

#include "lang/lexicon.h"

namespace sw::lang {

// Flags per byte offset of `utf8` (size + 1 entries): true where a word boundary falls.
// Offsets 0 and size are always boundaries. If ICU cannot segment the text (it always can for
// valid UTF-8), every code point start is reported as a boundary.
std::vector<bool> word_boundaries(std::string_view utf8);
// The same with every term of `protect` kept whole: no boundary inside a term, one at each edge
// (unless that edge is inside another, overlapping term).
std::vector<bool> word_boundaries(std::string_view utf8, const Lexicon& protect);

// The words of `utf8`: the pieces between boundaries that hold a letter, digit or ideograph
// (spaces and punctuation are not words). "三月的大理" gives 三月 | 的 | 大理.
std::vector<Span> words(std::string_view utf8, const Lexicon* protect = nullptr);

// Han ideographs (CJK Unified Ideographs and extensions, compatibility ideographs) and kana:
// scripts written without spaces between words.
bool is_cjk_word_char(char32_t c);

}  // namespace sw::lang
