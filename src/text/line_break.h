#pragma once
// Subtitle line breaking: Pango shapes and measures (font fallback included) and supplies the
// UAX #14 break opportunities; on top of them we apply the Chinese line-start/line-end rules
// (kinsoku), never break inside an English word, and balance the lines of a cue.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lang/lexicon.h"

namespace sw::text {

// Measures text with one font through Pango (the same shaping the renderer draws with).
class TextMeasure {
public:
    TextMeasure(std::string font, double size_px, bool bold = false);
    ~TextMeasure();
    TextMeasure(TextMeasure&&) noexcept;
    TextMeasure& operator=(TextMeasure&&) noexcept;

    // Width in pixels of `text` laid out on one line.
    double width(std::string_view text) const;
    // For each byte offset that starts a code point, plus text.size(): the x position (pixels)
    // of that offset on one line. Indexed by byte offset; other entries are -1.
    std::vector<double> positions(std::string_view text) const;
    // UAX #14 break opportunities: flags per byte offset (true = a line may start here).
    std::vector<bool> break_opportunities(std::string_view text) const;

    const std::string& font() const { return m_font; }
    double size_px() const { return m_size_px; }
    bool bold() const { return m_bold; }

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
    std::string m_font;
    double m_size_px;
    bool m_bold;
};

// True for characters that must not begin a line (closing brackets/quotes, sentence and
// clause punctuation, iteration marks, ellipsis, dash) in Chinese and their ASCII forms.
bool is_no_line_start(char32_t c);
// True for characters that must not end a line (opening brackets/quotes).
bool is_no_line_end(char32_t c);

// Breaks `text` (explicit '\n' are kept as forced breaks) into the fewest lines no wider than
// `max_width_px`, then balances those lines (two similar lines rather than one full line and a
// stub). A single English word wider than the limit stays whole on its own line (it is never
// split); callers that need a hard limit shrink the font. Leading/trailing spaces are dropped.
// A term of `protect` stays on one line unless it alone is wider than a line; a space typed
// between Chinese words is a preferred break.
std::vector<std::string> break_lines(std::string_view text, const TextMeasure& measure, double max_width_px,
                                     const lang::Lexicon* protect = nullptr);

// Splits a narration sentence into cue texts that each fit in `max_lines` lines of
// `max_width_px`, preferring clause punctuation (，、；：, ; :) and sentence ends as split points,
// and otherwise ordinary line-break opportunities. A sentence that fits is returned whole.
std::vector<std::string> split_cues(std::string_view sentence, const TextMeasure& measure, double max_width_px,
                                    int max_lines, const lang::Lexicon* protect = nullptr);

}  // namespace sw::text
