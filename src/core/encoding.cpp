#include "core/encoding.h"

#include <iconv.h>

#include <algorithm>
#include <cerrno>

namespace sw::core {

namespace {

// Length of the valid UTF-8 sequence at s[i], 0 if invalid (overlongs, surrogates and code points
// past U+10FFFF are invalid).
size_t utf8_sequence(std::string_view s, size_t i)
{
    unsigned char c = s[i];
    size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > s.size() || (len == 2 && c < 0xC2))
        return 0;
    for (size_t k = 1; k < len; ++k)
        if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80)
            return 0;
    unsigned char c1 = s[i + 1 < s.size() ? i + 1 : i];
    if (len == 3 && ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 >= 0xA0)))
        return 0;
    if (len == 4 && ((c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 >= 0x90) || c > 0xF4))
        return 0;
    return len;
}

// Converts with iconv. `lenient`: an invalid or cut-off sequence becomes U+FFFD and the rest is
// converted on (UTF-16 with a BOM is that encoding for sure); else returns false at the first one.
bool convert(const char* from, std::string_view in, std::string& out, bool lenient, size_t unit)
{
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1)
        return false;
    out.clear();
    char buf[4096];
    char* src = const_cast<char*>(in.data());
    size_t left = in.size();
    bool ok = true;
    while (left > 0) {
        char* dst = buf;
        size_t room = sizeof buf;
        size_t r = iconv(cd, &src, &left, &dst, &room);
        out.append(buf, size_t(dst - buf));
        if (r != (size_t)-1 || errno == E2BIG)
            continue;
        if (!lenient) {
            ok = false;
            break;
        }
        out += "\xEF\xBF\xBD";
        size_t skip = std::min(left, unit);  // EILSEQ or EINVAL: step over one unit
        src += skip;
        left -= skip;
    }
    iconv_close(cd);
    return ok;
}

}  // namespace

DecodedText decode_text(std::string_view bytes)
{
    DecodedText d;
    if (bytes.size() >= 2 && (bytes.substr(0, 2) == "\xFF\xFE" || bytes.substr(0, 2) == "\xFE\xFF")) {
        d.encoding = bytes[0] == '\xFF' ? "UTF-16LE" : "UTF-16BE";
        convert(d.encoding.c_str(), bytes.substr(2), d.text, true, 2);
        return d;
    }
    // UTF-8 as it is when valid; count what it would be otherwise.
    size_t multibyte = 0, invalid = 0;
    for (size_t i = 0; i < bytes.size();) {
        size_t len = utf8_sequence(bytes, i);
        multibyte += len > 1;
        invalid += len == 0;
        i += len ? len : 1;
    }
    if (invalid == 0) {
        d.text = std::string(bytes);
        return d;
    }
    // Mostly valid UTF-8 is UTF-8 with damage, not GB18030 (whose pairs rarely form UTF-8).
    if (multibyte < invalid && convert("GB18030", bytes, d.text, false, 1)) {
        d.encoding = "GB18030";
        return d;
    }
    d.text.clear();
    d.text.reserve(bytes.size());
    for (size_t i = 0; i < bytes.size();) {
        size_t len = utf8_sequence(bytes, i);
        if (len == 0) {
            if (d.first_invalid == std::string::npos)
                d.first_invalid = d.text.size();
            d.text += "\xEF\xBF\xBD";
            ++i;
            continue;
        }
        d.text.append(bytes.substr(i, len));
        i += len;
    }
    return d;
}

std::string converted_note(const DecodedText& d, std::string_view what)
{
    std::string name = d.encoding == "GB18030" ? "GB18030 (GBK)" : d.encoding;
    return std::string(what) + " is saved as " + name + ", not UTF-8; it was read as " + name;
}

}  // namespace sw::core
