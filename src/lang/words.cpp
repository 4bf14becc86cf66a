#include "lang/words.h"

#include <unicode/brkiter.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>

#include <algorithm>
#include <memory>
#include <mutex>

#include "core/text_util.h"

namespace sw::lang {

bool is_cjk_word_char(char32_t c)
{
    return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
           (c >= 0x20000 && c <= 0x2FFFF) || (c >= 0x3040 && c <= 0x30FF);
}

namespace {

// Creating a word iterator loads the rules and dictionary (milliseconds); clones are cheap.
std::unique_ptr<icu::BreakIterator> new_word_iterator()
{
    static std::mutex mu;
    static std::unique_ptr<icu::BreakIterator> proto;
    std::lock_guard lock(mu);
    if (!proto) {
        UErrorCode st = U_ZERO_ERROR;
        proto.reset(icu::BreakIterator::createWordInstance(icu::Locale::getChinese(), st));
        if (U_FAILURE(st))
            proto.reset();
    }
    return proto ? std::unique_ptr<icu::BreakIterator>(proto->clone()) : nullptr;
}

}  // namespace

std::vector<bool> word_boundaries(std::string_view utf8)
{
    std::vector<bool> out(utf8.size() + 1, false);
    out[0] = out[utf8.size()] = true;
    auto all_code_points = [&] {
        for (size_t i = 0; i < utf8.size(); ++i)
            if ((static_cast<unsigned char>(utf8[i]) & 0xC0) != 0x80)
                out[i] = true;
        return out;
    };
    thread_local std::unique_ptr<icu::BreakIterator> it = new_word_iterator();
    if (!it)
        return all_code_points();
    UErrorCode st = U_ZERO_ERROR;
    // UTF-8 UText: the iterator's positions are byte offsets into `utf8` itself.
    UText* ut = utext_openUTF8(nullptr, utf8.data(), int64_t(utf8.size()), &st);
    if (U_FAILURE(st))
        return all_code_points();
    it->setText(ut, st);
    if (U_FAILURE(st)) {
        utext_close(ut);
        return all_code_points();
    }
    for (int32_t b = it->first(); b != icu::BreakIterator::DONE; b = it->next())
        if (b >= 0 && size_t(b) <= utf8.size())
            out[size_t(b)] = true;
    // The iterator keeps a pointer to the UText; detach before closing it.
    UText* empty = utext_openUTF8(nullptr, "", 0, &st);
    it->setText(empty, st);
    utext_close(ut);
    utext_close(empty);
    return out;
}

std::vector<bool> word_boundaries(std::string_view utf8, const Lexicon& protect)
{
    std::vector<bool> out = word_boundaries(utf8);
    // Edges first, then interiors: where two terms overlap, neither is cut.
    const std::vector<Span> terms = protect.find_all(utf8);
    for (const Span& t : terms)
        out[t.begin] = out[t.end] = true;
    for (const Span& t : terms)
        std::fill(out.begin() + std::ptrdiff_t(t.begin) + 1, out.begin() + std::ptrdiff_t(t.end), false);
    return out;
}

std::vector<Span> words(std::string_view utf8, const Lexicon* protect)
{
    const std::vector<bool> b = protect ? word_boundaries(utf8, *protect) : word_boundaries(utf8);
    std::vector<Span> out;
    size_t start = 0;
    for (size_t i = 1; i <= utf8.size(); ++i) {
        if (!b[i])
            continue;
        const std::u32string cps = core::utf8_decode(utf8.substr(start, i - start));
        if (std::any_of(cps.begin(), cps.end(), [](char32_t c) { return u_isalnum(UChar32(c)) != 0; }))
            out.push_back({start, i});
        start = i;
    }
    return out;
}

}  // namespace sw::lang
