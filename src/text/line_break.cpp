#include "text/line_break.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/text_util.h"
#include "lang/words.h"
#include "text/pango_raii.h"

namespace sw::text {

struct TextMeasure::Impl {
    detail::Measurer m;
};

TextMeasure::TextMeasure(std::string font, double size_px, bool bold)
    : m_impl(std::make_unique<Impl>()), m_font(std::move(font)), m_size_px(size_px), m_bold(bold)
{
    m_impl->m = detail::make_measurer(m_font, m_size_px, m_bold);
}
TextMeasure::~TextMeasure() = default;
TextMeasure::TextMeasure(TextMeasure&&) noexcept = default;
TextMeasure& TextMeasure::operator=(TextMeasure&&) noexcept = default;

double TextMeasure::width(std::string_view text) const
{
    PangoLayout* l = m_impl->m.layout.get();
    pango_layout_set_width(l, -1);
    pango_layout_set_text(l, text.data(), (int)text.size());
    PangoRectangle logical;
    pango_layout_get_extents(l, nullptr, &logical);
    return logical.width / (double)PANGO_SCALE;
}

std::vector<double> TextMeasure::positions(std::string_view text) const
{
    PangoLayout* l = m_impl->m.layout.get();
    pango_layout_set_width(l, -1);
    pango_layout_set_text(l, text.data(), (int)text.size());
    std::vector<double> pos(text.size() + 1, -1);
    PangoRectangle logical;
    pango_layout_get_extents(l, nullptr, &logical);
    PangoLayoutLine* line = pango_layout_get_line_readonly(l, 0);
    for (size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80)
            continue;  // continuation byte
        int x = 0;
        pango_layout_line_index_to_x(line, (int)i, 0, &x);
        pos[i] = x / (double)PANGO_SCALE;
    }
    pos[text.size()] = logical.width / (double)PANGO_SCALE;
    return pos;
}

std::vector<bool> TextMeasure::break_opportunities(std::string_view text) const
{
    PangoLayout* l = m_impl->m.layout.get();
    pango_layout_set_width(l, -1);
    pango_layout_set_text(l, text.data(), (int)text.size());
    int n = 0;
    const PangoLogAttr* attrs = pango_layout_get_log_attrs_readonly(l, &n);
    std::vector<bool> out(text.size() + 1, false);
    size_t byte = 0;
    for (int c = 0; c < n && byte <= text.size(); ++c) {
        out[byte] = attrs[c].is_line_break;
        if (byte == text.size())
            break;
        // Advance one code point.
        ++byte;
        while (byte < text.size() && (static_cast<unsigned char>(text[byte]) & 0xC0) == 0x80)
            ++byte;
    }
    return out;
}

bool is_no_line_start(char32_t c)
{
    static constexpr std::u32string_view set =
        U"，。！？、；：」』）》〉】〕〗〙〛｝］’”…—‥·・～ー々〻ゝゞヽヾ．｡｣､"
        U",.!?;:)]}%";
    return set.find(c) != std::u32string_view::npos;
}

bool is_no_line_end(char32_t c)
{
    static constexpr std::u32string_view set = U"「『（《〈【〔〖〘〚｛［‘“｢([{";
    return set.find(c) != std::u32string_view::npos;
}

