// Reading a model's answer: the JSON object out of whatever wraps it, the obvious repairs of
// shape, the user's settings over the model's, and how far the length is off.

#include <algorithm>
#include <cctype>
#include <cmath>

#include "core/text_util.h"
#include "draft/draft.h"

namespace sw::draft {

namespace {

// Removes <think>…</think> blocks (reasoning models put them before the answer).
std::string strip_thinking(std::string s)
{
    for (;;) {
        size_t open = s.find("<think>");
        if (open == std::string::npos)
            break;
        size_t close = s.find("</think>", open);
        s.erase(open, close == std::string::npos ? std::string::npos : close + 8 - open);
    }
    return s;
}

// The inside of the first ``` fence (to the end when it is not closed), or the text itself.
std::string_view unfence(std::string_view s)
{
    size_t f = s.find("```");
    if (f == std::string_view::npos)
        return s;
    size_t line = s.find('\n', f);
    if (line == std::string_view::npos)
        return s.substr(f + 3);
    std::string_view rest = s.substr(line + 1);
    size_t end = rest.find("```");
    return end == std::string_view::npos ? rest : rest.substr(0, end);
}

// Walks JSON text a character at a time, knowing whether it is inside a string (escapes
// respected): feed() is true for a character outside every string.
struct StringState {
    bool in_string = false, escaped = false;
    bool feed(char c)
    {
        if (in_string) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                in_string = false;
            return false;
        }
        if (c == '"')
            in_string = true;
        return !in_string;
    }
};

// From the first '{' or '[' to its matching close. npos end: the value never closes (the answer
// was cut off).
std::pair<size_t, size_t> json_span(std::string_view s)
{
    size_t start = s.find_first_of("{[");
    if (start == std::string_view::npos)
        return {std::string_view::npos, std::string_view::npos};
    int depth = 0;
    StringState st;
    for (size_t i = start; i < s.size(); ++i) {
        if (!st.feed(s[i]))
            continue;
        if (s[i] == '{' || s[i] == '[')
            ++depth;
        else if ((s[i] == '}' || s[i] == ']') && --depth == 0)
            return {start, i + 1};
    }
    return {start, std::string_view::npos};
}

// Commas before a closing bracket (outside strings): JavaScript allows them, JSON does not.
std::string drop_trailing_commas(std::string_view s, bool& changed)
{
    std::string out;
    out.reserve(s.size());
    StringState st;
    for (size_t i = 0; i < s.size(); ++i) {
        if (st.feed(s[i]) && s[i] == ',') {
            size_t j = s.find_first_not_of(" \t\r\n", i + 1);
            if (j != std::string_view::npos && (s[j] == '}' || s[j] == ']')) {
                changed = true;
                continue;
            }
        }
        out += s[i];
    }
    return out;
}

// "harbin/ice_lantern-night.jpg" → "ice lantern night": what a library search matches it by.
std::string words_of_file(const std::string& path)
{
    std::string stem = fs::path(path).stem().string();
    for (char& c : stem)
        if (c == '_' || c == '-' || c == '.')
            c = ' ';
    return std::string(core::trim(stem));
}

}  // namespace

std::string one_line(std::string_view text)
{
    std::string s(core::trim(text));
    for (char& c : s)
        if (c == '\n' || c == '\r' || c == '\t')
            c = ' ';
    return std::string(core::trim(s));
}

