// End-to-end: re-rendering only what changed. A video is encoded in segments kept in the segment
// cache; an edit re-encodes the segments of the shots it touches, and the joined result is the
// same video a full render (--no-cache) makes.

#include <regex>
#include <set>
#include <sstream>

#include "e2e_common.h"

using namespace sw::test;

namespace {

// 180x320, four 1.2 s shots with 0.3 s fades: each shot's own part is one segment, each fade
// one more (7 segments).
const char* kScript = R"(---
size: 180x320
fps: 30
transition: fade 0.3s
---

# One
red.png zoom-in
duration: 1.2s
The first shot.

# Two
clip.mp4
duration: 1.2s
The second shot.

# Three
blue.png pan-left
duration: 1.2s
The third shot.

# Four
green.png
duration: 1.2s
The fourth shot.
)";

struct Counts {
    int encoded = -1, reused = -1, shared = -1;
};

// "segments: N encoded, M reused" from a render's messages.
Counts counts(const std::string& err)
{
    Counts c;
    std::smatch m;
    if (std::regex_search(err, m, std::regex(R"(segments: (\d+) encoded, (\d+) reused)"))) {
        c.encoded = std::stoi(m[1]);
        c.reused = std::stoi(m[2]);
    }
    return c;
}

std::string frame_md5s(const fs::path& video)
{
    auto r = run({"ffmpeg", "-v", "error", "-i", video.string(), "-map", "0:v", "-f", "framemd5", "-"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::string out;
    std::istringstream in(r.out);
    for (std::string l; std::getline(in, l);)
        if (!l.empty() && l[0] != '#')
            out += l + "\n";
    return out;
}

// The smallest per-frame PSNR (dB) between two videos of the same size, by FFmpeg's psnr
// filter; +inf when every frame is identical.
double min_psnr(const fs::path& a, const fs::path& b)
{
    auto r = run({"ffmpeg", "-v", "error", "-i", a.string(), "-i", b.string(), "-lavfi", "[0:v][1:v]psnr=stats_file=-",
                  "-f", "null", "-"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    double lowest = INFINITY;
    int frames = 0;
    std::istringstream in(r.out);
    for (std::string l; std::getline(in, l);) {
        auto at = l.find("psnr_avg:");
        if (at == std::string::npos)
            continue;
        ++frames;
        std::string v = l.substr(at + 9, l.find(' ', at) - at - 9);
        if (v != "inf")
            lowest = std::min(lowest, std::stod(v));
    }
    EXPECT_GT(frames, 0) << r.out << r.err;
    return lowest;
}

// Decodes with FFmpeg reporting any error; checks the video's packets have strictly increasing
// decode times and distinct presentation times, as one encode would.
void expect_clean_stream(const fs::path& video, int64_t frames)
{
    auto dec = run({"ffmpeg", "-v", "error", "-i", video.string(), "-f", "null", "-"});
    EXPECT_EQ(dec.exit_code, 0);
    EXPECT_EQ(dec.err, "") << "decode errors in " << video;
    auto r = run({"ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pts,dts", "-of", "csv=p=0",
                  video.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::istringstream in(r.out);
    int64_t last_dts = INT64_MIN, n = 0;
    std::set<int64_t> pts;
    for (std::string l; std::getline(in, l);) {
        if (l.empty())
            continue;
        auto comma = l.find(',');
        ASSERT_NE(comma, std::string::npos) << l;
        int64_t p = std::stoll(l.substr(0, comma)), d = std::stoll(l.substr(comma + 1));
        EXPECT_GT(d, last_dts) << "packet " << n;
        EXPECT_LE(d, p) << "packet " << n;
        last_dts = d;
        EXPECT_TRUE(pts.insert(p).second) << "pts " << p << " twice";
        ++n;
    }
    EXPECT_EQ(n, frames);
}

class SegmentCache : public ::testing::Test {
protected:
    void SetUp() override
    {
        make_image(dir / "red.png", "testsrc2=s=320x240");
        make_image(dir / "blue.png", "smptebars=s=320x240");
        make_image(dir / "green.png", "rgbtestsrc=s=320x240");
        make_image(dir / "yellow.png", "mandelbrot=s=320x240");
        make_video(dir / "clip.mp4", "testsrc=s=320x240", 2);
        write_file(dir / "v.md", kScript);
    }

    CommandResult render(const std::string& out, std::vector<std::string> extra = {})
    {
        std::vector<std::string> argv{cli(), "render", (dir / "v.md").string(), "-o", (dir / out).string(),
                                      "--cache-dir", cache.string()};
        argv.insert(argv.end(), extra.begin(), extra.end());
        return run(argv);
    }

    void edit(const std::string& from, const std::string& to)
    {
        std::string s = read_file(dir / "v.md");
        auto at = s.find(from);
        ASSERT_NE(at, std::string::npos) << from;
        s.replace(at, from.size(), to);
        write_file(dir / "v.md", s);
    }

    std::vector<fs::path> entries() const
    {
        std::vector<fs::path> out;
        if (fs::is_directory(cache))
            for (auto& e : fs::directory_iterator(cache))
                if (e.path().extension() == ".mp4")
                    out.push_back(e.path());
        return out;
    }

    // The current script rendered with --no-cache, compared with `video`: the same frames.
    void expect_same_as_full_render(const fs::path& video)
    {
        auto full = render("full.mp4", {"--no-cache"});
        ASSERT_EQ(full.exit_code, 0) << full.err;
        auto a = stream(probe(video), "video"), b = stream(probe(dir / "full.mp4"), "video");
        ASSERT_FALSE(a.is_null());
        EXPECT_EQ(a["nb_read_frames"], b["nb_read_frames"]);
        EXPECT_EQ(a["duration"], b["duration"]);
        EXPECT_EQ(frame_md5s(video), frame_md5s(dir / "full.mp4"));
        EXPECT_GE(min_psnr(video, dir / "full.mp4"), 45.0);
        expect_clean_stream(video, std::stoll(a["nb_read_frames"].get<std::string>()));
        auto audio = stream(probe(video), "audio");
        ASSERT_FALSE(audio.is_null()) << "the sound is muxed in";
        EXPECT_NEAR(std::stod(audio["duration"].get<std::string>()), std::stod(a["duration"].get<std::string>()), 0.03);
    }

    TempDir dir{"segment_cache"};
    fs::path cache = dir / "cache";
};

}  // namespace

TEST_F(SegmentCache, AnEditReencodesOnlyTheShotsItTouches)
{
    auto r = render("v.mp4");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    Counts c = counts(r.err);
    EXPECT_EQ(c.encoded, 7) << r.err;
    EXPECT_EQ(c.reused, 0);
    EXPECT_EQ(entries().size(), 7u);

    // Nothing changed: nothing encoded.
    r = render("v.mp4");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    c = counts(r.err);
    EXPECT_EQ(c.encoded, 0) << r.err;
    EXPECT_EQ(c.reused, 7);

    // A subtitle (the narration burned in) of shot 2: its own part only.
    edit("The second shot.", "The second shot, said otherwise.");
    r = render("v.mp4");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    c = counts(r.err);
    EXPECT_EQ(c.encoded, 1) << r.err;
    EXPECT_EQ(c.reused, 6);

    // Shot 3's picture: its part and the fades into and out of it.
    edit("blue.png pan-left", "yellow.png pan-left");
    r = render("v.mp4");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    c = counts(r.err);
    EXPECT_EQ(c.encoded, 3) << r.err;

    // Shot 1 longer: everything after it moves later in time but is not re-encoded.
    edit("duration: 1.2s\nThe first", "duration: 1.8s\nThe first");
    r = render("v.mp4");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    c = counts(r.err);
    EXPECT_EQ(c.encoded, 2) << r.err;  // shot 1's part and the fade out of it
    EXPECT_EQ(c.reused, 5);
    EXPECT_EQ(stream(probe(dir / "v.mp4"), "video")["nb_read_frames"], "135");  // (1.8 + 3 × 1.2 − 3 × 0.3) × 30

    expect_same_as_full_render(dir / "v.mp4");
}

TEST_F(SegmentCache, DamagedEntriesAreEncodedAgainNeverJoined)
{
    auto r = render("v.mp4");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto files = entries();
    ASSERT_EQ(files.size(), 7u);
    // One entry with a byte flipped (same size), one cut short.
    {
        std::string bytes = read_file(files[0]);
        bytes[bytes.size() / 2] ^= 0x5a;
        write_file(files[0], bytes);
        std::string cut = read_file(files[1]);
        write_file(files[1], cut.substr(0, cut.size() / 2));
    }
    r = render("v.mp4");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    Counts c = counts(r.err);
    EXPECT_EQ(c.encoded, 2) << r.err;
    EXPECT_EQ(c.reused, 5);
    expect_same_as_full_render(dir / "v.mp4");
}

TEST_F(SegmentCache, NoCacheEncodesEverythingAndLeavesNothingBehind)
{
    auto r = render("v.mp4");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    r = render("again.mp4", {"--no-cache"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(counts(r.err).encoded, -1) << "no cache, no cache report: " << r.err;
    EXPECT_EQ(frame_md5s(dir / "v.mp4"), frame_md5s(dir / "again.mp4"));
    for (auto& e : fs::directory_iterator(dir.path()))
        EXPECT_NE(e.path().filename().string()[0], '.') << "left behind: " << e.path();
}

TEST_F(SegmentCache, TheSizeLimitEvictsTheLeastRecentlyUsed)
{
    // A limit far below one video: each render keeps only what it used itself.
    auto r = render("v.mp4", {"--cache-limit", "1K"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto first = entries();
    ASSERT_EQ(first.size(), 7u);
    edit("red.png zoom-in", "yellow.png zoom-in");
    edit("green.png", "red.png");
    r = render("v.mp4", {"--cache-limit", "1K"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // Shots 2 and 3 and the fade between them were used again; shots 1 and 4 and the fades
    // next to them changed, and their old segments are gone.
    auto second = entries();
    EXPECT_EQ(second.size(), 7u);
    int kept = 0;
    for (auto& f : first)
        kept += fs::exists(f);
    EXPECT_EQ(kept, 3);
}

TEST_F(SegmentCache, BadCacheOptionsAreUsageErrors)
{
    auto r = render("v.mp4", {"--cache-limit", "lots"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--cache-limit needs a size such as 500M or 4G"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir / "v.mp4"));
    // A cache folder that cannot be made: a warning, and the render goes on without it.
    write_file(dir / "file", "x");
    auto r2 = run({cli(), "render", (dir / "v.md").string(), "-o", (dir / "v.mp4").string(), "--cache-dir",
                   (dir / "file" / "sub").string()});
    EXPECT_EQ(r2.exit_code, 0) << r2.err;
    EXPECT_NE(r2.err.find("without the segment cache"), std::string::npos) << r2.err;
    EXPECT_TRUE(fs::exists(dir / "v.mp4"));
}

namespace {

// Three rows that share an intro and an outro card and differ in the middle shot.
const char* kBatchTemplate = R"(---
size: 180x320
fps: 30
transition: fade 0.3s
---

# Welcome
visual: card
title: Spring sale
duration: 1.2s

# Offer
{{pic}} zoom-in
duration: 1.5s
{{line}}

# See you
visual: card
duration: 1.2s
)";

class BatchSegments : public ::testing::Test {
protected:
    void SetUp() override
    {
        make_image(dir / "a.png", "testsrc2=s=320x240");
        make_image(dir / "b.png", "smptebars=s=320x240");
        write_file(dir / "t.md", kBatchTemplate);
        write_file(dir / "rows.csv", "id,pic,line\n1,a.png,Shoes half price.\n2,b.png,Coats half price.\n3,a.png,Hats for free.\n");
    }

    CommandResult batch(const std::string& out_dir, std::vector<std::string> extra)
    {
        std::vector<std::string> argv{cli(), "batch", (dir / "t.md").string(), "--data", (dir / "rows.csv").string(),
                                      "-o", (dir / out_dir / "{{id}}.mp4").string(), "--cache-dir", cache.string()};
        argv.insert(argv.end(), extra.begin(), extra.end());
        return run(argv);
    }

    TempDir dir{"batch_segments"};
    fs::path cache = dir / "cache";
};

}  // namespace

TEST_F(BatchSegments, SharedShotsAreEncodedOnce)
{
    auto r = batch("out", {"--jobs", "3", "--threads", "2"});
    ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
    // Per row 5 segments: the intro's own part and the outro's are the same in every row; the
    // middle shot and the fades into and out of it differ — except that rows 1 and 3 show the
    // same picture, so only row 3's middle part (its subtitle) is new: 2 + 3 + 3 + 1.
    int encoded = 0, reused = 0, shared = 0, rows = 0;
    std::regex line(R"(segments: (\d+) encoded, (\d+) reused, (\d+) shared)");
    for (std::sregex_iterator it(r.err.begin(), r.err.end(), line), end; it != end; ++it, ++rows) {
        encoded += std::stoi((*it)[1]);
        reused += std::stoi((*it)[2]);
        shared += std::stoi((*it)[3]);
    }
    EXPECT_EQ(rows, 3) << r.err;
    EXPECT_EQ(encoded, 9) << r.err;
    EXPECT_EQ(encoded + reused + shared, 15);
    size_t files = 0;
    for (auto& e : fs::directory_iterator(cache))
        files += e.path().extension() == ".mp4";
    EXPECT_EQ(files, 9u);
    for (const char* id : {"1", "2", "3"})
        expect_clean_stream(dir / "out" / (std::string(id) + ".mp4"), 3 * 36 + 9 - 2 * 9);
}

TEST_F(BatchSegments, WorkersDoNotChangeTheBytes)
{
    auto one = batch("one", {"--no-cache", "--jobs", "1", "--threads", "1"});
    ASSERT_EQ(one.exit_code, 0) << one.err << one.out;
    auto many = batch("many", {"--no-cache", "--jobs", "3", "--threads", "3"});
    ASSERT_EQ(many.exit_code, 0) << many.err << many.out;
    for (const char* id : {"1", "2", "3"}) {
        const std::string name = std::string(id) + ".mp4";
        EXPECT_EQ(read_file(dir / "one" / name), read_file(dir / "many" / name)) << name << " differs";
    }
    EXPECT_FALSE(fs::exists(cache)) << "--no-cache made no cache";
}

// At 10 fps a 0.3 s transition is a 3-frame segment, too short for x264 to use all its B-frames:
// its decoding runs ahead by less than the long segments'. The join must still give every packet
// a dts after the one before (the muxer refused the file: "non monotonically increasing dts").
TEST(SegmentJoin, SegmentsWithSmallerBFrameDelaysJoin)
{
    TempDir dir("join-delays");
    make_image(dir / "a.png", "testsrc=s=320x240:d=1");
    make_image(dir / "b.png", "color=c=blue:s=320x240:d=1");
    write_file(dir / "low.md", "---\nsize: 96x160\nfps: 10\ntransition: fade 0.3s\n---\n\n"
                               "# One\na.png zoom-in\nduration: 2s\n\n# Two\nb.png\nduration: 0.8s\n\n"
                               "# Three\na.png pan-left\nduration: 2s\n");
    auto r = run({cli(), "render", (dir / "low.md").string(), "-q", "-o", (dir / "low.mp4").string(), "--no-cache"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto video = stream(probe(dir / "low.mp4"), "video");
    ASSERT_FALSE(video.is_null());
    EXPECT_EQ(video["nb_read_frames"], "42");  // 20 + 8 + 20 frames − two 3-frame transitions
    auto dec = run({"ffmpeg", "-v", "error", "-i", (dir / "low.mp4").string(), "-f", "null", "-"});
    EXPECT_EQ(dec.exit_code, 0);
    EXPECT_EQ(dec.err, "") << "the joined video does not decode cleanly";
}
