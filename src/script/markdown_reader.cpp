// The Markdown-like script and the plain-article reader (docs/script.md).

#include <algorithm>
#include <map>

#include "core/text_util.h"
#include "script/grammar.h"
#include "script/readers.h"
#include "script/script.h"
#include "script/values.h"
#include "timeline/plan.h"

namespace sw::script {

namespace fs = std::filesystem;
using core::SourceLoc;
using timeline::Shot;

const std::vector<std::string>& front_matter_keys()
{
    static const std::vector<std::string> k = grammar::md_names(grammar::Project);
    return k;
}

const std::vector<std::string>& shot_keys()
{
    static const std::vector<std::string> k = grammar::md_names(grammar::Shot);
    return k;
}

// Front matter keys that later features will read. Accepted with a warning so scripts written
// for those features already check.
static const std::vector<std::string>& reserved_keys()
{
    static const std::vector<std::string> k = grammar::md_reserved_names(grammar::Project);
    return k;
}

namespace detail {

static bool is_ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool parse_key_line(std::string_view line, KeyLine& out)
{
    size_t i = 0;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t'))
        ++i;
    size_t b = i;
    if (i >= line.size() || !is_ascii_alpha(line[i]))
        return false;
    while (i < line.size() && (is_ascii_alpha(line[i]) || (line[i] >= '0' && line[i] <= '9') || line[i] == '_' || line[i] == '-'))
        ++i;
    size_t e = i;
    while (i < line.size() && line[i] == ' ')
        ++i;
    size_t after;
    if (i < line.size() && line[i] == ':')
        after = i + 1;
    else if (line.compare(i, 3, "\xEF\xBC\x9A") == 0)  // U+FF1A full-width colon
        after = i + 3;
    else
        return false;
    // "http://..." and "C:\..." are not key lines.
    if (line.compare(after, 2, "//") == 0 || line.compare(after, 1, "\\") == 0)
        return false;
    out.key = line.substr(b, e - b);
    out.key_off = b;
    size_t v = after;
    while (v < line.size() && (line[v] == ' ' || line[v] == '\t'))
        ++v;
    if (line.compare(v, 3, "\xE3\x80\x80") == 0)
        v += 3;
    out.value_off = v;
    out.value = core::trim(line.substr(v));
    return true;
}

}  // namespace detail

namespace {

struct Line {
    std::string text;
    int number = 0;
};

// Splits into lines (LF, CRLF or CR), drops a UTF-8 byte-order mark and blanks out HTML comments
// `<!-- ... -->` (one space per code point so columns after a comment stay right).
std::vector<Line> split_lines(std::string_view text, const std::string& file, core::Diagnostics& diag)
{
    if (text.substr(0, 3) == "\xEF\xBB\xBF")
        text.remove_prefix(3);
    std::vector<Line> lines;
    std::string cur;
    int number = 1;
    bool in_comment = false;
    SourceLoc comment_start;
    int col = 1;
    bool line_reported = false;  // one problem per line is enough
    for (size_t i = 0; i < text.size();) {
        char c = text[i];
        if (c == '\n' || c == '\r') {
            lines.push_back({std::move(cur), number});
            cur.clear();
            ++number;
            col = 1;
            line_reported = false;
            i += (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ? 2 : 1;
            continue;
        }
        // Past the limit the rest of the line is dropped: nothing that long is a script line, and
        // reading it on would cost every later step its length.
        if (cur.size() >= kMaxLineBytes) {
            if (!line_reported)
                diag.error({file, number, col}, "this line is longer than " + std::to_string(kMaxLineBytes) + " bytes",
                           "break it into shorter lines (a shot's narration may take several lines)");
            line_reported = true;
            ++i;
            continue;
        }
        // Control characters (NUL, escape, ...) have no glyph and would cut messages short; tabs
        // are kept (indentation, spaces in narration) and become spaces where text is shown.
        if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7F) {
            if (!line_reported)
                diag.error({file, number, col}, "control character " + core::code_point_name(static_cast<unsigned char>(c)) + " in the text",
                           "remove it (an editor that shows invisible characters helps); tabs and line breaks are fine");
            line_reported = true;
            cur += ' ';
            ++i;
            ++col;
            continue;
        }
        if (!in_comment && text.compare(i, 4, "<!--") == 0) {
            in_comment = true;
            comment_start = {file, number, col};
            cur += "    ";
            i += 4;
            col += 4;
            continue;
        }
        if (in_comment && text.compare(i, 3, "-->") == 0) {
            in_comment = false;
            cur += "   ";
            i += 3;
            col += 3;
            continue;
        }
        size_t len = 1;
        unsigned char u = c;
        if (u >= 0xF0)
            len = 4;
        else if (u >= 0xE0)
            len = 3;
        else if (u >= 0xC0)
            len = 2;
        len = std::min(len, text.size() - i);
        if (in_comment)
            cur += ' ';
        else
            cur.append(text.substr(i, len));
        i += len;
        ++col;
    }
    if (!cur.empty() || lines.empty())
        lines.push_back({std::move(cur), number});
    if (in_comment)
        diag.error(comment_start, "comment `<!--` is never closed", "end it with `-->`");
    return lines;
}

bool is_blank(std::string_view s) { return core::trim(s).empty(); }

size_t leading_space(std::string_view s)
{
    size_t i = 0;
    while (i < s.size()) {
        if (s[i] == ' ' || s[i] == '\t')
            ++i;
        else if (s.compare(i, 3, "\xE3\x80\x80") == 0)
            i += 3;
        else
            break;
    }
    return i;
}

// Heading level of a line: 0 if it is not a heading ("#tag" without a space is not one).
int heading_level(std::string_view t)
{
    size_t h = 0;
    while (h < t.size() && t[h] == '#')
        ++h;
    if (h == 0)
        return 0;
    if (h == t.size() || t[h] == ' ' || t[h] == '\t')
        return int(h);
    return 0;
}

bool is_cjk_or_cjk_punct(char32_t c)
{
    return timeline::is_cjk(c) || (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF00 && c <= 0xFFEF);
}

// The first and last code points of non-empty UTF-8 text, decoding only those (never the whole
// text: callers join many pieces).
char32_t first_code_point(std::string_view s)
{
    size_t n = 1;
    while (n < s.size() && n < 4 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80)
        ++n;
    return core::utf8_decode(s.substr(0, n)).front();
}

char32_t last_code_point(std::string_view s)
{
    size_t b = s.size() - 1;
    while (b > 0 && s.size() - b < 4 && (static_cast<unsigned char>(s[b]) & 0xC0) == 0x80)
        --b;
    return core::utf8_decode(s.substr(b)).back();
}

// Appends `piece` to `out` with a space between them unless the join is between CJK text
// (Chinese has no spaces between words, and a line break inside a sentence means nothing).
void join_text(std::string& out, std::string_view piece)
{
    if (piece.empty())
        return;
    if (!out.empty() && !(is_cjk_or_cjk_punct(last_code_point(out)) || is_cjk_or_cjk_punct(first_code_point(piece))))
        out += ' ';
    out += piece;
}

class MarkdownReader {
public:
    MarkdownReader(std::string_view text, std::string file, fs::path base, core::Diagnostics& diag)
        : m_file(std::move(file))
        , m_base(std::move(base))
        , m_diag(diag)
        , m_lines(split_lines(text, m_file, diag))
    {
        m_project.script_path = m_file;
        m_project.base_dir = m_base;
        m_project.default_transition.name = "cut";
    }

