#include "script/values.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <system_error>

#include "core/text_util.h"
#include "effects/transition.h"
#include "lang/lexicon.h"

namespace sw::script {

namespace fs = std::filesystem;

core::SourceLoc Span::at(size_t byte_offset) const
{
    core::SourceLoc l = start;
    byte_offset = std::min(byte_offset, text.size());
    if (byte_offset < last_offset) {
        last_offset = 0;
        last_col_add = 0;
    }
    last_col_add += int(core::utf8_length(text.substr(last_offset, byte_offset - last_offset)));
    last_offset = byte_offset;
    if (l.line > 0 && l.col > 0)
        l.col += last_col_add;
    return l;
}

void report(core::Diagnostics& diag, const Span& span, const ValueError& e)
{
    diag.error(span.at(e.offset), e.message, e.hint);
}

static tl::unexpected<ValueError> fail(std::string message, std::string hint = {}, size_t offset = 0)
{
    return tl::unexpected(ValueError{std::move(message), std::move(hint), offset});
}


std::vector<std::pair<size_t, std::string_view>> split_words(std::string_view s)
{
    std::vector<std::pair<size_t, std::string_view>> out;
    size_t i = 0;
    auto space_at = [&](size_t k) -> size_t {  // length of the space at k, 0 if none
        unsigned char c = s[k];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            return 1;
        if (s.compare(k, 3, "\xE3\x80\x80") == 0)  // U+3000 ideographic space
            return 3;
        return 0;
    };
    while (i < s.size()) {
        if (size_t w = space_at(i)) {
            i += w;
            continue;
        }
        size_t b = i;
        while (i < s.size() && !space_at(i))
            ++i;
        out.emplace_back(b, s.substr(b, i - b));
    }
    return out;
}

std::optional<ValueError> check_json_limits(std::string_view s, int max_depth)
{
    int depth = 0;
    for (size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '"') {  // skip the string, escapes included
            for (++i; i < s.size() && s[i] != '"'; ++i)
                if (s[i] == '\\')
                    ++i;
        } else if (c == '[' || c == '{') {
            if (++depth > max_depth)
                return ValueError{"nesting deeper than " + std::to_string(max_depth) + " levels",
                                  "a script nests about 5 levels deep; check for brackets that are never closed", i};
        } else if (c == ']' || c == '}') {
            --depth;
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            size_t b = i;
            while (i + 1 < s.size() && std::strchr("0123456789+-.eE", s[i + 1]) && s[i + 1] != 0)
                ++i;
            std::string num(s.substr(b, i - b + 1));
            if (std::isinf(std::strtod(num.c_str(), nullptr)))
                return ValueError{"the number " + (num.size() > 24 ? num.substr(0, 24) + "…" : num) + " is too large",
                                  "numbers must fit a double (about 1.8e308); durations are seconds, e.g. 4.5", b};
        }
    }
    return std::nullopt;
}

// ---- durations ---------------------------------------------------------------------------

// Parses an unsigned decimal "12", "12.5", ".5" into micro-units (value × 10^6), exactly.
// Returns the number of bytes used (0 if there is no number).
static size_t parse_decimal_micro(std::string_view s, __int128& micro)
{
    size_t i = 0;
    __int128 ip = 0;
    bool any = false;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
        ip = ip * 10 + (s[i] - '0');
        if (ip > (__int128)1 << 80)
            ip = (__int128)1 << 80;  // saturate; caller range-checks
        ++i;
        any = true;
    }
    __int128 frac = 0;
    int digits = 0;
    bool round_up = false;
    if (i < s.size() && s[i] == '.' && i + 1 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '9') {
        ++i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
            if (digits < 6) {
                frac = frac * 10 + (s[i] - '0');
                ++digits;
            } else if (digits == 6) {
                round_up = s[i] >= '5';
                ++digits;
            }
            ++i;
            any = true;
        }
    }
    if (!any)
        return 0;
    while (digits < 6) {
        frac *= 10;
        ++digits;
    }
    micro = ip * 1'000'000 + frac + (round_up ? 1 : 0);
    return i;
}

