#include <gtest/gtest.h>

#include "timeline/plan.h"

using namespace sw;
using namespace sw::timeline;

namespace {

TransitionSpec fade(int64_t us)
{
    TransitionSpec t;
    t.name = "fade";
    t.duration_us = us;
    t.loc = {"t.md", 1, 13};
    return t;
}

Project project_of(int shots, int64_t shot_us, std::optional<TransitionSpec> def = {})
{
    Project p;
    p.script_path = "t.md";
    p.fps = {30, 1};
    if (def)
        p.default_transition = *def;
    for (int i = 0; i < shots; ++i) {
        Shot s;
        s.name = "S" + std::to_string(i + 1);
        s.loc = {"t.md", 10 * (i + 1), 1};
        s.duration_us = shot_us;
        s.duration_loc = {"t.md", 10 * (i + 1) + 1, 11};
        p.shots.push_back(s);
    }
    return p;
}

size_t count_errors_containing(const core::Diagnostics& d, const std::string& needle)
{
    size_t n = 0;
    for (auto& i : d.items())
        n += i.severity == core::Severity::Error && (i.message + i.hint).find(needle) != std::string::npos;
    return n;
}

}  // namespace

TEST(Plan, TwelveShotsWithHalfSecondFadesIsExact)
{
    // 12 × 5.5 s at 30 fps = 12 × 165 = 1980 frames; 11 fades × 15 frames = 165; total 1815.
    auto p = project_of(12, 5'500'000, fade(500'000));
    core::Diagnostics d;
    Plan plan = plan_project(p, d);
    EXPECT_FALSE(d.has_errors()) << d.to_string();
    ASSERT_EQ(plan.shots.size(), 12u);
    EXPECT_EQ(plan.total_frames, 1980 - 165);
    EXPECT_EQ(plan.total_frames, 1815);
    ASSERT_EQ(plan.transitions.size(), 11u);
    for (int i = 0; i < 12; ++i) {
        EXPECT_EQ(plan.shots[i].frames, 165);
        EXPECT_EQ(plan.shots[i].start_frame, i * 150);  // 165 − 15 per step
        EXPECT_EQ(plan.shots[i].in_frames, i ? 15 : 0);
        EXPECT_EQ(plan.shots[i].out_frames, i < 11 ? 15 : 0);
        EXPECT_FALSE(plan.shots[i].duration_estimated);
    }
    for (int i = 0; i < 11; ++i) {
        EXPECT_EQ(plan.transition_after[i], i);
        EXPECT_EQ(plan.transitions[i].frames, 15);
        EXPECT_EQ(plan.transitions[i].start_frame, plan.shots[i + 1].start_frame);
        // The overlap ends exactly where shot i ends.
        EXPECT_EQ(plan.transitions[i].start_frame + 15, plan.shots[i].start_frame + plan.shots[i].frames);
    }
    EXPECT_EQ(plan.transition_after[11], -1);
    EXPECT_EQ(plan.shots[11].start_frame + plan.shots[11].frames, plan.total_frames);
}

TEST(Plan, NtscRateAndCutsAndMixedTransitions)
{
    auto p = project_of(3, 4'000'000);
    p.fps = {30000, 1001};
    p.shots[0].transition_out = fade(1'000'000);  // 29.97 frames → 30
    Plan plan;
    core::Diagnostics d;
    plan = plan_project(p, d);
    EXPECT_FALSE(d.has_errors()) << d.to_string();
    EXPECT_EQ(plan.shots[0].frames, 120);  // 119.88 → 120
    EXPECT_EQ(plan.transitions.size(), 1u);
    EXPECT_EQ(plan.transition_after[1], -1);  // default is cut
    EXPECT_EQ(plan.total_frames, 360 - 30);
    EXPECT_EQ(plan.shots[2].start_frame, 90 + 120);
}

TEST(Plan, TransitionLongerThanShotIsAnErrorWithTheAmount)
{
    auto p = project_of(3, 1'000'000, fade(600'000));  // 30-frame shots, 18-frame fades: middle needs 36
    core::Diagnostics d;
    Plan plan = plan_project(p, d);
    EXPECT_EQ(d.error_count(), 1u) << d.to_string();
    auto& e = d.items()[0];
    EXPECT_NE(e.message.find("S2"), std::string::npos) << e.message;
    EXPECT_NE(e.message.find("by 0.2 s (6 frames)"), std::string::npos) << e.message;
    EXPECT_NE(e.hint.find("at least 1.2 s"), std::string::npos) << e.hint;

    // A first shot shorter than its outgoing transition alone.
    auto q = project_of(2, 1'000'000);
    q.shots[0].duration_us = 400'000;
    q.shots[0].transition_out = fade(500'000);
    core::Diagnostics d2;
    plan_project(q, d2);
    EXPECT_EQ(d2.error_count(), 1u) << d2.to_string();
    EXPECT_NE(d2.items()[0].message.find("transition out of shot 1"), std::string::npos) << d2.to_string();
    EXPECT_EQ(d2.items()[0].where.line, 1);  // the transition's own location
}

TEST(Plan, ZeroAndNegativeDurationsAndNoShots)
{
    auto p = project_of(2, 1'000'000);
    p.shots[0].duration_us = 0;
    p.shots[1].duration_us = -2'000'000;
    core::Diagnostics d;
    plan_project(p, d);
    EXPECT_EQ(d.error_count(), 2u) << d.to_string();
    EXPECT_EQ(d.items()[0].where.line, 11);
    EXPECT_EQ(d.items()[1].where.line, 21);

    auto tiny = project_of(1, 10'000);  // 0.3 frames
    core::Diagnostics d2;
    plan_project(tiny, d2);
    EXPECT_EQ(count_errors_containing(d2, "shorter than one frame"), 1u) << d2.to_string();

    Project empty;
    empty.script_path = "e.md";
    core::Diagnostics d3;
    Plan plan = plan_project(empty, d3);
    EXPECT_EQ(d3.error_count(), 1u);
    EXPECT_EQ(plan.total_frames, 0);
}

TEST(Plan, UnknownTransitionReportedOnceWithSuggestion)
{
    auto p = project_of(2, 3'000'000);
    TransitionSpec t = fade(500'000);
    t.name = "fadee";
    t.loc = {"t.md", 12, 13};
    p.shots[0].transition_out = t;
    core::Diagnostics d;
    plan_project(p, d);
    ASSERT_EQ(d.error_count(), 1u) << d.to_string();
    EXPECT_EQ(d.items()[0].hint, "did you mean \"fade\"?");

    // Already reported by a reader on the same line: not repeated.
    core::Diagnostics d2;
    d2.error({"t.md", 12, 13}, "unknown transition \"fadee\"");
    plan_project(p, d2);
    EXPECT_EQ(d2.error_count(), 1u) << d2.to_string();
}

TEST(Plan, EstimatedDurationsAndTrimRange)
{
    auto p = project_of(2, 0);
    p.shots[0].duration_us.reset();
    p.shots[0].narration = {"清晨的中央大街,百年面包石路静静延伸。"};  // 17 CJK chars → 4.25 s + 0.5
    p.shots[1].duration_us.reset();
    p.shots[1].visual.kind = VisualKind::Media;
    p.shots[1].visual.media_type = MediaType::Video;
    p.shots[1].visual.trim_from_us = 1'000'000;
    p.shots[1].visual.trim_to_us = 5'000'000;
    core::Diagnostics d;
    Plan plan = plan_project(p, d);
    EXPECT_FALSE(d.has_errors()) << d.to_string();
    EXPECT_TRUE(plan.shots[0].duration_estimated);
    EXPECT_EQ(plan.shots[0].frames, core::us_to_frames(4'750'000, {30, 1}));
    EXPECT_FALSE(plan.shots[1].duration_estimated);
    EXPECT_EQ(plan.shots[1].frames, 120);
}

TEST(Plan, HeldLastFrameWarning)
{
    auto p = project_of(2, 6'000'000);
    auto& v = p.shots[1].visual;
    v.kind = VisualKind::Media;
    v.media_type = MediaType::Video;
    v.path_as_written = "clip.mp4";
    v.trim_from_us = 3'000'000;
    v.loc = {"t.md", 22, 1};
    core::Diagnostics d;
    Plan plan = plan_project(p, d, {-1, 126});  // 4.2 s left after `from 3s`
    EXPECT_FALSE(d.has_errors());
    ASSERT_EQ(d.warning_count(), 1u);
    EXPECT_TRUE(plan.shots[1].holds_last_frame);
    EXPECT_EQ(plan.shots[1].source_frames, 126);
    EXPECT_FALSE(plan.shots[0].holds_last_frame);
    EXPECT_EQ(d.items()[0].message,
              "shot 2 \"S2\" is 6.0 s but clip.mp4 from 3s has only 4.2 s; its last frame is held for 1.8 s");
    EXPECT_EQ(d.items()[0].where.line, 22);
}

TEST(ReadingEstimate, CountsCjkAndWordsWithPadAndMinimum)
{
    EXPECT_EQ(estimate_reading_us({}), kMinShotUs);
    EXPECT_EQ(estimate_reading_us({"Hi."}), kMinShotUs);  // 0.4 + 0.5 < 2
    // 10 words / 2.5 = 4 s + 0.5 pad.
    EXPECT_EQ(estimate_reading_us({"one two three four five", "six seven eight nine ten."}), 4'500'000);
    // 12 Chinese characters / 4 = 3 s + pad; punctuation is not read.
    EXPECT_EQ(estimate_reading_us({"夜幕降临，冰雪大世界点亮了城市。"}), 3'500'000 + 250'000 * 2);
    // Mixed: 4 CJK (1 s) + 2 words (0.8 s) + 0.5 = 2.3 s.
    EXPECT_EQ(estimate_reading_us({"欢迎来到 Harbin 2024"}), 2'300'000);
    auto c = count_reading_units("The cathedral — glows!");
    EXPECT_EQ(c.words, 3);
    EXPECT_EQ(c.cjk_chars, 0);
}

TEST(Plan, SpokenNarrationSetsLengthBetweenTransitions)
{
    Project p = project_of(3, 2'000'000, fade(500'000));
    p.shots[1].duration_us.reset();  // the middle shot takes its length from its speech
    p.shots[1].narration = {"Hello there."};
    core::Diagnostics d;
    Plan plan = plan_project(p, d, {}, {0, 2'000'000, 0});
    EXPECT_FALSE(d.has_errors()) << d.to_string();
    const PlannedShot& s = plan.shots[1];
    // 15 (fade in) + 6 (lead) + 60 (speech) + 15 (tail) + 15 (fade out)
    EXPECT_EQ(s.frames, 111);
    EXPECT_FALSE(s.duration_estimated);
    EXPECT_EQ(s.voice_offset_frames, 21);
    EXPECT_EQ(s.voice_frames, 60);
    EXPECT_EQ(plan.total_frames, 60 + 111 + 60 - 30);
}

TEST(Plan, FixedDurationTooShortForTheVoiceWarnsByHowMuch)
{
    Project p = project_of(2, 2'000'000, fade(500'000));
    core::Diagnostics d;
    Plan plan = plan_project(p, d, {}, {3'000'000, 0});
    EXPECT_FALSE(d.has_errors());
    ASSERT_EQ(d.warning_count(), 1u) << d.to_string();
    // 60 frames − 6 lead − 15 fade out leave 39 of the 90 spoken frames: 51 cut (1.7 s).
    EXPECT_NE(d.items()[0].message.find("1.7"), std::string::npos) << d.to_string();
    EXPECT_EQ(d.items()[0].where.line, 11);
    EXPECT_EQ(plan.shots[0].voice_frames, 39);
    EXPECT_EQ(plan.shots[0].frames, 60);  // a fixed duration stays fixed
}