    timeline::Project run(bool force_article)
    {
        size_t body = read_front_matter();
        warn_near_headings(body);
        bool any_heading = false;
        for (size_t i = body; i < m_lines.size(); ++i)
            if (heading_level(core::trim(m_lines[i].text)) > 0)
                any_heading = true;
        if (force_article || !any_heading)
            read_article(body);
        else
            read_shots(body);
        return std::move(m_project);
    }

private:
    SourceLoc loc(const Line& l, size_t byte_off) const
    {
        // Counted on from the last location asked for on the same line (words are reported left
        // to right), so that many problems on one line stay linear.
        byte_off = std::min(byte_off, l.text.size());
        if (m_loc_line != &l || byte_off < m_loc_off) {
            m_loc_line = &l;
            m_loc_off = 0;
            m_loc_col = 1;
        }
        m_loc_col += core::utf8_length(std::string_view(l.text).substr(m_loc_off, byte_off - m_loc_off));
        m_loc_off = byte_off;
        return {m_file, l.number, int(m_loc_col)};
    }
    Span span(const Line& l, size_t byte_off, std::string_view value) const { return Span{loc(l, byte_off), value}; }

    int64_t default_transition_us() const
    {
        return m_project.default_transition.name != "cut" && m_project.default_transition.duration_us > 0
                 ? m_project.default_transition.duration_us
                 : kDefaultTransitionUs;
    }

    // ---- front matter ----
    size_t read_front_matter()
    {
        size_t i = 0;
        while (i < m_lines.size() && is_blank(m_lines[i].text))
            ++i;
        if (i >= m_lines.size() || core::trim(m_lines[i].text) != "---")
            return 0;
        const Line& open = m_lines[i];
        size_t end = i + 1;
        while (end < m_lines.size() && core::trim(m_lines[end].text) != "---")
            ++end;
        bool closed = end < m_lines.size();
        if (!closed) {
            m_diag.error(loc(open, leading_space(open.text)), "front matter starting here is never closed",
                         "add a line `---` after the last setting");
            // Best effort: settings run up to the first heading.
            end = i + 1;
            while (end < m_lines.size() && heading_level(core::trim(m_lines[end].text)) == 0)
                ++end;
        }
        std::map<std::string, int> seen;
        for (size_t k = i + 1; k < end; ++k) {
            const Line& l = m_lines[k];
            std::string_view t = core::trim(l.text);
            if (t.empty() || t[0] == '#')  // YAML-style comment
                continue;
            detail::KeyLine kl;
            if (!detail::parse_key_line(l.text, kl)) {
                m_diag.error(loc(l, leading_space(l.text)), "front matter line is not `key: value`",
                             "settings are written like `size: 1080x1920`; the front matter ends with `---`");
                continue;
            }
            std::string key = core::to_lower_ascii(kl.key);
            SourceLoc key_loc = loc(l, kl.key_off);
            Span val = span(l, kl.value_off, kl.value);
            if (auto it = seen.find(key); it != seen.end()) {
                m_diag.error(key_loc, "`" + key + "` is set twice (first on line " + std::to_string(it->second) + ")",
                             "keep one of them");
                continue;
            }
            seen[key] = l.number;
            if (std::find(reserved_keys().begin(), reserved_keys().end(), key) != reserved_keys().end()) {
                m_diag.warning(key_loc, "`" + key + "` is not supported yet and is ignored",
                               "it will be used once that feature exists");
                continue;
            }
            if (std::find(front_matter_keys().begin(), front_matter_keys().end(), key) == front_matter_keys().end()) {
                auto dym = core::did_you_mean(key, front_matter_keys());
                if (dym.empty() && std::find(shot_keys().begin(), shot_keys().end(), key) != shot_keys().end())
                    m_diag.error(key_loc, "`" + key + "` is a shot setting, not a project setting",
                                 "move it below the shot's `# heading`");
                else
                    m_diag.error(key_loc, "unknown key \"" + std::string(kl.key) + "\" in the front matter",
                                 dym.empty() ? "known keys: " + join(front_matter_keys())
                                             : "did you mean \"" + dym + "\"?");
                continue;
            }
            if (kl.value.empty() && key != "title") {
                m_diag.error(val.at(0), "`" + key + "` has no value",
                             "write e.g. `" + key + ": " + example(grammar::Project, key) + "`");
                continue;
            }
            if (key == "title") {
                m_project.title = std::string(kl.value);
            } else if (key == "size") {
                m_project.size_loc = val.at(0);
                if (auto s = parse_size(kl.value)) {
                    m_project.width = s->width;
                    m_project.height = s->height;
                } else {
                    report(m_diag, val, s.error());
                }
            } else if (key == "fps") {
                m_project.fps_loc = val.at(0);
                if (auto f = parse_fps(kl.value))
                    m_project.fps = *f;
                else
                    report(m_diag, val, f.error());
            } else if (key == "music") {
                read_music(val);
            } else if (key == "subtitles") {
                read_subtitles(val);
            } else if (key == "voice") {
                read_voice(val);
            } else if (key == "logo") {
                read_logo(val);
            } else if (key == "loudness") {
                // `loudness: -14 [LUFS] [peak=-1]`
                constexpr const grammar::Key& lufs = grammar::md_key(grammar::Loudness, "<lufs>");
                constexpr const grammar::Key& peak_key = grammar::md_key(grammar::Loudness, "peak");
                m_project.loudness_loc = val.at(0);
                for (auto& [off, w] : split_words(val.text)) {
                    std::string lw = core::to_lower_ascii(w);
                    char* end = nullptr;
                    bool peak = lw.rfind("peak=", 0) == 0;
                    std::string num = peak ? lw.substr(5) : lw;
                    if (num.size() > 4 && num.substr(num.size() - 4) == "dbtp")
                        num.resize(num.size() - 4);
                    double v = std::strtod(num.c_str(), &end);
                    bool numeric = !num.empty() && end && *end == 0;
                    if (lw == "lufs")
                        continue;
                    if (!peak && numeric && lufs.range.contains(v))
                        m_project.loudness_lufs = v;
                    else if (peak && numeric && peak_key.range.contains(v))
                        m_project.true_peak_dbtp = v;
                    else
                        m_diag.error(val.at(off), "unknown loudness setting \"" + std::string(w) + "\"",
                                     "write a target " + grammar::range_sentence(lufs) + " LUFS and optionally `peak=-1` ("
                                         + grammar::range_text(peak_key) + " dBTP), e.g. `loudness: -16 peak=-1.5`");
                }
            } else if (key == "tts") {
                // `tts: espeak`, a preset (`tts: cosyvoice` …), `tts: http`, or `tts: command <template>`.
                auto words = split_words(val.text);
                std::string kind = words.empty() ? "" : core::to_lower_ascii(words[0].second);
                m_project.tts_loc = val.at(0);
                constexpr const grammar::Key& tts = grammar::md_key(grammar::Project, "tts");
                auto engines = grammar::choice_names(tts);
                bool known = std::find(engines.begin(), engines.end(), kind) != engines.end();
                if (known && kind != "command") {
                    m_project.tts = kind;
                } else if (kind == "command") {
                    std::string rest(core::trim(val.text.substr(words[0].first + words[0].second.size())));
                    if (rest.find("{output}") == std::string::npos)
                        m_diag.error(val.at(0), "the TTS command has no {output} placeholder",
                                     "the command must write a WAV file to {output}, e.g. "
                                     "`tts: command espeak-ng -v {voice} -w {output} {text}`");
                    m_project.tts = kind;
                    m_project.tts_command = rest;
                } else {
                    auto dym = core::did_you_mean(kind, engines);
                    m_diag.error(val.at(0), "unknown TTS engine \"" + kind + "\"",
                                 dym.empty() ? "use `espeak` (built in), `openai`, `cosyvoice`, `gpt-sovits`, `piper` or `command <template>`"
                                             : "did you mean \"" + dym + "\"?");
                }
            } else if (key == "library") {
                std::string dir = unquote(core::trim(kl.value));
                m_project.library_as_written = dir;
                m_project.library_dir = resolve_path(dir, m_base);
                m_project.library_loc = val.at(0);
                std::error_code ec;
                if (!fs::is_directory(m_project.library_dir, ec))
                    m_diag.error(val.at(0), "the library folder \"" + dir + "\" does not exist" +
                                                (fs::exists(m_project.library_dir, ec) ? " as a folder" : ""),
                                 "give a folder of photos and videos, relative to the script (looked for " +
                                     m_project.library_dir.string() + ")");
            } else if (key == "generator") {
                std::string file = unquote(core::trim(kl.value));
                m_project.generator_as_written = file;
                m_project.generator_file = resolve_path(file, m_base);
                m_project.generator_loc = val.at(0);
                if (core::to_lower_ascii(fs::path(file).extension().string()) != ".toml")
                    m_diag.error(val.at(0), "the generator settings \"" + file + "\" are not a .toml file",
                                 "name a TOML file with a [generator] table (see docs/generators.md)");
                else
                    check_media_file(file, m_project.generator_file, val.at(0), m_diag);
            } else if (key == "words") {
                m_project.words_loc = val.at(0);
                for (auto& w : read_word_list(val, m_diag))
                    m_project.words.push_back(std::move(w));
            } else if (key == "seed") {
                m_project.seed_loc = val.at(0);
                char* end = nullptr;
                std::string v(core::trim(kl.value));
                unsigned long long n = std::strtoull(v.c_str(), &end, 10);
                if (v.empty() || !end || *end || v[0] == '-')
                    m_diag.error(val.at(0), "seed must be a whole number", "write e.g. `seed: 2` for another pick");
                else
                    m_project.seed = n;
            } else if (key == "title-animation") {
                m_project.title_animation_loc = val.at(0);
                if (auto a = read_title_animation(val))
                    m_project.title_animation = *a;
            } else if (key == "background") {
                if (auto c = parse_color(kl.value))
                    m_project.background = *c;
                else
                    report(m_diag, val, c.error());
            } else if (key == "transition") {
                if (auto t = read_transition(val, kDefaultTransitionUs, m_diag))
                    m_project.default_transition = *t;
            }
        }
        return closed ? end + 1 : end;
    }

