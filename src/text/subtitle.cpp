#include "text/subtitle.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <hb-ot.h>
#include <unicode/uchar.h>

#include "core/text_util.h"
#include "text/line_break.h"
#include "text/pango_raii.h"

namespace sw::text {

using namespace detail;

namespace {

// Calls f(run, x, y) for each run of the layout with its baseline origin in layout pixels (as
// pango_cairo_layout_path places it).
template <class F>
void for_each_run(PangoLayout* layout, F&& f)
{
    std::unique_ptr<PangoLayoutIter, decltype(&pango_layout_iter_free)> it(pango_layout_get_iter(layout),
                                                                           pango_layout_iter_free);
    do {
        PangoLayoutRun* run = pango_layout_iter_get_run_readonly(it.get());
        if (!run)
            continue;
        PangoRectangle logical;
        pango_layout_iter_get_run_extents(it.get(), nullptr, &logical);
        f(run, (double)logical.x / PANGO_SCALE, (double)pango_layout_iter_get_baseline(it.get()) / PANGO_SCALE);
    } while (pango_layout_iter_next_run(it.get()));
}

// The characters of a laid-out text that Pango had no font for: their glyphs carry the UNKNOWN
// flag and map back to the text through log_clusters.
std::vector<MissingGlyph> layout_missing(PangoLayout* layout, std::string_view text)
{
    std::vector<MissingGlyph> out;
    if (pango_layout_get_unknown_glyphs_count(layout) == 0)
        return out;
    for_each_run(layout, [&](PangoLayoutRun* run, double, double) {
        PangoGlyphString* gs = run->glyphs;
        for (int g = 0; g < gs->num_glyphs; ++g) {
            if (!(gs->glyphs[g].glyph & PANGO_GLYPH_UNKNOWN_FLAG))
                continue;
            size_t byte = (size_t)(run->item->offset + gs->log_clusters[g]);
            if (byte >= text.size())
                continue;
            const char32_t at = core::code_point_at(text, byte);
            char32_t c = at ? at : (gs->glyphs[g].glyph & ~PANGO_GLYPH_UNKNOWN_FLAG);
            if (c == '\n' || c == '\r' || c == '\t')
                continue;
            out.push_back({byte, c});
        }
    });
    std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.byte < b.byte; });
    out.erase(std::unique(out.begin(), out.end(), [](auto& a, auto& b) { return a.byte == b.byte; }), out.end());
    return out;
}

// Fonts whose glyphs carry their own colours (CBDT/sbix bitmaps such as Noto Color Emoji, or
// COLR/SVG): Cairo draws those in colour only through cairo_show_glyphs; as a path a bitmap
// glyph is traced into a one-colour silhouette of pixel squares.
bool is_colour_font(PangoFont* font)
{
    hb_font_t* hb = font ? pango_font_get_hb_font(font) : nullptr;
    if (!hb)
        return false;
    hb_face_t* face = hb_font_get_face(hb);
    return hb_ot_color_has_png(face) || hb_ot_color_has_layers(face) || hb_ot_color_has_svg(face);
}