tl::expected<Parsed, std::string> parse_answer(std::string_view content, bool truncated)
{
    const std::string cut_note = truncated ? " (the server stopped it at its token limit: write fewer, shorter shots, "
                                             "or raise max_tokens under [writer])"
                                           : "";
    std::string text = strip_thinking(std::string(content));
    if (core::trim(text).empty())
        return tl::unexpected("the answer was empty" + cut_note);
    Parsed p;
    std::string_view body = text;
    if (text.find("```") != std::string::npos) {
        body = unfence(text);
        p.repairs.push_back("removed the code fence around the answer");
    }
    auto [start, end] = json_span(body);
    if (start == std::string_view::npos)
        return tl::unexpected("the answer has no JSON object in it" + cut_note);
    if (end == std::string_view::npos)
        return tl::unexpected("the answer stops in the middle of the JSON object" + cut_note);
    if (!core::trim(body.substr(0, start)).empty() || !core::trim(body.substr(end)).empty())
        p.repairs.push_back("removed text around the JSON object");
    std::string_view json_text = body.substr(start, end - start);
    Json v;
    try {
        v = Json::parse(json_text);
    } catch (const nlohmann::json::parse_error& e) {
        bool changed = false;
        std::string fixed = drop_trailing_commas(json_text, changed);
        try {
            if (!changed)
                throw;
            v = Json::parse(fixed);
            p.repairs.push_back("removed trailing commas");
        } catch (const nlohmann::json::parse_error&) {
            std::string what = e.what();
            if (size_t at = what.find("] "); at != std::string::npos)  // "[json.exception.parse_error.101] "
                what = what.substr(at + 2);
            return tl::unexpected("the answer is not valid JSON: " + what);
        }
    }
    // A bare list of shots, or the script wrapped in another object.
    if (v.is_array()) {
        v = Json{{"shots", v}};
        p.repairs.push_back("wrapped a bare list of shots in a script");
    } else if (v.is_object() && !v.contains("shots") && v.size() == 1 && v.begin()->is_object() &&
               v.begin()->contains("shots")) {
        Json inner = *v.begin();
        v = inner;
        p.repairs.push_back("unwrapped the script from an outer object");
    }
    if (!v.is_object())
        return tl::unexpected(std::string("the answer is JSON but not an object with \"shots\""));
    if (!v.contains("shots") || !v["shots"].is_array() || v["shots"].empty())
        return tl::unexpected(std::string("the answer has no \"shots\" array (or it is empty)"));

    // Only what was asked for: the settings are the user's (apply_brief), and a key the schema
    // does not have would be one the user never sees explained.
    std::vector<std::string> dropped;
    for (auto it = v.begin(); it != v.end();)
        if (it.key() != "title" && it.key() != "shots")
            dropped.push_back(it.key()), it = v.erase(it);
        else
            ++it;
    for (auto& shot : v["shots"]) {
        if (!shot.is_object())
            continue;  // the check says so
        for (auto it = shot.begin(); it != shot.end();) {
            static const std::vector<std::string> kShotKeys = {"name", "narration", "visual", "title", "transition", "duration"};
            if (std::find(kShotKeys.begin(), kShotKeys.end(), it.key()) == kShotKeys.end())
                dropped.push_back("shots[]." + it.key()), it = shot.erase(it);
            else
                ++it;
        }
        if (shot.contains("visual") && shot["visual"].is_string()) {
            shot["visual"] = Json{{"description", shot["visual"].get<std::string>()}};
            p.repairs.push_back("made visuals written as text into descriptions");
        }
        if (shot.contains("visual") && shot["visual"].is_object()) {
            Json& vis = shot["visual"];
            if (!vis.contains("description") && vis.contains("media") && vis["media"].is_string()) {
                // A file name from the library list: described by its words, the pick finds it.
                vis = Json{{"description", words_of_file(vis["media"].get<std::string>())}};
                p.repairs.push_back("turned file names given as visuals into descriptions");
            }
        }
        if (shot.contains("narration") && shot["narration"].is_array()) {
            std::vector<std::string> lines;
            bool all_strings = true;
            for (auto& l : shot["narration"])
                if (l.is_string())
                    lines.push_back(l.get<std::string>());
                else
                    all_strings = false;
            if (all_strings)
                shot["narration"] = core::join(lines, "\n");
        }
        for (const char* key : {"title", "transition"})
            if (shot.contains(key) && shot[key].is_string()) {
                std::string s = std::string(core::trim(shot[key].get<std::string>()));
                if (s.empty() || (std::string(key) == "transition" && (s == "none" || s == "null")))
                    shot.erase(key);
            } else if (shot.contains(key) && shot[key].is_null()) {
                shot.erase(key);
            }
        if (shot.contains("name") && shot["name"].is_string())
            shot["name"] = one_line(shot["name"].get<std::string>());
        if (shot.contains("title") && shot["title"].is_string())
            shot["title"] = one_line(shot["title"].get<std::string>());
        if (shot.contains("visual") && shot["visual"].is_object() && shot["visual"].contains("description") &&
            shot["visual"]["description"].is_string()) {
            std::string d = one_line(shot["visual"]["description"].get<std::string>());
            // "IMG_1234.jpg, snow at night": a first word that is a file name would make the
            // Markdown line a media line; its words describe it as well.
            size_t sp = d.find_first_of(" ,");
            std::string first = d.substr(0, sp);
            size_t dot = first.rfind('.');
            if (dot != std::string::npos && dot > 0 && first.size() - dot >= 3 && first.size() - dot <= 5 &&
                std::all_of(first.begin() + dot + 1, first.end(), [](char c) { return std::isalnum((unsigned char)c); })) {
                d = words_of_file(first) + (sp == std::string::npos ? "" : d.substr(sp));
                p.repairs.push_back("turned file names given as visuals into descriptions");
            }
            shot["visual"]["description"] = d;
        }
    }
    std::sort(dropped.begin(), dropped.end());
    dropped.erase(std::unique(dropped.begin(), dropped.end()), dropped.end());
    if (!dropped.empty())
        p.repairs.push_back("dropped keys that were not asked for: " + core::join(dropped));
    // The last shot's transition leads nowhere.
    if (v["shots"].back().is_object())
        v["shots"].back().erase("transition");
    std::sort(p.repairs.begin(), p.repairs.end());
    p.repairs.erase(std::unique(p.repairs.begin(), p.repairs.end()), p.repairs.end());
    p.script = std::move(v);
    return p;
}