    std::optional<timeline::TitleAnimation> read_title_animation(const Span& val)
    {
        if (auto a = parse_title_animation(val.text))
            return a;
        auto dym = core::did_you_mean(core::to_lower_ascii(core::trim(val.text)), title_animation_names());
        constexpr const grammar::Key& k = grammar::md_key(grammar::Project, "title-animation");
        m_diag.error(val.at(0), "unknown title animation \"" + std::string(val.text) + "\"",
                     dym.empty() ? "use " + grammar::choices_text(k) + " (default " + std::string(k.choices[0]) + ")"
                                 : "did you mean \"" + dym + "\"?");
        return std::nullopt;
    }

    // `voice: <name> [rate=<wpm>] [pitch=<0-100>]`; the name is checked against the TTS engine's
    // voices when the project is inspected.
    void read_voice(const Span& val)
    {
        auto words = split_words(val.text);
        if (words.empty())
            return;
        m_project.voice = std::string(words[0].second);
        m_project.voice_loc = val.at(words[0].first);
        for (size_t k = 1; k < words.size(); ++k) {
            auto [off, w] = words[k];
            auto eq = w.find('=');
            std::string name = core::to_lower_ascii(w.substr(0, eq));
            char* end = nullptr;
            std::string num = eq == std::string_view::npos ? "" : std::string(w.substr(eq + 1));
            long v = std::strtol(num.c_str(), &end, 10);
            bool numeric = !num.empty() && end && *end == 0;
            constexpr const grammar::Key& rate = grammar::md_key(grammar::Voice, "rate");
            constexpr const grammar::Key& pitch = grammar::md_key(grammar::Voice, "pitch");
            if (name == rate.md && numeric && rate.range.contains(v))
                m_project.voice_rate = int(v);
            else if (name == pitch.md && numeric && pitch.range.contains(v))
                m_project.voice_pitch = int(v);
            else
                m_diag.error(val.at(off), "unknown voice setting \"" + std::string(w) + "\"",
                             "write " + grammar::md_settings_hint(grammar::Voice));
        }
    }

