// load_image(), FrameConverter and the orientation transforms: decoded pixel values against
// BT.709 limited-range values computed independently from known RGB colours.

#include <gtest/gtest.h>

#include <functional>

#include "media/media.h"
#include "media_test_util.h"

extern "C" {
#include <libavutil/frame.h>
}

namespace sw::media::test {
namespace {

using core::Frame;
using core::Rgb;

constexpr Rgb kTL{220, 40, 40}, kTR{40, 200, 60}, kBL{30, 60, 210}, kBR{230, 230, 200};

// A binary PPM (which ffmpeg reads) of w x h with four flat quadrants.
void write_quadrant_ppm(const fs::path& p, int w, int h)
{
    std::string data = "P6\n" + std::to_string(w) + " " + std::to_string(h) + "\n255\n";
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const Rgb& c = y < h / 2 ? (x < w / 2 ? kTL : kTR) : (x < w / 2 ? kBL : kBR);
            data += (char)c.r;
            data += (char)c.g;
            data += (char)c.b;
        }
    write_file(p, data);
}

struct YuvAt {
    int y, u, v;
};
YuvAt sample(const Frame& f, int x, int y)
{
    return {f.row(0, y)[x], f.row(1, y / 2)[x / 2], f.row(2, y / 2)[x / 2]};
}

// Checks the centre of each quadrant of `f` against the expected colours.
void expect_quadrants(const Frame& f, const Rgb (&expected)[4], int tolerance, const std::string& what)
{
    const int cx[2] = {f.width() / 4, f.width() * 3 / 4}, cy[2] = {f.height() / 4, f.height() * 3 / 4};
    for (int q = 0; q < 4; ++q) {
        core::Yuv e = core::rgb_to_yuv709(expected[q]);
        YuvAt a = sample(f, cx[q % 2], cy[q / 2]);
        EXPECT_NEAR(a.y, e.y, tolerance) << what << " quadrant " << q << " Y";
        EXPECT_NEAR(a.u, e.u, tolerance) << what << " quadrant " << q << " U";
        EXPECT_NEAR(a.v, e.v, tolerance) << what << " quadrant " << q << " V";
    }
}

TEST(LoadImage, LosslessFormatsGiveBt709LimitedValues)
{
    TempDir dir;
    const fs::path ppm = dir / "q.ppm";
    write_quadrant_ppm(ppm, 101, 61);  // odd on purpose: the result is rounded down to even
    const Rgb quads[4] = {kTL, kTR, kBL, kBR};
    struct Case {
        const char* name;
        const char* args;
    } cases[] = {{"q.png", ""},  {"q.bmp", ""}, {"q.tiff", ""}, {"q.webp", "-c:v libwebp -lossless 1"},
                 {"q.gif", "-vf \"split[a][b];[a]palettegen[p];[b][p]paletteuse\""},  {"rgba.png", "-pix_fmt rgba"}};
    for (const Case& c : cases) {
        const fs::path out = dir / c.name;
        ASSERT_TRUE(ffmpeg("-i " + shell_quote(ppm.string()) + " " + c.args + " -frames:v 1 " +
                           shell_quote(out.string())))
            << c.name;
        auto img = load_image(out);
        ASSERT_TRUE(img) << c.name << ": " << img.error().to_string();
        EXPECT_EQ(img->width(), 100) << c.name;
        EXPECT_EQ(img->height(), 60) << c.name;
        expect_quadrants(*img, quads, 2, c.name);
    }
}

TEST(LoadImage, GreyPngIsFullRange)
{
    TempDir dir;
    // A PGM (grey, copied into the PNG unchanged): left half level 200, right half 40.
    std::string pgm = "P5\n32 16\n255\n";
    for (int y = 0; y < 16; ++y)
        for (int x = 0; x < 32; ++x)
            pgm += (char)(x < 16 ? 200 : 40);
    write_file(dir / "g.pgm", pgm);
    ASSERT_TRUE(ffmpeg("-i " + shell_quote((dir / "g.pgm").string()) + " -pix_fmt gray " +
                       shell_quote((dir / "g.png").string())));
    auto img = load_image(dir / "g.png");
    ASSERT_TRUE(img) << img.error().to_string();
    for (auto [x, level] : {std::pair{8, 200}, {24, 40}}) {
        YuvAt a = sample(*img, x, 8);
        EXPECT_NEAR(a.y, 16 + 219.0 * level / 255, 2) << level;
        EXPECT_NEAR(a.u, 128, 1);
        EXPECT_NEAR(a.v, 128, 1);
    }
}

TEST(LoadImage, JpegBt601FullRangeIsConvertedTo709Limited)
{
    TempDir dir;
    const fs::path ppm = dir / "q.ppm", jpg = dir / "q.jpg";
    write_quadrant_ppm(ppm, 128, 96);
    ASSERT_TRUE(ffmpeg("-i " + shell_quote(ppm.string()) + " -q:v 1 " + shell_quote(jpg.string())));
    auto img = load_image(jpg);
    ASSERT_TRUE(img) << img.error().to_string();
    EXPECT_EQ(img->width(), 128);
    EXPECT_EQ(img->height(), 96);
    const Rgb quads[4] = {kTL, kTR, kBL, kBR};
    expect_quadrants(*img, quads, 4, "jpeg");
}

// Inserts an APP1 Exif segment holding only an Orientation tag right after the JPEG's SOI.
std::string with_exif_orientation(const std::string& jpeg, int orientation, bool big_endian)
{
    auto u16 = [&](int v) {
        return big_endian ? std::string{(char)(v >> 8), (char)(v & 255)} : std::string{(char)(v & 255), (char)(v >> 8)};
    };
    auto u32 = [&](uint32_t v) {
        return big_endian ? std::string{(char)(v >> 24), (char)(v >> 16), (char)(v >> 8), (char)v}
                          : std::string{(char)v, (char)(v >> 8), (char)(v >> 16), (char)(v >> 24)};
    };
    std::string tiff = big_endian ? std::string("MM") : std::string("II");
    tiff += u16(42) + u32(8);                           // TIFF header, IFD0 at offset 8
    tiff += u16(1);                                      // one entry
    tiff += u16(0x0112) + u16(3) + u32(1) + u16(orientation) + u16(0);  // Orientation, SHORT
    tiff += u32(0);                                      // no next IFD
    std::string payload = std::string("Exif\0\0", 6) + tiff;
    size_t len = payload.size() + 2;
    std::string app1 = std::string{(char)0xFF, (char)0xE1, (char)(len >> 8), (char)(len & 255)} + payload;
    EXPECT_EQ((uint8_t)jpeg[0], 0xFF);
    EXPECT_EQ((uint8_t)jpeg[1], 0xD8);
    return jpeg.substr(0, 2) + app1 + jpeg.substr(2);
}

TEST(LoadImage, ExifOrientationIsApplied)
{
    TempDir dir;
    const fs::path ppm = dir / "q.ppm", jpg = dir / "q.jpg";
    write_quadrant_ppm(ppm, 64, 32);  // landscape as stored
    ASSERT_TRUE(ffmpeg("-i " + shell_quote(ppm.string()) + " -q:v 1 " + shell_quote(jpg.string())));
    const std::string plain = read_file(jpg);

    // Which stored quadrant ends up at display TL, TR, BL, BR for each orientation (EXIF 2.3,
    // table "Orientation": 6 = the stored top row is the display's right column, etc.).
    const Rgb expected[9][4] = {
        {},
        {kTL, kTR, kBL, kBR},  // 1: as stored
        {kTR, kTL, kBR, kBL},  // 2: mirrored left-right
        {kBR, kBL, kTR, kTL},  // 3: rotated 180
        {kBL, kBR, kTL, kTR},  // 4: mirrored top-bottom
        {kTL, kBL, kTR, kBR},  // 5: transposed
        {kBL, kTL, kBR, kTR},  // 6: rotated 90 clockwise
        {kBR, kTR, kBL, kTL},  // 7: transverse
        {kTR, kBR, kTL, kBL},  // 8: rotated 90 counter-clockwise
    };
    for (int o = 1; o <= 8; ++o) {
        for (bool be : {true, false}) {
            const fs::path p = dir / ("o" + std::to_string(o) + (be ? "mm" : "ii") + ".jpg");
            write_file(p, with_exif_orientation(plain, o, be));
            auto img = load_image(p);
            ASSERT_TRUE(img) << img.error().to_string();
            const bool swapped = o >= 5;
            EXPECT_EQ(img->width(), swapped ? 32 : 64) << "orientation " << o;
            EXPECT_EQ(img->height(), swapped ? 64 : 32) << "orientation " << o;
            expect_quadrants(*img, expected[o], 5, "orientation " + std::to_string(o) + (be ? " MM" : " II"));
        }
    }
}

TEST(LoadImage, AbsurdDeclaredSizeIsRefusedBeforeDecoding)
{
    TempDir dir;
    // A BMP header declaring 30000 x 20000 (no pixel data follows).
    auto le32 = [](uint32_t v) { return std::string{(char)v, (char)(v >> 8), (char)(v >> 16), (char)(v >> 24)}; };
    auto le16 = [](uint16_t v) { return std::string{(char)v, (char)(v >> 8)}; };
    auto bmp = [&](uint32_t w, uint32_t h) {
        std::string d = "BM" + le32(54 + 16) + le32(0) + le32(54);
        d += le32(40) + le32(w) + le32(h) + le16(1) + le16(24) + le32(0) + le32(w * 3 * h) + le32(2835) +
             le32(2835) + le32(0) + le32(0);
        return d + std::string(16, '\0');
    };
    const fs::path huge = dir / "huge.bmp", many = dir / "many.bmp";
    write_file(huge, bmp(30000, 20000));  // wider than kMaxDimension
    write_file(many, bmp(12000, 12000));  // 144 megapixels > kMaxPixels
    for (const fs::path& p : {huge, many}) {
        auto img = load_image(p);
        ASSERT_FALSE(img) << p;
        EXPECT_EQ(img.error().category, core::ErrorCategory::Input);
        EXPECT_NE(img.error().message.find(p.string()), std::string::npos) << img.error().message;
        EXPECT_NE(img.error().message.find("maximum"), std::string::npos) << img.error().message;
        auto info = probe(p);
        ASSERT_FALSE(info);
        EXPECT_EQ(info.error().message, img.error().message);
    }
    EXPECT_NE(load_image(huge).error().message.find("30000x20000"), std::string::npos);
}

TEST(LoadImage, CorruptImageIsAnInputError)
{
    TempDir dir;
    const fs::path ppm = dir / "q.ppm", png = dir / "cut.png";
    write_quadrant_ppm(ppm, 64, 64);
    ASSERT_TRUE(ffmpeg("-i " + shell_quote(ppm.string()) + " " + shell_quote(png.string())));
    std::string data = read_file(png);
    write_file(png, data.substr(0, 60));  // signature and header only
    auto img = load_image(png);
    ASSERT_FALSE(img);
    EXPECT_EQ(img.error().category, core::ErrorCategory::Input);
    EXPECT_NE(img.error().message.find(png.string()), std::string::npos) << img.error().message;
}

// --- FrameConverter ---------------------------------------------------------------------

// A yuv420p AVFrame of one flat colour, encoded with BT.601 or BT.709 at limited range.
struct OwnedFrame {
    AVFrame* f = av_frame_alloc();
    ~OwnedFrame() { av_frame_free(&f); }
};

void fill_yuv(AVFrame* f, int w, int h, AVPixelFormat fmt, std::function<core::Yuv(int, int)> at)
{
    f->format = fmt;
    f->width = w;
    f->height = h;
    ASSERT_EQ(av_frame_get_buffer(f, 0), 0);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            core::Yuv c = at(x, y);
            f->data[0][y * f->linesize[0] + x] = c.y;
            if (x % 2 == 0 && y % 2 == 0) {
                f->data[1][(y / 2) * f->linesize[1] + x / 2] = c.u;
                f->data[2][(y / 2) * f->linesize[2] + x / 2] = c.v;
            }
        }
}

