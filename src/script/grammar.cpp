#include "script/grammar.h"

#include <cmath>
#include <cstdio>

namespace sw::script::grammar {

const Key* find_md(uint16_t where, std::string_view name)
{
    for (const Key& k : kKeys)
        if ((k.md_where & where) && !k.md_bare && k.md == name)
            return &k;
    return nullptr;
}

const Key* find_json(uint16_t where, std::string_view name)
{
    for (const Key& k : kKeys)
        if ((k.json_where & where) && k.json == name)
            return &k;
    return nullptr;
}

static std::vector<std::string> md_rows(uint16_t where, bool reserved)
{
    std::vector<std::string> out;
    for (const Key& k : kKeys)
        if ((k.md_where & where) && !k.md_bare && k.reserved == reserved)
            out.emplace_back(k.md);
    return out;
}

std::vector<std::string> md_names(uint16_t where) { return md_rows(where, false); }
std::vector<std::string> md_reserved_names(uint16_t where) { return md_rows(where, true); }

std::vector<std::string> json_names(uint16_t where)
{
    std::vector<std::string> out;
    for (const Key& k : kKeys)
        if (k.json_where & where)
            out.emplace_back(k.json);
    return out;
}

std::vector<std::string> choice_names(const Key& k) { return {k.choices.begin(), k.choices.end()}; }

std::string number_text(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

std::string range_text(const Key& k)
{
    if (std::isinf(k.range.hi))
        return number_text(k.range.lo) + " or more";
    if (k.range.lo == k.range.hi)
        return number_text(k.range.lo);
    // "-40-5" would read as a subtraction
    return number_text(k.range.lo) + (k.range.lo < 0 ? " to " : "-") + number_text(k.range.hi);
}

std::string range_sentence(const Key& k)
{
    if (std::isinf(k.range.hi))
        return number_text(k.range.lo) + " or more";
    return (k.range.lo_open ? "above " : "from ") + number_text(k.range.lo) + (k.range.lo_open ? ", at most " : " to ")
         + number_text(k.range.hi);
}

std::string choices_text(const Key& k, std::string_view quote)
{
    std::string out;
    for (size_t i = 0; i < k.choices.size(); ++i) {
        if (i > 0)
            out += i + 1 == k.choices.size() ? " or " : ", ";
        out += std::string(quote) + std::string(k.choices[i]) + std::string(quote);
    }
    return out;
}

std::string md_settings_hint(uint16_t where)
{
    std::string out;
    for (const Key& k : kKeys) {
        if (!(k.md_where & where) || k.type == Type::Path)
            continue;
        std::string usage;
        if (k.type == Type::Choice) {
            for (auto c : k.choices)
                usage += (usage.empty() ? "" : "|") + std::string(c);
            if (k.range.bounded)
                usage += "|NN% (" + range_text(k) + ")";
            if (!k.md_bare)
                usage = std::string(k.md) + "=" + usage;
        } else {
            // A bare word written as a placeholder (`<gain>dB`) is shown by its example instead.
            usage = !k.md_bare ? std::string(k.md) + "=" + std::string(k.md_example)
                  : k.md.find('<') != std::string_view::npos ? std::string(k.md_example)
                                                             : std::string(k.md);
            if (k.range.bounded)
                usage += " (" + (k.range.lo_open ? range_sentence(k) : range_text(k))
                       + (k.unit.empty() || k.unit == "%" || k.unit == "px" ? "" : " " + std::string(k.unit)) + ")";
        }
        out += (out.empty() ? "" : ", ") + usage;
    }
    return out;
}

// ---- the generated key reference ----

namespace {

// Table cells: a '|' would end the cell.
std::string cell(std::string_view s)
{
    std::string out;
    for (char c : s) {
        if (c == '|')
            out += '\\';
        out += c;
    }
    return out;
}

std::string code(std::string_view s) { return s.empty() ? "" : "`" + cell(s) + "`"; }

// A media line's words take their value after a space (`from 3s`), other settings after '='.
const char* separator(const Key& k) { return k.md_where & Visual ? " " : "="; }

// The Markdown key or word a row is written as, with the key whose value it is part of.
std::string md_spelling(const Key& k)
{
    if (k.md.empty())
        return "—";
    if (k.md_where & (Project | Shot))
        return code(std::string(k.md) + ":");
    const char* parent = k.md_where & Voice       ? "voice:"
                       : k.md_where & Subtitles   ? "subtitles:"
                       : k.md_where & Logo        ? "logo:"
                       : k.md_where & Music       ? "music:"
                       : k.md_where & Loudness    ? "loudness:"
                       : k.md_where & Transition  ? "transition:"
                                                  : "media line";
    std::string word = k.md_bare || (k.md_where & Visual) ? std::string(k.md) : std::string(k.md) + "=";
    return (k.md_where & Visual ? std::string(parent) : code(parent)) + " … " + code(word);
}

const char* type_name(Type t)
{
    switch (t) {
    case Type::Text: return "text";
    case Type::Path: return "path";
    case Type::Integer: return "whole number";
    case Type::Number: return "number";
    case Type::Boolean: return "true/false";
    case Type::Choice: return "one of";
    case Type::Duration: return "duration";
    case Type::Color: return "colour";
    case Type::Size: return "size";
    case Type::Fps: return "frame rate";
    case Type::Transition: return "transition";
    case Type::Compound: return "value and settings";
    case Type::List: return "list";
    }
    return "";
}

std::string type_cell(const Key& k)
{
    std::string s = type_name(k.type);
    if (k.type == Type::Choice) {
        std::string names;
        for (auto c : k.choices)
            names += (names.empty() ? " " : ", ") + code(c);
        s += names;
    }
    if (k.range.bounded) {
        s += k.type == Type::Choice ? ", or " : ", ";
        s += k.range.lo_open ? range_sentence(k) : range_text(k);
        if (!k.unit.empty())
            s += " " + std::string(k.unit);
    }
    if (k.required)
        s += "; required";
    if (k.reserved)
        s += "; reserved (a warning)";
    return s;
}

std::string md_example(const Key& k)
{
    if (k.md.empty() || k.md_example.empty())
        return "";
    if (k.md_where & (Project | Shot))
        return code(std::string(k.md) + ": " + std::string(k.md_example));
    return code(k.md_bare ? std::string(k.md_example) : std::string(k.md) + separator(k) + std::string(k.md_example));
}

std::string json_example(const Key& k)
{
    if (k.json.empty() || k.json_example.empty())
        return "";
    return code("\"" + std::string(k.json) + "\": " + std::string(k.json_example));
}

}  // namespace

std::string key_reference_markdown()
{
    struct Group {
        uint16_t where;
        const char* title;
    };
    static const Group groups[] = {
        {Project, "The project: front matter / JSON top level"},
        {Shot, "A shot: `key: value` lines under its heading / a shot object"},
        {Visual, "A visual: words after a media path / a shot's `\"visual\"`"},
        {Subtitles, "Subtitles: words of `subtitles:` / `\"subtitles\"`"},
        {Logo, "Logo: words of `logo:` / `\"logo\"`"},
        {Music, "Music: words of `music:` / `\"music\"`"},
        {Loudness, "Loudness: words of `loudness:` / `\"loudness\"`"},
        {Transition, "Transition: words of `transition:` / a transition object"},
    };
    std::string out;
    out += std::string(kReferenceBegin) + "\n\n";
    for (const Group& g : groups) {
        out += "#### " + std::string(g.title) + "\n\n";
        out += "| Markdown | JSON | value | meaning | Markdown example | JSON example |\n";
        out += "|----------|------|-------|---------|------------------|--------------|\n";
        for (const Key& k : kKeys) {
            // A row sits with the JSON object it is a field of, else where Markdown writes it.
            uint16_t home = k.json_where != None ? k.json_where : k.md_where;
            if (!(home & g.where))
                continue;
            out += "| " + md_spelling(k) + " | " + (k.json.empty() ? "—" : code("\"" + std::string(k.json) + "\"")) + " | "
                 + type_cell(k) + " | " + cell(k.description) + " | " + md_example(k) + " | " + json_example(k) + " |\n";
        }
        out += "\n";
    }
    out += std::string(kReferenceEnd) + "\n";
    return out;
}

}  // namespace sw::script::grammar