    // `subtitles: [on|off] [position=bottom|center|top|NN%] [size=N%] [box] [color=#rrggbb] [font="Family"]`
    void read_subtitles(const Span& val)
    {
        auto& look = m_project.subtitle_look;
        std::string text(val.text);
        size_t i = 0;
        while (i < text.size()) {
            while (i < text.size() && (text[i] == ' ' || text[i] == '\t'))
                ++i;
            if (i >= text.size())
                break;
            size_t start = i;
            bool quoted = false;
            while (i < text.size() && (quoted || (text[i] != ' ' && text[i] != '\t'))) {
                if (text[i] == '"')
                    quoted = !quoted;
                ++i;
            }
            std::string word = text.substr(start, i - start);
            std::string lw = core::to_lower_ascii(word);
            auto eq = lw.find('=');
            std::string name = lw.substr(0, eq);
            std::string value = eq == std::string::npos ? "" : word.substr(eq + 1);
            value = unquote(value);
            auto percent = [&](const grammar::Key& k, double& out) {
                char* end = nullptr;
                double v = std::strtod(value.c_str(), &end);
                if (end && std::string_view(end) == "%" && k.range.contains(v)) {
                    out = v / 100;
                    return true;
                }
                return false;
            };
            namespace g = grammar;
            constexpr const g::Key& position = g::md_key(g::Subtitles, "position");
            constexpr const g::Key& size = g::md_key(g::Subtitles, "size");
            constexpr const g::Key& color = g::md_key(g::Subtitles, "color");
            constexpr const g::Key& font = g::md_key(g::Subtitles, "font");
            constexpr const g::Key& outline = g::md_key(g::Subtitles, "outline");
            constexpr const g::Key& outline_color = g::md_key(g::Subtitles, "outline-color");
            constexpr const g::Key& lines = g::md_key(g::Subtitles, "lines");
            constexpr const g::Key& shadow = g::md_key(g::Subtitles, "shadow");
            constexpr const g::Key& box = g::md_key(g::Subtitles, "box");
            bool ok = true;
            if (lw == "on" || lw == "yes" || lw == "true")
                m_project.burn_subtitles = true;
            else if (lw == "off" || lw == "no" || lw == "false")
                m_project.burn_subtitles = false;
            else if (lw == box.md)
                look.box = true;
            else if (name == position.md && parse_subtitle_position(value))
                look.position = *parse_subtitle_position(value);
            else if (name == position.md && percent(position, look.percent))
                look.position = timeline::SubtitlePosition::Percent;
            else if (name == size.md)
                ok = percent(size, look.size_frac);
            else if (name == color.md) {
                if (auto c = parse_color(value))
                    look.color = *c;
                else
                    ok = false;
            } else if (name == font.md && !value.empty())
                look.font = value;
            else if (name == outline.md && (value == "off" || value == "none"))
                look.outline_px = 0;
            else if (name == outline.md) {
                std::string v = value;
                if (v.size() > 2 && v.substr(v.size() - 2) == "px")
                    v.resize(v.size() - 2);
                char* end = nullptr;
                double px = std::strtod(v.c_str(), &end);
                ok = !v.empty() && end && *end == 0 && outline.range.contains(px);
                if (ok)
                    look.outline_px = px;
            } else if (name == lines.md && value.size() == 1 && value[0] >= '0' && value[0] <= '9'
                       && lines.range.contains(value[0] - '0')) {
                look.max_lines = value[0] - '0';
            } else if (name == outline_color.md) {
                if (auto c = parse_color(value))
                    look.outline_color = *c;
                else
                    ok = false;
            } else if (name == shadow.md && (value == "off" || value == "none"))
                look.shadow = 0;
            else if (name == shadow.md) {
                char* end = nullptr;
                double v = std::strtod(value.c_str(), &end);
                ok = !value.empty() && end && *end == 0 && shadow.range.contains(v);
                if (ok)
                    look.shadow = v;
            } else
                ok = false;
            if (!ok)
                m_diag.error(val.at(start), "unknown subtitle setting \"" + word + "\"",
                             "write " + g::md_settings_hint(g::Subtitles) + " (outline and shadow may also be off)");
        }
    }

    // `logo: <path.png> [top-left|top-right|bottom-left|bottom-right] [opacity=0.8] [size=18%]`
    void read_logo(const Span& val)
    {
        auto words = split_words(val.text);
        if (words.empty())
            return;
        timeline::LogoSpec logo;
        std::string path(words[0].second);
        logo.path_as_written = path;
        logo.path = resolve_path(path, m_base);
        logo.loc = val.at(words[0].first);
        bool ok = true;
        if (core::to_lower_ascii(fs::path(path).extension().string()) != ".png") {
            m_diag.error(logo.loc, "the logo \"" + path + "\" is not a PNG", "save the logo as PNG (it keeps transparency)");
            ok = false;
        } else if (!check_media_file(path, logo.path, logo.loc, m_diag)) {
            ok = false;
        }
        constexpr const grammar::Key& corner = grammar::md_key(grammar::Logo, "<corner>");
        constexpr const grammar::Key& opacity = grammar::md_key(grammar::Logo, "opacity");
        constexpr const grammar::Key& size = grammar::md_key(grammar::Logo, "size");
        for (size_t k = 1; k < words.size(); ++k) {
            auto [off, w] = words[k];
            std::string lw = core::to_lower_ascii(w);
            auto eq = lw.find('=');
            std::string name = lw.substr(0, eq), num = eq == std::string::npos ? "" : lw.substr(eq + 1);
            bool pct = !num.empty() && num.back() == '%';
            if (pct)
                num.pop_back();
            char* end = nullptr;
            double v = std::strtod(num.c_str(), &end);
            bool numeric = !num.empty() && end && *end == 0;
            if (auto c = parse_logo_corner(lw)) {
                logo.corner = *c;
            } else if (name == opacity.md && numeric && opacity.range.contains(v)) {
                logo.opacity = v;
            } else if (name == size.md && numeric && pct && size.range.contains(v)) {
                logo.width_frac = v / 100;
            } else {
                auto dym = core::did_you_mean(lw, grammar::choice_names(corner));
                m_diag.error(val.at(off), "unknown logo setting \"" + std::string(w) + "\"",
                             dym.empty() ? "write " + grammar::md_settings_hint(grammar::Logo) : "did you mean \"" + dym + "\"?");
                ok = false;
            }
        }
        if (ok)
            m_project.logo = std::move(logo);
    }

    // `music: <path> [<gain>dB] [bed=-8dB] [duck=-17dB] [fade-in=1s] [fade-out=2s]`: the path may be
    // quoted when it has spaces.
    void read_music(const Span& val)
    {
        auto words = split_words(val.text);
        if (words.empty())
            return;
        std::string path(words[0].second);
        size_t path_end = words[0].first + words[0].second.size();
        if (!path.empty() && path.front() == '"') {
            size_t close = val.text.find('"', words[0].first + 1);
            if (close == std::string_view::npos) {
                m_diag.error(val.at(words[0].first), "the quoted music path has no closing quote", "add the missing \"");
                return;
            }
            path = std::string(val.text.substr(words[0].first + 1, close - words[0].first - 1));
            path_end = close + 1;
        }
        timeline::MusicSpec m;
        m.path_as_written = path;
        m.path = resolve_path(path, m_base);
        m.loc = val.at(words[0].first);
        bool ok = true;
        if (file_kind_from_extension(path) != FileKind::Audio && file_kind_from_extension(path) != FileKind::Video) {
            m_diag.error(m.loc, "\"" + path + "\" is not an audio file (judged by its extension)",
                         "use e.g. .mp3, .m4a, .ogg, .wav or .flac");
            ok = false;
        } else if (!check_media_file(path, m.path, m.loc, m_diag)) {
            ok = false;
        }
        namespace g = grammar;
        constexpr const g::Key& gain = g::md_key(g::Music, "<gain>dB");
        constexpr const g::Key& bed = g::md_key(g::Music, "bed");
        constexpr const g::Key& duck = g::md_key(g::Music, "duck");
        constexpr const g::Key& fade_in = g::md_key(g::Music, "fade-in");
        constexpr const g::Key& fade_out = g::md_key(g::Music, "fade-out");
        // A gain in dB: "-8dB" ("dB" may be left off after a `name=`).
        auto parse_db = [](std::string_view v, bool unit_optional) -> std::optional<double> {
            std::string t(v);
            char* end = nullptr;
            double db = std::strtod(t.c_str(), &end);
            if (end == t.c_str())
                return std::nullopt;
            std::string_view rest(end);
            if (rest == "db" || (unit_optional && rest.empty()))
                return db;
            return std::nullopt;
        };
        for (auto& [off, word] : split_words(val.text.substr(path_end))) {
            std::string w = core::to_lower_ascii(word);
            const size_t eq = w.find('=');
            const std::string name = eq == std::string::npos ? "" : w.substr(0, eq);
            const std::string_view value = eq == std::string::npos ? std::string_view() : std::string_view(w).substr(eq + 1);
            const SourceLoc value_at = val.at(path_end + off + (eq == std::string::npos ? 0 : eq + 1));
            if (eq == std::string::npos && parse_db(w, false)) {
                double db = *parse_db(w, false);
                if (gain.range.contains(db)) {
                    m.volume_db = db;
                } else {
                    m_diag.error(value_at, "the music gain \"" + std::string(word) + "\" is out of range",
                                 "write a gain " + g::range_sentence(gain) + " dB, e.g. `" + std::string(gain.md_example) + "`");
                    ok = false;
                }
            } else if (name == fade_in.md || name == fade_out.md) {
                const g::Key& fade = name == fade_in.md ? fade_in : fade_out;
                std::string_view v = std::string_view(word).substr(eq + 1);
                if (auto d = parse_duration_us(v, true); d && fade.range.contains(double(*d) / 1e6)) {
                    (&fade == &fade_in ? m.fade_in_us : m.fade_out_us) = *d;
                } else {
                    m_diag.error(value_at, "the music fade \"" + std::string(v) + "\" is not a duration "
                                               + g::range_sentence(fade) + " s",
                                 "write e.g. `fade-in=1s fade-out=2.5s` (`fade-out=0` ends at full level)");
                    ok = false;
                }
            } else if (name == bed.md || name == duck.md) {
                const g::Key& k = name == bed.md ? bed : duck;
                auto db = parse_db(value, true);
                if (db && k.range.contains(*db)) {
                    (&k == &bed ? m.bed_db : m.duck_db) = *db;
                } else {
                    m_diag.error(value_at,
                                 std::string(&k == &bed ? "the music's level in pauses" : "the music's level under speech")
                                     + " \"" + std::string(word.substr(eq + 1)) + "\" is not a gain " + g::range_sentence(k)
                                     + " dB",
                                 "write e.g. `bed=-8dB duck=-17dB` (dB relative to the speech's loudness)");
                    ok = false;
                }
            } else {
                std::vector<std::string> names;
                for (const g::Key* k : {&bed, &duck, &fade_in, &fade_out})
                    names.emplace_back(k->md);
                auto dym = core::did_you_mean(eq == std::string::npos ? w : name, names);
                m_diag.error(val.at(path_end + off), "unknown word \"" + std::string(word) + "\" after the music path",
                             dym.empty() ? "write " + g::md_settings_hint(g::Music)
                                         : "did you mean `" + dym + "=`? (" + g::md_settings_hint(g::Music) + ")");
                ok = false;
            }
        }
        if (ok)
            m_project.music = std::move(m);
    }

