#pragma once
// Burned-in subtitles: a cue is laid out and rasterised once (Pango shaping + font fallback,
// Chinese line-breaking rules, outline/shadow/box) into a CueBitmap positioned inside the
// platform-safe area; each frame then only blends that bitmap (text/blend.h).

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/frame.h"
#include "text/blend.h"

namespace sw::text {

struct SubtitleStyle {
    enum class Position { Bottom, Center, Top, Percent };

    std::string font = "Noto Sans CJK SC";  // fontconfig family; Pango falls back per character
    double size_px = 0;                     // em size; 0 = 0.036 × frame height
    bool bold = true;
    core::Rgb color{255, 255, 255};
    core::Rgb outline_color{0, 0, 0};
    double outline_px = -1;    // outline width; < 0 = 0.08 × size
    double shadow = 0.5;       // opacity of a drop shadow (0 = none), offset 0.05 × size
    bool box = false;          // a rounded background box behind the text
    core::Rgb box_color{0, 0, 0};
    double box_opacity = 0.55;
    Position position = Position::Bottom;
    double percent = 0.5;      // Position::Percent: the block's centre as a fraction of the height
    double margin_x_frac = 0.08;     // left/right safe margin, fraction of the width
    double bottom_safe_frac = -1;    // < 0 = auto: 0.18 for portrait (platform UI), else 0.07
    double top_safe_frac = 0.08;
    int max_lines = 2;

    // The values actually used for a frame size (autos resolved).
    double resolved_size(int frame_h) const { return size_px > 0 ? size_px : 0.036 * frame_h; }
    double resolved_outline(int frame_h) const { return outline_px >= 0 ? outline_px : 0.08 * resolved_size(frame_h); }
    double resolved_bottom_safe(int frame_w, int frame_h) const
    {
        return bottom_safe_frac >= 0 ? bottom_safe_frac : (frame_h > frame_w ? 0.18 : 0.07);
    }
};

// A character of a text that no installed font can draw: Pango would show a box with its code
// in it. Emoji are drawn in colour from Noto Color Emoji, which fontconfig puts behind the
// configured font for emoji (Debian: fonts-noto-color-emoji); without it they are missing too.
struct MissingGlyph {
    size_t byte = 0;  // where it starts in the text
    char32_t c = 0;
};

// Every character of `text` (each occurrence, in order) that no font Pango picks for `font`,
// fallback included, has a glyph for. Line breaks and tabs are not characters to draw.
std::vector<MissingGlyph> missing_glyphs(std::string_view text, const std::string& font = "Noto Sans CJK SC",
                                         bool bold = true);
// `text` with those characters left out: what the renderers draw.
std::string without_missing_glyphs(std::string_view text, const std::string& font = "Noto Sans CJK SC",
                                   bool bold = true);
// "U+1F389 PARTY POPPER" (the code and its Unicode name) for messages.
std::string character_name(char32_t c);
// True for characters that are emoji (those the emoji font would draw).
bool is_emoji(char32_t c);
// `text` with each emoji's bytes replaced by spaces, so byte offsets still match the original:
// what a voice speaks (a TTS engine would read "party popper" aloud in the middle of a sentence).
std::string blank_emoji(std::string_view text);

class SubtitleRenderer {
public:
    SubtitleRenderer(int frame_w, int frame_h, SubtitleStyle style = {});
    ~SubtitleRenderer();
    SubtitleRenderer(SubtitleRenderer&&) noexcept;
    SubtitleRenderer& operator=(SubtitleRenderer&&) noexcept;

    // The width available to text (frame width minus both safe margins).
    double max_text_width() const;
    // Lays out and rasterises one cue (explicit '\n' are kept); characters no font has are left
    // out (check them with missing_glyphs first to tell the user), emoji are drawn in colour.
    // Error: more lines than style.max_lines (split the narration with split_cues first).
    core::Result<CueBitmap> render(std::string_view cue_text) const;

    const SubtitleStyle& style() const { return m_style; }

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
    int m_w, m_h;
    SubtitleStyle m_style;
};

}  // namespace sw::text
