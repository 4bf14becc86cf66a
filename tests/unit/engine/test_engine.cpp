// The engine driven directly, as the studio server and cluster workers will: several jobs at
// once on one engine, a cancelled job, the order of progress events, errors returned as data.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "engine/batch.h"
#include "engine/engine.h"
#include "test_support.h"

using namespace sw;
using namespace sw::test;

namespace {

// Two small scripts: a picture and a built-in scene, a fade between them.
std::string script(const std::string& colour, const std::string& scene, double seconds = 1.0)
{
    return "---\ntitle: Engine\nsize: 160x284\nfps: 25\ntransition: fade 0.4s\n---\n\n# One\nstill.png\nduration: " +
           std::to_string(seconds) + "s\n\n# Two\nvisual: " + scene + "\nduration: " + std::to_string(seconds) +
           "s\n" + colour + "\n";
}

class Engine : public ::testing::Test {
protected:
    void SetUp() override { make_image(dir / "still.png", "color=c=orange:s=320x240"); }

    // Every event of a job, in the order it was delivered.
    struct Recorder {
        std::mutex mutex;
        std::vector<engine::Event> events;
        engine::EventSink sink()
        {
            return [this](const engine::Event& e) {
                std::lock_guard lock(mutex);
                events.push_back(e);
            };
        }
    };

    static engine::EngineOptions no_cache(int workers = 2)
    {
        engine::EngineOptions o;
        o.use_cache = false;
        o.workers = workers;
        return o;
    }

