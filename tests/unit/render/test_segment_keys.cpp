// Segments and their cache keys: the key changes exactly when something that decides a
// segment's pixels changes, and not when a segment only moves in time.

#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>

#include <unistd.h>

#include "core/diagnostics.h"
#include "core/sha256.h"
#include "render/segment_plan.h"
#include "render/segment_render.h"
#include "render/visual_pick.h"
#include "script/script.h"
#include "test_support.h"
#include "timeline/plan.h"

using namespace sw;
using namespace sw::test;

namespace {

TEST(SplitSegments, CoverTheTimelineOnceInOrder)
{
    timeline::Plan plan;
    plan.fps = {30, 1};
    // Three shots of 100, 200 and 40 frames; 15-frame transitions between them.
    plan.shots.resize(3);
    plan.shots[0] = {0, 0, 100, 0, 15};
    plan.shots[1] = {1, 85, 200, 15, 15};
    plan.shots[2] = {2, 270, 40, 15, 0};
    plan.total_frames = 310;
    plan.transitions = {{"fade", 85, 15, {}}, {"wipeleft", 270, 15, {}}};
    plan.transition_after = {0, 1, -1};
    auto segs = render::split_segments(plan, 90);
    int64_t next = 0;
    std::vector<std::string> shape;
    for (auto& s : segs) {
        EXPECT_EQ(s.start_frame, next);
        EXPECT_GT(s.frames, 0);
        EXPECT_LE(s.frames, 90);
        next += s.frames;
        shape.push_back(s.transition >= 0 ? "t" + std::to_string(s.shot) : "b" + std::to_string(s.shot) + "@" + std::to_string(s.shot_offset));
    }
    EXPECT_EQ(next, plan.total_frames);
    // Shot 0: 85 frames of its own (one chunk); shot 1: 170 (two chunks of 85); shot 2: 25.
    EXPECT_EQ(shape, (std::vector<std::string>{"b0@0", "t0", "b1@15", "b1@100", "t1", "b2@15"}));
    EXPECT_EQ(segs[1].shot_offset, 85);  // shot 0's last 15 frames
    EXPECT_EQ(segs[1].next_shot, 1);
}

TEST(SplitSegments, CutsHaveNoTransitionSegments)
{
    timeline::Plan plan;
    plan.fps = {25, 1};
    plan.shots.resize(2);
    plan.shots[0] = {0, 0, 50, 0, 0};
    plan.shots[1] = {1, 50, 200, 0, 0};
    plan.total_frames = 250;
    plan.transition_after = {-1, -1};
    auto segs = render::split_segments(plan);  // 3 s at 25 fps = 75-frame chunks
    ASSERT_EQ(segs.size(), 4u);                // 50 | 67 67 66
    EXPECT_EQ(segs[0].frames, 50);
    EXPECT_EQ(segs[1].frames + segs[2].frames + segs[3].frames, 200);
    for (auto& s : segs)
        EXPECT_EQ(s.transition, -1);
}

class SegmentKeys : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        // Made outside any test (no test name to tell processes apart): one folder per process.
        s_dir = new TempDir("segment_keys_" + std::to_string(getpid()));
        make_image(*s_dir / "a.png", "testsrc2=s=480x360");
        make_image(*s_dir / "b.png", "smptebars=s=480x360");
        make_image(*s_dir / "logo.png", "color=c=red:s=64x32");
        make_video(*s_dir / "c.mp4", "testsrc=s=320x240", 4);
        make_video(*s_dir / "d.mp4", "mandelbrot=s=320x240", 4);
        ffmpeg({"-f", "lavfi", "-i", "sine=frequency=440:duration=3", (*s_dir / "music.wav").string()});
    }
    static void TearDownTestSuite()
    {
        delete s_dir;
        s_dir = nullptr;
    }

    static std::string base_script()
    {
        return "---\nsize: 320x240\nfps: 30\ntransition: fade 0.5s\n---\n\n"
               "# One\na.png zoom-in\nduration: 3s\nThe first shot speaks.\n\n"
               "# Two\nc.mp4\nduration: 3s\nThe second shot speaks.\n\n"
               "# Three\nb.png\nduration: 3s\nThe third shot speaks.\n";
    }

    // Segment name ("b<shot>@<offset>" or "t<shot>") → key, for a script text.
    static std::map<std::string, std::string> keys(const std::string& text, std::function<void(render::SharedOptions&)> tweak = {})
    {
        core::Diagnostics diag;
        auto project = script::read_script_text(text, "test.md", script::Format::Markdown, s_dir->path(), diag);
        EXPECT_TRUE(project && !diag.has_errors()) << text;
        if (!project)
            return {};
        render::resolve_visuals(*project, {}, diag);
        auto plan = timeline::plan_project(*project, diag);
        EXPECT_FALSE(diag.has_errors());
        render::SharedOptions so;
        if (tweak)
            tweak(so);
        auto sh = render::prepare_shared(*project, plan, so);
        EXPECT_TRUE(sh) << (sh ? "" : sh.error().to_string());
        if (!sh)
            return {};
        std::map<std::string, std::string> out;
        auto digest = [](const fs::path& p) { return core::sha256_file(p); };
        for (auto& seg : render::split_segments(plan)) {
            auto m = render::segment_material(*sh, seg, digest);
            EXPECT_TRUE(m);
            std::string name = seg.transition >= 0 ? "t" + std::to_string(seg.shot)
                                                   : "b" + std::to_string(seg.shot) + "@" + std::to_string(seg.shot_offset);
            out[name] = render::segment_key(*m);
        }
        return out;
    }

    // Names whose key differs (or exist in only one of the two).
    static std::set<std::string> changed(const std::map<std::string, std::string>& a, const std::map<std::string, std::string>& b)
    {
        std::set<std::string> out;
        for (auto& [k, v] : a)
            if (!b.count(k) || b.at(k) != v)
                out.insert(k);
        for (auto& [k, v] : b)
            if (!a.count(k))
                out.insert(k);
        return out;
    }

    static std::set<std::string> shot_segments(const std::map<std::string, std::string>& m, int shot)
    {
        std::set<std::string> out;
        for (auto& [k, v] : m)
            if (k.rfind("b" + std::to_string(shot) + "@", 0) == 0)
                out.insert(k);
        return out;
    }

    static std::string edit(std::string text, const std::string& from, const std::string& to)
    {
        auto at = text.find(from);
        EXPECT_NE(at, std::string::npos) << from;
        if (at != std::string::npos)
            text.replace(at, from.size(), to);
        return text;
    }

    static TempDir* s_dir;
};
TempDir* SegmentKeys::s_dir = nullptr;

