// Mp4Writer: what ffprobe and ffmpeg see in the files it writes.

#include <gtest/gtest.h>

#include <cstring>

#include "media/media.h"
#include "media_test_util.h"

namespace sw::media::test {
namespace {

using core::Frame;

// Four flat quadrants of known limited-range YUV values; the top-left quadrant's luma carries
// `index` so frames differ from each other (and an encoder cannot collapse them).
struct Quad {
    uint8_t y, u, v;
};
constexpr Quad kQuads[4] = {{180, 90, 160}, {60, 170, 100}, {120, 128, 128}, {220, 40, 200}};

Frame quadrant_frame(int w, int h, int index = 0)
{
    Frame f(w, h);
    for (int p = 0; p < 3; ++p) {
        const int pw = f.plane_width(p), ph = f.plane_height(p);
        for (int y = 0; y < ph; ++y) {
            uint8_t* row = f.row(p, y);
            for (int x = 0; x < pw; ++x) {
                int q = (y >= ph / 2) * 2 + (x >= pw / 2);
                const Quad& c = kQuads[q];
                uint8_t val = p == 0 ? c.y : p == 1 ? c.u : c.v;
                if (p == 0 && q == 0)
                    val = (uint8_t)(c.y - (index % 8));
                row[x] = val;
            }
        }
    }
    return f;
}

// Top-level MP4 box types in file order.
std::vector<std::string> top_level_boxes(const std::string& data)
{
    std::vector<std::string> boxes;
    size_t pos = 0;
    while (pos + 8 <= data.size()) {
        auto be32 = [&](size_t at) {
            return (uint64_t)(uint8_t)data[at] << 24 | (uint64_t)(uint8_t)data[at + 1] << 16 |
                   (uint64_t)(uint8_t)data[at + 2] << 8 | (uint64_t)(uint8_t)data[at + 3];
        };
        uint64_t size = be32(pos);
        boxes.push_back(data.substr(pos + 4, 4));
        if (size == 1 && pos + 16 <= data.size())
            size = be32(pos + 8) << 32 | be32(pos + 12);
        else if (size == 0)
            size = data.size() - pos;
        if (size < 8)
            break;
        pos += size;
    }
    return boxes;
}

core::Status write_frames(Mp4Writer& w, int n, int width, int height)
{
    for (int i = 0; i < n; ++i) {
        auto st = w.write_video(quadrant_frame(width, height, i));
        if (!st)
            return st;
    }
    return {};
}

TEST(Mp4Writer, WritesTaggedH264AndAacThatFfprobeAccepts)
{
    TempDir dir;
    const fs::path out = dir / "out.mp4";
    EncodeSettings s;
    s.width = 320;
    s.height = 568;
    s.fps = {30, 1};
    auto w = Mp4Writer::open(out, s);
    ASSERT_TRUE(w) << w.error().to_string();
    const fs::path temp = w->temp_path();
    EXPECT_EQ(temp.parent_path(), dir.path());
    EXPECT_EQ(temp.filename().string().rfind(".out.mp4.part-", 0), 0u) << temp;
    EXPECT_TRUE(fs::exists(temp));
    EXPECT_FALSE(fs::exists(out)) << "the target must not appear before finish()";
    ASSERT_TRUE(write_frames(*w, 45, s.width, s.height));
    auto fin = w->finish();
    ASSERT_TRUE(fin) << fin.error().to_string();
    EXPECT_FALSE(fs::exists(temp));
    ASSERT_TRUE(fs::exists(out));

    auto j = ffprobe_json(out);
    ASSERT_FALSE(j.is_null());
    const auto* v = stream_of_type(j, "video");
    const auto* a = stream_of_type(j, "audio");
    ASSERT_TRUE(v && a);
    EXPECT_EQ((*v)["codec_name"], "h264");
    EXPECT_EQ((*v)["profile"], "High");
    EXPECT_EQ((*v)["pix_fmt"], "yuv420p");
    EXPECT_EQ((*v)["width"], 320);
    EXPECT_EQ((*v)["height"], 568);
    EXPECT_EQ((*v)["color_space"], "bt709");
    EXPECT_EQ((*v)["color_primaries"], "bt709");
    EXPECT_EQ((*v)["color_transfer"], "bt709");
    EXPECT_EQ((*v)["color_range"], "tv");
    EXPECT_EQ((*v)["r_frame_rate"], "30/1");
    EXPECT_EQ((*v)["avg_frame_rate"], "30/1");
    EXPECT_EQ((*v)["nb_read_frames"], "45");
    EXPECT_NEAR(json_number(*v, "duration"), 1.5, 1e-3);
    EXPECT_EQ((*a)["codec_name"], "aac");
    EXPECT_EQ((*a)["sample_rate"], "48000");
    EXPECT_EQ((*a)["channels"], 2);
    // Silence exactly as long as the picture: within one AAC frame (1024 samples).
    EXPECT_NEAR(json_number(*a, "duration"), 1.5, 1024.0 / 48000);
    EXPECT_NEAR(json_number(j["format"], "duration"), 1.5, 1024.0 / 48000);
    EXPECT_NE(j["format"]["format_name"].get<std::string>().find("mp4"), std::string::npos);

    // faststart: the index (moov) precedes the media data (mdat).
    auto boxes = top_level_boxes(read_file(out));
    auto moov = std::find(boxes.begin(), boxes.end(), "moov");
    auto mdat = std::find(boxes.begin(), boxes.end(), "mdat");
    ASSERT_NE(moov, boxes.end());
    ASSERT_NE(mdat, boxes.end());
    EXPECT_LT(moov - boxes.begin(), mdat - boxes.begin());

    // Nothing else left behind in the folder.
    int files = 0;
    for (auto& e : fs::directory_iterator(dir.path()))
        (void)e, ++files;
    EXPECT_EQ(files, 1);
}

TEST(Mp4Writer, NtscRateKeepsExactFrameCountAndAudioLength)
{
    TempDir dir;
    const fs::path out = dir / "ntsc.mp4";
    EncodeSettings s;
    s.width = 192;
    s.height = 108;
    s.fps = {30000, 1001};
    s.preset = "ultrafast";
    auto w = Mp4Writer::open(out, s);
    ASSERT_TRUE(w) << w.error().to_string();
    ASSERT_TRUE(write_frames(*w, 61, s.width, s.height));
    ASSERT_TRUE(w->finish());
    auto j = ffprobe_json(out);
    const auto* v = stream_of_type(j, "video");
    const auto* a = stream_of_type(j, "audio");
    ASSERT_TRUE(v && a);
    EXPECT_EQ((*v)["r_frame_rate"], "30000/1001");
    EXPECT_EQ((*v)["nb_read_frames"], "61");
    const double expected = 61 * 1001.0 / 30000;
    EXPECT_NEAR(json_number(*v, "duration"), expected, 1e-3);
    EXPECT_NEAR(json_number(*a, "duration"), expected, 1024.0 / 48000);
}

TEST(Mp4Writer, PixelsRoundTripWithinTolerance)
{
    TempDir dir;
    const fs::path out = dir / "pixels.mp4";
    EncodeSettings s;
    s.width = 256;
    s.height = 144;
    s.crf = 18;
    auto w = Mp4Writer::open(out, s);
    ASSERT_TRUE(w);
    ASSERT_TRUE(write_frames(*w, 3, s.width, s.height));
    ASSERT_TRUE(w->finish());

    std::string raw = decode_raw_yuv420p(out);
    const size_t frame_bytes = (size_t)s.width * s.height * 3 / 2;
    ASSERT_EQ(raw.size(), frame_bytes * 3);
    const auto* y = reinterpret_cast<const uint8_t*>(raw.data());
    const uint8_t* u = y + s.width * s.height;
    const uint8_t* v = u + (s.width / 2) * (s.height / 2);
    for (int q = 0; q < 4; ++q) {
        // Centre of the quadrant, far from edges where the encoder rings.
        int cx = (q % 2) * s.width / 2 + s.width / 4, cy = (q / 2) * s.height / 2 + s.height / 4;
        int expected_y = kQuads[q].y;
        EXPECT_NEAR(y[cy * s.width + cx], expected_y, 3) << "quadrant " << q;
        EXPECT_NEAR(u[(cy / 2) * (s.width / 2) + cx / 2], kQuads[q].u, 3) << "quadrant " << q;
        EXPECT_NEAR(v[(cy / 2) * (s.width / 2) + cx / 2], kQuads[q].v, 3) << "quadrant " << q;
    }
    // The per-frame marker in the top-left quadrant survives too: frame 2 is 2 darker.
    const uint8_t* y2 = y + 2 * frame_bytes;
    int c = (s.height / 4) * s.width + s.width / 4;
    EXPECT_NEAR(y2[c], kQuads[0].y - 2, 2);
}

TEST(Mp4Writer, BitrateModeWorks)
{
    TempDir dir;
    const fs::path out = dir / "cbr.mp4";
    EncodeSettings s;
    s.width = 192;
    s.height = 108;
    s.bitrate = 300'000;
    s.preset = "ultrafast";
    s.threads = 2;
    auto w = Mp4Writer::open(out, s);
    ASSERT_TRUE(w) << w.error().to_string();
    ASSERT_TRUE(write_frames(*w, 10, s.width, s.height));
    ASSERT_TRUE(w->finish());
    auto j = ffprobe_json(out);
    const auto* v = stream_of_type(j, "video");
    ASSERT_TRUE(v);
    EXPECT_EQ((*v)["nb_read_frames"], "10");
}

TEST(Mp4Writer, AbortAndDestructorLeaveNothingAndKeepAnOldTarget)
{
    TempDir dir;
    const fs::path out = dir / "keep.mp4";
    write_file(out, "old video");
    EncodeSettings s;
    s.width = 64;
    s.height = 64;
    s.preset = "ultrafast";
    fs::path temp;
    {
        auto w = Mp4Writer::open(out, s);
        ASSERT_TRUE(w);
        temp = w->temp_path();
        ASSERT_TRUE(write_frames(*w, 5, s.width, s.height));
        EXPECT_TRUE(fs::exists(temp));
        w->abort();
        EXPECT_FALSE(fs::exists(temp));
        EXPECT_FALSE(w->finish()) << "finish() after abort() must fail";
    }
    EXPECT_EQ(read_file(out), "old video") << "a failed render must not touch the existing target";
    {
        auto w = Mp4Writer::open(dir / "dropped.mp4", s);
        ASSERT_TRUE(w);
        temp = w->temp_path();
        ASSERT_TRUE(write_frames(*w, 5, s.width, s.height));
    }  // destroyed without finish()
    EXPECT_FALSE(fs::exists(temp));
    EXPECT_FALSE(fs::exists(dir / "dropped.mp4"));
    int files = 0;
    for (auto& e : fs::directory_iterator(dir.path()))
        (void)e, ++files;
    EXPECT_EQ(files, 1);
}

TEST(Mp4Writer, MovedWriterStillFinishes)
{
    TempDir dir;
    EncodeSettings s;
    s.width = 64;
    s.height = 64;
    s.preset = "ultrafast";
    auto w = Mp4Writer::open(dir / "moved.mp4", s);
    ASSERT_TRUE(w);
    Mp4Writer other = std::move(*w);
    ASSERT_TRUE(write_frames(other, 2, s.width, s.height));
    ASSERT_TRUE(other.finish());
    EXPECT_TRUE(fs::exists(dir / "moved.mp4"));
}

TEST(Mp4Writer, UnwritableDestinationsAreIoErrorsNamingThePath)
{
    TempDir dir;
    EncodeSettings s;
    s.width = 64;
    s.height = 64;

    // A folder where files cannot be created. Root ignores permission bits, so use sysfs then.
    fs::path locked;
    if (geteuid() == 0) {
        locked = "/sys";
    } else {
        locked = dir / "locked";
        fs::create_directory(locked);
        fs::permissions(locked, fs::perms::owner_read | fs::perms::owner_exec);
    }
    auto w = Mp4Writer::open(locked / "out.mp4", s);
    ASSERT_FALSE(w);
    EXPECT_EQ(w.error().category, core::ErrorCategory::Io);
    EXPECT_NE(w.error().message.find((locked / "out.mp4").string()), std::string::npos) << w.error().message;
    EXPECT_NE(w.error().message.find("permission"), std::string::npos) << w.error().message;
    EXPECT_FALSE(fs::exists(locked / "out.mp4"));

    auto missing = Mp4Writer::open(dir / "no-such-folder" / "out.mp4", s);
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().category, core::ErrorCategory::Io);
    EXPECT_NE(missing.error().message.find("does not exist"), std::string::npos) << missing.error().message;

    fs::create_directory(dir / "folder.mp4");
    auto is_dir = Mp4Writer::open(dir / "folder.mp4", s);
    ASSERT_FALSE(is_dir);
    EXPECT_EQ(is_dir.error().category, core::ErrorCategory::Io);
    EXPECT_NE(is_dir.error().message.find("is a folder"), std::string::npos) << is_dir.error().message;

    EncodeSettings odd = s;
    odd.width = 63;
    EXPECT_FALSE(Mp4Writer::open(dir / "odd.mp4", odd));
    EncodeSettings bad_preset = s;
    bad_preset.preset = "warp-speed";
    auto bp = Mp4Writer::open(dir / "preset.mp4", bad_preset);
    EXPECT_FALSE(bp);
    EXPECT_FALSE(fs::exists(dir / "preset.mp4"));
}

TEST(Mp4Writer, RejectsFramesOfTheWrongSize)
{
    TempDir dir;
    EncodeSettings s;
    s.width = 64;
    s.height = 64;
    s.preset = "ultrafast";
    auto w = Mp4Writer::open(dir / "size.mp4", s);
    ASSERT_TRUE(w);
    EXPECT_FALSE(w->write_video(Frame(32, 32)));
}

}  // namespace
}  // namespace sw::media::test