namespace {

bool is_space(char c) { return c == ' ' || c == '\t'; }

// Code point ending just before byte `i`.
char32_t cp_before(std::string_view s, size_t i)
{
    size_t j = i;
    while (j > 0) {
        --j;
        if ((static_cast<unsigned char>(s[j]) & 0xC0) != 0x80)
            break;
    }
    return core::code_point_at(s, j);
}

// Allowed line starts in a single paragraph: Pango's UAX #14 opportunities minus the kinsoku
// rules. UAX #14 already forbids most of these, but classes such as B2 (—), AI and fullwidth
// forms differ between Unicode versions; applying the table ourselves makes the rule exact.
// Between two Chinese characters UAX #14 allows a break anywhere; we also require a word
// boundary (ICU's dictionary segmentation), so a line never ends inside a word like 世界.
// A term of `protect` is never broken (whatever the script), unless it alone is wider than
// `max_w`: then its ordinary breaks stay allowed. `known_pos`: p's positions when the caller has
// measured them already.
std::vector<size_t> allowed_breaks(std::string_view p, const TextMeasure& m, const lang::Lexicon* protect, double max_w,
                                   const std::vector<double>* known_pos = nullptr)
{
    std::vector<bool> opp = m.break_opportunities(p);
    std::vector<bool> words = lang::word_boundaries(p);
    std::vector<bool> inside(p.size() + 1, false);
    if (protect) {
        std::vector<lang::Span> terms = protect->find_all(p);
        if (!terms.empty()) {
            const std::vector<double> measured = known_pos ? std::vector<double>() : m.positions(p);
            const std::vector<double>& pos = known_pos ? *known_pos : measured;
            for (const lang::Span& t : terms)
                if (pos[t.end] - pos[t.begin] <= max_w + 0.01) {
                    words[t.begin] = words[t.end] = true;  // its edges are word edges
                    std::fill(inside.begin() + std::ptrdiff_t(t.begin) + 1, inside.begin() + std::ptrdiff_t(t.end), true);
                }
        }
    }
    std::vector<size_t> out;
    for (size_t b = 1; b < p.size(); ++b) {
        if (!opp[b] || inside[b])
            continue;
        if (is_no_line_start(core::code_point_at(p, b)))
            continue;
        if (!words[b] && lang::is_cjk_word_char(core::code_point_at(p, b)) && lang::is_cjk_word_char(cp_before(p, b)))
            continue;
        // The last visible character of the previous line (spaces at a break vanish).
        size_t e = b;
        while (e > 0 && is_space(p[e - 1]))
            --e;
        if (e == 0)
            continue;
        if (is_no_line_end(cp_before(p, e)))
            continue;
        // A space-led break also must not leave a closing mark at the next line's start.
        size_t s = b;
        while (s < p.size() && is_space(p[s]))
            ++s;
        if (s == p.size() || is_no_line_start(core::code_point_at(p, s)))
            continue;
        out.push_back(b);
    }
    return out;
}

struct Span {
    size_t begin, end;  // trimmed of spaces
};
Span trim_span(std::string_view p, size_t a, size_t b)
{
    while (a < b && is_space(p[a]))
        ++a;
    while (b > a && is_space(p[b - 1]))
        --b;
    return {a, b};
}

bool is_clause_end(char32_t c);

std::vector<std::string> break_paragraph(std::string_view p, const TextMeasure& m, double max_w,
                                         const lang::Lexicon* protect)
{
    {
        Span t = trim_span(p, 0, p.size());
        p = p.substr(t.begin, t.end - t.begin);
    }
    if (p.empty())
        return {};
    std::vector<double> pos = m.positions(p);
    // Text without Han or kana breaks at spaces anyway: a bonus for spaces would change nothing.
    const std::u32string cps = core::utf8_decode(p);
    const bool cjk_free = std::none_of(cps.begin(), cps.end(), lang::is_cjk_word_char);
    std::vector<size_t> cand{0};
    for (size_t b : allowed_breaks(p, m, protect, max_w, &pos))
        cand.push_back(b);
    cand.push_back(p.size());
    const size_t n = cand.size();
    auto width = [&](size_t i, size_t j) {
        Span s = trim_span(p, cand[i], cand[j]);
        if (s.begin >= s.end)
            return 0.0;
        return pos[s.end] - pos[s.begin];
    };
    // A line [i, j) is allowed if it fits, or if it is one unbreakable piece (a long word).
    auto ok = [&](size_t i, size_t j) { return j == i + 1 || width(i, j) <= max_w + 0.01; };

    // 1) The fewest lines.
    constexpr int inf = std::numeric_limits<int>::max() / 2;
    std::vector<int> cnt(n, inf);
    cnt[0] = 0;
    for (size_t j = 1; j < n; ++j)
        for (size_t i = j; i-- > 0;) {
            if (!ok(i, j))
                break;  // widths only grow as i moves left
            cnt[j] = std::min(cnt[j], cnt[i] + 1);
        }
    const int lines = cnt[n - 1];
    // Breaking right after a comma or other clause punctuation reads better than splitting a
    // phrase ("夜幕降临，| 冰雪大世界…" rather than "…冰雪大世 | 界…"), and so does breaking at a
    // space the writer typed between Chinese words ("哈尔滨 | 期待你的到来"): such a break earns a
    // bonus worth a moderate imbalance (about a fifth of the line width either way).
    auto preferred_break = [&](size_t j) {
        if (cand[j] > 0 && is_space(p[cand[j] - 1]) && !cjk_free)
            return true;
        Span s = trim_span(p, 0, cand[j]);
        if (s.end == 0)
            return false;
        size_t k = s.end - 1;
        while (k > 0 && (static_cast<unsigned char>(p[k]) & 0xC0) == 0x80)
            --k;
        auto cp = core::utf8_decode(p.substr(k, s.end - k));
        return !cp.empty() && is_clause_end(cp[0]);
    };
    const double preferred_bonus = (0.3 * max_w) * (0.3 * max_w);
    // 2) With that many lines, the most even widths: minimise the sum of squared widths
    //    (for a fixed total this favours equal lines over a full line plus a stub).
    const double dinf = std::numeric_limits<double>::infinity();
    std::vector<std::vector<double>> cost(lines + 1, std::vector<double>(n, dinf));
    std::vector<std::vector<size_t>> from(lines + 1, std::vector<size_t>(n, 0));
    cost[0][0] = 0;
    for (int k = 1; k <= lines; ++k)
        for (size_t j = 1; j < n; ++j)
            for (size_t i = j; i-- > 0;) {
                if (!ok(i, j))
                    break;
                if (cost[k - 1][i] == dinf)
                    continue;
                double w = width(i, j);
                double c = cost[k - 1][i] + w * w - (j + 1 < n && preferred_break(j) ? preferred_bonus : 0.0);
                if (c < cost[k][j]) {
                    cost[k][j] = c;
                    from[k][j] = i;
                }
            }
    std::vector<std::string> out(lines);
    size_t j = n - 1;
    for (int k = lines; k > 0; --k) {
        size_t i = from[k][j];
        Span s = trim_span(p, cand[i], cand[j]);
        out[k - 1] = std::string(p.substr(s.begin, s.end - s.begin));
        j = i;
    }
    return out;
}

bool is_clause_end(char32_t c)
{
    static constexpr std::u32string_view set = U"，、；：。！？…—,;:.!?";
    return set.find(c) != std::u32string_view::npos;
}

std::string trimmed(std::string_view s)
{
    Span t = trim_span(s, 0, s.size());
    return std::string(s.substr(t.begin, t.end - t.begin));
}

}  // namespace