void apply_brief(Json& script, const Brief& brief)
{
    // Settings first, in the order a person reads them; the model's other keys after; shots last.
    Json out = Json::object();
    std::string title = !brief.title.empty() ? brief.title
                        : script.contains("title") && script["title"].is_string() ? one_line(script["title"].get<std::string>())
                                                                                  : std::string();
    if (!title.empty())
        out["title"] = title;
    out["size"] = brief.size;
    if (!brief.voice.empty()) {
        out["voice"] = brief.voice;
        if (brief.rate_wpm > 0)
            out["voice_rate"] = brief.rate_wpm;
    }
    if (!brief.library.empty())
        out["library"] = brief.library;
    for (auto it = script.begin(); it != script.end(); ++it)
        if (it.key() != "shots" && !out.contains(it.key()) && it.key() != "title")
            out[it.key()] = it.value();
    out["shots"] = script.contains("shots") ? script["shots"] : Json::array();
    script = std::move(out);
}

std::optional<std::string> length_feedback(const Brief& brief, const CheckReport& report)
{
    const double target = brief.seconds;
    if (target <= 0 || report.total_s <= 0)
        return std::nullopt;
    const double off = (report.total_s - target) / target;
    const Budget b = budget_for(brief);
    const SpeakingRate rate = speaking_rate(brief.voice, brief.rate_wpm);
    const double per_unit = b.cjk ? rate.cjk_per_s : rate.words_per_s;
    const std::string unit = b.cjk ? "characters" : "words";
    std::vector<std::string> long_shots;
    const double share = target / std::max<size_t>(1, report.shot_s.size());
    for (size_t i = 0; i < report.shot_s.size(); ++i)
        if (report.shot_s[i] > std::max(2.0 * share, 10.0))
            long_shots.push_back("shot " + std::to_string(i + 1) + " runs " + core::format_number(std::round(report.shot_s[i] * 10) / 10) + " s");
    if (std::abs(off) <= kLengthTolerance && long_shots.empty())
        return std::nullopt;
    std::string s = "the script runs " + core::format_number(std::round(report.total_s * 10) / 10) + " s; the target is " +
                    core::format_number(target) + " s";
    if (std::abs(off) > kLengthTolerance) {
        const int units = (int)std::lround(std::abs(report.total_s - target) * per_unit);
        s += off > 0 ? ": cut about " + std::to_string(units) + " " + unit + " of narration"
                     : ": add about " + std::to_string(units) + " " + unit + " of narration";
    }
    if (!long_shots.empty())
        s += "; " + core::join(long_shots, ", ") + " — split long shots or shorten their narration (about " +
             core::format_number(std::round(share)) + " s each)";
    return s;
}

std::pair<std::string, std::string> split_front_matter(std::string_view text)
{
    std::string_view t = text;
    if (t.substr(0, 3) == "\xEF\xBB\xBF")
        t.remove_prefix(3);
    size_t i = 0;
    while (i < t.size() && (t[i] == '\n' || t[i] == '\r' || t[i] == ' ' || t[i] == '\t'))
        ++i;
    if (t.substr(i, 3) != "---")
        return {"", std::string(text)};
    size_t line_end = t.find('\n', i);
    if (line_end == std::string_view::npos || !core::trim(t.substr(i + 3, line_end - i - 3)).empty())
        return {"", std::string(text)};
    size_t pos = line_end + 1;
    while (pos < t.size()) {
        size_t e = t.find('\n', pos);
        std::string_view line = t.substr(pos, e == std::string_view::npos ? std::string_view::npos : e - pos);
        if (core::trim(line) == "---") {
            size_t body = e == std::string_view::npos ? t.size() : e + 1;
            return {std::string(t.substr(0, body)), std::string(t.substr(body))};
        }
        if (e == std::string_view::npos)
            break;
        pos = e + 1;
    }
    return {"", std::string(text)};  // not closed: the reader reports it
}

}  // namespace sw::draft