core::Yuv rgb_to_yuv601(Rgb c)
{
    double r = c.r / 255.0, g = c.g / 255.0, b = c.b / 255.0;
    double y = 0.299 * r + 0.587 * g + 0.114 * b;
    auto cl = [](double v) { return (uint8_t)std::clamp((int)std::lround(v), 0, 255); };
    return {cl(16 + 219 * y), cl(128 + 224 * (b - y) / 1.772), cl(128 + 224 * (r - y) / 1.402)};
}

TEST(FrameConverter, Bt601SourceBecomesBt709)
{
    OwnedFrame src;
    src.f->colorspace = AVCOL_SPC_SMPTE170M;
    src.f->color_range = AVCOL_RANGE_MPEG;
    fill_yuv(src.f, 64, 48, AV_PIX_FMT_YUV420P, [](int, int) { return rgb_to_yuv601(kTL); });
    FrameConverter conv;
    auto out = conv.convert(src.f, 32, 24);
    ASSERT_TRUE(out) << out.error().to_string();
    core::Yuv e = core::rgb_to_yuv709(kTL);
    YuvAt a = sample(*out, 16, 12);
    EXPECT_NEAR(a.y, e.y, 2);
    EXPECT_NEAR(a.u, e.u, 2);
    EXPECT_NEAR(a.v, e.v, 2);
    // The 601 and 709 encodings of this red differ clearly, so the test would catch a
    // converter that ignored the matrix.
    EXPECT_GT(std::abs(rgb_to_yuv601(kTL).y - e.y), 8);
}