Parsed<int64_t> parse_duration_us(std::string_view text, bool allow_zero)
{
    std::string_view s = core::trim(text);
    const std::string example = "write it like `4s`, `4.5s`, `500ms` or `4秒`";
    if (s.empty())
        return fail("missing duration", example);
    bool negative = false;
    size_t i = 0;
    if (s[0] == '-' || s[0] == '+') {
        negative = s[0] == '-';
        i = 1;
    }
    __int128 micro = 0;
    size_t used = parse_decimal_micro(s.substr(i), micro);
    if (used == 0)
        return fail("\"" + std::string(s) + "\" is not a duration", example);
    i += used;
    while (i < s.size() && s[i] == ' ')
        ++i;
    std::string unit = core::to_lower_ascii(s.substr(i));
    __int128 us;
    if (unit.empty() || unit == "s" || unit == "sec" || unit == "secs" || unit == "second" || unit == "seconds"
        || unit == "秒")
        us = micro;
    else if (unit == "ms" || unit == "毫秒")
        us = (micro + 500) / 1000;
    else
        return fail("unknown time unit \"" + std::string(s.substr(i)) + "\"",
                    "use `s` (seconds), `ms` (milliseconds) or `秒`", i);
    if (negative && us != 0)
        return fail("duration " + std::string(s) + " is negative", "durations must be positive, e.g. `3s`");
    if (us == 0 && !allow_zero)
        return fail("duration " + std::string(s) + " is zero", "durations must be positive, e.g. `3s`");
    if (us > kMaxDurationUs)
        return fail("duration " + std::string(s) + " is longer than one hour", "use a shorter duration");
    return int64_t(us);
}

Parsed<int64_t> seconds_to_us(double seconds, bool allow_zero)
{
    if (!std::isfinite(seconds))
        return fail("duration is not a number", "give seconds, e.g. 4 or 4.5");
    if (seconds < 0)
        return fail("duration " + seconds_text(std::llround(seconds * 1e6)) + " s is negative",
                    "durations must be positive, e.g. 3");
    if (seconds * 1e6 > double(kMaxDurationUs))
        return fail("duration " + seconds_text(std::llround(seconds * 1e6)) + " s is longer than one hour",
                    "use a shorter duration");
    int64_t us = std::llround(seconds * 1e6);
    if (us == 0 && !allow_zero)
        return fail("duration is zero", "durations must be positive, e.g. 3");
    return us;
}

// ---- sizes, frame rates ------------------------------------------------------------------

static bool parse_int(std::string_view s, int64_t& v)
{
    if (s.empty() || s.size() > 9)
        return false;
    v = 0;
    for (char c : s) {
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (c - '0');
    }
    return true;
}

Parsed<Size> parse_size(std::string_view text)
{
    std::string s(core::trim(text));
    const std::string hint = "write `1080x1920`, or a preset: `9:16`, `16:9`, `1:1`, `4:5`";
    if (s == "9:16")
        return Size{1080, 1920};
    if (s == "16:9")
        return Size{1920, 1080};
    if (s == "1:1")
        return Size{1080, 1080};
    if (s == "4:5")
        return Size{1080, 1350};
    if (s.find(':') != std::string::npos)
        return fail("unknown aspect preset \"" + s + "\"", "presets are `9:16`, `16:9`, `1:1` and `4:5`; or write `WxH`");
    // Accept x, X, × (U+00D7) and spaces around them.
    std::string norm;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s.compare(i, 2, "\xC3\x97") == 0) {
            norm += 'x';
            ++i;
        } else if (s[i] == 'X') {
            norm += 'x';
        } else if (s[i] != ' ') {
            norm += s[i];
        }
    }
    auto x = norm.find('x');
    int64_t w, h;
    if (x == std::string::npos || !parse_int(norm.substr(0, x), w) || !parse_int(norm.substr(x + 1), h))
        return fail("\"" + s + "\" is not a size", hint);
    if (w < kMinDimension || h < kMinDimension || w > kMaxDimension || h > kMaxDimension)
        return fail("size " + s + " is out of range", "width and height must be between " + std::to_string(kMinDimension)
                                                          + " and " + std::to_string(kMaxDimension));
    if (w % 2 || h % 2)
        return fail("size " + s + " has an odd side",
                    "H.264 needs even sizes; use " + std::to_string(w + w % 2) + "x" + std::to_string(h + h % 2));
    return Size{int(w), int(h)};
}