std::vector<std::string> break_lines(std::string_view text, const TextMeasure& measure, double max_width_px,
                                     const lang::Lexicon* protect)
{
    std::vector<std::string> out;
    size_t start = 0;
    while (start <= text.size()) {
        size_t nl = text.find('\n', start);
        if (nl == std::string_view::npos)
            nl = text.size();
        for (auto& l : break_paragraph(text.substr(start, nl - start), measure, max_width_px, protect))
            out.push_back(std::move(l));
        start = nl + 1;
    }
    return out;
}

std::vector<std::string> split_cues(std::string_view sentence, const TextMeasure& measure, double max_width_px,
                                    int max_lines, const lang::Lexicon* protect)
{
    std::string whole = trimmed(sentence);
    std::string_view s = whole;
    auto fits = [&](std::string_view piece) {
        return (int)break_lines(piece, measure, max_width_px, protect).size() <= std::max(1, max_lines);
    };
    if (s.empty())
        return {};
    if (fits(s))
        return {whole};
    // Split points, in byte offsets of `s`: after clause punctuation (preferred) and at any
    // allowed line break (fallback).
    std::vector<size_t> clause, any = allowed_breaks(s, measure, protect, max_width_px);
    for (size_t b : any) {
        size_t e = b;
        while (e > 0 && is_space(s[e - 1]))
            --e;
        if (e > 0 && is_clause_end(cp_before(s, e)))
            clause.push_back(b);
    }
    std::vector<std::string> cues;
    size_t start = 0;
    while (start < s.size()) {
        if (fits(s.substr(start))) {
            cues.push_back(trimmed(s.substr(start)));
            break;
        }
        auto farthest = [&](const std::vector<size_t>& pts) -> size_t {
            size_t best = 0;
            for (size_t b : pts)
                if (b > start && fits(s.substr(start, b - start)))
                    best = b;
            return best;
        };
        size_t cut = farthest(clause);
        if (cut == 0)
            cut = farthest(any);
        if (cut == 0) {  // nothing fits (one huge word): take the smallest piece possible
            auto it = std::upper_bound(any.begin(), any.end(), start);
            cut = it == any.end() ? s.size() : *it;
        }
        cues.push_back(trimmed(s.substr(start, cut - start)));
        start = cut;
    }
    return cues;
}

}  // namespace sw::text