    static std::string example(uint16_t where, const std::string& key)
    {
        const grammar::Key* k = grammar::find_md(where, key);
        return k && !k->md_example.empty() ? std::string(k->md_example) : "...";
    }

    // ---- shots ----
    struct ShotState {
        int visual_line = 0;
        int duration_line = 0;
        int transition_line = 0;
        int title_line = 0;
        SourceLoc transition_loc;
        SourceLoc fit_loc;
    };

    Shot& current() { return m_project.shots.back(); }

    void read_shots(size_t body)
    {
        bool reported_orphan = false;
        for (size_t i = body; i < m_lines.size(); ++i) {
            const Line& l = m_lines[i];
            size_t lead = leading_space(l.text);
            std::string_view t = std::string_view(l.text).substr(lead);
            t = core::trim(t);
            if (t.empty())
                continue;
            int level = heading_level(t);
            if (level == 1) {
                start_shot(l, lead);
                continue;
            }
            if (m_project.shots.empty()) {
                if (!reported_orphan)
                    m_diag.error(loc(l, lead), "text before the first shot",
                                 level ? "only `# ` (one #) starts a shot" : "start a shot with a `# name` line above it");
                reported_orphan = true;
                continue;
            }
            if (level > 1) {
                m_diag.error(loc(l, lead), "a `" + std::string(size_t(level), '#') + "` heading does not start a shot",
                             "shots start with `# name` (one #); write `\\` before the line if it is narration");
                continue;
            }
            read_shot_line(l, lead, t);
        }
        finish_shots();
    }

    void start_shot(const Line& l, size_t lead)
    {
        Shot s;
        std::string_view rest = std::string_view(l.text).substr(lead + 1);
        // Markdown allows a closing "#" sequence: "# Title #".
        std::string_view name = core::trim(rest);
        while (!name.empty() && name.back() == '#')
            name.remove_suffix(1);
        name = core::trim(name);
        s.name = std::string(name);
        s.loc = loc(l, lead);
        if (s.name.empty()) {
            m_diag.error(s.loc, "shot heading has no name", "write a name after `# `, e.g. `# Opening`");
            s.name = "Shot " + std::to_string(m_project.shots.size() + 1);
        }
        m_project.shots.push_back(std::move(s));
        m_state.emplace_back();
    }

    void add_narration(const Line& l, size_t off, std::string_view text)
    {
        current().narration.emplace_back(text);
        current().narration_locs.push_back(loc(l, off));
    }

    void read_shot_line(const Line& l, size_t lead, std::string_view t)
    {
        // `\` escapes a line that would otherwise be a key, a media path or a heading.
        if (t[0] == '\\') {
            std::string_view rest = core::trim(t.substr(1));
            if (!rest.empty())
                add_narration(l, lead + 1 + leading_space(t.substr(1)), rest);
            return;
        }
        if (t.substr(0, 2) == "![") {
            m_diag.error(loc(l, lead), "Markdown image syntax is not supported",
                         "write the file's path on its own line, e.g. `media/photo.jpg zoom-in`");
            return;
        }
        if (try_media_line(l, lead, t))
            return;
        detail::KeyLine kl;
        if (detail::parse_key_line(l.text, kl) && read_key_line(l, kl))
            return;
        warn_if_meant_otherwise(l, lead, t);
        add_narration(l, lead, t);
    }

    // A narration line that was most likely meant as a key or a media path: said, because it
    // would otherwise be spoken and burned in as a subtitle without a word.
    void warn_if_meant_otherwise(const Line& l, size_t lead, std::string_view t)
    {
        const std::string escape = " (write `\\` before the line if it is narration)";
        detail::KeyLine kl;
        if (detail::parse_key_line(l.text, kl)) {
            // `Duration: 4s`, `Duraton: 4s`: a capitalised word before a colon is usually a sentence
            // ("Note: ..."), so only a (near-)known key is worth a word.
            std::string key = core::to_lower_ascii(kl.key);
            std::string dym = core::did_you_mean(key, shot_keys());
            if (!dym.empty())
                m_diag.warning(loc(l, kl.key_off), "\"" + std::string(kl.key) + ":\" is read as narration",
                               "keys are written in lower case: did you mean `" + dym + ":`?" + escape);
            return;
        }
        // `视觉: ...`, `时长：4秒`: a Chinese name for a key.
        size_t colon = t.find(':');
        size_t wide = t.find("\xEF\xBC\x9A");  // U+FF1A full-width colon
        size_t end = std::min(colon, wide);
        if (end != std::string_view::npos && end <= 12) {
            std::string word(core::trim(t.substr(0, end)));
            for (const grammar::Key& k : grammar::kKeys) {
                auto names = split_words(k.zh);
                if (std::none_of(names.begin(), names.end(), [&](auto& n) { return n.second == word; }))
                    continue;
                std::string key(k.md);
                bool project = !(k.md_where & grammar::Shot);
                m_diag.warning(loc(l, lead), "\"" + word + "\" is read as narration: keys are written in English",
                               "did you mean `" + key + ":`" + (project ? " (a project setting, in the front matter)" : "")
                                   + "?" + escape);
                return;
            }
        }
        // `media/central_street`: a path without its extension is not recognised as media.
        bool path_like = t.find('/') != std::string_view::npos && t.find("://") == std::string_view::npos
                      && std::all_of(t.begin(), t.end(), [](char c) {
                             return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                                 || c == '_' || c == '-' || c == '/' || c == '.';
                         });
        if (path_like && fs::path(std::string(t)).extension().empty())
            m_diag.warning(loc(l, lead), "\"" + std::string(t) + "\" looks like a file path without an extension; it is read as narration",
                           "add the file's extension (e.g. `" + std::string(t) + ".jpg`) to show it" + escape);
    }

