// Embedded metadata for the library index: container and stream tags of videos (libavformat),
// EXIF and XMP of JPEG and PNG pictures (parsed here: libavformat's image demuxers do not
// expose them, and decoding every photo just to read its tags would make indexing slow).

#include <unicode/unistr.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <fstream>

#include "media/av_ptr.h"
#include "library/library_scan.h"

namespace sw::library::scan {

namespace {

using Tags = std::vector<std::pair<std::string, std::string>>;

// Keys (lowercased, matched as substrings) whose values describe what a file shows. Covers
// plain tags (title, comment) and QuickTime ones (com.apple.quicktime.keywords).
bool wanted_key(std::string key)
{
    std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return (char)std::tolower(c); });
    static constexpr const char* kKeys[] = {"title",   "comment", "description", "keywords", "artist",
                                            "location", "subject", "synopsis",    "caption",  "author"};
    return std::any_of(std::begin(kKeys), std::end(kKeys), [&](const char* k) { return key.find(k) != std::string::npos; });
}

// Values without a single letter (GPS coordinates such as "+45.75+126.63/", camera padding)
// add nothing a person would search for.
bool worth_indexing(const std::string& v)
{
    for (size_t i = 0; i < v.size(); ++i) {
        unsigned char c = (unsigned char)v[i];
        if (c >= 0x80 || std::isalpha(c))
            return true;
    }
    return false;
}

void add(Tags& tags, std::string key, std::string value)
{
    while (!value.empty() && (value.back() == '\0' || std::isspace((unsigned char)value.back())))
        value.pop_back();
    size_t b = value.find_first_not_of(" \t\r\n");
    value = b == std::string::npos ? "" : value.substr(b);
    if (!worth_indexing(value))
        return;
    for (auto& [k, v] : tags)
        if (v == value)
            return;  // the same text as container and stream tag: once is enough
    tags.emplace_back(std::move(key), std::move(value));
}

void add_dict(Tags& tags, const AVDictionary* dict)
{
    const AVDictionaryEntry* e = nullptr;
    while ((e = av_dict_get(dict, "", e, AV_DICT_IGNORE_SUFFIX)))
        if (wanted_key(e->key))
            add(tags, e->key, e->value);
}

Tags video_tags(const fs::path& path)
{
    Tags tags;
    AVFormatContext* raw = nullptr;
    // Reading the header is enough for tags; no stream probing (probe() already did that).
    if (avformat_open_input(&raw, ("file:" + path.string()).c_str(), nullptr, nullptr) < 0)
        return tags;
    media::InputFormatPtr fmt(raw);
    add_dict(tags, fmt->metadata);
    for (unsigned i = 0; i < fmt->nb_streams; ++i)
        add_dict(tags, fmt->streams[i]->metadata);
    return tags;
}

std::string read_head(const fs::path& p, size_t max)
{
    std::ifstream in(p, std::ios::binary);
    std::string d(max, '\0');
    in.read(d.data(), (std::streamsize)d.size());
    d.resize((size_t)in.gcount());
    return d;
}

std::string latin1_to_utf8(std::string_view s)
{
    std::string out;
    for (unsigned char c : s) {
        if (c < 0x80) {
            out += (char)c;
        } else {
            out += (char)(0xC0 | (c >> 6));
            out += (char)(0x80 | (c & 0x3F));
        }
    }
    return out;
}

std::string utf16le_to_utf8(const uint8_t* p, size_t bytes)
{
    std::u16string u;
    for (size_t i = 0; i + 1 < bytes; i += 2) {
        char16_t c = (char16_t)(p[i] | p[i + 1] << 8);
        if (c == 0)
            break;
        u.push_back(c);
    }
    std::string out;
    icu::UnicodeString(u.data(), (int32_t)u.size()).toUTF8String(out);
    return out;
}

