// The JSON form of a script (docs/script.md, docs/schema/project.schema.json).
//
// nlohmann::json gives us the values but not where they are in the file, and every message
// must say file:line:col. Once nlohmann has accepted the text (so it is known to be valid
// JSON), a small scanner walks it again and records the byte offset of every key and value by
// JSON pointer. Doing it as a second pass over validated text keeps the scanner trivial (no
// error handling) and independent of nlohmann's internals.

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <cstring>

#include "core/text_util.h"
#include "script/grammar.h"
#include "script/readers.h"
#include "script/script.h"
#include "script/values.h"

namespace sw::script::detail {

namespace fs = std::filesystem;
using core::SourceLoc;
using nlohmann::json;

namespace {

class LineIndex {
public:
    explicit LineIndex(std::string_view text)
        : m_text(text)
    {
        m_starts.push_back(0);
        for (size_t i = 0; i < text.size(); ++i)
            if (text[i] == '\n')
                m_starts.push_back(i + 1);
    }
    SourceLoc loc(const std::string& file, size_t off) const
    {
        off = std::min(off, m_text.size());
        auto it = std::upper_bound(m_starts.begin(), m_starts.end(), off);
        size_t line = size_t(it - m_starts.begin());  // 1-based
        size_t start = m_starts[line - 1];
        // Locations are mostly asked for in file order: count on from the last one on the same
        // line, so that many values on one long (minified) line stay linear.
        if (m_last_line != line || m_last_off > off) {
            m_last_line = line;
            m_last_off = start;
            m_last_col = 1;
        }
        m_last_col += core::utf8_length(m_text.substr(m_last_off, off - m_last_off));
        m_last_off = off;
        return {file, int(line), int(m_last_col)};
    }

private:
    std::string_view m_text;
    std::vector<size_t> m_starts;
    mutable size_t m_last_line = 0, m_last_off = 0, m_last_col = 1;
};

std::string escape_pointer_token(const std::string& s)
{
    std::string r;
    for (char c : s) {
        if (c == '~')
            r += "~0";
        else if (c == '/')
            r += "~1";
        else
            r += c;
    }
    return r;
}

// Records the offset of every key and value of a valid JSON text, by JSON pointer.
class PositionIndex {
public:
    explicit PositionIndex(std::string_view s)
        : m_s(s)
    {
        if (m_s.substr(0, 3) == "\xEF\xBB\xBF")  // nlohmann skips a byte-order mark; so must we
            m_i = 3;
        ws();
        std::string ptr;
        value(ptr);
    }
    std::map<std::string, size_t> keys, values;
    std::vector<std::pair<size_t, std::string>> duplicates;  // offset of the repeated key, its name

private:
    void ws()
    {
        while (m_i < m_s.size() && (m_s[m_i] == ' ' || m_s[m_i] == '\t' || m_s[m_i] == '\n' || m_s[m_i] == '\r'))
            ++m_i;
    }
    std::string string_token()
    {
        size_t b = m_i++;
        while (m_i < m_s.size() && m_s[m_i] != '"') {
            if (m_s[m_i] == '\\')
                ++m_i;
            ++m_i;
        }
        ++m_i;
        // Decoding escapes (\u...) is nlohmann's job; the token is valid JSON.
        auto j = json::parse(m_s.substr(b, std::min(m_i, m_s.size()) - b), nullptr, false);
        return j.is_string() ? j.get<std::string>() : std::string();
    }
    // `ptr` is this value's pointer; children append their token and cut it off again, so the
    // work stays linear in the text (depth is bounded by check_json_limits before we get here).
    void value(std::string& ptr)
    {
        values[ptr] = m_i;
        if (m_i >= m_s.size())
            return;
        char c = m_s[m_i];
        if (c == '{') {
            ++m_i;
            ws();
            std::set<std::string> seen;
            while (m_i < m_s.size() && m_s[m_i] != '}') {
                size_t key_off = m_i;
                std::string key = string_token();
                size_t len = ptr.size();
                ptr += "/" + escape_pointer_token(key);
                if (!seen.insert(key).second)
                    duplicates.emplace_back(key_off, key);
                keys[ptr] = key_off;
                ws();
                ++m_i;  // ':'
                ws();
                value(ptr);
                ptr.resize(len);
                ws();
                if (m_i < m_s.size() && m_s[m_i] == ',') {
                    ++m_i;
                    ws();
                }
            }
            ++m_i;
        } else if (c == '[') {
            ++m_i;
            ws();
            int n = 0;
            while (m_i < m_s.size() && m_s[m_i] != ']') {
                size_t len = ptr.size();
                ptr += "/" + std::to_string(n++);
                value(ptr);
                ptr.resize(len);
                ws();
                if (m_i < m_s.size() && m_s[m_i] == ',') {
                    ++m_i;
                    ws();
                }
            }
            ++m_i;
        } else if (c == '"') {
            string_token();
        } else {
            while (m_i < m_s.size() && !strchr(",]} \t\r\n", m_s[m_i]))
                ++m_i;
        }
    }
    std::string_view m_s;
    size_t m_i = 0;
};

// "/shots/2/duration" → "shots[2].duration" for messages.
std::string readable(const std::string& ptr)
{
    std::string r;
    size_t i = 0;
    while (i < ptr.size()) {
        size_t j = ptr.find('/', i + 1);
        std::string tok = ptr.substr(i + 1, j == std::string::npos ? std::string::npos : j - i - 1);
        bool index = !tok.empty() && std::all_of(tok.begin(), tok.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (index)
            r += "[" + tok + "]";
        else
            r += (r.empty() ? "" : ".") + tok;
        if (j == std::string::npos)
            break;
        i = j;
    }
    return r.empty() ? "the top level" : r;
}

const char* type_name(const json& v)
{
    switch (v.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return "true/false";
    case json::value_t::string: return "a string";
    case json::value_t::array: return "an array";
    case json::value_t::object: return "an object";
    default: return "a number";
    }
}

class JsonReader {
public:
    JsonReader(std::string_view text, std::string file, fs::path base, core::Diagnostics& diag)
        : m_text(text)
        , m_file(std::move(file))
        , m_base(std::move(base))
        , m_diag(diag)
        , m_lines(text)
    {
    }

    core::Result<timeline::Project> run()
    {
        std::string_view body = m_text.substr(0, 3) == "\xEF\xBB\xBF" ? m_text.substr(3) : m_text;
        if (auto e = check_json_limits(body, kMaxJsonDepth)) {
            SourceLoc where = m_lines.loc(m_file, e->offset + (m_text.size() - body.size()));
            return core::make_error(core::ErrorCategory::Script, e->message + " — " + e->hint, {}, where);
        }
        json root;
        try {
            root = json::parse(m_text);
        } catch (const json::parse_error& e) {
            // e.byte is the 1-based count of bytes read when the parser gave up.
            size_t off = e.byte > 0 ? e.byte - 1 : 0;
            std::string what = e.what();
            auto col = what.find("column ");
            auto colon = col == std::string::npos ? std::string::npos : what.find(": ", col);
            std::string msg = colon == std::string::npos ? what : what.substr(colon + 2);
            SourceLoc where = m_lines.loc(m_file, off);
            std::string full = "invalid JSON: " + msg;
            std::string hint = "check for a missing comma, quote or bracket here or just before";
            return core::make_error(core::ErrorCategory::Script, full + " — " + hint, {}, where);
        } catch (const json::exception& e) {
            // Any other refusal (check_json_limits catches the known ones first): no position.
            return core::make_error(core::ErrorCategory::Script, std::string("invalid JSON: ") + e.what() +
                                        " — check the numbers and strings of the file",
                                    {}, SourceLoc{m_file, 1, 1});
        }
        PositionIndex idx(m_text);
        m_keys = std::move(idx.keys);
        m_values = std::move(idx.values);
        if (!root.is_object()) {
            SourceLoc where = val_loc("");
            std::string msg = std::string("the top level must be an object, not ") + type_name(root);
            std::string hint = "write {\"shots\": [...]} (see docs/script.md)";
            return core::make_error(core::ErrorCategory::Script, msg + " — " + hint, {}, where);
        }
        m_project.script_path = m_file;
        m_project.base_dir = m_base;
        read_project(root);
        // nlohmann keeps the last of two equal keys; the user almost certainly meant one of them.
        for (auto& [off, key] : idx.duplicates)
            m_diag.error(m_lines.loc(m_file, off), "key \"" + key + "\" appears twice in the same object",
                         "keep one of them");
        return std::move(m_project);
    }

private:
    SourceLoc val_loc(const std::string& ptr) const
    {
        auto it = m_values.find(ptr);
        return it == m_values.end() ? SourceLoc{m_file, 1, 1} : m_lines.loc(m_file, it->second);
    }
    SourceLoc key_loc(const std::string& ptr) const
    {
        auto it = m_keys.find(ptr);
        return it == m_keys.end() ? val_loc(ptr) : m_lines.loc(m_file, it->second);
    }
    // A span over a string value's contents (just after the opening quote).
    Span string_span(const std::string& ptr, const std::string& s) const
    {
        SourceLoc l = val_loc(ptr);
        l.col += 1;
        return Span{l, s};
    }

    void type_error(const std::string& ptr, const json& v, const std::string& expected)
    {
        m_diag.error(val_loc(ptr), readable(ptr) + " must be " + expected + ", not " + type_name(v),
                     "see docs/script.md, \"The JSON form\"");
    }

    // Unknown fields are errors with a suggestion: a misspelt "duraton" silently ignored would
    // be worse than useless for a program generating scripts.
    void check_fields(const json& obj, const std::string& ptr, const std::vector<std::string>& allowed)
    {
        for (auto& [k, v] : obj.items()) {
            if (std::find(allowed.begin(), allowed.end(), k) != allowed.end())
                continue;
            std::string child = ptr + "/" + escape_pointer_token(k);
            auto dym = core::did_you_mean(k, allowed);
            std::string list;
            for (auto& a : allowed)
                if (a[0] != '$')
                    list += (list.empty() ? "" : ", ") + a;
            m_diag.error(key_loc(child), "unknown field \"" + k + "\" in " + readable(ptr),
                         dym.empty() ? "allowed fields: " + list : "did you mean \"" + dym + "\"?");
        }
    }

    std::optional<std::string> get_string(const json& obj, const std::string& ptr, const char* key)
    {
        auto it = obj.find(key);
        if (it == obj.end())
            return std::nullopt;
        if (!it->is_string()) {
            type_error(ptr + "/" + key, *it, "a string");
            return std::nullopt;
        }
        return it->get<std::string>();
    }

    std::optional<int64_t> get_duration(const json& v, const std::string& ptr, bool allow_zero)
    {
        Parsed<int64_t> d;
        if (v.is_number()) {
            d = seconds_to_us(v.get<double>(), allow_zero);
            if (!d) {
                m_diag.error(val_loc(ptr), readable(ptr) + ": " + d.error().message, d.error().hint);
                return std::nullopt;
            }
            return *d;
        }
        if (v.is_string()) {
            std::string s = v.get<std::string>();
            d = parse_duration_us(s, allow_zero);
            if (!d) {
                Span sp = string_span(ptr, s);
                m_diag.error(sp.at(d.error().offset), readable(ptr) + ": " + d.error().message, d.error().hint);
                return std::nullopt;
            }
            return *d;
        }
        type_error(ptr, v, "a number of seconds or a string like \"4s\"");
        return std::nullopt;
    }

    std::optional<timeline::TransitionSpec> get_transition(const json& v, const std::string& ptr, int64_t default_us)
    {
        if (v.is_string()) {
            std::string s = v.get<std::string>();
            return read_transition(string_span(ptr, s), default_us, m_diag);
        }
        if (!v.is_object()) {
            type_error(ptr, v, "a string like \"fade 0.5s\" or an object {\"name\": ..., \"duration\": ...}");
            return std::nullopt;
        }
        check_fields(v, ptr, grammar::json_names(grammar::Transition));
        timeline::TransitionSpec t;
        auto name = get_string(v, ptr, "name");
        if (!name) {
            if (!v.contains("name"))
                m_diag.error(val_loc(ptr), readable(ptr) + " has no \"name\"", "add e.g. \"name\": \"fade\"");
            return std::nullopt;
        }
        t.name = core::to_lower_ascii(*name);
        t.loc = val_loc(ptr + "/name");
        bool ok = true;
        if (auto it = v.find("duration"); it != v.end()) {
            if (auto d = get_duration(*it, ptr + "/duration", false))
                t.duration_us = *d;
            else
                ok = false;
        } else {
            t.duration_us = t.name == "cut" ? 0 : default_us;
        }
        if (t.name == "cut")
            t.duration_us = 0;
        Span name_span = string_span(ptr + "/name", *name);
        if (!validate_transition(t, name_span, m_diag))
            ok = false;
        if (!ok)
            return std::nullopt;
        return t;
    }

    // "logo": "media/logo.png" or {"media": ..., "corner": "top-right", "opacity": 0.85, "size_percent": 18}
    void read_logo(const json& v)
    {
        timeline::LogoSpec lg;
        std::string ptr = "/logo";
        std::optional<std::string> path;
        if (v.is_string()) {
            path = v.get<std::string>();
        } else if (v.is_object()) {
            namespace g = grammar;
            check_fields(v, ptr, g::json_names(g::Logo));
            path = get_string(v, ptr, "media");
            if (auto c = get_string(v, ptr, "corner")) {
                if (auto corner = parse_logo_corner(*c))
                    lg.corner = *corner;
                else
                    m_diag.error(val_loc(ptr + "/corner"), "unknown logo corner \"" + *c + "\"",
                                 "use " + g::choices_text(g::json_key(g::Logo, "corner")));
            }
            if (auto n = number_in(v, ptr, g::json_key(g::Logo, "opacity")))
                lg.opacity = *n;
            if (auto n = number_in(v, ptr, g::json_key(g::Logo, "size_percent")))
                lg.width_frac = *n / 100;
            ptr += "/media";
        } else {
            type_error(ptr, v, "a path or an object with \"media\"");
            return;
        }
        if (!path) {
            m_diag.error(val_loc("/logo"), "logo needs \"media\"", "add e.g. \"media\": \"media/logo.png\"");
            return;
        }
        lg.path_as_written = *path;
        lg.path = resolve_path(*path, m_project.base_dir);
        lg.loc = val_loc(ptr);
        if (core::to_lower_ascii(fs::path(*path).extension().string()) != ".png") {
            m_diag.error(lg.loc, "the logo \"" + *path + "\" is not a PNG", "save the logo as PNG (it keeps transparency)");
            return;
        }
        if (check_media_file(*path, lg.path, lg.loc, m_diag))
            m_project.logo = std::move(lg);
    }

    std::optional<timeline::TitleAnimation> title_animation_at(const std::string& ptr, const std::string& v)
    {
        if (auto a = parse_title_animation(v))
            return a;
        auto dym = core::did_you_mean(core::to_lower_ascii(v), title_animation_names());
        constexpr const grammar::Key& k = grammar::json_key(grammar::Project, "title_animation");
        m_diag.error(val_loc(ptr), "unknown title animation \"" + v + "\"",
                     dym.empty() ? "use " + grammar::choices_text(k, "\"") + " (default \"" + std::string(k.choices[0]) + "\")"
                                 : "did you mean \"" + dym + "\"?");
        return std::nullopt;
    }

    // The number `k` names in `obj` (at `ptr`) if it is within the key's range (and, when `whole`,
    // written as a whole number), else an error with the range and the key's example.
    std::optional<double> number_in(const json& obj, const std::string& ptr, const grammar::Key& k, bool whole = false)
    {
        std::string key(k.json);
        auto it = obj.find(key);
        if (it == obj.end())
            return std::nullopt;
        if (!(whole ? it->is_number_integer() : it->is_number()) || !k.range.contains(it->get<double>())) {
            m_diag.error(val_loc(ptr + "/" + key),
                         readable(ptr + "/" + key) + " must be " + (whole ? "a whole number " : "a number ")
                             + grammar::range_sentence(k),
                         "e.g. \"" + key + "\": " + std::string(k.json_example));
            return std::nullopt;
        }
        return it->get<double>();
    }

    // "subtitles": true/false, or {"burn": true, "position": "bottom"|"center"|"top"|"30%",
    // "size_percent": 4, "box": true, "color": "#ffd400", "outline_px": 3, "outline_color": "black",
    // "shadow": 0.5, "font": "Noto Serif CJK SC"}: the same look as the front matter's `subtitles:`.
    void read_subtitles(const json& v)
    {
        const std::string ptr = "/subtitles";
        if (v.is_boolean()) {
            m_project.burn_subtitles = v.get<bool>();
            return;
        }
        if (!v.is_object()) {
            type_error(ptr, v, "true, false or an object like {\"position\": \"top\", \"box\": true}");
            return;
        }
        namespace g = grammar;
        check_fields(v, ptr, g::json_names(g::Subtitles));
        auto& look = m_project.subtitle_look;
        if (auto it = v.find("burn"); it != v.end()) {
            if (it->is_boolean())
                m_project.burn_subtitles = it->get<bool>();
            else
                type_error(ptr + "/burn", *it, "true or false");
        }
        if (auto it = v.find("box"); it != v.end()) {
            if (it->is_boolean())
                look.box = it->get<bool>();
            else
                type_error(ptr + "/box", *it, "true or false");
        }
        if (auto p = get_string(v, ptr, "position")) {
            constexpr const g::Key& position = g::json_key(g::Subtitles, "position");
            char* end = nullptr;
            double pc = std::strtod(p->c_str(), &end);
            if (auto named = parse_subtitle_position(*p)) {
                look.position = *named;
            } else if (end && end != p->c_str() && std::string_view(end) == "%" && position.range.contains(pc)) {
                look.position = timeline::SubtitlePosition::Percent;
                look.percent = pc / 100;
            } else {
                m_diag.error(val_loc(ptr + "/position"), "unknown subtitle position \"" + *p + "\"",
                             "use " + g::choices_text(position, "\"") + " or a height like \"30%\" ("
                                 + g::range_text(position) + " %)");
            }
        }
        if (auto n = number_in(v, ptr, g::json_key(g::Subtitles, "size_percent")))
            look.size_frac = *n / 100;
        if (auto n = number_in(v, ptr, g::json_key(g::Subtitles, "outline_px")))
            look.outline_px = *n;
        if (auto n = number_in(v, ptr, g::json_key(g::Subtitles, "shadow")))
            look.shadow = *n;
        if (auto n = number_in(v, ptr, g::json_key(g::Subtitles, "max_lines")))
            look.max_lines = (int)*n;
        for (const char* key : {"color", "outline_color"}) {
            if (auto c = get_string(v, ptr, key)) {
                if (auto rgb = parse_color(*c))
                    (key[0] == 'c' ? look.color : look.outline_color) = *rgb;
                else
                    report(m_diag, string_span(ptr + "/" + key, *c), rgb.error());
            }
        }
        if (auto f = get_string(v, ptr, "font"))
            look.font = *f;
    }

    // "loudness": -14 (integrated LUFS) or {"lufs": -14, "peak_dbtp": -1}.
    void read_loudness(const json& v)
    {
        namespace g = grammar;
        constexpr const g::Key& lufs = g::json_key(g::Loudness, "lufs");
        m_project.loudness_loc = val_loc("/loudness");
        if (v.is_number()) {
            if (!lufs.range.contains(v.get<double>()))
                m_diag.error(val_loc("/loudness"), "loudness must be a number " + g::range_sentence(lufs) + " (LUFS)",
                             "e.g. \"loudness\": " + std::string(lufs.json_example));
            else
                m_project.loudness_lufs = v.get<double>();
            return;
        }
        if (!v.is_object()) {
            type_error("/loudness", v, "a number of LUFS like -14 or an object {\"lufs\": -14, \"peak_dbtp\": -1}");
            return;
        }
        check_fields(v, "/loudness", g::json_names(g::Loudness));
        if (auto n = number_in(v, "/loudness", lufs))
            m_project.loudness_lufs = *n;
        if (auto n = number_in(v, "/loudness", g::json_key(g::Loudness, "peak_dbtp")))
            m_project.true_peak_dbtp = *n;
    }

    // "music": "media/bgm.mp3" or {"media": "media/bgm.mp3", "volume_db": -6, "bed_db": -8, "duck_db": -18,
    // "fade_in": "1s", "fade_out": "2s"}
    void read_music(const json& v)
    {
        timeline::MusicSpec m;
        std::string ptr = "/music";
        std::optional<std::string> path;
        if (v.is_string()) {
            path = v.get<std::string>();
        } else if (v.is_object()) {
            namespace g = grammar;
            check_fields(v, ptr, g::json_names(g::Music));
            path = get_string(v, ptr, "media");
            if (!path) {
                m_diag.error(val_loc(ptr), "music needs \"media\"", "add e.g. \"media\": \"media/bgm.mp3\"");
                return;
            }
            ptr += "/media";
            // A bad setting drops the music (one error, not a second about the music itself).
            const std::pair<double*, const g::Key*> gains[] = {{&m.volume_db, &g::json_key(g::Music, "volume_db")},
                                                                {&m.bed_db, &g::json_key(g::Music, "bed_db")},
                                                                {&m.duck_db, &g::json_key(g::Music, "duck_db")}};
            for (auto [out, key] : gains) {
                const g::Key& k = *key;
                if (!v.contains(k.json))
                    continue;
                auto n = number_in(v, "/music", k);
                if (!n)
                    return;
                *out = *n;
            }
            for (int64_t* out : {&m.fade_in_us, &m.fade_out_us}) {
                const g::Key& k = out == &m.fade_in_us ? g::json_key(g::Music, "fade_in") : g::json_key(g::Music, "fade_out");
                std::string key(k.json);
                auto it = v.find(key);
                if (it == v.end())
                    continue;
                auto d = get_duration(*it, "/music/" + key, true);
                if (!d)
                    return;
                if (!k.range.contains(double(*d) / 1e6)) {
                    m_diag.error(val_loc("/music/" + key), "music." + key + " must be at most " + g::number_text(k.range.hi) + " s",
                                 "e.g. \"" + key + "\": " + std::string(k.json_example));
                    return;
                }
                *out = *d;
            }
        } else {
            type_error(ptr, v, "a path or an object with \"media\"");
            return;
        }
        m.path_as_written = *path;
        m.path = resolve_path(*path, m_project.base_dir);
        m.loc = val_loc(ptr);
        FileKind kind = file_kind_from_extension(*path);
        if (kind != FileKind::Audio && kind != FileKind::Video) {
            m_diag.error(m.loc, "\"" + *path + "\" is not an audio file (judged by its extension)",
                         "use e.g. .mp3, .m4a, .ogg, .wav or .flac");
            return;
        }
        if (check_media_file(*path, m.path, m.loc, m_diag))
            m_project.music = std::move(m);
    }

    void read_project(const json& root)
    {
        namespace g = grammar;
        check_fields(root, "", g::json_names(g::Project));
        if (auto it = root.find("schema_version"); it != root.end()) {
            if (!it->is_number_integer() || it->get<int64_t>() != 1)
                m_diag.error(val_loc("/schema_version"), "schema_version must be 1",
                             "this version of shotweave reads version 1 of the JSON form");
        }
        if (auto s = get_string(root, "", "title"))
            m_project.title = *s;
        if (auto s = get_string(root, "", "size")) {
            m_project.size_loc = val_loc("/size");
            if (auto sz = parse_size(*s)) {
                m_project.width = sz->width;
                m_project.height = sz->height;
            } else {
                report(m_diag, string_span("/size", *s), sz.error());
            }
        }
        if (auto it = root.find("fps"); it != root.end()) {
            m_project.fps_loc = val_loc("/fps");
            Parsed<core::Rational> f;
            if (it->is_number())
                f = fps_from_number(it->get<double>());
            else if (it->is_string())
                f = parse_fps(it->get<std::string>());
            else
                type_error("/fps", *it, "a number or a string like \"30000/1001\"");
            if (it->is_number() || it->is_string()) {
                if (f)
                    m_project.fps = *f;
                else
                    m_diag.error(m_project.fps_loc, "fps: " + f.error().message, f.error().hint);
            }
        }
        if (auto s = get_string(root, "", "background")) {
            if (auto c = parse_color(*s))
                m_project.background = *c;
            else
                report(m_diag, string_span("/background", *s), c.error());
        }
        if (auto it = root.find("music"); it != root.end())
            read_music(*it);
        if (auto it = root.find("logo"); it != root.end())
            read_logo(*it);
        if (auto it = root.find("subtitles"); it != root.end())
            read_subtitles(*it);
        if (auto it = root.find("loudness"); it != root.end())
            read_loudness(*it);
        if (auto lib = get_string(root, "", "library")) {
            m_project.library_as_written = *lib;
            m_project.library_dir = resolve_path(*lib, m_project.base_dir);
            m_project.library_loc = val_loc("/library");
            std::error_code ec;
            if (!fs::is_directory(m_project.library_dir, ec))
                m_diag.error(m_project.library_loc, "the library folder \"" + *lib + "\" does not exist",
                             "give a folder of photos and videos, relative to the JSON file (looked for " +
                                 m_project.library_dir.string() + ")");
        }
        if (auto g = get_string(root, "", "generator")) {
            m_project.generator_as_written = *g;
            m_project.generator_file = resolve_path(*g, m_project.base_dir);
            m_project.generator_loc = val_loc("/generator");
            check_media_file(*g, m_project.generator_file, m_project.generator_loc, m_diag);
        }
        if (auto it = root.find("words"); it != root.end()) {
            m_project.words_loc = val_loc("/words");
            if (!it->is_array()) {
                m_diag.error(m_project.words_loc, "\"words\" must be an array of names",
                             "e.g. \"words\": [\"圣索菲亚大教堂\", \"鲜花饼\"]");
            } else {
                for (size_t k = 0; k < it->size(); ++k) {
                    const std::string ptr = "/words/" + std::to_string(k);
                    const json& w = (*it)[k];
                    if (!w.is_string()) {
                        m_diag.error(val_loc(ptr), "each of \"words\" must be a string", "e.g. \"鲜花饼\"");
                        continue;
                    }
                    std::string t(core::trim(w.get<std::string>()));
                    if (auto problem = word_entry_problem(t))
                        m_diag.warning(val_loc(ptr), problem->message + "; left out", problem->hint);
                    else
                        m_project.words.push_back(std::move(t));
                }
            }
        }
        if (auto it = root.find("seed"); it != root.end()) {
            m_project.seed_loc = val_loc("/seed");
            if (it->is_number_unsigned())
                m_project.seed = it->get<uint64_t>();
            else
                m_diag.error(m_project.seed_loc, "seed must be a whole number, 0 or more", "e.g. \"seed\": 2");
        }
        if (auto a = get_string(root, "", "title_animation")) {
            m_project.title_animation_loc = val_loc("/title_animation");
            if (auto anim = title_animation_at("/title_animation", *a))
                m_project.title_animation = *anim;
        }
        if (auto v = get_string(root, "", "voice")) {
            m_project.voice = *v;
            m_project.voice_loc = val_loc("/voice");
        }
        if (auto n = number_in(root, "", g::json_key(g::Project, "voice_rate"), true))
            m_project.voice_rate = int(*n);
        if (auto n = number_in(root, "", g::json_key(g::Project, "voice_pitch"), true))
            m_project.voice_pitch = int(*n);
        if (auto t = get_string(root, "", "tts")) {
            constexpr const g::Key& tts = g::json_key(g::Project, "tts");
            m_project.tts_loc = val_loc("/tts");
            if (std::find(tts.choices.begin(), tts.choices.end(), *t) != tts.choices.end())
                m_project.tts = *t;
            else
                m_diag.error(m_project.tts_loc, "unknown TTS engine \"" + *t + "\"", "use " + g::choices_text(tts, "\""));
        }
        if (auto c = get_string(root, "", "tts_command")) {
            m_project.tts_command = *c;
            if (m_project.tts == "command" && c->find("{output}") == std::string::npos)
                m_diag.error(val_loc("/tts_command"), "the TTS command has no {output} placeholder",
                             "the command must write a WAV file to {output}");
        }
        if (m_project.tts == "command" && m_project.tts_command.empty())
            m_diag.error(m_project.tts_loc, "\"tts\": \"command\" needs \"tts_command\"",
                         "add e.g. \"tts_command\": \"espeak-ng -v {voice} -w {output} {text}\"");
        m_project.default_transition.name = "cut";
        if (auto it = root.find("transition"); it != root.end())
            if (auto t = get_transition(*it, "/transition", kDefaultTransitionUs))
                m_project.default_transition = *t;

        auto it = root.find("shots");
        if (it == root.end()) {
            m_diag.error(val_loc(""), "the project has no \"shots\"", "add \"shots\": [{\"name\": ..., \"narration\": ...}]");
            return;
        }
        if (!it->is_array()) {
            type_error("/shots", *it, "an array of shots");
            return;
        }
        if (it->empty())
            m_diag.error(val_loc("/shots"), "\"shots\" is empty", "add at least one shot");
        int64_t def_us = m_project.default_transition.name != "cut" ? m_project.default_transition.duration_us
                                                                     : kDefaultTransitionUs;
        for (size_t i = 0; i < it->size(); ++i) {
            std::string ptr = "/shots/" + std::to_string(i);
            read_shot((*it)[i], ptr, i, def_us);
        }
        if (!m_project.shots.empty() && m_project.shots.back().transition_out) {
            std::string ptr = "/shots/" + std::to_string(it->size() - 1) + "/transition";
            m_diag.warning(key_loc(ptr), "the last shot's transition has nothing to go into; it is ignored",
                           "remove it, or add a shot after it");
        }
    }

    void read_shot(const json& v, const std::string& ptr, size_t i, int64_t def_us)
    {
        timeline::Shot s;
        s.loc = val_loc(ptr);
        s.name = "Shot " + std::to_string(i + 1);
        if (!v.is_object()) {
            type_error(ptr, v, "an object");
            m_project.shots.push_back(std::move(s));
            return;
        }
        check_fields(v, ptr, grammar::json_names(grammar::Shot));
        if (auto it = v.find("continue"); it != v.end()) {
            s.continue_loc = val_loc(ptr + "/continue");
            if (it->is_boolean())
                s.continue_previous = it->get<bool>();
            else
                type_error(ptr + "/continue", *it, "true or false");
        }
        if (auto n = get_string(v, ptr, "name"))
            s.name = *n;
        if (auto it = v.find("narration"); it != v.end()) {
            auto add = [&](const json& line, const std::string& p) {
                if (!line.is_string()) {
                    type_error(p, line, "a string");
                    return;
                }
                s.narration.push_back(line.get<std::string>());
                SourceLoc l = val_loc(p);
                l.col += 1;
                s.narration_locs.push_back(l);
            };
            if (it->is_array()) {
                for (size_t k = 0; k < it->size(); ++k)
                    add((*it)[k], ptr + "/narration/" + std::to_string(k));
            } else if (it->is_string()) {
                add(*it, ptr + "/narration");
            } else {
                type_error(ptr + "/narration", *it, "a string or an array of strings");
            }
        }
        if (auto it = v.find("duration"); it != v.end()) {
            s.duration_loc = val_loc(ptr + "/duration");
            s.duration_us = get_duration(*it, ptr + "/duration", false);
        }
        if (auto it = v.find("transition"); it != v.end())
            s.transition_out = get_transition(*it, ptr + "/transition", def_us);
        if (auto t = get_string(v, ptr, "title")) {
            s.title = *t;
            s.title_loc = string_span(ptr + "/title", *t).start;  // its first character, as for narration
        }
        if (auto a = get_string(v, ptr, "title_animation")) {
            s.title_animation_loc = val_loc(ptr + "/title_animation");
            s.title_animation = title_animation_at(ptr + "/title_animation", *a);
        }
        if (auto vc = get_string(v, ptr, "voice")) {
            s.voice = *vc;
            s.voice_loc = val_loc(ptr + "/voice");
        }
        if (auto a = get_string(v, ptr, "audio")) {
            s.audio_loc = val_loc(ptr + "/audio");
            constexpr const grammar::Key& audio = grammar::json_key(grammar::Shot, "audio");
            if (std::find(audio.choices.begin(), audio.choices.end(), *a) != audio.choices.end())
                s.keep_audio = *a == "keep";
            else
                m_diag.error(s.audio_loc, "\"audio\": \"" + *a + "\" is neither \"keep\" nor \"mute\"",
                             "write \"audio\": \"keep\" to mix the clip's own sound in");
        }
        if (auto vf = get_string(v, ptr, "voice_file")) {
            s.voice_file_as_written = *vf;
            s.voice_file = resolve_path(*vf, m_project.base_dir);
            s.voice_file_loc = val_loc(ptr + "/voice_file");
            FileKind kind = file_kind_from_extension(*vf);
            if (kind != FileKind::Audio && kind != FileKind::Video)
                m_diag.error(s.voice_file_loc, "\"" + *vf + "\" is not an audio file (judged by its extension)",
                             "use a recording such as .wav, .m4a or .mp3");
            else
                check_media_file(*vf, s.voice_file, s.voice_file_loc, m_diag);
        }
        if (auto it = v.find("visual"); it != v.end())
            read_visual(*it, ptr + "/visual", s);
        m_project.shots.push_back(std::move(s));
    }

    void read_visual(const json& v, const std::string& ptr, timeline::Shot& s)
    {
        if (!v.is_object()) {
            type_error(ptr, v, "an object like {\"media\": \"photo.jpg\"} or {\"description\": \"...\"}");
            return;
        }
        check_fields(v, ptr, grammar::json_names(grammar::Visual));
        timeline::Visual& vis = s.visual;
        vis.loc = val_loc(ptr);
        // {"generate": "<words>"} = `visual: generate <words>`; {"card": true} = `visual: card`.
        if (auto gen = get_string(v, ptr, "generate")) {
            vis.kind = timeline::VisualKind::Generate;
            vis.description = *gen;
            vis.loc = string_span(ptr + "/generate", *gen).at(0);
            if (v.contains("media") || v.contains("description") || v.contains("card"))
                m_diag.error(key_loc(ptr + "/generate"), readable(ptr) + " has \"generate\" and another kind of visual",
                             "a shot has one visual; keep one");
            return;
        }
        if (auto it = v.find("card"); it != v.end()) {
            if (*it != true) {
                type_error(ptr + "/card", *it, "true");
                return;
            }
            vis.kind = timeline::VisualKind::Card;
            if (v.contains("media") || v.contains("description"))
                m_diag.error(key_loc(ptr + "/card"), readable(ptr) + " has \"card\" and another kind of visual",
                             "a shot has one visual; keep one");
            return;
        }
        auto media = get_string(v, ptr, "media");
        auto desc = get_string(v, ptr, "description");
        if (media && desc) {
            m_diag.error(key_loc(ptr + "/description"), readable(ptr) + " has both \"media\" and \"description\"",
                         "a shot has one visual; keep one");
        }
        if (media) {
            SourceLoc where = string_span(ptr + "/media", *media).at(0);
            FileKind kind = file_kind_from_extension(*media);
            vis.path_as_written = *media;
            fs::path p(*media);
            vis.path = p.is_absolute() ? p : (m_base / p).lexically_normal();
            vis.loc = where;
            if (kind == FileKind::Other || kind == FileKind::Audio) {
                m_diag.error(where, "\"" + *media + "\" is not an image or a video (judged by its extension)",
                             "images: .jpg .jpeg .png .webp .bmp .tif .gif; videos: .mp4 .mov .mkv .webm .avi ...");
            } else {
                vis.kind = timeline::VisualKind::Media;
                vis.media_type = kind == FileKind::Image ? timeline::MediaType::Image : timeline::MediaType::Video;
                check_media_file(*media, vis.path, where, m_diag);
            }
        } else if (desc) {
            vis.kind = timeline::VisualKind::Description;
            vis.description = *desc;
            vis.loc = string_span(ptr + "/description", *desc).at(0);
        } else if (!v.contains("media") && !v.contains("description")) {
            m_diag.error(val_loc(ptr), readable(ptr) + " needs \"media\", \"description\", \"generate\" or \"card\"",
                         "e.g. {\"media\": \"media/photo.jpg\"} or {\"description\": \"a snowy street at night\"}");
        }
        bool is_video = vis.kind == timeline::VisualKind::Media && vis.media_type == timeline::MediaType::Video;
        bool is_image = vis.kind == timeline::VisualKind::Media && vis.media_type == timeline::MediaType::Image;
        if (auto m = get_string(v, ptr, "move")) {
            auto mv = parse_move(*m);
            if (!mv) {
                auto dym = core::did_you_mean(*m, move_names());
                m_diag.error(val_loc(ptr + "/move"), "unknown move \"" + *m + "\"",
                             dym.empty() ? "moves: " + join(move_names())
                                         : "did you mean \"" + dym + "\"?");
            } else if (is_video && *mv != timeline::Move::None) {
                m_diag.error(val_loc(ptr + "/move"), "\"" + *m + "\" is a move for photos; a video shot cannot use it",
                             "remove \"move\"");
            } else {
                vis.move = *mv;
            }
        }
        if (auto f = get_string(v, ptr, "fit")) {
            if (auto fit = parse_fit(*f)) {
                vis.fit = *fit;
            } else {
                auto dym = core::did_you_mean(*f, fit_names());
                m_diag.error(val_loc(ptr + "/fit"), "unknown fit \"" + *f + "\"",
                             dym.empty() ? "use " + grammar::choices_text(grammar::json_key(grammar::Visual, "fit"))
                                         : "did you mean \"" + dym + "\"?");
            }
        }
        for (const char* k : {"from", "to"}) {
            auto it = v.find(k);
            if (it == v.end())
                continue;
            std::string p = ptr + "/" + k;
            if (is_image) {
                m_diag.error(key_loc(p), std::string("\"") + k + "\" trims a video; \"" + vis.path_as_written + "\" is a photo",
                             std::string("remove \"") + k + "\"; use the shot's \"duration\" for how long a photo shows");
                continue;
            }
            auto d = get_duration(*it, p, std::string(k) == "from");
            if (d)
                (std::string(k) == "from" ? vis.trim_from_us : vis.trim_to_us) = *d;
        }
        if (vis.trim_from_us && vis.trim_to_us && *vis.trim_to_us <= *vis.trim_from_us)
            m_diag.error(val_loc(ptr + "/to"), readable(ptr) + ": the clip ends (to " + seconds_text(*vis.trim_to_us)
                                                   + " s) before it starts (from " + seconds_text(*vis.trim_from_us) + " s)",
                         "\"to\" must be later than \"from\"");
    }

    std::string_view m_text;
    std::string m_file;
    fs::path m_base;
    core::Diagnostics& m_diag;
    LineIndex m_lines;
    std::map<std::string, size_t> m_keys, m_values;
    timeline::Project m_project;
};

}  // namespace

core::Result<timeline::Project> read_json(std::string_view text, const std::string& file, const fs::path& base_dir,
                                          core::Diagnostics& diag)
{
    JsonReader r(text, file, base_dir, diag);
    return r.run();
}

}  // namespace sw::script::detail
