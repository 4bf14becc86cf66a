// Unit tests for src/effects: the registry against the installed ffmpeg's catalogue, lookups,
// parameter validation, the row-range contract, endpoints, and the exact-float helpers.
// (Pixel accuracy against ffmpeg's xfade is tests/golden.)

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <random>
#include <regex>
#include <set>
#include <string>

#include "core/frame.h"
#include "core/text_util.h"
#include "effects/transition.h"
#include "effects/xfade_math.h"

using sw::core::Frame;
namespace fx = sw::effects;

namespace {

// Runs a shell command and returns its stdout.
std::string capture(const std::string& cmd)
{
    std::string out;
    FILE* f = ::popen(cmd.c_str(), "r");
    if (!f)
        return out;
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0)
        out.append(buf, n);
    ::pclose(f);
    return out;
}

// The transitions the installed ffmpeg's xfade lists, name → number, from its help text:
//   "     wipeleft        1            ..FV....... wipe left transition"
std::vector<std::pair<std::string, int>> ffmpeg_catalogue()
{
    const std::string help = capture("ffmpeg -hide_banner -h filter=xfade 2>/dev/null");
    std::vector<std::pair<std::string, int>> names;
    const std::regex line(R"(^\s+([a-z]+)\s+(-?\d+)\s+\.\.FV)");
    size_t pos = 0;
    while (pos < help.size()) {
        size_t end = help.find('\n', pos);
        if (end == std::string::npos)
            end = help.size();
        std::smatch m;
        const std::string l = help.substr(pos, end - pos);
        if (std::regex_search(l, m, line) && std::stoi(m[2]) >= 0)  // -1 = custom (expressions)
            names.emplace_back(m[1], std::stoi(m[2]));
        pos = end + 1;
    }
    return names;
}

Frame random_frame(int w, int h, unsigned seed)
{
    Frame f(w, h);
    std::mt19937 rng(seed);
    for (int p = 0; p < 3; ++p)
        for (int y = 0; y < f.plane_height(p); ++y)
            for (int x = 0; x < f.plane_width(p); ++x)
                f.row(p, y)[x] = (uint8_t)(rng() & 0xff);
    return f;
}

// Smooth content (gradients plus a few edges), closer to real pictures than noise.
Frame pattern_frame(int w, int h, int variant)
{
    Frame f(w, h);
    for (int p = 0; p < 3; ++p)
        for (int y = 0; y < f.plane_height(p); ++y)
            for (int x = 0; x < f.plane_width(p); ++x)
                f.row(p, y)[x] = (uint8_t)((x * (3 + variant) + y * (5 - p) + (x / 17 + y / 13) % 2 * 60 +
                                            p * 40 + variant * 90) & 0xff);
    return f;
}

bool planes_equal(const Frame& a, const Frame& b, std::string* where = nullptr)
{
    for (int p = 0; p < 3; ++p)
        for (int y = 0; y < a.plane_height(p); ++y)
            for (int x = 0; x < a.plane_width(p); ++x)
                if (a.row(p, y)[x] != b.row(p, y)[x]) {
                    if (where) {
                        *where = "plane " + std::to_string(p) + " (" + std::to_string(x) + ", " +
                                 std::to_string(y) + "): " + std::to_string(a.row(p, y)[x]) + " vs " +
                                 std::to_string(b.row(p, y)[x]);
                    }
                    return false;
                }
    return true;
}

}  // namespace

// ---- registry ------------------------------------------------------------------------------

TEST(Registry, HasEveryTransitionOfInstalledFfmpegInItsOrder)
{
    const auto catalogue = ffmpeg_catalogue();
    ASSERT_GE(catalogue.size(), 40u) << "could not read `ffmpeg -h filter=xfade`";
    const auto all = fx::all_transitions();
    for (const auto& [name, number] : catalogue) {
        EXPECT_NE(fx::find_transition(name), nullptr) << "xfade transition '" << name << "' is not registered";
        if ((size_t)number < all.size()) {
            EXPECT_EQ(all[(size_t)number]->name(), name) << "catalogue order differs at " << number;
        }
    }
    // Nothing registered that xfade does not have (each name is xfade's).
    std::set<std::string> xfade_names;
    for (const auto& c : catalogue)
        xfade_names.insert(c.first);
    for (const fx::Transition* t : all)
        EXPECT_TRUE(xfade_names.count(std::string(t->name()))) << t->name() << " is not an xfade transition";
    EXPECT_EQ(all.size(), catalogue.size());
}