static Parsed<core::Rational> check_fps(core::Rational r, const std::string& as_written)
{
    r = r.reduced();
    if (r.den <= 0 || r.num <= 0 || r.num > 240 * r.den || r.num < r.den)
        return fail("frame rate " + as_written + " is out of range", "use a rate between 1 and 240, e.g. `fps: 30`");
    return r;
}

Parsed<core::Rational> fps_from_number(double fps)
{
    if (!std::isfinite(fps))
        return fail("frame rate is not a number", "e.g. 30 or 29.97");
    // The NTSC family is written rounded but means N×1000/1001.
    for (int base : {24, 30, 48, 60, 120}) {
        double ntsc = base * 1000.0 / 1001.0;
        if (std::fabs(fps - ntsc) < 0.006)
            return core::Rational{base * 1000, 1001};
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", fps);
    int64_t milli = std::llround(fps * 1000);
    if (std::fabs(fps * 1000 - double(milli)) > 1e-6)
        return fail(std::string("frame rate ") + buf + " has too many decimals", "use e.g. 30, 29.97 or 30000/1001");
    return check_fps({milli, 1000}, buf);
}

Parsed<core::Rational> parse_fps(std::string_view text)
{
    std::string s(core::trim(text));
    const std::string hint = "write e.g. `30`, `29.97` or `30000/1001`";
    if (auto slash = s.find('/'); slash != std::string::npos) {
        int64_t n, d;
        if (!parse_int(core::trim(std::string_view(s).substr(0, slash)), n)
            || !parse_int(core::trim(std::string_view(s).substr(slash + 1)), d) || d == 0)
            return fail("\"" + s + "\" is not a frame rate", hint);
        return check_fps({n, d}, s);
    }
    if (!s.empty() && s[0] == '-')
        return fail("frame rate " + s + " is negative", hint);
    __int128 micro = 0;
    size_t used = parse_decimal_micro(s, micro);
    std::string_view rest = core::trim(std::string_view(s).substr(used));
    std::string lr = core::to_lower_ascii(rest);
    if (used == 0 || !(lr.empty() || lr == "fps"))
        return fail("\"" + s + "\" is not a frame rate", hint, used);
    if (micro > (__int128)1000 * 1'000'000)
        return fail("frame rate " + s + " is out of range", "use a rate between 1 and 240, e.g. `fps: 30`");
    return fps_from_number(double(micro) / 1e6);
}

// ---- colours -----------------------------------------------------------------------------

namespace {
struct NamedColor {
    const char* name;
    uint8_t r, g, b;
};
// CSS basic colours plus a few common extended ones.
constexpr NamedColor kColors[] = {
    {"black", 0, 0, 0},          {"white", 255, 255, 255},   {"gray", 128, 128, 128},
    {"grey", 128, 128, 128},     {"silver", 192, 192, 192},  {"red", 255, 0, 0},
    {"maroon", 128, 0, 0},       {"yellow", 255, 255, 0},    {"olive", 128, 128, 0},
    {"lime", 0, 255, 0},         {"green", 0, 128, 0},       {"aqua", 0, 255, 255},
    {"cyan", 0, 255, 255},       {"teal", 0, 128, 128},      {"blue", 0, 0, 255},
    {"navy", 0, 0, 128},         {"fuchsia", 255, 0, 255},   {"magenta", 255, 0, 255},
    {"purple", 128, 0, 128},     {"orange", 255, 165, 0},    {"pink", 255, 192, 203},
    {"brown", 165, 42, 42},      {"gold", 255, 215, 0},      {"beige", 245, 245, 220},
    {"ivory", 255, 255, 240},    {"darkgray", 169, 169, 169}, {"darkgrey", 169, 169, 169},
    {"lightgray", 211, 211, 211}, {"lightgrey", 211, 211, 211}, {"darkblue", 0, 0, 139},
    {"skyblue", 135, 206, 235},  {"crimson", 220, 20, 60},   {"indigo", 75, 0, 130},
    {"coral", 255, 127, 80},     {"salmon", 250, 128, 114},  {"khaki", 240, 230, 140},
    {"tan", 210, 180, 140},      {"chocolate", 210, 105, 30}, {"darkgreen", 0, 100, 0},
    {"midnightblue", 25, 25, 112}, {"slategray", 112, 128, 144}, {"charcoal", 54, 69, 79},
};

int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}
}  // namespace

