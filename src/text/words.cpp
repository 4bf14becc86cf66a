#include "text/words.h"

#include <unicode/brkiter.h>
#include <unicode/utext.h>

#include <memory>
#include <mutex>

namespace sw::text {

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

}  // namespace sw::text