TEST(Registry, NamesAreUniqueAndDescribed)
{
    std::set<std::string_view> seen;
    for (const fx::Transition* t : fx::all_transitions()) {
        EXPECT_TRUE(seen.insert(t->name()).second) << "duplicate " << t->name();
        EXPECT_FALSE(t->description().empty()) << t->name();
        EXPECT_EQ(t->description().find('\n'), std::string_view::npos) << t->name();
    }
}

TEST(Registry, FindAndNames)
{
    ASSERT_NE(fx::find_transition("fade"), nullptr);
    EXPECT_EQ(fx::find_transition("fade")->name(), "fade");
    EXPECT_EQ(fx::find_transition("circleopen")->name(), "circleopen");
    EXPECT_EQ(fx::find_transition("cut"), nullptr);  // cut is a name, not an effect
    EXPECT_EQ(fx::find_transition("Fade"), nullptr);
    EXPECT_EQ(fx::find_transition(""), nullptr);
    EXPECT_EQ(fx::find_transition("custom"), nullptr);

    const auto names = fx::transition_names();
    EXPECT_EQ(names.size(), fx::all_transitions().size() + 1);
    EXPECT_EQ(names.front(), "cut");
    EXPECT_NE(std::find(names.begin(), names.end(), "wipetl"), names.end());

    EXPECT_EQ(sw::core::did_you_mean("circleopn", names), "circleopen");
    EXPECT_EQ(sw::core::did_you_mean("dissolv", names), "dissolve");
    EXPECT_EQ(sw::core::did_you_mean("slidleft", names), "slideleft");
}

// ---- rendering contracts --------------------------------------------------------------------

class EveryTransition : public ::testing::TestWithParam<const fx::Transition*> {};

// The renderer splits a frame into row bands across threads: bands must compose to the
// whole, and a band must write nothing outside its rows.
TEST_P(EveryTransition, RowBandsComposeToWholeFrame)
{
    const fx::Transition& t = *GetParam();
    // 250x142: chroma 125x71, odd in both directions.
    const Frame a = pattern_frame(250, 142, 0), b = random_frame(250, 142, 7);
    for (float p : {1.f, 0.93f, 0.6f, 0.5f, 0.31f, 0.05f, 0.f}) {
        Frame whole(250, 142), bands(250, 142);
        whole.fill(1, 2, 3);
        bands.fill(1, 2, 3);
        fx::render_full(t, a, b, whole, p);
        const int cuts[] = {0, 2, 40, 70, 72, 140, 142};
        for (size_t i = 0; i + 1 < std::size(cuts); ++i)
            t.render(a, b, bands, p, cuts[i], cuts[i + 1]);
        std::string where;
        EXPECT_TRUE(planes_equal(whole, bands, &where)) << t.name() << " p=" << p << " at " << where;

        // One band alone touches only its rows.
        Frame band(250, 142);
        band.fill(1, 2, 3);
        t.render(a, b, band, p, 40, 70);
        for (int pl = 0; pl < 3; ++pl) {
            const int sub = pl ? 1 : 0;
            for (int y = 0; y < band.plane_height(pl); ++y) {
                const bool inside = y >= (40 >> sub) && y < (70 >> sub);
                for (int x = 0; x < band.plane_width(pl); ++x) {
                    const uint8_t want = inside ? whole.row(pl, y)[x] : (uint8_t)(pl + 1);
                    ASSERT_EQ(band.row(pl, y)[x], want)
                        << t.name() << " p=" << p << " plane " << pl << " (" << x << ", " << y << ")";
                }
            }
        }
    }
}

// Progress 1 shows A, except where xfade itself does not (the golden test checks xfade's
// exact output at progress 1 and 0, so these lists record behaviour, not tolerance):
//  - wiperight/wipedown/wipetr/wipebl/wipebr: the edge test is "x > z" with z = 0, so column
//    or row 0 stays B;
//  - rectcrop: the inside test |x - W/2| < W/2 excludes column 0 and row 0 (black);
//  - distance: pixels whose A/B distance exceeds 1 stay B at every progress;
//  - squeezeh/squeezev: at progress 1 A is still resampled (row y reads round(y/h·(h-1))).
TEST_P(EveryTransition, ProgressOneIsA)
{
    const fx::Transition& t = *GetParam();
    static const std::set<std::string_view> not_a = {"wiperight", "wipedown", "wipetr",  "wipebl",  "wipebr",
                                                     "rectcrop",  "distance", "squeezeh", "squeezev"};
    const Frame a = pattern_frame(320, 240, 1), b = pattern_frame(320, 240, 2);
    Frame out(320, 240);
    fx::render_full(t, a, b, out, 1.f);
    std::string where;
    if (!not_a.count(t.name())) {
        EXPECT_TRUE(planes_equal(out, a, &where)) << t.name() << ": " << where;
    }
}

