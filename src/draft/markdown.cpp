// to_markdown: a drafted script (JSON form) as the Markdown-like script people edit
// (docs/script.md). The caller reads the result back with the Markdown reader and checks it.

#include <cmath>

#include "core/text_util.h"
#include "draft/draft.h"

namespace sw::draft {

namespace {

// "4s" for 4, the string as written otherwise.
std::string duration_text(const Json& d)
{
    if (d.is_number())
        return core::format_number(d.get<double>()) + "s";
    return d.is_string() ? d.get<std::string>() : std::string();
}

std::string transition_text(const Json& t)
{
    if (t.is_string())
        return one_line(t.get<std::string>());
    if (t.is_object() && t.contains("name") && t["name"].is_string()) {
        std::string s = t["name"].get<std::string>();
        if (t.contains("duration"))
            s += " " + duration_text(t["duration"]);
        return s;
    }
    return {};
}

// A narration line the Markdown reader would take for something else (a heading, a key, a media
// path, an escape, a front-matter fence) gets a `\` in front; erring on the side of escaping
// costs nothing, the reader drops the `\`.
bool needs_escape(std::string_view line)
{
    if (line.empty())
        return false;
    const char c = line[0];
    if (c == '#' || c == '\\' || c == '!' || c == '-' || line.substr(0, 3) == "\xEF\xBC\x83")
        return true;
    std::string_view first = line.substr(0, line.find_first_of(" \t"));
    if (first.find('.') != std::string_view::npos && first.size() > 1 && first.back() != '.')
        return true;  // "photo.jpg …", "a.mp4": could be a media line
    size_t colon = std::min(line.find(':'), line.find("\xEF\xBC\x9A"));
    if (colon != std::string_view::npos) {
        std::string_view word = core::trim(line.substr(0, colon));
        bool ascii_word = !word.empty() && std::all_of(word.begin(), word.end(), [](char ch) {
            return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '-' || ch == '_';
        });
        if (ascii_word)
            return true;  // "Note: …" could be a key
    }
    return false;
}

void narration_lines(const Json& n, std::vector<std::string>& out)
{
    auto add = [&](const std::string& text) {
        size_t pos = 0;
        while (pos <= text.size()) {
            size_t e = text.find('\n', pos);
            std::string line(core::trim(std::string_view(text).substr(pos, e == std::string::npos ? std::string::npos : e - pos)));
            if (!line.empty())
                out.push_back(needs_escape(line) ? "\\" + line : line);
            if (e == std::string::npos)
                break;
            pos = e + 1;
        }
    };
    if (n.is_string())
        add(n.get<std::string>());
    else if (n.is_array())
        for (auto& l : n)
            if (l.is_string())
                add(l.get<std::string>());
}

}  // namespace

std::string to_markdown(const Json& script)
{
    std::string md = "---\n";
    auto scalar = [&](const char* json_key, const char* md_key) {
        if (!script.contains(json_key))
            return;
        const Json& v = script[json_key];
        if (v.is_string())
            md += std::string(md_key) + ": " + one_line(v.get<std::string>()) + "\n";
        else if (v.is_number())
            md += std::string(md_key) + ": " + core::format_number(v.get<double>()) + "\n";
    };
    scalar("title", "title");
    scalar("size", "size");
    scalar("fps", "fps");
    if (script.contains("transition"))
        md += "transition: " + transition_text(script["transition"]) + "\n";
    scalar("background", "background");
    if (script.contains("voice") && script["voice"].is_string()) {
        md += "voice: " + script["voice"].get<std::string>();
        if (script.contains("voice_rate") && script["voice_rate"].is_number_integer())
            md += " rate=" + std::to_string(script["voice_rate"].get<int>());
        if (script.contains("voice_pitch") && script["voice_pitch"].is_number_integer())
            md += " pitch=" + std::to_string(script["voice_pitch"].get<int>());
        md += "\n";
    }
    scalar("library", "library");
    scalar("seed", "seed");
    scalar("title_animation", "title-animation");
    md += "---\n";

    if (!script.contains("shots") || !script["shots"].is_array())
        return md;
    int index = 0;
    for (const auto& shot : script["shots"]) {
        ++index;
        if (!shot.is_object())
            continue;
        std::string name = shot.contains("name") && shot["name"].is_string() ? one_line(shot["name"].get<std::string>()) : "";
        while (!name.empty() && name.back() == '#')  // a closing `#` run would be dropped
            name.pop_back();
        if (core::trim(name).empty())
            name = "Shot " + std::to_string(index);
        md += "\n# " + std::string(core::trim(name)) + "\n";
        if (shot.contains("visual") && shot["visual"].is_object()) {
            const Json& v = shot["visual"];
            if (v.contains("description") && v["description"].is_string())
                md += "visual: " + one_line(v["description"].get<std::string>()) + "\n";
            else if (v.contains("generate") && v["generate"].is_string())
                md += "visual: generate " + one_line(v["generate"].get<std::string>()) + "\n";
            else if (v.contains("card"))
                md += "visual: card\n";
        }
        if (shot.contains("title") && shot["title"].is_string())
            md += "title: " + one_line(shot["title"].get<std::string>()) + "\n";
        if (shot.contains("title_animation") && shot["title_animation"].is_string())
            md += "title-animation: " + shot["title_animation"].get<std::string>() + "\n";
        if (shot.contains("duration"))
            md += "duration: " + duration_text(shot["duration"]) + "\n";
        if (shot.contains("voice") && shot["voice"].is_string())
            md += "voice: " + shot["voice"].get<std::string>() + "\n";
        std::vector<std::string> lines;
        if (shot.contains("narration"))
            narration_lines(shot["narration"], lines);
        for (auto& l : lines)
            md += l + "\n";
        if (shot.contains("transition"))
            md += "transition: " + transition_text(shot["transition"]) + "\n";
    }
    return md;
}

}  // namespace sw::draft