// An A8 mask of the image's alpha grown by `radius` pixels (a disc, anti-aliased at its rim):
// the outline a stroke of 2 × radius would give the shape. Only the box around the ink is
// scanned.
SurfacePtr grow_alpha(cairo_surface_t* argb, double radius)
{
    const int w = cairo_image_surface_get_width(argb), h = cairo_image_surface_get_height(argb);
    const int in_stride = cairo_image_surface_get_stride(argb);
    const uint8_t* in = cairo_image_surface_get_data(argb);
    SurfacePtr out(cairo_image_surface_create(CAIRO_FORMAT_A8, w, h));
    cairo_surface_flush(out.get());
    uint8_t* o = cairo_image_surface_get_data(out.get());
    const int out_stride = cairo_image_surface_get_stride(out.get());
    std::fill(o, o + (size_t)out_stride * h, 0);
    auto alpha = [&](int x, int y) { return (int)(reinterpret_cast<const uint32_t*>(in + (size_t)y * in_stride)[x] >> 24); };
    int x0 = w, y0 = h, x1 = -1, y1 = -1;
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            if (alpha(x, y)) {
                x0 = std::min(x0, x), x1 = std::max(x1, x);
                y0 = std::min(y0, y), y1 = std::max(y1, y);
            }
    if (x1 < 0)
        return out;
    // Offsets within the disc with their coverage (×256) at its rim.
    struct Tap {
        int dx, dy, weight;
    };
    std::vector<Tap> taps;
    const int r = (int)std::ceil(radius + 0.5);
    for (int dy = -r; dy <= r; ++dy)
        for (int dx = -r; dx <= r; ++dx) {
            double cover = dx == 0 && dy == 0 ? 1.0 : std::clamp(radius + 0.5 - std::hypot(dx, dy), 0.0, 1.0);
            if (cover > 0)
                taps.push_back({dx, dy, (int)std::lround(cover * 256)});
        }
    for (int y = std::max(0, y0 - r); y <= std::min(h - 1, y1 + r); ++y)
        for (int x = std::max(0, x0 - r); x <= std::min(w - 1, x1 + r); ++x) {
            int best = 0;
            for (const Tap& t : taps) {
                int sx = x + t.dx, sy = y + t.dy;
                if (sx < x0 || sy < y0 || sx > x1 || sy > y1)
                    continue;
                best = std::max(best, alpha(sx, sy) * t.weight);
                if (best >= 255 * 256)
                    break;
            }
            o[(size_t)y * out_stride + x] = (uint8_t)((best + 128) >> 8);
        }
    cairo_surface_mark_dirty(out.get());
    return out;
}

}  // namespace

std::vector<MissingGlyph> missing_glyphs(std::string_view text, const std::string& font, bool bold)
{
    if (text.empty())
        return {};
    Measurer m = make_measurer(font, 32, bold);
    pango_layout_set_text(m.layout.get(), text.data(), (int)text.size());
    return layout_missing(m.layout.get(), text);
}

std::string without_missing_glyphs(std::string_view text, const std::string& font, bool bold)
{
    std::string out;
    size_t from = 0;
    for (const MissingGlyph& g : missing_glyphs(text, font, bold)) {
        out.append(text.substr(from, g.byte - from));
        from = g.byte + core::utf8_sequence_length((unsigned char)text[g.byte]);
    }
    if (from < text.size())
        out.append(text.substr(from));
    return out;
}

std::string character_name(char32_t c)
{
    char buf[128];
    UErrorCode err = U_ZERO_ERROR;
    int32_t n = u_charName((UChar32)c, U_UNICODE_CHAR_NAME, buf, sizeof buf, &err);
    if (U_FAILURE(err) || n <= 0) {
        // Unnamed code points (private use, unassigned, controls) get ICU's "<private-use-E000>".
        err = U_ZERO_ERROR;
        n = u_charName((UChar32)c, U_EXTENDED_CHAR_NAME, buf, sizeof buf, &err);
    }
    std::string code = core::code_point_name(c);
    return U_SUCCESS(err) && n > 0 ? code + " " + std::string(buf, (size_t)n) : code;
}

bool is_emoji(char32_t c)
{
    // Extended_Pictographic rather than Emoji: the latter also counts digits, '#' and '*'.
    return u_hasBinaryProperty((UChar32)c, UCHAR_EMOJI_PRESENTATION) ||
           u_hasBinaryProperty((UChar32)c, UCHAR_EXTENDED_PICTOGRAPHIC);
}

std::string blank_emoji(std::string_view text)
{
    std::string out(text);
    for (size_t i = 0; i < out.size();) {
        const size_t n = std::min(core::utf8_sequence_length((unsigned char)out[i]), out.size() - i);
        std::u32string d = core::utf8_decode(std::string_view(out).substr(i, n));
        if (n > 1 && !d.empty() && is_emoji(d[0]))
            std::fill(out.begin() + (ptrdiff_t)i, out.begin() + (ptrdiff_t)(i + n), ' ');
        i += n;
    }
    return out;
}

struct SubtitleRenderer::Impl {
    TextMeasure measure;
};

SubtitleRenderer::SubtitleRenderer(int frame_w, int frame_h, SubtitleStyle style)
    : m_w(frame_w), m_h(frame_h), m_style(std::move(style))
{
    m_impl = std::make_unique<Impl>(Impl{TextMeasure(m_style.font, m_style.resolved_size(m_h), m_style.bold)});
}
SubtitleRenderer::~SubtitleRenderer() = default;
SubtitleRenderer::SubtitleRenderer(SubtitleRenderer&&) noexcept = default;
SubtitleRenderer& SubtitleRenderer::operator=(SubtitleRenderer&&) noexcept = default;

