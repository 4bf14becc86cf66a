#pragma once
// Text → search tokens for the media library's SQLite FTS5 index.
//
// FTS5's own tokenizers split on spaces and punctuation only, so a Chinese sentence (no spaces)
// would be one huge token and 冰雕 could never find 夜晚的冰雕城堡. We therefore segment the text
// ourselves with the project's one word segmenter (lang::words: ICU's dictionary plus the
// lexicon of names) and store a space-separated stream of whole words; FTS5 (tokenize='porter
// unicode61') then only case-folds and stems the Latin words in it.
//
// A match needs a whole word: 彩 does not find 彩灯 and 花 does not find 花海, because a photo
// that shares one character with a shot's description is not a photo of it. Only a query that
// is itself one character looks inside words, through the separate character columns.
//
// - Words: lang::words with names protected (Lexicon::builtin(): 圣索菲亚大教堂, 鲜花饼…; for tags
//   and file names also the tag or name itself, Lexicon::add_phrases). A protected term is
//   stored whole and also as the ICU words inside it, so 大理 still finds 大理古城.
// - Characters (char_tokens): every Han/Kana character, for one-character queries only.
// Input is NFKC-normalised first (full-width Ａ１ → A1); Latin words are lowercased.

#include <string>
#include <string_view>
#include <vector>

namespace sw::lang {
class Lexicon;
}

namespace sw::library {

// The word stream stored in the index for a description or embedded metadata text.
std::string index_tokens(std::string_view text);

// The same for tags: each tag (a name someone gave the file) is also kept whole.
std::string tag_tokens(std::string_view text);

// The same for a file or folder name: also splits camelCase ("IceCastle" → ice castle);
// '_', '-', '.' and spaces separate words; a Chinese name (大理古城_001) is kept whole.
std::string name_tokens(std::string_view name);

// Every Han/Kana character of `text`, space-separated: what a one-character query matches.
std::string char_tokens(std::string_view text);

// One term of a user's query, as the user wrote it, with the FTS5 expressions that match it.
struct QueryTerm {
    std::string text;        // as written (after NFKC), e.g. "冰雕", "Castles"
    std::string fts_expr;    // anywhere in the asset's words (or, one character, its characters)
    std::string strong_expr; // in what was written about the asset (sidecars, embedded tags), not its names
    // A one-character word (上, 里, 雪) among longer ones: too common to make a match alone.
    bool one_character = false;
};

// Splits a query into terms: the words of lang::words (names in Lexicon::builtin() kept whole).
// Duplicates (case-insensitive) are dropped. Function words (the, of, 的, 了, ...) are dropped
// unless the query has nothing else: they would make almost every asset a weak match. A query
// that is a single Han/Kana character gives one term that matches that character inside words.
// `protect` replaces the builtin lexicon: a library passes the builtin terms plus its own tags
// and file names, so a query says 彩灯 whole where a photo is tagged 彩灯.
std::vector<QueryTerm> query_terms(std::string_view query);
std::vector<QueryTerm> query_terms(std::string_view query, const lang::Lexicon& protect);

// The whole query as one FTS5 expression: the OR of all terms' expressions (empty if no terms).
std::string fts_or_expression(const std::vector<QueryTerm>& terms);

}  // namespace sw::library