std::vector<std::string> color_names()
{
    std::vector<std::string> v;
    for (auto& c : kColors)
        v.emplace_back(c.name);
    return v;
}

std::string color_to_hex(core::Rgb c)
{
    char buf[8];
    std::snprintf(buf, sizeof buf, "#%02x%02x%02x", c.r, c.g, c.b);
    return buf;
}

Parsed<core::Rgb> parse_color(std::string_view text)
{
    std::string s(core::trim(text));
    if (!s.empty() && s[0] == '#') {
        std::string h = s.substr(1);
        bool ok = (h.size() == 3 || h.size() == 6)
               && std::all_of(h.begin(), h.end(), [](char c) { return hex_digit(c) >= 0; });
        if (!ok)
            return fail("\"" + s + "\" is not a colour", "write `#rrggbb` (e.g. `#1a2b3c`) or `#rgb`");
        if (h.size() == 3)
            return core::Rgb{uint8_t(hex_digit(h[0]) * 17), uint8_t(hex_digit(h[1]) * 17), uint8_t(hex_digit(h[2]) * 17)};
        return core::Rgb{uint8_t(hex_digit(h[0]) * 16 + hex_digit(h[1])), uint8_t(hex_digit(h[2]) * 16 + hex_digit(h[3])),
                         uint8_t(hex_digit(h[4]) * 16 + hex_digit(h[5]))};
    }
    std::string l = core::to_lower_ascii(s);
    for (auto& c : kColors)
        if (l == c.name)
            return core::Rgb{c.r, c.g, c.b};
    auto dym = core::did_you_mean(l, color_names());
    return fail("unknown colour \"" + s + "\"",
                dym.empty() ? "write `#rrggbb` or a colour name like `black`, `white`, `navy`"
                            : "did you mean \"" + dym + "\"? (or write `#rrggbb`)");
}

// ---- transitions -------------------------------------------------------------------------

bool validate_transition(const timeline::TransitionSpec& t, const Span& name_span, core::Diagnostics& diag)
{
    if (t.name == "cut")
        return true;
    const effects::Transition* tr = effects::find_transition(t.name);
    if (!tr) {
        auto dym = core::did_you_mean(t.name, effects::transition_names());
        diag.error(name_span.at(0), "unknown transition \"" + t.name + "\"",
                   dym.empty() ? "run `shotweave list transitions` to see them all" : "did you mean \"" + dym + "\"?");
        return false;
    }
    return true;
}