    TempDir dir{"engine"};
};

TEST_F(Engine, ScriptWithErrorsReturnsThemAsData)
{
    write_file(dir / "bad.md", "---\nsize: 160x284\n---\n\n# One\nstill.png\nduration: 2 parsecs\ntransition: spiral\n");
    engine::Engine eng(no_cache());
    Recorder rec;
    engine::Job job;
    job.on_event = rec.sink();
    engine::RenderRequest req;
    req.script.path = dir / "bad.md";
    req.output = dir / "bad.mp4";
    engine::RenderResult r = eng.render(req, job);

    EXPECT_EQ(r.outcome, engine::Outcome::InputError);
    EXPECT_EQ(engine::exit_code(r.outcome), 2);
    EXPECT_FALSE(r.started);
    EXPECT_FALSE(fs::exists(dir / "bad.mp4"));
    ASSERT_TRUE(r.loaded.diag.has_errors());
    // Each problem is an item with its place in the script, not a line of text.
    bool duration = false, transition = false;
    for (auto& d : r.loaded.diag.items()) {
        EXPECT_EQ(d.where.file, (dir / "bad.md").string());
        if (d.where.line == 7 && d.severity == core::Severity::Error)
            duration = true;
        if (d.where.line == 8 && d.severity == core::Severity::Error)
            transition = true;
    }
    EXPECT_TRUE(duration) << r.loaded.diag.to_string();
    EXPECT_TRUE(transition) << r.loaded.diag.to_string();
    // The same problems went out as one Diagnostics event, and the job ended "failed".
    ASSERT_FALSE(rec.events.empty());
    auto diag_event = std::find_if(rec.events.begin(), rec.events.end(),
                                   [](auto& e) { return e.type == engine::EventType::Diagnostics; });
    ASSERT_NE(diag_event, rec.events.end());
    EXPECT_EQ(diag_event->diagnostics.size(), r.loaded.diag.items().size());
    EXPECT_EQ(rec.events.back().type, engine::EventType::Done);
    EXPECT_EQ(rec.events.back().text, "failed");
    EXPECT_NE(rec.events.back().error.find("not rendering"), std::string::npos);
    // Check gives the same data without rendering anything.
    engine::Loaded checked = eng.check({dir / "bad.md"}, {});
    EXPECT_FALSE(checked.ok);
    EXPECT_EQ(checked.diag.error_count(), r.loaded.diag.error_count());
}

TEST_F(Engine, ProgressEventsComeInOrder)
{
    write_file(dir / "a.md", script("Orange, then a sea.", "a calm blue sea at dawn"));
    engine::Engine eng(no_cache());
    Recorder rec;
    engine::Job job;
    job.id = "job-7";
    job.on_event = rec.sink();
    engine::RenderRequest req;
    req.script.path = dir / "a.md";
    req.output = dir / "a.mp4";
    engine::RenderResult r = eng.render(req, job);
    ASSERT_EQ(r.outcome, engine::Outcome::Done) << (r.error ? r.error->to_string() : "") << r.loaded.diag.to_string();
    EXPECT_EQ(r.output, dir / "a.mp4");
    EXPECT_EQ(r.frames, 40);  // 2 × 25 frames minus a 10-frame fade
    EXPECT_EQ(stream(probe(r.output), "video")["nb_read_frames"], "40");

    // Phases in the order a render goes through them, each once.
    std::vector<engine::Phase> phases;
    for (auto& e : rec.events) {
        EXPECT_EQ(e.job, "job-7");
        if (e.type == engine::EventType::Phase)
            phases.push_back(e.phase);
    }
    const std::vector<engine::Phase> want = {engine::Phase::Read,  engine::Phase::Voice,   engine::Phase::Visuals,
                                             engine::Phase::Media, engine::Phase::Plan,    engine::Phase::Outputs,
                                             engine::Phase::Render};
    EXPECT_EQ(phases, want);
    // Progress only inside the render phase, never going back, ending at every frame and segment.
    int64_t last_frames = -1;
    int last_segments = -1;
    bool in_render = false;
    const engine::Event* final_progress = nullptr;
    for (auto& e : rec.events) {
        if (e.type == engine::EventType::Phase)
            in_render = e.phase == engine::Phase::Render;
        if (e.type != engine::EventType::Progress)
            continue;
        EXPECT_TRUE(in_render);
        EXPECT_GE(e.frames_done, last_frames);
        EXPECT_GE(e.segments_done, last_segments);
        EXPECT_EQ(e.frames_total, 40);
        EXPECT_GT(e.segments_total, 1);
        last_frames = e.frames_done;
        last_segments = e.segments_done;
        final_progress = &e;
    }
    ASSERT_NE(final_progress, nullptr);
    EXPECT_EQ(final_progress->frames_done, 40);
    EXPECT_EQ(final_progress->segments_done, final_progress->segments_total);
    EXPECT_EQ(final_progress->eta_s, 0);
    // Done comes last, with what was written.
    const engine::Event& done = rec.events.back();
    EXPECT_EQ(done.type, engine::EventType::Done);
    EXPECT_EQ(done.text, "done");
    EXPECT_EQ(done.output, (dir / "a.mp4").string());
    EXPECT_NEAR(done.video_s, 1.6, 1e-9);
    EXPECT_EQ(done.segments_encoded, final_progress->segments_total);
    // As JSON lines: the fields docs/progress.md names.
    nlohmann::json j = engine::to_json(*final_progress);
    EXPECT_EQ(j["event"], "progress");
    EXPECT_EQ(j["job"], "job-7");
    EXPECT_EQ(j["phase"], "render");
    EXPECT_EQ(j["frames_done"], 40);
    EXPECT_TRUE(j.contains("eta_s") && j.contains("segments_reused") && j.contains("fps"));
    EXPECT_EQ(engine::to_json(done)["status"], "done");
}

TEST_F(Engine, TwoJobsAtOnceGiveWhatEachGivesAlone)
{
    write_file(dir / "a.md", script("Orange, then a sea.", "a calm blue sea at dawn"));
    write_file(dir / "b.md", script("Orange, then mountains.", "snowy mountains under a night sky with stars"));
    // Alone, one engine each.
    for (const char* name : {"a", "b"}) {
        engine::Engine eng(no_cache(1));
        engine::RenderRequest req;
        req.script.path = dir / (std::string(name) + ".md");
        req.output = dir / (std::string(name) + "-alone.mp4");
        ASSERT_EQ(eng.render(req).outcome, engine::Outcome::Done);
    }
    // At once, from two threads, sharing one engine's workers and one segment cache.
    engine::EngineOptions shared;
    shared.cache_dir = dir / "cache";
    shared.workers = 2;
    engine::Engine eng(shared);
    engine::RenderResult ra, rb;
    std::thread ta([&] {
        engine::RenderRequest req;
        req.script.path = dir / "a.md";
        req.output = dir / "a-together.mp4";
        ra = eng.render(req, {"a"});
    });
    std::thread tb([&] {
        engine::RenderRequest req;
        req.script.path = dir / "b.md";
        req.output = dir / "b-together.mp4";
        rb = eng.render(req, {"b"});
    });
    ta.join();
    tb.join();
    ASSERT_EQ(ra.outcome, engine::Outcome::Done) << (ra.error ? ra.error->to_string() : "");
    ASSERT_EQ(rb.outcome, engine::Outcome::Done) << (rb.error ? rb.error->to_string() : "");
    EXPECT_EQ(read_file(dir / "a-together.mp4"), read_file(dir / "a-alone.mp4"));
    EXPECT_EQ(read_file(dir / "b-together.mp4"), read_file(dir / "b-alone.mp4"));
    EXPECT_NE(read_file(dir / "a-alone.mp4"), read_file(dir / "b-alone.mp4"));
    // Their first shot is the same picture: at least one segment was found in the cache or shared.
    EXPECT_GE(ra.segments.reused + ra.segments.shared + rb.segments.reused + rb.segments.shared, 1);
}

TEST_F(Engine, CancelledJobStopsWithinASecondAndLeavesNothing)
{
    // Long enough that it cannot finish before the cancel: 40 s of built-in scenes on one worker.
    write_file(dir / "long.md", script("A long night.", "snowy mountains under a night sky with stars", 20.0));
    engine::Engine eng(no_cache(1));
    std::atomic<bool> started{false};
    engine::Job job;
    job.on_event = [&](const engine::Event& e) {
        if (e.type == engine::EventType::Progress && e.frames_done >= 5)
            started = true;
    };
    engine::RenderRequest req;
    req.script.path = dir / "long.md";
    req.output = dir / "long.mp4";
    engine::RenderResult r;
    std::chrono::steady_clock::time_point cancelled_at, returned_at;
    std::thread t([&] {
        r = eng.render(req, job);
        returned_at = std::chrono::steady_clock::now();
    });
    while (!started)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    cancelled_at = std::chrono::steady_clock::now();
    job.cancel.cancel();
    t.join();
    EXPECT_EQ(r.outcome, engine::Outcome::Cancelled);
    EXPECT_LT(std::chrono::duration<double>(returned_at - cancelled_at).count(), 1.0);
    EXPECT_FALSE(fs::exists(dir / "long.mp4"));
    for (auto& e : fs::directory_iterator(dir.path()))
        EXPECT_TRUE(e.path().filename() == "long.md" || e.path().filename() == "still.png") << "left behind: " << e.path();
    // The engine goes on: another job renders after it.
    write_file(dir / "short.md", script("Short.", "a calm blue sea at dawn"));
    req.script.path = dir / "short.md";
    req.output = dir / "short.mp4";
    EXPECT_EQ(eng.render(req).outcome, engine::Outcome::Done);
}

TEST_F(Engine, BatchRowsAreData)
{
    write_file(dir / "t.md", "---\ntitle: {{city}}\nsize: 160x284\nfps: 25\n---\n\n# One\nstill.png\nduration: {{len}}\n");
    write_file(dir / "rows.csv", "city,len\nHarbin,1s\nDali,2 parsecs\nLhasa,0.8s\n");
    engine::Engine eng(no_cache());
    engine::BatchRequest req;
    req.templ = dir / "t.md";
    req.data = dir / "rows.csv";
    req.pattern = (dir / "out/{{city}}.mp4").string();
    Recorder rec;
    engine::Job job;
    job.on_event = rec.sink();
    engine::BatchResult res = eng.batch(req, job);
    EXPECT_TRUE(res.errors.empty());
    ASSERT_EQ(res.rows.size(), 3u);
    EXPECT_EQ(res.rows[0].status, engine::Outcome::Done);
    EXPECT_EQ(res.rows[1].status, engine::Outcome::InputError);
    EXPECT_EQ(res.rows[2].status, engine::Outcome::Done);
    EXPECT_NEAR(res.rows[0].video_s, 1.0, 1e-9);
    EXPECT_NEAR(res.rows[2].video_s, 0.8, 1e-9);
    EXPECT_EQ(res.exit_code(), 2);
    // The bad row's error points at the template line the user wrote.
    ASSERT_TRUE(res.rows[1].diag.has_errors());
    EXPECT_EQ(res.rows[1].diag.items()[0].where.file, (dir / "t.md").string());
    EXPECT_EQ(res.rows[1].diag.items()[0].where.line, 9);
    EXPECT_TRUE(fs::exists(dir / "out/Harbin.mp4"));
    EXPECT_FALSE(fs::exists(dir / "out/Dali.mp4"));
    int row_events = 0;
    for (auto& e : rec.events)
        if (e.type == engine::EventType::Row && e.text != "rendering") {
            ++row_events;
            EXPECT_EQ(e.rows_total, 3);
        }
    EXPECT_EQ(row_events, 3);
    // Again: the good rows are up to date.
    res = eng.batch(req, job);
    EXPECT_EQ(res.rows[0].status, engine::Outcome::UpToDate);
    EXPECT_EQ(res.rows[2].status, engine::Outcome::UpToDate);
}

}  // namespace