// EXIF (a TIFF structure): IFD0's orientation, description, artist and the Windows XP* tags
// (UTF-16 title/comment/keywords/subject that Windows Explorer writes).
void parse_exif(const uint8_t* p, size_t n, Tags& tags, int* orientation)
{
    if (n < 8)
        return;
    const bool le = p[0] == 'I' && p[1] == 'I';
    if (!le && !(p[0] == 'M' && p[1] == 'M'))
        return;
    auto r16 = [&](size_t i) -> uint32_t { return i + 2 <= n ? (le ? p[i] | p[i + 1] << 8 : p[i] << 8 | p[i + 1]) : 0; };
    auto r32 = [&](size_t i) -> uint32_t { return i + 4 <= n ? (le ? r16(i) | r16(i + 2) << 16 : r16(i) << 16 | r16(i + 2)) : 0; };
    const size_t ifd = r32(4);
    if (ifd + 2 > n)
        return;
    const uint32_t count = r16(ifd);
    for (uint32_t k = 0; k < count; ++k) {
        const size_t e = ifd + 2 + 12 * (size_t)k;
        if (e + 12 > n)
            break;
        const uint32_t tag = r16(e), type = r16(e + 2), cnt = r32(e + 4);
        const size_t unit = type == 3 ? 2 : type == 4 ? 4 : 1;  // SHORT, LONG, else bytes
        const size_t bytes = (size_t)cnt * unit;
        const size_t at = bytes <= 4 ? e + 8 : r32(e + 8);
        if (bytes > n || at > n - bytes)
            continue;
        if (tag == 0x0112 && type == 3 && orientation) {
            *orientation = (int)r16(e + 8);
        } else if ((tag == 0x010E || tag == 0x013B) && type == 2) {
            add(tags, tag == 0x010E ? "description" : "artist",
                latin1_to_utf8(std::string_view(reinterpret_cast<const char*>(p + at), bytes)));
        } else if (tag >= 0x9C9B && tag <= 0x9C9F && type == 1) {
            static constexpr const char* kXp[] = {"title", "comment", "author", "keywords", "subject"};
            add(tags, kXp[tag - 0x9C9B], utf16le_to_utf8(p + at, bytes));
        }
    }
}

std::string xml_unescape(std::string s)
{
    static const std::pair<const char*, const char*> kEntities[] = {
        {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}, {"&amp;", "&"}};
    for (auto& [from, to] : kEntities)
        for (size_t i = 0; (i = s.find(from, i)) != std::string::npos; i += std::strlen(to))
            s.replace(i, std::strlen(from), to);
    return s;
}

// XMP (RDF/XML) as Lightroom, darktable and phones write it: dc:title, dc:description
// (rdf:Alt of rdf:li) and dc:subject (rdf:Bag of keywords). Read by looking for the elements,
// not by a full XML parse: enough for these well-known shapes, and never fails.
void parse_xmp(std::string_view xmp, Tags& tags)
{
    static const std::pair<const char*, const char*> kFields[] = {
        {"dc:title", "title"}, {"dc:description", "description"}, {"dc:subject", "keywords"}};
    for (auto& [element, key] : kFields) {
        std::string open = std::string("<") + element, close = std::string("</") + element + ">";
        size_t b = xmp.find(open);
        if (b == std::string_view::npos)
            continue;
        size_t e = xmp.find(close, b);
        if (e == std::string_view::npos)
            continue;
        std::string_view body = xmp.substr(b, e - b);
        std::string joined;
        for (size_t i = 0; (i = body.find("<rdf:li", i)) != std::string_view::npos;) {
            size_t gt = body.find('>', i), end = body.find("</rdf:li>", i);
            if (gt == std::string_view::npos || end == std::string_view::npos || gt > end)
                break;
            joined += (joined.empty() ? "" : ", ") + xml_unescape(std::string(body.substr(gt + 1, end - gt - 1)));
            i = end;
        }
        add(tags, key, joined);
    }
}