std::optional<timeline::TransitionSpec> read_transition(const Span& value, int64_t default_duration_us,
                                                        core::Diagnostics& diag)
{
    timeline::TransitionSpec t;
    auto words = split_words(value.text);
    if (words.empty()) {
        diag.error(value.at(0), "missing transition name", "write e.g. `fade 0.5s`, or `cut` for none");
        return std::nullopt;
    }
    bool ok = true;
    t.loc = value.at(words[0].first);
    t.name = core::to_lower_ascii(words[0].second);
    bool have_duration = false;
    for (size_t k = 1; k < words.size(); ++k) {
        auto [off, w] = words[k];
        if (w.find('=') != std::string_view::npos) {
            // As in FFmpeg's xfade, a variant is a name of its own (wipeleft, wiperight, …).
            diag.error(value.at(off), "transitions take no parameters (\"" + std::string(w) + "\")",
                       "write only the name and a duration, e.g. `wipeleft 0.5s` — `shotweave list transitions` "
                       "lists every variant");
            ok = false;
            continue;
        }
        bool looks_numeric = (w[0] >= '0' && w[0] <= '9') || w[0] == '-' || w[0] == '.' || w[0] == '+';
        if (!have_duration && looks_numeric) {
            auto d = parse_duration_us(w);
            if (!d) {
                d.error().offset += off;
                report(diag, value, d.error());
                ok = false;
            } else {
                t.duration_us = *d;
            }
            have_duration = true;
            continue;
        }
        diag.error(value.at(off), "unexpected \"" + std::string(w) + "\" after the transition name",
                   have_duration ? "parameters are written `name=value`"
                                 : "write `" + t.name + " 0.5s` (a duration), or parameters as `name=value`");
        ok = false;
    }
    if (t.name == "cut") {
        if (have_duration)
            diag.warning(value.at(words[1].first), "`cut` has no duration; it is ignored", "remove the duration");
        t.duration_us = 0;
    } else if (!have_duration) {
        t.duration_us = default_duration_us > 0 ? default_duration_us : kDefaultTransitionUs;
    }
    Span name_span{t.loc, value.text.substr(words[0].first)};
    if (!validate_transition(t, name_span, diag))
        ok = false;
    if (!ok)
        return std::nullopt;
    return t;
}

// ---- media -------------------------------------------------------------------------------

FileKind file_kind_from_extension(std::string_view path)
{
    auto dot = path.rfind('.');
    auto slash = path.find_last_of("/\\");
    if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash) || dot + 1 == path.size())
        return FileKind::Other;
    std::string e = core::to_lower_ascii(path.substr(dot + 1));
    static const char* images[] = {"jpg", "jpeg", "png", "webp", "bmp", "tif", "tiff", "gif"};
    static const char* videos[] = {"mp4", "mov", "m4v", "mkv", "webm", "avi", "mts", "m2ts", "ts", "flv", "wmv", "mpg", "mpeg"};
    static const char* audios[] = {"wav", "mp3", "m4a", "aac", "ogg", "opus", "flac"};
    for (auto* x : images)
        if (e == x)
            return FileKind::Image;
    for (auto* x : videos)
        if (e == x)
            return FileKind::Video;
    for (auto* x : audios)
        if (e == x)
            return FileKind::Audio;
    return FileKind::Other;
}

// The enum whose name (from the array beside it in timeline/project.h) is `word`, any case.
template <class E, size_t N>
static std::optional<E> parse_name(std::string_view word, const std::string_view (&names)[N])
{
    std::string w = core::to_lower_ascii(word);
    for (size_t i = 0; i < N; ++i)
        if (w == names[i])
            return E(i);
    return std::nullopt;
}

template <size_t N>
static std::vector<std::string> names_of(const std::string_view (&names)[N], size_t skip = 0)
{
    return {std::begin(names) + skip, std::end(names)};
}

std::optional<timeline::Move> parse_move(std::string_view word) { return parse_name<timeline::Move>(word, timeline::kMoveNames); }
std::optional<timeline::Fit> parse_fit(std::string_view word) { return parse_name<timeline::Fit>(word, timeline::kFitNames); }
// "none" is accepted but never suggested: a misspelt move was meant to move.
std::vector<std::string> move_names() { return names_of(timeline::kMoveNames, 1); }
std::vector<std::string> fit_names() { return names_of(timeline::kFitNames); }

std::optional<timeline::TitleAnimation> parse_title_animation(std::string_view word)
{
    std::string w = core::to_lower_ascii(core::trim(word));
    using A = timeline::TitleAnimation;
    // Spellings people write besides the names.
    if (w == "slideup" || w == "slide")
        return A::SlideUp;
    if (w == "off")
        return A::None;
    return parse_name<A>(w, timeline::kTitleAnimationNames);
}
std::vector<std::string> title_animation_names() { return names_of(timeline::kTitleAnimationNames); }

