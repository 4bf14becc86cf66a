#pragma once
// Text files as people save them: UTF-8 (with or without a byte-order mark), UTF-16 with a
// byte-order mark (Windows Notepad's "Unicode"), or GB18030/GBK (Notepad and Excel on Chinese
// Windows). One place decides which it is and converts to UTF-8, for every reader: scripts
// (.md, .txt, .json), batch templates and data (CSV, JSON Lines).

#include <string>
#include <string_view>

namespace sw::core {

struct DecodedText {
    std::string text;              // UTF-8 (a UTF-8 byte-order mark is kept; readers skip it)
    std::string encoding = "UTF-8";  // or "UTF-16LE", "UTF-16BE", "GB18030"
    // Byte offset in `text` of the first sequence that was not valid and became U+FFFD; npos if
    // none. Set only when no encoding explained the bytes.
    size_t first_invalid = std::string::npos;
    bool converted() const { return encoding != "UTF-8"; }
};

// UTF-16 by its byte-order mark; valid UTF-8 as it is; otherwise GB18030 when the whole text is
// valid GB18030 and does not look like UTF-8 with a few damaged bytes; otherwise UTF-8 with each
// invalid byte replaced by U+FFFD. Linear in the size of the text.
DecodedText decode_text(std::string_view bytes);

// A warning for a converted text: "<what> is saved as GB18030 (GBK), not UTF-8; it was read as such".
std::string converted_note(const DecodedText& d, std::string_view what);

}  // namespace sw::core
