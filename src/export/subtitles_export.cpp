#include "export/subtitles_export.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <system_error>
#include <unistd.h>

namespace sw::exporter {

namespace {

std::string ass_colour(core::Rgb c, double opacity)
{
    // &HAABBGGRR with AA = transparency (00 opaque).
    int aa = std::clamp((int)std::lround((1 - opacity) * 255), 0, 255);
    char buf[16];
    std::snprintf(buf, sizeof buf, "&H%02X%02X%02X%02X", aa, c.b, c.g, c.r);
    return buf;
}

std::string ass_escape(const std::string& text)
{
    std::string out;
    for (char ch : text) {
        switch (ch) {
        case '\\': out += "\\\xE2\x81\xA0"; break;  // backslash + WORD JOINER: never starts a tag (\N, \h …)
        case '{': out += "\\{"; break;
        case '}': out += "\\}"; break;
        case '\n': out += "\\N"; break;
        case '\r': break;
        default: out += ch;
        }
    }
    return out;
}

std::string fmt_num(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4g", v);
    return buf;
}

}  // namespace

std::string srt_time(int64_t us)
{
    int64_t ms = std::max<int64_t>(0, (us + 500) / 1000);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld,%03lld", (long long)(ms / 3600000), (long long)(ms / 60000 % 60),
                  (long long)(ms / 1000 % 60), (long long)(ms % 1000));
    return buf;
}

std::string ass_time(int64_t us)
{
    int64_t cs = std::max<int64_t>(0, (us + 5000) / 10000);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld.%02lld", (long long)(cs / 360000), (long long)(cs / 6000 % 60),
                  (long long)(cs / 100 % 60), (long long)(cs % 100));
    return buf;
}

std::string to_srt(const std::vector<Cue>& cues)
{
    std::string out;
    int n = 0;
    for (const Cue& c : cues) {
        std::string text;
        for (char ch : c.text)
            if (ch != '\r')
                text += ch;
        if (text.empty())
            continue;
        if (n)
            out += "\n";
        out += std::to_string(++n) + "\n" + srt_time(c.start_us) + " --> " + srt_time(c.end_us) + "\n" + text + "\n";
    }
    return out;
}

std::string to_ass(const std::vector<Cue>& cues, const text::SubtitleStyle& st, int play_res_x, int play_res_y)
{
    using Pos = text::SubtitleStyle::Position;
    const double size = st.resolved_size(play_res_y);
    int alignment = 2;  // numpad layout: 2 bottom centre, 5 middle, 8 top
    int margin_v = (int)std::lround(st.resolved_bottom_safe(play_res_x, play_res_y) * play_res_y);
    switch (st.position) {
    case Pos::Bottom: break;
    case Pos::Center: alignment = 5, margin_v = 0; break;
    case Pos::Top: alignment = 8, margin_v = (int)std::lround(st.top_safe_frac * play_res_y); break;
    case Pos::Percent:
        // Bottom-anchored at the block centre's height (approximate: the block's half height
        // is not known without layout).
        margin_v = (int)std::lround((1 - st.percent) * play_res_y - size * 0.6);
        break;
    }
    const int margin_x = (int)std::lround(st.margin_x_frac * play_res_x);
    // BorderStyle 3 draws an opaque box (in OutlineColour) instead of an outline.
    const int border_style = st.box ? 3 : 1;
    const std::string outline_col = st.box ? ass_colour(st.box_color, st.box_opacity) : ass_colour(st.outline_color, 1);
    const std::string back_col = st.box ? ass_colour(st.box_color, st.box_opacity) : ass_colour({0, 0, 0}, st.shadow);
    const double outline = st.box ? 0.35 * size : st.resolved_outline(play_res_y);
    const double shadow = st.shadow > 0 ? std::max(1.0, 0.05 * size) : 0;

    std::string out;
    out += "[Script Info]\n";
    out += "; written by shotweave\n";
    out += "ScriptType: v4.00+\n";
    out += "PlayResX: " + std::to_string(play_res_x) + "\n";
    out += "PlayResY: " + std::to_string(play_res_y) + "\n";
    out += "WrapStyle: 0\n";
    out += "ScaledBorderAndShadow: yes\n";
    out += "YCbCr Matrix: TV.709\n\n";
    out += "[V4+ Styles]\n";
    out += "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, "
           "Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, "
           "MarginR, MarginV, Encoding\n";
    out += "Style: Default," + st.font + "," + fmt_num(std::round(size)) + "," + ass_colour(st.color, 1) + "," +
           ass_colour(st.color, 1) + "," + outline_col + "," + back_col + "," + (st.bold ? "-1" : "0") +
           ",0,0,0,100,100,0,0," + std::to_string(border_style) + "," + fmt_num(outline) + "," + fmt_num(shadow) + "," +
           std::to_string(alignment) + "," + std::to_string(margin_x) + "," + std::to_string(margin_x) + "," +
           std::to_string(margin_v) + ",1\n\n";
    out += "[Events]\n";
    out += "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n";
    for (const Cue& c : cues) {
        if (c.text.empty())
            continue;
        out += "Dialogue: 0," + ass_time(c.start_us) + "," + ass_time(c.end_us) + ",Default,,0,0,0,," +
               ass_escape(c.text) + "\n";
    }
    return out;
}