    // `#结尾` and `＃ 结尾` look like shot headings but are not: each would silently merge two shots.
    void warn_near_headings(size_t body)
    {
        for (size_t i = body; i < m_lines.size(); ++i) {
            const Line& l = m_lines[i];
            size_t lead = leading_space(l.text);
            std::string_view t = core::trim(std::string_view(l.text).substr(lead));
            if (t.size() > 1 && t[0] == '#' && heading_level(t) == 0 && t[1] != '#'
                && t.find_first_of(" \t") == std::string_view::npos) {
                m_diag.warning(loc(l, lead), "\"" + std::string(t) + "\" is not a shot heading: `#` needs a space after it",
                               "write `# " + std::string(t.substr(1)) + "` to start a shot, or `\\" + std::string(t) +
                                   "` to keep it as narration");
            } else if (t.substr(0, 3) == "\xEF\xBC\x83") {  // U+FF03 full-width number sign
                std::string rest(core::trim(t.substr(3)));
                m_diag.warning(loc(l, lead), "a full-width `＃` does not start a shot",
                               "write `# " + rest + "` with the ASCII `#`, or `\\" + std::string(t) + "` to keep it as narration");
            }
        }
    }

    // Returns true if the line is a key line (handled, with or without errors).
    bool read_key_line(const Line& l, const detail::KeyLine& kl)
    {
        std::string key = core::to_lower_ascii(kl.key);
        bool all_lower = key == kl.key;
        SourceLoc key_loc = loc(l, kl.key_off);
        bool known = std::find(shot_keys().begin(), shot_keys().end(), key) != shot_keys().end();
        if (!known) {
            // A capitalised word is the start of a sentence ("Note: prices rise"): narration.
            // Keys are written in lower case, so only a lower-case word can be a misspelt key.
            if (!all_lower)
                return false;
            bool project_key = std::find(front_matter_keys().begin(), front_matter_keys().end(), key) != front_matter_keys().end()
                            || std::find(reserved_keys().begin(), reserved_keys().end(), key) != reserved_keys().end();
            if (project_key) {
                m_diag.error(key_loc, "`" + key + "` is a project setting, not a shot setting",
                             "move it into the front matter between the `---` lines at the top");
                return true;
            }
            auto dym = core::did_you_mean(key, shot_keys());
            if (dym.empty())
                return false;  // "price: 3 yuan" is narration
            m_diag.error(key_loc, "unknown key \"" + std::string(kl.key) + "\"",
                         "did you mean \"" + dym + "\"? (write `\\` before the line if it is narration)");
            return true;
        }
        Shot& s = current();
        ShotState& st = m_state.back();
        Span val = span(l, kl.value_off, kl.value);
        auto dup = [&](int first_line) {
            m_diag.error(key_loc, "`" + key + "` is given twice in shot \"" + s.name + "\" (first on line "
                                      + std::to_string(first_line) + ")",
                         "keep one of them");
        };
        if (kl.value.empty()) {
            m_diag.error(val.at(0), "`" + key + "` has no value",
                         key == "visual" ? "describe what should be seen, or give a media file's path"
                                         : "write e.g. `" + key + ": " + example(grammar::Shot, key) + "`");
            return true;
        }
        if (key == "visual") {
            if (st.visual_line) {
                m_diag.error(key_loc, "shot \"" + s.name + "\" already has a visual (line " + std::to_string(st.visual_line) + ")",
                             "a shot has one visual; start a new shot with `# name` for another");
                return true;
            }
            // `visual: media/photo.jpg zoom-in` is the same as the bare media line.
            if (try_media_line(l, kl.value_off, kl.value))
                return true;
            st.visual_line = l.number;
            s.visual.kind = timeline::VisualKind::Description;
            s.visual.description = std::string(kl.value);
            s.visual.loc = val.at(0);
            // `visual: generate <words>` always uses the scene generator; `visual: card` is a
            // title card on an abstract moving background.
            auto words = split_words(kl.value);
            std::string first = words.empty() ? "" : core::to_lower_ascii(words[0].second);
            if (first == "generate") {
                s.visual.kind = timeline::VisualKind::Generate;
                s.visual.description = std::string(core::trim(kl.value.substr(words[0].first + words[0].second.size())));
                if (s.visual.description.empty())
                    m_diag.error(val.at(0), "`visual: generate` needs a description of the scene",
                                 "write e.g. `visual: generate 雪夜里的冰雕城堡` or `visual: generate sunset over the sea`");
            } else if (first == "card" && words.size() == 1) {
                s.visual.kind = timeline::VisualKind::Card;
                s.visual.description.clear();
            }
        } else if (key == "duration") {
            if (st.duration_line)
                return dup(st.duration_line), true;
            st.duration_line = l.number;
            s.duration_loc = val.at(0);
            if (auto d = parse_duration_us(kl.value))
                s.duration_us = *d;
            else
                report(m_diag, val, d.error());
        } else if (key == "transition") {
            if (st.transition_line)
                return dup(st.transition_line), true;
            st.transition_line = l.number;
            st.transition_loc = key_loc;
            if (auto t = read_transition(val, default_transition_us(), m_diag))
                s.transition_out = *t;
        } else if (key == "title") {
            if (st.title_line)
                return dup(st.title_line), true;
            st.title_line = l.number;
            s.title = std::string(kl.value);
            s.title_loc = val.at(0);
        } else if (key == "continue") {
            std::string v = core::to_lower_ascii(core::trim(kl.value));
            s.continue_loc = val.at(0);
            if (v == "true" || v == "yes" || v == "on")
                s.continue_previous = true;
            else if (v == "false" || v == "no" || v == "off")
                s.continue_previous = false;
            else
                m_diag.error(val.at(0), "continue: \"" + std::string(kl.value) + "\" is neither true nor false",
                             "write `continue: true` to start this shot's generated clip from the previous shot's last frame");
        } else if (key == "title-animation") {
            if (s.title_animation_loc.valid())
                return dup(s.title_animation_loc.line), true;
            s.title_animation_loc = val.at(0);
            s.title_animation = read_title_animation(val);
        } else if (key == "audio") {
            std::string v = core::to_lower_ascii(core::trim(kl.value));
            s.audio_loc = val.at(0);
            if (v == "keep")
                s.keep_audio = true;
            else if (v == "mute" || v == "off")
                s.keep_audio = false;
            else
                m_diag.error(val.at(0), "audio: \"" + std::string(kl.value) + "\" is neither keep nor mute",
                             "write `audio: keep` to mix the clip's own sound in");
        } else if (key == "voice") {
            s.voice = std::string(core::trim(kl.value));
            s.voice_loc = val.at(0);
        } else if (key == "voice-file") {
            std::string path = unquote(core::trim(kl.value));
            s.voice_file_as_written = path;
            s.voice_file = resolve_path(path, m_base);
            s.voice_file_loc = val.at(0);
            FileKind kind = file_kind_from_extension(path);
            if (kind != FileKind::Audio && kind != FileKind::Video)
                m_diag.error(s.voice_file_loc, "\"" + path + "\" is not an audio file (judged by its extension)",
                             "use a recording such as .wav, .m4a or .mp3");
            else
                check_media_file(path, s.voice_file, s.voice_file_loc, m_diag);
        } else if (key == "fit") {
            if (st.fit_loc.valid())
                return dup(st.fit_loc.line), true;
            st.fit_loc = key_loc;
            if (auto f = parse_fit(kl.value)) {
                s.visual.fit = *f;
            } else {
                auto dym = core::did_you_mean(kl.value, fit_names());
                m_diag.error(val.at(0), "unknown fit \"" + std::string(kl.value) + "\"",
                             dym.empty() ? "use " + grammar::choices_text(grammar::md_key(grammar::Shot, "fit"))
                                         : "did you mean \"" + dym + "\"?");
            }
        }
        return true;
    }