TEST(FrameConverter, CropsScalesAndCopiesExactly)
{
    // Left half one colour, right half another; 1920x1080 BT.709 (like most footage).
    OwnedFrame src;
    src.f->colorspace = AVCOL_SPC_BT709;
    src.f->color_range = AVCOL_RANGE_MPEG;
    const core::Yuv left = core::rgb_to_yuv709(kTR), right = core::rgb_to_yuv709(kBL);
    fill_yuv(src.f, 1920, 1080, AV_PIX_FMT_YUV420P, [&](int x, int) { return x < 960 ? left : right; });

    FrameConverter conv;
    // Crop the right half's middle and scale it up: only the right colour may appear.
    Frame dst(1080, 1920);
    ASSERT_TRUE(conv.convert(src.f, PixelRect{1200, 100, 540, 960}, dst));
    for (auto [x, y] : {std::pair{0, 0}, {1079, 1919}, {540, 960}, {0, 1919}}) {
        YuvAt a = sample(dst, x, y);
        EXPECT_NEAR(a.y, right.y, 1) << x << "," << y;
        EXPECT_NEAR(a.u, right.u, 1) << x << "," << y;
    }
    // Moving the crop across the boundary: left colour on the left of the output.
    ASSERT_TRUE(conv.convert(src.f, 690, 60, 540, 960, dst));
    EXPECT_NEAR(sample(dst, 100, 900).y, left.y, 1);
    EXPECT_NEAR(sample(dst, 1000, 900).y, right.y, 1);

    // Same format and size: an exact copy (the fast path), offset crop included.
    Frame same(1000, 1000);
    ASSERT_TRUE(conv.convert(src.f, PixelRect{460, 40, 1000, 1000}, same));
    for (int x : {0, 498, 499, 500, 501, 502, 999}) {
        const int sx = 460 + x;
        EXPECT_EQ(same.row(0, 10)[x], src.f->data[0][50 * src.f->linesize[0] + sx]) << x;
        EXPECT_EQ(same.row(1, 5)[x / 2], src.f->data[1][25 * src.f->linesize[1] + sx / 2]) << x;
    }
}