// Progress 0 shows B, except where xfade does not:
//  - wipeleft/wipeup/wipetl/wipetr/wipebl: "x > z" with z = 0 keeps column/row 0 as A;
//  - rectcrop: as above, column 0 and row 0 stay black;
//  - radial: the sweep ends at angle 1.25π, so a sliver next to the upward axis still shows A;
//  - squeezeh/squeezev: 0/0 on the centre line (see slides.cpp) shows A's first row/column.
TEST_P(EveryTransition, ProgressZeroIsB)
{
    const fx::Transition& t = *GetParam();
    static const std::set<std::string_view> not_b = {"wipeleft", "wipeup",   "wipetl", "wipetr",
                                                     "wipebl",   "rectcrop", "radial",
                                                     "squeezeh", "squeezev"};
    const Frame a = pattern_frame(320, 240, 1), b = pattern_frame(320, 240, 2);
    Frame out(320, 240);
    fx::render_full(t, a, b, out, 0.f);
    std::string where;
    if (!not_b.count(t.name())) {
        EXPECT_TRUE(planes_equal(out, b, &where)) << t.name() << ": " << where;
    }
}

INSTANTIATE_TEST_SUITE_P(All, EveryTransition, ::testing::ValuesIn(fx::all_transitions().begin(),
                                                                   fx::all_transitions().end()),
                         [](const ::testing::TestParamInfo<const fx::Transition*>& info) {
                             return std::string(info.param->name());
                         });

// ---- exact-float helpers --------------------------------------------------------------------

TEST(XfadeMath, ProgressIsXfadesFloat)
{
    EXPECT_EQ(fx::xfade_progress(0, 15), 1.f);
    EXPECT_EQ(fx::xfade_progress(15, 15), 0.f);
    EXPECT_EQ(fx::xfade_progress(16, 15), 0.f);
    EXPECT_EQ(fx::xfade_progress(-1, 15), 1.f);
    EXPECT_EQ(fx::xfade_progress(5, 10), 0.5f);
    for (int k = 0; k <= 15; ++k)
        EXPECT_EQ(fx::xfade_progress(k, 15), 1.f - (float)k / 15.f);
}

// Our inline hypot must give glibc's hypotf bit for bit over every offset a 1080x1920 frame
// (and the half-diagonal) can produce, or circle edges would drift from xfade's.
TEST(XfadeMath, HypotMatchesLibm)
{
    int mismatches = 0;
    for (int dy = -1920; dy <= 1920; dy += 1)
        for (int dx = -1080; dx <= 1080; dx += (dy % 7 == 0 ? 1 : 13)) {
            const float want = ::hypotf((float)dx, (float)dy);
            const float got = sw::effects::detail::hypot_f((float)dx, (float)dy);
            mismatches += want != got;
        }
    EXPECT_EQ(mismatches, 0);
}

// ---- speed (manual) ----------------------------------------------------------------------------
// ms per 1080x1920 frame for each transition. Run with --gtest_also_run_disabled_tests.
TEST(Speed, DISABLED_MsPerFrame1080x1920)
{
    const Frame a = pattern_frame(1080, 1920, 1), b = pattern_frame(1080, 1920, 2);
    Frame out(1080, 1920);
    for (const fx::Transition* t : fx::all_transitions()) {
        fx::render_full(*t, a, b, out, 0.5f);  // warm caches (radial/dissolve tables)
        const int n = 10;
        auto t0 = std::chrono::steady_clock::now();
        for (int i = 0; i < n; ++i)
            fx::render_full(*t, a, b, out, 0.05f + 0.9f * i / n);
        const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() / n;
        std::printf("%-12s %7.2f ms/frame\n", std::string(t->name()).c_str(), ms);
    }
}
