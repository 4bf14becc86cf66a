#include "library/tokenize.h"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <set>

#include "core/text_util.h"

namespace sw::library {

namespace {

enum class RunKind { Cjk, Word };

struct Run {
    RunKind kind;
    std::u32string text;
};

bool is_cjk(char32_t c)
{
    // U+30FC (katakana prolonged sound mark) has script Common but only ever appears inside
    // Kana words; treating it as a separator would cut ラーメン in two.
    if (c == 0x30FC)
        return true;
    UErrorCode st = U_ZERO_ERROR;
    UScriptCode sc = uscript_getScript((UChar32)c, &st);
    return U_SUCCESS(st) &&
           (sc == USCRIPT_HAN || sc == USCRIPT_HIRAGANA || sc == USCRIPT_KATAKANA || sc == USCRIPT_HANGUL);
}

bool is_word_char(char32_t c)
{
    if (u_isalnum((UChar32)c))
        return true;
    // Combining marks belong to the letter before them (decomposed accents).
    int8_t t = u_charType((UChar32)c);
    return t == U_NON_SPACING_MARK || t == U_COMBINING_SPACING_MARK;
}

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

std::vector<Run> split_runs(std::string_view text)
{
    std::vector<Run> runs;
    for (char32_t c : core::utf8_decode(nfkc(text))) {
        std::optional<RunKind> k;
        if (is_cjk(c))
            k = RunKind::Cjk;
        else if (is_word_char(c))
            k = RunKind::Word;
        if (!k) {
            if (!runs.empty() && !runs.back().text.empty())
                runs.push_back({RunKind::Word, {}});  // separator: next char starts a new run
            continue;
        }
        if (runs.empty() || runs.back().text.empty() || runs.back().kind != *k)
            runs.push_back({*k, {}});
        runs.back().text.push_back(c);
    }
    std::erase_if(runs, [](const Run& r) { return r.text.empty(); });
    return runs;
}

std::string utf8(const std::u32string& s)
{
    std::string out;
    for (char32_t c : s)
        out += core::utf8_encode(c);
    return out;
}

std::u32string lower(const std::u32string& s)
{
    std::u32string out = s;
    for (auto& c : out)
        c = (char32_t)u_tolower((UChar32)c);
    return out;
}

// ICU's word iterator is costly to create (it loads the CJK dictionary) and not thread-safe:
// one per thread, created on first use.
icu::BreakIterator* word_breaker()
{
    thread_local std::unique_ptr<icu::BreakIterator> bi = [] {
        UErrorCode st = U_ZERO_ERROR;
        std::unique_ptr<icu::BreakIterator> b(icu::BreakIterator::createWordInstance(icu::Locale("zh"), st));
        if (U_FAILURE(st))
            b.reset();
        return b;
    }();
    return bi.get();
}

// Dictionary words of a run of Han/Kana/Hangul characters. Without ICU data, the run itself.
std::vector<std::u32string> segment_cjk(const std::u32string& run)
{
    icu::BreakIterator* bi = word_breaker();
    if (!bi)
        return {run};
    icu::UnicodeString u = icu::UnicodeString::fromUTF32(reinterpret_cast<const UChar32*>(run.data()), (int32_t)run.size());
    bi->setText(u);
    std::vector<std::u32string> words;
    int32_t start = bi->first();
    for (int32_t end = bi->next(); end != icu::BreakIterator::DONE; start = end, end = bi->next()) {
        std::string s;
        u.tempSubStringBetween(start, end).toUTF8String(s);
        std::u32string w = core::utf8_decode(s);
        if (!w.empty())
            words.push_back(std::move(w));
    }
    return words;
}

void append_cjk_tokens(const std::u32string& run, std::string& out)
{
    for (auto& w : segment_cjk(run))
        out += utf8(w) + ' ';
    for (size_t i = 0; i + 1 < run.size(); ++i)
        out += utf8(run.substr(i, 2)) + ' ';
    for (char32_t c : run)
        out += core::utf8_encode(c) + ' ';
}

std::string tokens_of_runs(const std::vector<Run>& runs)
{
    std::string out;
    for (auto& r : runs) {
        if (r.kind == RunKind::Cjk)
            append_cjk_tokens(r.text, out);
        else
            out += utf8(lower(r.text)) + ' ';
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

std::string index_tokens(std::string_view text) { return tokens_of_runs(split_runs(text)); }

std::string name_tokens(std::string_view name)
{
    // Break camelCase before the general split: "IceCastle" → "Ice Castle", "HDRClip" → "HDR Clip".
    std::u32string in = core::utf8_decode(name), spaced;
    for (size_t i = 0; i < in.size(); ++i) {
        char32_t c = in[i];
        if (i > 0 && u_isupper((UChar32)c)) {
            char32_t prev = in[i - 1];
            bool next_lower = i + 1 < in.size() && u_islower((UChar32)in[i + 1]);
            if (u_islower((UChar32)prev) || (u_isupper((UChar32)prev) && next_lower))
                spaced.push_back(U' ');
        }
        spaced.push_back(c);
    }
    return index_tokens(utf8(spaced));
}

std::vector<QueryTerm> query_terms(std::string_view query)
{
    struct Candidate {
        QueryTerm term;
        std::string key;
    };
    std::vector<Candidate> all;
    for (auto& r : split_runs(query)) {
        if (r.kind == RunKind::Word) {
            std::string low = utf8(lower(r.text));
            all.push_back({{utf8(r.text), quoted(low)}, low});
            continue;
        }
        for (auto& w : segment_cjk(r.text)) {
            std::string word = utf8(w);
            std::string expr = quoted(word);
            // A longer word also matches when all its bigrams are present: the index may have
            // segmented the same characters differently (大世界 vs 大 + 世界).
            if (w.size() >= 3) {
                std::string bigrams;
                for (size_t i = 0; i + 1 < w.size(); ++i)
                    bigrams += (bigrams.empty() ? "" : " AND ") + quoted(utf8(w.substr(i, 2)));
                expr = "(" + expr + " OR (" + bigrams + "))";
            }
            all.push_back({{word, expr}, word});
        }
    }
    bool any_content = std::any_of(all.begin(), all.end(), [](const Candidate& c) { return !is_stopword(c.key); });
    std::vector<QueryTerm> terms;
    std::set<std::string> seen;
    for (auto& c : all) {
        if (any_content && is_stopword(c.key))
            continue;
        if (seen.insert(c.key).second)
            terms.push_back(std::move(c.term));
    }
    return terms;
}

std::string fts_or_expression(const std::vector<QueryTerm>& terms)
{
    std::string expr;
    for (auto& t : terms)
        expr += (expr.empty() ? "" : " OR ") + t.fts_expr;
    return expr;
}

}  // namespace sw::library