TEST_F(SegmentKeys, SameInputsSameKeys)
{
    auto a = keys(base_script()), b = keys(base_script());
    ASSERT_EQ(a.size(), 5u);  // three bodies (each under 3 s) and two fades
    EXPECT_EQ(a, b);
    std::set<std::string> distinct;
    for (auto& [k, v] : a)
        distinct.insert(v);
    EXPECT_EQ(distinct.size(), a.size());
}

TEST_F(SegmentKeys, NarrationChangesOnlyItsShot)
{
    auto a = keys(base_script());
    auto b = keys(edit(base_script(), "The second shot speaks.", "The second shot says something else."));
    EXPECT_EQ(changed(a, b), shot_segments(a, 1));
}

TEST_F(SegmentKeys, LaterShotsMovingInTimeKeepTheirKeys)
{
    auto a = keys(base_script());
    auto b = keys(edit(base_script(), "duration: 3s\nThe first", "duration: 4.5s\nThe first"));
    // Shot 1 is longer (its move and chunks change) and so is the fade out of it; shots 2 and 3
    // start 1.5 s later but show the same pictures.
    auto c = changed(a, b);
    EXPECT_TRUE(c.count("t0"));
    for (auto& k : c)
        EXPECT_TRUE(k == "t0" || k.rfind("b0@", 0) == 0) << k << " changed";
}