TEST(FrameConverter, PackedRgbWithCrop)
{
    OwnedFrame src;
    src.f->format = AV_PIX_FMT_RGB24;
    src.f->width = 40;
    src.f->height = 20;
    ASSERT_EQ(av_frame_get_buffer(src.f, 0), 0);
    for (int y = 0; y < 20; ++y)
        for (int x = 0; x < 40; ++x) {
            Rgb c = x < 20 ? kTL : kBR;
            uint8_t* p = src.f->data[0] + y * src.f->linesize[0] + 3 * x;
            p[0] = c.r, p[1] = c.g, p[2] = c.b;
        }
    FrameConverter conv;
    Frame dst(10, 10);
    ASSERT_TRUE(conv.convert(src.f, PixelRect{24, 4, 10, 10}, dst));
    core::Yuv e = core::rgb_to_yuv709(kBR);
    YuvAt a = sample(dst, 5, 5);
    EXPECT_NEAR(a.y, e.y, 2);
    EXPECT_NEAR(a.u, e.u, 2);
    EXPECT_NEAR(a.v, e.v, 2);
}

TEST(Orientation, RotateFrameMovesCornersAndChroma)
{
    Frame f(8, 4);
    f.fill(16, 128, 128);
    f.row(0, 0)[0] = 200;        // luma marker at the top-left pixel
    f.row(1, 0)[0] = 50;         // chroma marker in the top-left chroma sample
    f.row(0, 3)[7] = 100;        // bottom-right pixel
    Frame r = rotate_frame(f, 90);
    ASSERT_EQ(r.width(), 4);
    ASSERT_EQ(r.height(), 8);
    EXPECT_EQ(r.row(0, 0)[3], 200);  // top-left → top-right
    EXPECT_EQ(r.row(1, 0)[1], 50);
    EXPECT_EQ(r.row(0, 7)[0], 100);  // bottom-right → bottom-left
    Frame r180 = rotate_frame(f, 180);
    EXPECT_EQ(r180.row(0, 3)[7], 200);
    Frame r270 = rotate_frame(f, 270);
    EXPECT_EQ(r270.row(0, 7)[0], 200);  // top-left → bottom-left
    Frame back = rotate_frame(rotate_frame(r, 180), 90);
    EXPECT_EQ(back.row(0, 0)[0], 200);
    EXPECT_EQ(rotate_frame(f, 0).width(), 8);
}

}  // namespace
}  // namespace sw::media::test