std::optional<timeline::LogoCorner> parse_logo_corner(std::string_view word)
{
    return parse_name<timeline::LogoCorner>(word, timeline::kLogoCornerNames);
}

std::optional<timeline::SubtitlePosition> parse_subtitle_position(std::string_view word)
{
    return parse_name<timeline::SubtitlePosition>(word, timeline::kSubtitlePositionNames);
}

fs::path resolve_path(std::string_view as_written, const fs::path& base_dir)
{
    fs::path p(as_written);
    return p.is_absolute() ? p : base_dir / p;
}

std::string unquote(std::string_view text)
{
    if (text.size() >= 2 && text.front() == '"' && text.back() == '"')
        text = text.substr(1, text.size() - 2);
    return std::string(text);
}

bool check_media_file(const std::string& as_written, const fs::path& resolved, const core::SourceLoc& where,
                      core::Diagnostics& diag)
{
    std::error_code ec;
    auto st = fs::status(resolved, ec);
    if (!ec && fs::is_regular_file(st))
        return true;
    if (!ec && fs::exists(st)) {
        diag.error(where, "\"" + as_written + "\" is not a file", "give the path of an image or video file");
        return false;
    }
    // Missing: look for a similarly named file in the folder the path points into, since the
    // usual cause is a typo or a wrong extension (photo.jpeg vs photo.jpg).
    fs::path dir = resolved.parent_path();
    if (dir.empty())
        dir = ".";  // a bare file name next to a script given without a folder
    std::string hint;
    std::vector<std::string> names;
    if (fs::is_directory(dir, ec)) {
        for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
            names.push_back(it->path().filename().string());
            if (names.size() > 2000)
                break;
        }
        auto dym = core::did_you_mean(resolved.filename().string(), names);
        if (!dym.empty()) {
            fs::path suggestion = fs::path(as_written).parent_path() / dym;
            hint = "did you mean \"" + suggestion.generic_string() + "\"?";
        } else {
            hint = "no file of that name in \"" + dir.string() + "/\"; paths are relative to the script's folder";
        }
    } else {
        hint = "folder " + dir.string() + " does not exist; paths are relative to the script's folder";
    }
    diag.error(where, "media file \"" + as_written + "\" not found", hint);
    return false;
}

std::optional<ValueError> word_entry_problem(std::string_view term)
{
    const size_t n = core::utf8_length(term);
    if (core::find_control_char(term) != std::string_view::npos)
        return ValueError{"a `words:` entry has a control character", "write names and terms as plain text"};
    if (n < 2)
        return ValueError{"\"" + std::string(term) + "\" is one character: a single character is never kept whole",
                          "list names and terms of 2 to " + std::to_string(lang::Lexicon::kMaxTermCodePoints) +
                              " characters"};
    if (n > lang::Lexicon::kMaxTermCodePoints)
        return ValueError{"\"" + std::string(term) + "\" is longer than " +
                              std::to_string(lang::Lexicon::kMaxTermCodePoints) +
                              " characters: a line could never break inside it",
                          "list the names inside it separately"};
    return std::nullopt;
}

std::vector<std::string> read_word_list(const Span& value, core::Diagnostics& diag)
{
    std::vector<std::string> out;
    const std::string_view v = value.text;
    size_t start = 0;
    auto take = [&](size_t end) {
        std::string_view raw = v.substr(start, end - start);
        std::string_view t = core::trim(raw);
        if (!t.empty()) {
            if (auto problem = word_entry_problem(t)) {
                diag.warning(value.at(start + size_t(t.data() - raw.data())), problem->message + "; left out",
                             problem->hint);
            } else {
                out.emplace_back(t);
            }
        }
    };
    for (size_t i = 0; i < v.size();) {
        size_t sep = 0;
        for (std::string_view s : {",", "，", "、", ";", "；"})
            if (v.substr(i, s.size()) == s) {
                sep = s.size();
                break;
            }
        if (sep) {
            take(i);
            i += sep;
            start = i;
        } else {
            ++i;
        }
    }
    take(v.size());
    return out;
}

}  // namespace sw::script