    // If the line starts with a media path (recognised by extension), reads it as the shot's
    // visual and returns true — even when it has errors, so that a missing file is never
    // mistaken for narration.
    bool try_media_line(const Line& l, size_t off, std::string_view t)
    {
        std::string_view path;
        size_t path_off, rest_off;
        if (t[0] == '"') {
            auto close = t.find('"', 1);
            if (close == std::string_view::npos)
                return false;
            path = t.substr(1, close - 1);
            path_off = off + 1;
            rest_off = close + 1;
        } else {
            auto words = split_words(t);
            if (words.empty())
                return false;
            path = words[0].second;
            path_off = off;
            rest_off = path.size();
        }
        FileKind kind = file_kind_from_extension(path);
        if (kind == FileKind::Other) {
            check_unquoted_spaces(l, off, t);
            return false;
        }
        Shot& s = current();
        ShotState& st = m_state.back();
        SourceLoc path_loc = loc(l, path_off);
        std::string as_written(path);
        if (kind == FileKind::Audio) {
            m_diag.error(path_loc, "\"" + as_written + "\" is an audio file; a shot's visual must be an image or a video",
                         "background music will be set in the front matter (not supported yet)");
            return true;
        }
        if (st.visual_line) {
            m_diag.error(path_loc, "shot \"" + s.name + "\" already has a visual (line " + std::to_string(st.visual_line) + ")",
                         "a shot has one visual; start a new shot with `# name` for another");
            return true;
        }
        st.visual_line = l.number;
        timeline::Visual& v = s.visual;
        v.kind = timeline::VisualKind::Media;
        v.media_type = kind == FileKind::Image ? timeline::MediaType::Image : timeline::MediaType::Video;
        v.path_as_written = as_written;
        fs::path p(as_written);
        v.path = p.is_absolute() ? p : (m_base / p).lexically_normal();
        v.loc = path_loc;
        check_media_file(as_written, v.path, path_loc, m_diag);

        // Words after the path: a move, a fit, `from <time>`, `to <time>`.
        std::string_view rest = t.substr(std::min(rest_off, t.size()));
        size_t rest_base = off + (rest.data() - t.data());
        auto words = split_words(rest);
        bool have_move = false, have_fit = false;
        SourceLoc to_loc;
        for (size_t k = 0; k < words.size(); ++k) {
            auto [woff, w] = words[k];
            SourceLoc wl = loc(l, rest_base + woff);
            std::string lw = core::to_lower_ascii(w);
            if (auto m = parse_move(lw); m && *m != timeline::Move::None) {
                if (v.media_type == timeline::MediaType::Video) {
                    m_diag.error(wl, "`" + lw + "` is a move for photos; a video shot cannot use it",
                                 "remove `" + lw + "` (the clip's own motion is shown)");
                } else if (have_move) {
                    m_diag.error(wl, "a second move `" + lw + "`", "a shot has one move; keep one");
                } else {
                    v.move = *m;
                }
                have_move = true;
            } else if (auto f = parse_fit(lw)) {
                if (have_fit || st.fit_loc.valid())
                    m_diag.error(wl, "a second fit `" + lw + "`", "keep one of cover, contain, stretch");
                else
                    v.fit = *f;
                have_fit = true;
            } else if (lw == "from" || lw == "to") {
                bool has_value = k + 1 < words.size();
                if (v.media_type == timeline::MediaType::Image) {
                    m_diag.error(wl, "`" + lw + "` trims a video; \"" + as_written + "\" is a photo",
                                 "remove `" + lw + (has_value ? " " + std::string(words[k + 1].second) : "") + "`; use `duration:` to set how long a photo shows");
                    k += has_value;
                    continue;
                }
                if (!has_value) {
                    m_diag.error(wl, "`" + lw + "` needs a time", "write e.g. `from 3s to 8s`");
                    continue;
                }
                ++k;
                auto [voff, vw] = words[k];
                Span vs = span(l, rest_base + voff, vw);
                auto d = parse_duration_us(vw, lw == "from");
                if (!d) {
                    report(m_diag, vs, d.error());
                    continue;
                }
                auto& slot = lw == "from" ? v.trim_from_us : v.trim_to_us;
                if (slot)
                    m_diag.error(wl, "`" + lw + "` is given twice", "keep one");
                slot = *d;
                if (lw == "to")
                    to_loc = wl;
            } else {
                std::vector<std::string> all = move_names();
                for (auto& f : fit_names())
                    all.push_back(f);
                if (v.media_type == timeline::MediaType::Video) {
                    all.push_back("from");
                    all.push_back("to");
                }
                auto dym = core::did_you_mean(lw, all);
                std::string fits = join(fit_names(), "/");
                m_diag.error(wl, "unknown word \"" + std::string(w) + "\" after the media path",
                             dym.empty() ? (v.media_type == timeline::MediaType::Video
                                                ? "after a video's path: " + fits + ", `from 3s`, `to 8s`"
                                                : "after a photo's path: a move (" + join(move_names()) + ") and/or " + fits)
                                         : "did you mean \"" + dym + "\"?");
            }
        }
        if (v.trim_from_us && v.trim_to_us && *v.trim_to_us <= *v.trim_from_us)
            m_diag.error(to_loc, "the clip ends (`to " + seconds_text(*v.trim_to_us) + "s`) before it starts (`from "
                                     + seconds_text(*v.trim_from_us) + "s`)",
                         "`to` must be later than `from`");
        return true;
    }

