#include "library/tokenize.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <set>

#include "core/text_util.h"
#include "lang/lexicon.h"
#include "lang/words.h"

namespace sw::library {

namespace {

// FTS5 column groups (the table's columns are names, description, tags, metadata, names_chars,
// text_chars; see library.cpp).
constexpr const char* kWordColumns = "{names description tags metadata}";
constexpr const char* kStrongWordColumns = "{description tags metadata}";
constexpr const char* kCharColumns = "{names_chars text_chars}";
constexpr const char* kStrongCharColumns = "{text_chars}";

std::string nfkc(std::string_view text)
{
    UErrorCode st = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFKCInstance(st);
    if (U_FAILURE(st) || !n)
        return std::string(text);
    icu::UnicodeString src = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), (int32_t)text.size()));
    icu::UnicodeString dst = n->normalize(src, st);
    if (U_FAILURE(st))
        return std::string(text);
    std::string out;
    dst.toUTF8String(out);
    return out;
}

std::string lower(std::string_view s)
{
    std::string out;
    for (char32_t c : core::utf8_decode(s))
        out += core::utf8_encode((char32_t)u_tolower((UChar32)c));
    return out;
}

bool has_cjk(std::string_view s)
{
    const std::u32string cps = core::utf8_decode(s);
    return std::any_of(cps.begin(), cps.end(), lang::is_cjk_word_char);
}

std::vector<std::string> word_list(std::string_view text, const lang::Lexicon* protect)
{
    std::vector<std::string> out;
    for (const lang::Span& w : lang::words(text, protect))
        out.push_back(lower(text.substr(w.begin, w.end - w.begin)));
    return out;
}

// The words of `text` with the terms of `protect` whole, followed by the ICU words inside each
// protected term (大理古城 → 大理古城 大理 古城), each once.
std::string word_stream(const std::string& text, const lang::Lexicon& protect)
{
    std::vector<std::string> words = word_list(text, &protect);
    std::set<std::string> seen(words.begin(), words.end());
    std::string out;
    for (auto& w : words)
        out += w + ' ';
    for (auto& w : words) {
        if (!has_cjk(w))
            continue;
        for (auto& part : word_list(w, nullptr))
            if (seen.insert(part).second)
                out += part + ' ';
    }
    if (!out.empty())
        out.pop_back();
    return out;
}

std::string quoted(const std::string& token)
{
    std::string q = "\"";
    for (char c : token) {
        if (c == '"')
            q += '"';
        q += c;
    }
    return q + '"';
}

bool is_stopword(const std::string& lowered)
{
    static const std::set<std::string> kStop = {
        // English function words
        "a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for", "with", "by", "from", "is", "are",
        "was", "were", "be", "this", "that", "it", "its", "as", "into", "over", "under",
        // Chinese function characters/words (ICU gives them as one-character words)
        "的", "了", "是", "在", "和", "与", "及", "也", "就", "都", "而", "着", "把", "被", "这", "那", "之",
        "其", "或", "很", "地", "得", "一个", "我们", "你们", "他们"};
    return kStop.count(lowered) > 0;
}

}  // namespace

std::string index_tokens(std::string_view text) { return word_stream(nfkc(text), lang::Lexicon::builtin()); }

std::string tag_tokens(std::string_view text)
{
    const std::string n = nfkc(text);
    lang::Lexicon lex;
    lex.add_all(lang::Lexicon::builtin());
    lex.add_phrases(n);
    return word_stream(n, lex);
}

std::string name_tokens(std::string_view name)
{
    // Break camelCase and separators before segmenting: "IceCastle" → "Ice Castle",
    // "HDRClip" → "HDR Clip", "ice_castle-night.v2" → "ice castle night v2" (ICU would keep
    // "ice_castle" and "night.v2" as single words).
    std::u32string in = core::utf8_decode(nfkc(name)), spaced;
    for (size_t i = 0; i < in.size(); ++i) {
        char32_t c = in[i];
        if (c == U'_' || c == U'-' || c == U'.') {
            spaced.push_back(U' ');
            continue;
        }
        if (i > 0 && u_isupper((UChar32)c)) {
            char32_t prev = in[i - 1];
            bool next_lower = i + 1 < in.size() && u_islower((UChar32)in[i + 1]);
            if (u_islower((UChar32)prev) || (u_isupper((UChar32)prev) && next_lower))
                spaced.push_back(U' ');
        }
        spaced.push_back(c);
    }
    std::string s;
    for (char32_t c : spaced)
        s += core::utf8_encode(c);
    return tag_tokens(s);
}

std::string char_tokens(std::string_view text)
{
    std::string out;
    for (char32_t c : core::utf8_decode(nfkc(text)))
        if (lang::is_cjk_word_char(c))
            out += (out.empty() ? "" : " ") + core::utf8_encode(c);
    return out;
}

std::vector<QueryTerm> query_terms(std::string_view query) { return query_terms(query, lang::Lexicon::builtin()); }

std::vector<QueryTerm> query_terms(std::string_view query, const lang::Lexicon& protect)
{
    const std::string q = nfkc(query);
    const std::vector<lang::Span> spans = lang::words(q, &protect);
    // One character is all the user gave: look for it inside words too (雪 finds 雪花).
    if (spans.size() == 1) {
        const std::string w = q.substr(spans[0].begin, spans[0].end - spans[0].begin);
        const std::u32string cps = core::utf8_decode(w);
        if (cps.size() == 1 && lang::is_cjk_word_char(cps[0])) {
            QueryTerm t{w, std::string(kCharColumns) + " : " + quoted(w), std::string(kStrongCharColumns) + " : " + quoted(w)};
            return {t};
        }
    }
    struct Candidate {
        std::string text, key;
    };
    std::vector<Candidate> all;
    for (const lang::Span& s : spans) {
        std::string w = q.substr(s.begin, s.end - s.begin);
        all.push_back({w, lower(w)});
    }
    bool any_content = std::any_of(all.begin(), all.end(), [](const Candidate& c) { return !is_stopword(c.key); });
    std::vector<QueryTerm> terms;
    std::set<std::string> seen;
    for (auto& c : all) {
        if (any_content && is_stopword(c.key))
            continue;
        if (!seen.insert(c.key).second)
            continue;
        std::string expr = quoted(c.key);
        // A protected name also matches when all the dictionary words inside it are present as
        // words: the asset's text may not name it in one piece (大理 … 古城).
        if (has_cjk(c.key)) {
            std::vector<std::string> parts = word_list(c.key, nullptr);
            if (parts.size() > 1) {
                std::string all_parts;
                for (auto& p : parts)
                    all_parts += (all_parts.empty() ? "" : " AND ") + quoted(p);
                expr = "(" + expr + " OR (" + all_parts + "))";
            }
        }
        const std::u32string cps = core::utf8_decode(c.key);
        terms.push_back({c.text, std::string(kWordColumns) + " : " + expr, std::string(kStrongWordColumns) + " : " + expr,
                         cps.size() == 1 && lang::is_cjk_word_char(cps[0])});
    }
    return terms;
}

std::string fts_or_expression(const std::vector<QueryTerm>& terms)
{
    std::string expr;
    for (auto& t : terms)
        expr += (expr.empty() ? "" : " OR ") + ("(" + t.fts_expr + ")");
    return expr;
}

}  // namespace sw::library