void jpeg_tags(const std::string& d, Tags& tags, int* orientation)
{
    const auto* p = reinterpret_cast<const uint8_t*>(d.data());
    const size_t n = d.size();
    if (n < 4 || p[0] != 0xFF || p[1] != 0xD8)
        return;
    static constexpr char kXmpNs[] = "http://ns.adobe.com/xap/1.0/";
    size_t i = 2;
    while (i + 4 <= n) {
        if (p[i] != 0xFF)
            return;
        const uint8_t m = p[i + 1];
        if (m == 0xFF) {
            ++i;
            continue;
        }
        if (m == 0xDA || m == 0xD9)  // start of scan / end of image: no more metadata segments
            return;
        const size_t len = (size_t)(p[i + 2] << 8 | p[i + 3]);
        if (len < 2 || i + 2 + len > n)
            return;
        const uint8_t* seg = p + i + 4;
        const size_t seg_n = len - 2;
        if (m == 0xE1 && seg_n > 6 && std::memcmp(seg, "Exif\0\0", 6) == 0)
            parse_exif(seg + 6, seg_n - 6, tags, orientation);
        else if (m == 0xE1 && seg_n > sizeof kXmpNs && std::memcmp(seg, kXmpNs, sizeof kXmpNs) == 0)
            parse_xmp(std::string_view(reinterpret_cast<const char*>(seg) + sizeof kXmpNs, seg_n - sizeof kXmpNs), tags);
        i += 2 + len;
    }
}

void png_tags(const std::string& d, Tags& tags, int* orientation)
{
    const auto* p = reinterpret_cast<const uint8_t*>(d.data());
    const size_t n = d.size();
    if (n < 8 || std::memcmp(p, "\x89PNG\r\n\x1a\n", 8) != 0)
        return;
    size_t i = 8;
    while (i + 12 <= n) {
        const size_t len = (size_t)p[i] << 24 | (size_t)p[i + 1] << 16 | (size_t)p[i + 2] << 8 | p[i + 3];
        const std::string type(reinterpret_cast<const char*>(p + i + 4), 4);
        if (len > n - i - 12)
            return;
        std::string_view data(reinterpret_cast<const char*>(p + i + 8), len);
        if (type == "tEXt" || type == "iTXt") {
            size_t z = data.find('\0');
            if (z != std::string_view::npos) {
                std::string key(data.substr(0, z));
                std::string_view rest = data.substr(z + 1);
                if (type == "tEXt") {
                    if (wanted_key(key))
                        add(tags, key, latin1_to_utf8(rest));
                } else if (rest.size() >= 2 && rest[0] == 0) {  // iTXt, uncompressed only
                    size_t lang_end = rest.find('\0', 2);
                    size_t tkey_end = lang_end == std::string_view::npos ? lang_end : rest.find('\0', lang_end + 1);
                    if (tkey_end != std::string_view::npos) {
                        std::string_view text = rest.substr(tkey_end + 1);
                        if (key == "XML:com.adobe.xmp")
                            parse_xmp(text, tags);
                        else if (wanted_key(key))
                            add(tags, key, std::string(text));
                    }
                }
            }
        } else if (type == "eXIf") {
            parse_exif(reinterpret_cast<const uint8_t*>(data.data()), data.size(), tags, orientation);
        } else if (type == "IEND") {
            return;
        }
        i += 12 + len;
    }
}

}  // namespace

Tags embedded_tags(const fs::path& path, AssetKind kind, int* exif_orientation)
{
    if (kind == AssetKind::Video)
        return video_tags(path);
    Tags tags;
    // Metadata sits before the picture data in practice; 1 MiB covers large XMP packets
    // without reading whole photos.
    const std::string head = read_head(path, 1 << 20);
    jpeg_tags(head, tags, exif_orientation);
    png_tags(head, tags, exif_orientation);
    return tags;
}

}  // namespace sw::library::scan