TEST_F(SegmentKeys, VisualContentTrimMoveAndFit)
{
    auto a = keys(base_script());
    std::set<std::string> shot2 = shot_segments(a, 1);
    shot2.insert("t0");
    shot2.insert("t1");
    EXPECT_EQ(changed(a, keys(edit(base_script(), "c.mp4", "d.mp4"))), shot2) << "another file";
    EXPECT_EQ(changed(a, keys(edit(base_script(), "c.mp4", "c.mp4 from 0.5s"))), shot2) << "trim";
    EXPECT_EQ(changed(a, keys(edit(base_script(), "c.mp4", "c.mp4 contain"))), shot2) << "fit";
    std::set<std::string> shot3 = shot_segments(a, 2);
    shot3.insert("t1");
    EXPECT_EQ(changed(a, keys(edit(base_script(), "b.png", "b.png pan-left"))), shot3) << "move";

    // The same name with other contents: the key follows the bytes, not the path.
    const fs::path c = *s_dir / "c.mp4", saved = *s_dir / "c.saved.mp4";
    fs::copy_file(c, saved, fs::copy_options::overwrite_existing);
    fs::copy_file(*s_dir / "d.mp4", c, fs::copy_options::overwrite_existing);
    auto replaced = keys(base_script());
    fs::copy_file(saved, c, fs::copy_options::overwrite_existing);
    EXPECT_EQ(changed(a, replaced), shot2) << "same path, new contents";
}

TEST_F(SegmentKeys, TransitionsTitlesAndLooks)
{
    auto a = keys(base_script());
    EXPECT_EQ(changed(a, keys(edit(base_script(), "duration: 3s\nThe second", "duration: 3s\ntransition: wipeleft 0.5s\nThe second"))),
              std::set<std::string>{"t1"});
    auto titled = edit(base_script(), "b.png\n", "b.png\ntitle: Welcome\n");
    auto t = keys(titled);
    EXPECT_EQ(changed(a, t), shot_segments(a, 2)) << "a title on shot 3";
    EXPECT_EQ(changed(t, keys(edit(titled, "---\n\n", "title-animation: pop\n---\n\n"))), shot_segments(a, 2))
        << "the title animation matters only where a title is";
    std::set<std::string> bodies;
    for (int i = 0; i < 3; ++i)
        for (auto& k : shot_segments(a, i))
            bodies.insert(k);
    EXPECT_EQ(changed(a, keys(edit(base_script(), "---\n\n", "subtitles: on position=top\n---\n\n"))), bodies)
        << "the subtitle look matters where cues are";
    EXPECT_EQ(changed(a, keys(edit(base_script(), "---\n\n", "subtitles: off\n---\n\n"))), bodies);
}

TEST_F(SegmentKeys, EverySegmentFollowsOutputSettingsAndLogo)
{
    auto a = keys(base_script());
    auto all = [&] {
        std::set<std::string> s;
        for (auto& [k, v] : a)
            s.insert(k);
        return s;
    }();
    EXPECT_EQ(changed(a, keys(base_script(), [](render::SharedOptions& o) { o.encode.crf = 30; })), all);
    EXPECT_EQ(changed(a, keys(base_script(), [](render::SharedOptions& o) { o.encode.preset = "ultrafast"; })), all);
    EXPECT_EQ(changed(a, keys(base_script(), [](render::SharedOptions& o) { o.width = 160, o.height = 120; })), all);
    EXPECT_EQ(changed(a, keys(edit(base_script(), "---\n\n", "logo: logo.png\n---\n\n"))), all);
}

TEST_F(SegmentKeys, SoundDoesNotChangePictures)
{
    auto a = keys(base_script());
    EXPECT_TRUE(changed(a, keys(edit(base_script(), "---\n\n", "music: music.wav -6dB\nloudness: -16\n---\n\n"))).empty());
    EXPECT_TRUE(changed(a, keys(edit(base_script(), "c.mp4\n", "c.mp4\naudio: keep\n"))).empty());
    // Decoder threads change how, not what.
    EXPECT_TRUE(changed(a, keys(base_script(), [](render::SharedOptions& o) { o.decoder_threads = 4; })).empty());
}

TEST_F(SegmentKeys, GeneratedScenesFollowTheirWordsAndSeed)
{
    const std::string gen = "---\nsize: 320x240\nfps: 30\nsubtitles: off\n---\n\n# Sea\nvisual: generate sunset over the sea\nduration: 2s\n";
    auto a = keys(gen);
    EXPECT_EQ(changed(a, keys(edit(gen, "sunset over the sea", "snowy mountains at night"))).size(), a.size());
    EXPECT_EQ(changed(a, keys(edit(gen, "subtitles: off\n", "subtitles: off\nseed: 7\n"))).size(), a.size());
    EXPECT_TRUE(changed(a, keys(gen)).empty());
}

}  // namespace