TEST_F(Engine, CachesLiveWhereTheEngineSays)
{
    // A studio server keeps its caches in folders of its own: the engine's options decide, not
    // the environment of whoever started it.
    write_file(dir / "fake-model",
               "#!/bin/bash\nwhile [ $# -gt 0 ]; do case \"$1\" in -W) W=\"$2\"; shift;; -H) H=\"$2\"; shift;;\n"
               "  -n) F=\"$2\"; shift;; -r) R=\"$2\"; shift;; -o) O=\"$2\"; shift;; esac; shift; done\n"
               "exec ffmpeg -v error -f lavfi -i \"color=c=red:s=${W}x${H}:r=$R\" -frames:v \"$F\" -c:v mjpeg \"$O\"\n");
    fs::permissions(dir / "fake-model", fs::perms::owner_all);
    write_file(dir / "gen.toml", "[generator]\nkind = \"command\"\nname = \"fake\"\ntimeout_s = 60\nretries = 0\n"
                                 "command = [\"./fake-model\", \"-W\", \"{width}\", \"-H\", \"{height}\", \"-n\", \"{frames}\","
                                 " \"-r\", \"{fps}\", \"-o\", \"{output}\"]\n"
                                 "[generator.capabilities]\nmax_seconds = 2\nnative_fps = 16\n");
    write_file(dir / "voiced.md", "---\nsize: 160x284\nvoice: en\ngenerator: gen.toml\nsubtitles: off\n---\n\n"
                                  "# One\nstill.png\nThe harbour at dawn.\n\n# Two\nvisual: generate a red lantern\n"
                                  "duration: 1s\n");
    engine::EngineOptions o = no_cache();
    o.tts_cache_dir = (dir / "tts").string();
    o.clip_cache_dir = dir / "clips";
    engine::Engine eng(o);
    engine::RenderRequest req;
    req.script.path = dir / "voiced.md";
    req.output = dir / "voiced.mp4";
    engine::RenderResult r = eng.render(req);
    ASSERT_EQ(r.outcome, engine::Outcome::Done) << (r.error ? r.error->message : "");
    EXPECT_GT(r.loaded.voice.speech_us[0], 500000);
    auto count = [](const fs::path& d, const std::string& ext) {
        int n = 0;
        if (fs::is_directory(d))
            for (auto& e : fs::directory_iterator(d))
                n += e.path().extension() == ext;
        return n;
    };
    EXPECT_EQ(count(dir / "tts", ".wav"), 1);
    EXPECT_EQ(count(dir / "clips", ".mp4"), 1);
}
