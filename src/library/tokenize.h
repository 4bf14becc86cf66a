#pragma once
// Text → search tokens for the media library's SQLite FTS5 index.
//
// FTS5's own tokenizers split on spaces and punctuation only, so a Chinese sentence (no spaces)
// would be one huge token and 冰雕 could never find 夜晚的冰雕城堡. We therefore tokenize
// ourselves and store a space-separated token stream; FTS5 (tokenize='porter unicode61') then
// only case-folds and stems the Latin words in it.
//
// - Han, Kana and Hangul runs: ICU's dictionary word segmentation (locale zh), plus every
//   overlapping character bigram of the run, plus every single character. Words give precise
//   hits, bigrams find any substring of two or more characters whatever ICU decided about word
//   boundaries, single characters let a one-character query (雪) find 雪花.
// - Everything else: words split at anything that is not a letter or digit, lowercased.
// Input is NFKC-normalised first (full-width Ａ１ → A1).

#include <string>
#include <string_view>
#include <vector>

namespace sw::library {

// The token stream stored in the index for a description, tags or metadata text.
std::string index_tokens(std::string_view text);

// The same for a file or folder name: also splits camelCase ("IceCastle" → ice castle);
// '_', '-', '.' and spaces already separate words.
std::string name_tokens(std::string_view name);

// One term of a user's query, as the user wrote it, with the FTS5 expression that matches it.
struct QueryTerm {
    std::string text;     // as written (after NFKC), e.g. "冰雕", "Castles"
    std::string fts_expr; // e.g. "冰雕", ("大世界" OR ("大世" AND "世界")), "castles"
};

// Splits a query into terms: Latin words, and ICU words within Han/Kana/Hangul runs.
// Duplicates (case-insensitive) are dropped. Function words (the, of, 的, 了, ...) are dropped
// unless the query has nothing else: they would make almost every asset a weak match.
std::vector<QueryTerm> query_terms(std::string_view query);

// The whole query as one FTS5 expression: the OR of all terms' expressions (empty if no terms).
std::string fts_or_expression(const std::vector<QueryTerm>& terms);

}  // namespace sw::library