    // "my photo.jpg zoom-in" without quotes reads as narration; when the file really exists,
    // say so instead of silently narrating a file name.
    void check_unquoted_spaces(const Line& l, size_t off, std::string_view t)
    {
        auto words = split_words(t);
        for (size_t k = 1; k < words.size() && k < 8; ++k) {
            auto [woff, w] = words[k];
            if (file_kind_from_extension(w) == FileKind::Other)
                continue;
            std::string candidate(t.substr(0, woff + w.size()));
            fs::path p(candidate);
            std::error_code ec;
            if (fs::is_regular_file(p.is_absolute() ? p : m_base / p, ec))
                m_diag.error(loc(l, off), "a media path with spaces must be quoted",
                             "write \"" + candidate + "\" in double quotes");
            return;
        }
    }

    void finish_shots()
    {
        for (size_t i = 0; i < m_project.shots.size(); ++i) {
            Shot& s = m_project.shots[i];
            ShotState& st = m_state[i];
            if (st.fit_loc.valid() && s.visual.kind != timeline::VisualKind::Media)
                m_diag.warning(st.fit_loc, "`fit` has no effect: shot \"" + s.name + "\" has no photo or video",
                               "remove it, or add a media file's path to the shot");
            if (i + 1 == m_project.shots.size() && st.transition_line)
                m_diag.warning(st.transition_loc, "`transition` on the last shot has nothing to go into; it is ignored",
                               "remove it, or add a shot after it");
            if (s.narration.empty() && s.visual.kind == timeline::VisualKind::None && !s.duration_us)
                m_diag.warning(s.loc, "shot \"" + s.name + "\" is empty",
                               "add narration, a visual or a `duration:`; it shows a scene generated from its name for "
                                   + seconds_text(timeline::kMinShotUs) + " s");
        }
    }

    // ---- article ----
    struct Sentence {
        std::string text;
        SourceLoc loc;
    };

    // Splits one paragraph (consecutive non-blank lines) into sentences.
    std::vector<Sentence> split_sentences(size_t first, size_t last)
    {
        std::vector<Sentence> out;
        Sentence cur;
        bool started = false;  // cur.text has more than spaces (kept as a flag: re-trimming is quadratic)
        auto flush = [&] {
            std::string t(core::trim(cur.text));
            if (!t.empty())
                out.push_back({t, cur.loc});
            cur = {};
            started = false;
        };
        auto is_close = [](char32_t c) {
            return c == U'"' || c == U'\'' || c == U'”' || c == U'’' || c == U'」' || c == U'』' || c == U'）'
                || c == U')' || c == U'】' || c == U'》' || c == U']';
        };
        auto is_cjk_end = [](char32_t c) {
            return c == U'。' || c == U'！' || c == U'？' || c == U'；' || c == U'…';
        };
        for (size_t li = first; li <= last; ++li) {
            const Line& l = m_lines[li];
            auto cps = core::utf8_decode(l.text);
            // Joining lines of one paragraph: a space between English words, none for Chinese.
            if (started) {
                std::string_view tail = core::trim(cur.text), head = core::trim(l.text);
                if (!tail.empty() && !head.empty() && !is_cjk_or_cjk_punct(last_code_point(tail))
                    && !is_cjk_or_cjk_punct(first_code_point(head)))
                    cur.text += ' ';
            }
            int col = 0;
            size_t marks_end = 0;  // end of the run of marks after the last '.', '!' or '?' looked at
            for (size_t k = 0; k < cps.size(); ++k) {
                ++col;
                char32_t c = cps[k];
                if (!started) {
                    if (c == ' ' || c == '\t' || c == 0x3000) {
                        cur.text.clear();
                        continue;
                    }
                    cur.loc = {m_file, l.number, col};
                    started = true;
                }
                cur.text += core::utf8_encode(c);
                bool end = false;
                if (is_cjk_end(c)) {
                    end = true;
                } else if (c == '.' || c == '!' || c == '?') {
                    // English: the mark must be followed by a space, a closing quote, or the end.
                    // A run of marks is scanned once, not once per mark in it.
                    size_t j = std::max(k + 1, marks_end);
                    while (j < cps.size() && (cps[j] == '.' || cps[j] == '!' || cps[j] == '?' || is_close(cps[j])))
                        ++j;
                    marks_end = j;
                    end = j >= cps.size() || cps[j] == ' ' || cps[j] == '\t' || cps[j] == 0x3000;
                }
                if (end) {
                    // Keep runs of marks ("……", "?!") and closing quotes with the sentence.
                    while (k + 1 < cps.size()
                           && (is_cjk_end(cps[k + 1]) || cps[k + 1] == '.' || cps[k + 1] == '!' || cps[k + 1] == '?'
                               || is_close(cps[k + 1]))) {
                        cur.text += core::utf8_encode(cps[++k]);
                        ++col;
                    }
                    flush();
                }
            }
        }
        flush();
        return out;
    }

    static constexpr int64_t kShotTargetMaxUs = 7'000'000;

    void read_article(size_t body)
    {
        size_t i = body;
        while (i < m_lines.size()) {
            if (is_blank(m_lines[i].text)) {
                ++i;
                continue;
            }
            size_t j = i;
            while (j + 1 < m_lines.size() && !is_blank(m_lines[j + 1].text))
                ++j;
            auto sentences = split_sentences(i, j);
            // Greedy grouping: add sentences while the group's reading time stays within
            // ~7 s; a paragraph break always ends a shot. A single long sentence stays whole.
            std::vector<Sentence> group;
            auto emit = [&] {
                if (group.empty())
                    return;
                Shot s;
                s.name = "Shot " + std::to_string(m_project.shots.size() + 1);
                s.loc = group.front().loc;
                std::string desc;
                for (auto& g : group) {
                    s.narration.push_back(g.text);
                    s.narration_locs.push_back(g.loc);
                    join_text(desc, g.text);
                }
                s.visual.kind = timeline::VisualKind::Description;
                s.visual.description = desc;
                s.visual.loc = group.front().loc;
                m_project.shots.push_back(std::move(s));
                group.clear();
            };
            for (auto& sen : sentences) {
                if (!group.empty()) {
                    std::vector<std::string> texts;
                    for (auto& g : group)
                        texts.push_back(g.text);
                    texts.push_back(sen.text);
                    if (timeline::estimate_reading_us(texts) > kShotTargetMaxUs)
                        emit();
                }
                group.push_back(sen);
            }
            emit();
            i = j + 1;
        }
        if (m_project.shots.empty())
            m_diag.error(SourceLoc{m_file, 1, 1}, "the script has no text to make shots from",
                         "write narration, or `# name` headings that start shots");
    }

    std::string m_file;
    fs::path m_base;
    core::Diagnostics& m_diag;
    std::vector<Line> m_lines;
    timeline::Project m_project;
    std::vector<ShotState> m_state;
    mutable const Line* m_loc_line = nullptr;  // loc()'s last line, offset and column
    mutable size_t m_loc_off = 0, m_loc_col = 1;
};

}  // namespace

namespace detail {

timeline::Project read_markdown(std::string_view text, const std::string& file, const fs::path& base_dir,
                                bool force_article, core::Diagnostics& diag)
{
    MarkdownReader r(text, file, base_dir, diag);
    return r.run(force_article);
}

bool has_heading(std::string_view text)
{
    core::Diagnostics ignored;
    auto lines = split_lines(text, "", ignored);
    for (auto& l : lines)
        if (heading_level(core::trim(l.text)) == 1)
            return true;
    return false;
}

}  // namespace detail
}  // namespace sw::script
