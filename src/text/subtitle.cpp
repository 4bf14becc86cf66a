#include "text/subtitle.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/text_util.h"
#include "text/line_break.h"
#include "text/pango_raii.h"

namespace sw::text {

using namespace detail;

namespace {

std::string describe(char32_t c)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "U+%04X", (unsigned)c);
    return std::string(buf) + " '" + core::utf8_encode(c) + "'";
}

core::Status check_layout_glyphs(PangoLayout* layout, std::string_view text)
{
    if (pango_layout_get_unknown_glyphs_count(layout) == 0)
        return {};
    // Find which characters: glyphs flagged UNKNOWN map back to their text through log_clusters.
    std::string names;
    std::unique_ptr<PangoLayoutIter, decltype(&pango_layout_iter_free)> it(pango_layout_get_iter(layout),
                                                                           pango_layout_iter_free);
    do {
        PangoLayoutRun* run = pango_layout_iter_get_run_readonly(it.get());
        if (!run)
            continue;
        PangoGlyphString* gs = run->glyphs;
        for (int g = 0; g < gs->num_glyphs; ++g) {
            if (!(gs->glyphs[g].glyph & PANGO_GLYPH_UNKNOWN_FLAG))
                continue;
            size_t byte = (size_t)(run->item->offset + gs->log_clusters[g]);
            char32_t c = gs->glyphs[g].glyph & ~PANGO_GLYPH_UNKNOWN_FLAG;
            if (byte < text.size()) {
                std::u32string d = core::utf8_decode(text.substr(byte, 4));
                if (!d.empty())
                    c = d[0];
            }
            if (c == '\n' || c == '\r' || c == '\t')
                continue;
            std::string n = describe(c);
            if (names.find(n) == std::string::npos)
                names += (names.empty() ? "" : ", ") + n;
        }
    } while (pango_layout_iter_next_run(it.get()));
    if (names.empty())
        return {};
    return core::make_error(core::ErrorCategory::Input,
                            "no installed font has the character " + names + " in the text \"" + std::string(text) +
                                "\" — it would show as an empty box; remove or replace it, or install a font with it");
}

}  // namespace

core::Status check_glyphs(std::string_view text, const std::string& font, bool bold)
{
    Measurer m = make_measurer(font, 32, bold);
    pango_layout_set_text(m.layout.get(), text.data(), (int)text.size());
    return check_layout_glyphs(m.layout.get(), text);
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
    std::vector<std::string> lines = break_lines(cue_text, m_impl->measure, max_w);
    if (lines.empty())
        return CueBitmap{};
    if ((int)lines.size() > std::max(1, st.max_lines))
        return core::make_error(core::ErrorCategory::Script,
                                "subtitle \"" + std::string(cue_text) + "\" needs " + std::to_string(lines.size()) +
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
    SW_TRY_STATUS(check_layout_glyphs(layout, joined));
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
    cairo_set_line_join(c, CAIRO_LINE_JOIN_ROUND);
    if (st.shadow > 0) {
        // Shadow of the outlined text, offset down-right.
        cairo_new_path(c);
        cairo_move_to(c, tx + shadow_off, ty + shadow_off);
        pango_cairo_layout_path(c, layout);
        cairo_set_source_rgba(c, 0, 0, 0, st.shadow);
        cairo_set_line_width(c, 2 * outline);
        cairo_stroke_preserve(c);
        cairo_fill(c);
    }
    cairo_new_path(c);
    cairo_move_to(c, tx, ty);
    pango_cairo_layout_path(c, layout);
    if (outline > 0) {
        // Stroke first (twice the width: half of it is then covered by the fill) so the outline
        // frames the glyphs without thinning them.
        cairo_set_source_rgb(c, st.outline_color.r / 255.0, st.outline_color.g / 255.0, st.outline_color.b / 255.0);
        cairo_set_line_width(c, 2 * outline);
        cairo_stroke_preserve(c);
    }
    cairo_set_source_rgb(c, st.color.r / 255.0, st.color.g / 255.0, st.color.b / 255.0);
    cairo_fill(c);
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