namespace {

// "HH:MM:SS,mmm" (hours may be one digit or more; "." accepted for ","); -1 if malformed.
int64_t parse_srt_time(std::string_view t)
{
    int h = 0, m = 0, sec = 0, ms = 0, n = 0;
    std::string s(t);
    for (char& c : s)
        if (c == '.')
            c = ',';
    if (std::sscanf(s.c_str(), "%d:%d:%d,%d%n", &h, &m, &sec, &ms, &n) != 4 || n != (int)s.size())
        return -1;
    if (h < 0 || h > 99'999 || m < 0 || m > 59 || sec < 0 || sec > 59 || ms < 0 || ms > 999)
        return -1;
    return ((int64_t(h) * 60 + m) * 60 + sec) * 1'000'000 + int64_t(ms) * 1000;
}

std::string_view trim_view(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

// A line quoted in a message: shortened, control characters as spaces (a NUL would end it).
std::string shown(std::string_view line)
{
    std::string s(line.substr(0, 80));
    for (auto& c : s)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
            c = ' ';
    return line.size() > 80 ? s + "…" : s;
}

}  // namespace

core::Result<std::vector<Cue>> parse_srt(std::string_view text, const std::string& name)
{
    if (text.substr(0, 3) == "\xEF\xBB\xBF")
        text.remove_prefix(3);
    std::vector<Cue> cues;
    Cue* cur = nullptr;
    int line_no = 0;
    size_t pos = 0;
    while (pos <= text.size()) {
        size_t nl = text.find('\n', pos);
        if (nl == std::string_view::npos)
            nl = text.size();
        std::string_view line = trim_view(text.substr(pos, nl - pos));
        pos = nl + 1;
        ++line_no;
        if (line.empty()) {
            cur = nullptr;
            continue;
        }
        size_t arrow = line.find("-->");
        if (arrow != std::string_view::npos) {
            int64_t a = parse_srt_time(trim_view(line.substr(0, arrow)));
            std::string_view rest = trim_view(line.substr(arrow + 3));
            rest = rest.substr(0, rest.find(' '));  // position hints after the end time are ignored
            int64_t b = parse_srt_time(rest);
            if (a < 0 || b < 0 || b < a)
                return core::make_error(core::ErrorCategory::Input,
                                        name + ":" + std::to_string(line_no) + ": \"" + shown(line) +
                                            "\" is not a valid SRT timing line — write it as "
                                            "`00:00:01,200 --> 00:00:03,500` (end after start)");
            cues.push_back({a, b, ""});
            cur = &cues.back();
            continue;
        }
        if (!cur)
            continue;  // the cue number
        std::string clean;
        bool tag = false;
        for (char c : line) {  // <i>, </b>, <font ...>: styling, not words
            if (c == '<')
                tag = true;
            else if (c == '>' && tag)
                tag = false;
            else if (!tag)
                clean += c;
        }
        if (!cur->text.empty())
            cur->text += '\n';
        cur->text += clean;
    }
    return cues;
}

}  // namespace sw::exporter
