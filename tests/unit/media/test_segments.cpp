// join_segments: pieces encoded separately, joined by stream copy, play as one video.

#include <gtest/gtest.h>

#include <climits>
#include <cmath>
#include <cstring>
#include <sstream>

#include "media/media.h"
#include "media_test_util.h"

namespace sw::media::test {
namespace {

// A moving, textured picture: what real shots look like to the encoder (not flat colours).
core::Frame moving_frame(int w, int h, int i)
{
    core::Frame f(w, h);
    for (int y = 0; y < h; ++y) {
        uint8_t* r = f.row(0, y);
        for (int x = 0; x < w; ++x)
            r[x] = (uint8_t)(40 + 80 * (0.5 + 0.5 * std::sin((x + 3 * i) * 0.07) * std::cos((y - 2 * i) * 0.05)) +
                             (x * 7 + y * 13) % 9);
    }
    for (int p = 1; p < 3; ++p)
        for (int y = 0; y < h / 2; ++y) {
            uint8_t* r = f.row(p, y);
            for (int x = 0; x < w / 2; ++x)
                r[x] = (uint8_t)(128 + (p == 1 ? 30 : -20) * std::sin((x + y + i) * 0.03));
        }
    return f;
}

std::vector<uint8_t> decode_all(const fs::path& v, int w, int h)
{
    auto r = run("ffmpeg -v error -nostdin -i " + shell_quote(v.string()) + " -f rawvideo -pix_fmt gray -");
    EXPECT_EQ(r.exit_code, 0);
    (void)w, (void)h;
    return std::vector<uint8_t>(r.out.begin(), r.out.end());
}

double psnr_frame(const uint8_t* a, const uint8_t* b, size_t n)
{
    double se = 0;
    for (size_t i = 0; i < n; ++i)
        se += double(a[i] - b[i]) * (a[i] - b[i]);
    return se == 0 ? 99.0 : 10 * std::log10(255.0 * 255.0 * n / se);
}

}  // namespace

TEST(Segments, JoinedByStreamCopyPlaysAsOneVideo)
{
    TempDir dir;
    const int W = 192, H = 320, N = 60;
    EncodeSettings s;
    s.width = W;
    s.height = H;
    s.fps = {30, 1};
    // The whole video in one encode, for comparison.
    {
        auto w = Mp4Writer::open(dir / "full.mp4", s);
        ASSERT_TRUE(w) << w.error().to_string();
        for (int i = 0; i < N; ++i)
            ASSERT_TRUE(w->write_video(moving_frame(W, H, i)));
        ASSERT_TRUE(w->finish());
    }
    // Three segments of uneven length.
    EncodeSettings seg = s;
    seg.segment = true;
    const int cuts[] = {0, 20, 45, N};
    std::vector<fs::path> parts;
    for (int k = 0; k < 3; ++k) {
        parts.push_back(dir / ("seg" + std::to_string(k) + ".mp4"));
        auto w = Mp4Writer::open(parts.back(), seg);
        ASSERT_TRUE(w) << w.error().to_string();
        for (int i = cuts[k]; i < cuts[k + 1]; ++i)
            ASSERT_TRUE(w->write_video(moving_frame(W, H, i)));
        ASSERT_TRUE(w->finish());
        auto p = ffprobe_json(parts.back());
        EXPECT_EQ(stream_of_type(p, "audio"), nullptr) << "segments are video only";
    }
    std::vector<float> tone((size_t)48000 * 2 * 2);
    for (size_t i = 0; i < tone.size() / 2; ++i)
        tone[2 * i] = tone[2 * i + 1] = 0.2f * (float)std::sin(2 * M_PI * 440 * i / 48000.0);
    auto joined = join_segments(parts, dir / "joined.mp4", s, tone);
    ASSERT_TRUE(joined) << joined.error().to_string();
    EXPECT_EQ(joined->frames, N);

    // Decodes without a single error, has every frame, the sound, and rising timestamps.
    auto dec = run("ffmpeg -v error -nostdin -i " + shell_quote((dir / "joined.mp4").string()) + " -f null - 2>&1");
    EXPECT_EQ(dec.exit_code, 0);
    EXPECT_EQ(dec.out, "") << "decode errors";
    auto p = ffprobe_json(dir / "joined.mp4");
    const auto* v = stream_of_type(p, "video");
    ASSERT_NE(v, nullptr);
    EXPECT_EQ((*v)["nb_read_frames"], std::to_string(N));
    ASSERT_NE(stream_of_type(p, "audio"), nullptr);
    EXPECT_NEAR(std::stod(p["format"]["duration"].get<std::string>()), 2.0, 0.05);
    auto pk = run("ffprobe -v error -select_streams v:0 -show_entries packet=dts -of csv=p=0 " +
                  shell_quote((dir / "joined.mp4").string()));
    std::istringstream in(pk.out);
    long long prev = LLONG_MIN, d;
    int packets = 0;
    while (in >> d) {
        EXPECT_GT(d, prev) << "dts not increasing at packet " << packets;
        prev = d;
        ++packets;
    }
    EXPECT_EQ(packets, N);

    // Every frame is the picture it should be, as close to the one-encode video as two
    // encodes of the same frames can be.
    auto a = decode_all(dir / "joined.mp4", W, H), b = decode_all(dir / "full.mp4", W, H);
    ASSERT_EQ(a.size(), size_t(W) * H * N);
    ASSERT_EQ(b.size(), a.size());
    double worst_vs_full = 99, worst_vs_source = 99, full_vs_source = 99;
    for (int i = 0; i < N; ++i) {
        core::Frame src = moving_frame(W, H, i);
        std::vector<uint8_t> sy(size_t(W) * H);
        for (int y = 0; y < H; ++y)
            std::memcpy(&sy[size_t(y) * W], src.row(0, y), W);
        worst_vs_full = std::min(worst_vs_full, psnr_frame(&a[size_t(i) * W * H], &b[size_t(i) * W * H], size_t(W) * H));
        worst_vs_source = std::min(worst_vs_source, psnr_frame(&a[size_t(i) * W * H], sy.data(), size_t(W) * H));
        full_vs_source = std::min(full_vs_source, psnr_frame(&b[size_t(i) * W * H], sy.data(), size_t(W) * H));
    }
    std::printf("worst frame PSNR: joined vs one encode %.1f dB; vs the source: joined %.1f dB, one encode %.1f dB\n",
                worst_vs_full, worst_vs_source, full_vs_source);
    // Each frame is its own source frame, encoded as well as in one encode (a misplaced or
    // repeated frame would fall far below).
    EXPECT_GT(worst_vs_source, full_vs_source - 1.5);
    EXPECT_GT(worst_vs_full, 35.0);
}

TEST(Segments, DifferentSettingsAreRefused)
{
    TempDir dir;
    EncodeSettings a;
    a.width = 160;
    a.height = 96;
    a.segment = true;
    EncodeSettings b = a;
    b.width = 128;
    int k = 0;
    for (auto* st : {&a, &b}) {
        auto w = Mp4Writer::open(dir / ("s" + std::to_string(k++) + ".mp4"), *st);
        ASSERT_TRUE(w);
        for (int i = 0; i < 5; ++i)
            ASSERT_TRUE(w->write_video(moving_frame(st->width, st->height, i)));
        ASSERT_TRUE(w->finish());
    }
    EncodeSettings out = a;
    out.segment = false;
    auto j = join_segments({dir / "s0.mp4", dir / "s1.mp4"}, dir / "j.mp4", out);
    ASSERT_FALSE(j);
    EXPECT_NE(j.error().message.find("other settings"), std::string::npos) << j.error().message;
    EXPECT_FALSE(fs::exists(dir / "j.mp4")) << "nothing left under the final name";
    auto missing = join_segments({dir / "nope.mp4"}, dir / "j.mp4", out);
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().category, core::ErrorCategory::Input);
}

}  // namespace sw::media::test