double SubtitleRenderer::max_text_width() const
{
    const double size = m_style.resolved_size(m_h);
    // The outline, shadow and box padding sit outside the glyphs but inside the margins.
    const double pad = m_style.resolved_outline(m_h) + (m_style.box ? 0.35 * size : 0) + 0.06 * size + 2;
    return std::max(16.0, m_w * (1 - 2 * m_style.margin_x_frac) - 2 * pad);
}

core::Result<CueBitmap> SubtitleRenderer::render(std::string_view cue_text) const
{
    const SubtitleStyle& st = m_style;
    double size = st.resolved_size(m_h);
    const double max_w = max_text_width();
    // A character no font has would be drawn as a box with its code: it is left out.
    const std::string shown = without_missing_glyphs(cue_text, st.font, st.bold);
    std::vector<std::string> lines = break_lines(shown, m_impl->measure, max_w);
    if (lines.empty())
        return CueBitmap{};
    if ((int)lines.size() > std::max(1, st.max_lines))
        return core::make_error(core::ErrorCategory::Script,
                                "subtitle \"" + shown + "\" needs " + std::to_string(lines.size()) +
                                    " lines, more than the " + std::to_string(st.max_lines) +
                                    " allowed — split the narration into shorter sentences");
    std::string joined;
    for (size_t i = 0; i < lines.size(); ++i)
        joined += (i ? "\n" : "") + lines[i];

    // Lay out the already-broken lines (no Pango wrapping: our breaks are final). A single word
    // wider than the safe width is shrunk rather than split or allowed past the margin.
    Measurer m = make_measurer(st.font, size, st.bold);
    PangoLayout* layout = m.layout.get();
    pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER);
    pango_layout_set_text(layout, joined.data(), (int)joined.size());
    PangoRectangle ink, logical;
    pango_layout_get_pixel_extents(layout, &ink, &logical);
    if (logical.width > max_w) {
        size *= max_w / logical.width;
        m = make_measurer(st.font, size, st.bold);
        layout = m.layout.get();
        pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER);
        pango_layout_set_text(layout, joined.data(), (int)joined.size());
        pango_layout_get_pixel_extents(layout, &ink, &logical);
    }

    const double outline = st.outline_px >= 0 ? st.outline_px : 0.08 * size;
    const double shadow_off = st.shadow > 0 ? std::max(1.0, 0.05 * size) : 0;
    const double box_pad = st.box ? 0.35 * size : 0;
    const int pad = (int)std::ceil(outline + shadow_off + box_pad + 2);
    const int sw = logical.width + 2 * pad, sh = logical.height + 2 * pad;
    SurfacePtr surf(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, sw, sh));
    if (cairo_surface_status(surf.get()) != CAIRO_STATUS_SUCCESS)
        return core::make_error(core::ErrorCategory::Internal, "could not allocate a subtitle surface");
    CairoPtr cr(cairo_create(surf.get()));
    cairo_t* c = cr.get();
    pango_cairo_update_layout(c, layout);
    const double tx = pad - logical.x, ty = pad - logical.y;

    if (st.box) {
        const double x0 = pad - box_pad, y0 = pad - box_pad;
        const double bw = logical.width + 2 * box_pad, bh = logical.height + 2 * box_pad;
        const double r = std::min(0.3 * size, bh / 2);
        cairo_new_sub_path(c);
        cairo_arc(c, x0 + bw - r, y0 + r, r, -M_PI / 2, 0);
        cairo_arc(c, x0 + bw - r, y0 + bh - r, r, 0, M_PI / 2);
        cairo_arc(c, x0 + r, y0 + bh - r, r, M_PI / 2, M_PI);
        cairo_arc(c, x0 + r, y0 + r, r, M_PI, 3 * M_PI / 2);
        cairo_close_path(c);
        cairo_set_source_rgba(c, st.box_color.r / 255.0, st.box_color.g / 255.0, st.box_color.b / 255.0,
                              st.box_opacity);
        cairo_fill(c);
    }
    // Colour glyphs (emoji) keep their own colours. Traced as a path they would be a silhouette
    // of pixel squares, slow to stroke: their outline and shadow are grown from their alpha.
    bool any_colour = false;
    for_each_run(layout, [&](PangoLayoutRun* run, double, double) { any_colour |= is_colour_font(run->item->analysis.font); });
    SurfacePtr colour, halo;
    if (any_colour) {
        colour.reset(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, sw, sh));
        CairoPtr cc(cairo_create(colour.get()));
        for_each_run(layout, [&](PangoLayoutRun* run, double x, double y) {
            if (!is_colour_font(run->item->analysis.font))
                return;
            cairo_move_to(cc.get(), tx + x, ty + y);
            pango_cairo_show_glyph_string(cc.get(), run->item->analysis.font, run->glyphs);
        });
        cairo_surface_flush(colour.get());
        halo = grow_alpha(colour.get(), outline);
    }
    // The path of the text drawn from outlines (all of it unless there are colour glyphs).
    auto text_path = [&](double x0, double y0) {
        cairo_new_path(c);
        if (!any_colour) {
            cairo_move_to(c, x0, y0);
            pango_cairo_layout_path(c, layout);
            return;
        }
        for_each_run(layout, [&](PangoLayoutRun* run, double x, double y) {
            if (is_colour_font(run->item->analysis.font))
                return;
            cairo_move_to(c, x0 + x, y0 + y);
            pango_cairo_glyph_string_path(c, run->item->analysis.font, run->glyphs);
        });
    };

    cairo_set_line_join(c, CAIRO_LINE_JOIN_ROUND);
    if (st.shadow > 0) {
        // Shadow of the outlined text, offset down-right.
        text_path(tx + shadow_off, ty + shadow_off);
        cairo_set_source_rgba(c, 0, 0, 0, st.shadow);
        cairo_set_line_width(c, 2 * outline);
        cairo_stroke_preserve(c);
        cairo_fill(c);
        if (halo)
            cairo_mask_surface(c, halo.get(), shadow_off, shadow_off);
    }
    text_path(tx, ty);
    if (outline > 0) {
        // Stroke first (twice the width: half of it is then covered by the fill) so the outline
        // frames the glyphs without thinning them.
        cairo_set_source_rgb(c, st.outline_color.r / 255.0, st.outline_color.g / 255.0, st.outline_color.b / 255.0);
        cairo_set_line_width(c, 2 * outline);
        cairo_stroke_preserve(c);
        if (halo)
            cairo_mask_surface(c, halo.get(), 0, 0);
    }
    cairo_set_source_rgb(c, st.color.r / 255.0, st.color.g / 255.0, st.color.b / 255.0);
    cairo_fill(c);
    if (colour) {
        cairo_set_source_surface(c, colour.get(), 0, 0);
        cairo_paint(c);
    }
    cairo_surface_flush(surf.get());

    // Placement: centred horizontally, vertically per position, always inside the safe area.
    const int ox = (m_w - sw) / 2;
    const double top_limit = st.top_safe_frac * m_h;
    const double bottom_limit = (1 - st.resolved_bottom_safe(m_w, m_h)) * m_h;
    double oy = 0;
    switch (st.position) {
    case SubtitleStyle::Position::Bottom: oy = bottom_limit - sh; break;
    case SubtitleStyle::Position::Top: oy = top_limit; break;
    case SubtitleStyle::Position::Center: oy = 0.5 * m_h - sh / 2.0; break;
    case SubtitleStyle::Position::Percent: oy = st.percent * m_h - sh / 2.0; break;
    }
    oy = std::clamp(oy, top_limit, std::max(top_limit, bottom_limit - sh));
    // bitmap_from_argb needs an even origin; round up/left-to-even so the block never crosses
    // the bottom limit (ix moves right by at most one pixel, inside the pad).
    int iy = (int)std::floor(oy) - (sh & 1);  // an odd height is padded by one row
    iy -= iy & 1;
    int ix = ox + (ox & 1);
    CueBitmap b = bitmap_from_argb(cairo_image_surface_get_data(surf.get()), cairo_image_surface_get_stride(surf.get()),
                                   sw, sh, ix, iy);
    b.lines = std::move(lines);
    return b;
}

}  // namespace sw::text
