#include "lang/lexicon.h"

#include <algorithm>

#include "core/text_util.h"
#include "lang/words.h"

namespace sw::lang {

namespace {

// Where a phrase is cut into names: spaces, punctuation (ASCII and CJK) and file-name separators.
bool is_phrase_separator(char32_t c)
{
    if (c < 0x80)
        return !((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'));
    static constexpr std::u32string_view cjk = U"，。、；：！？…—·「」『』“”‘’（）《》〈〉【】〔〕～　・";
    return cjk.find(c) != std::u32string_view::npos;
}

}  // namespace

bool Lexicon::add(std::string_view term)
{
    std::string_view t = core::trim(term);
    if (t.empty())
        return false;
    const std::u32string cps = core::utf8_decode(t);
    if (cps.size() < 2 || cps.size() > kMaxTermCodePoints)
        return false;
    if (core::find_control_char(t) != std::string_view::npos)
        return false;
    std::string key = core::to_lower_ascii(t);
    if (!m_terms.insert(key).second)
        return true;
    auto& lengths = m_lengths[core::code_point_at(key, 0)];
    if (std::find(lengths.begin(), lengths.end(), key.size()) == lengths.end()) {
        lengths.push_back(key.size());
        std::sort(lengths.rbegin(), lengths.rend());
    }
    return true;
}

void Lexicon::add_phrases(std::string_view text)
{
    const std::u32string cps = core::utf8_decode(text);
    std::u32string run;
    auto flush = [&] {
        const bool named = std::any_of(run.begin(), run.end(), is_cjk_word_char);
        if (named && run.size() >= 2 && run.size() <= 8) {
            std::string s;
            for (char32_t c : run)
                s += core::utf8_encode(c);
            add(s);
        }
        run.clear();
    };
    for (char32_t c : cps) {
        if (is_phrase_separator(c))
            flush();
        else
            run += c;
    }
    flush();
}

void Lexicon::add_all(const Lexicon& other)
{
    for (const auto& t : other.m_terms)
        add(t);
}

std::vector<Span> Lexicon::find_all(std::string_view text) const
{
    std::vector<Span> out;
    if (m_terms.empty())
        return out;
    const std::string lowered = core::to_lower_ascii(text);
    const std::string_view s = lowered;
    for (size_t i = 0; i < s.size(); i += core::utf8_sequence_length((unsigned char)s[i])) {
        auto it = m_lengths.find(core::code_point_at(s, i));
        if (it == m_lengths.end())
            continue;
        for (auto len = it->second.rbegin(); len != it->second.rend(); ++len)  // shortest first
            if (i + *len <= s.size() && m_terms.count(std::string(s.substr(i, *len))))
                out.push_back({i, i + *len});
    }
    return out;
}

bool Lexicon::contains(std::string_view term) const
{
    return m_terms.count(core::to_lower_ascii(term)) != 0;
}

std::vector<Span> Lexicon::find(std::string_view text) const
{
    // From every occurrence (by start, shortest first): at each free start the longest.
    std::vector<Span> out;
    for (const Span& t : find_all(text)) {
        if (!out.empty() && out.back().begin == t.begin)
            out.back() = t;
        else if (out.empty() || t.begin >= out.back().end)
            out.push_back(t);
    }
    return out;
}

}  // namespace sw::lang
