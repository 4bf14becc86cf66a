// End-to-end: a Chinese script spoken by the built-in voice, its burned-in subtitles read back
// by OCR from the rendered video and their timing compared with the speech onsets heard in it.

#include "core/text_util.h"
#include "e2e_common.h"

using namespace sw::test;

namespace {

// Drops whitespace and punctuation: OCR is judged on the words, as a viewer reads them.
std::string letters_only(const std::string& s)
{
    static const std::u32string kPunct = U"，。！？、；：「」“”…—";
    std::string out;
    for (char32_t c : sw::core::utf8_decode(s))
        if (!(c < 128 && (isspace((int)c) || ispunct((int)c))) && kPunct.find(c) == std::u32string::npos)
            out += sw::core::utf8_encode(c);
    return out;
}

// Speech onsets (seconds) in the video's audio, by silence detection.
std::vector<double> speech_onsets(const fs::path& video)
{
    auto sd = run({"ffmpeg", "-hide_banner", "-nostdin", "-i", video.string(), "-map", "0:a", "-af",
                   "silencedetect=noise=-40dB:d=0.15", "-f", "null", "-"});
    std::vector<double> on;
    size_t pos = 0;
    while ((pos = sd.err.find("silence_end: ", pos)) != std::string::npos) {
        pos += 13;
        on.push_back(std::stod(sd.err.substr(pos)));
    }
    return on;
}

}  // namespace

TEST(VoiceSubtitles, ChineseSubtitlesReadBackByOcrAndStartWithTheirSentences)
{
    TempDir dir("e2e_zh_subs");
    // A textured backdrop (not a flat card), so OCR has to find the words over a picture.
    make_image(dir / "bg.png", "gradients=s=360x640:c0=0x203050:c1=0x506080:seed=3");
    const std::vector<std::string> sentences = {"夜幕降临，冰雪大世界点亮了整座城市。", "游客们在冰雕之间漫步。",
                                                "中央大街的面包石路静静延伸。"};
    write_file(dir / "zh.md", "---\nsize: 360x640\nvoice: zh\ntransition: fade 0.4s\n---\n"
                              "# 夜\nbg.png zoom-in\n" + sentences[0] + sentences[1] + "\n"
                              "# 街\nbg.png pan-left\n" + sentences[2] + "\n");
    auto out = dir / "zh.mp4";
    auto r = run({cli(), "render", (dir / "zh.md").string(), "-o", out.string(), "-q", "--subtitles", "srt"});
    ASSERT_EQ(r.exit_code, 0) << r.err;

    auto cues = read_srt(dir / "zh.srt");
    ASSERT_GE(cues.size(), 3u) << read_file(dir / "zh.srt");
    // Together the cues say the whole narration, in order.
    std::string all, want;
    for (auto& c : cues)
        all += c.text;
    for (auto& s : sentences)
        want += s;
    EXPECT_EQ(letters_only(all), letters_only(want));

    // Each cue, read back from a frame in its middle.
    const int W = 360, H = 640;
    size_t total_chars = 0, total_errors = 0;
    for (size_t k = 0; k < cues.size(); ++k) {
        int64_t idx = int64_t((cues[k].start + cues[k].end) / 2 * 30);
        auto f = decode_frame_yuv(out, idx, W, H);
        auto png = dir / ("cue" + std::to_string(k) + ".png");
        save_png(f, W, H, png);
        auto bw = dir / ("cue" + std::to_string(k) + "_bw.png");
        // The lower part of the frame, white fill as black on white (outline and shadow confuse OCR).
        ffmpeg({"-i", png.string(), "-vf", "crop=360:260:0:360,scale=720:-1,format=gray,lut=y='if(gt(val,200),0,255)'",
                bw.string()});
        auto ocr = run({"tesseract", bw.string(), "-", "-l", "chi_sim", "--psm", "6"}, 60);
        ASSERT_EQ(ocr.exit_code, 0) << ocr.err;
        std::string a = letters_only(cues[k].text), b = letters_only(ocr.out);
        size_t errors = sw::core::edit_distance(a, b);
        total_chars += sw::core::utf8_length(a);
        total_errors += errors;
        EXPECT_LE(double(errors) / sw::core::utf8_length(a), 0.15) << "cue " << k << " \"" << cues[k].text
                                                                    << "\" read as \"" << ocr.out << "\"";
    }
    EXPECT_LE(double(total_errors) / total_chars, 0.05) << "character error rate over all cues";

    // Every cue starts within a frame of a speech onset (silence detection on the mix).
    auto onsets = speech_onsets(out);
    ASSERT_FALSE(onsets.empty());
    for (auto& c : cues) {
        double best = 1e9;
        for (double o : onsets)
            best = std::min(best, std::abs(o - c.start));
        EXPECT_LE(best, 1.0 / 30 + 0.01) << "cue \"" << c.text << "\" at " << c.start;
    }
}

namespace {

// Pixels of a YUV 4:2:0 frame's rows [y0, y1) whose chroma is strong (|(U, V) - 128| > 40): the
// backdrop, white text and its dark outline have none; colour emoji have many.
int strong_chroma(const std::vector<uint8_t>& f, int w, int h, int y0, int y1)
{
    const uint8_t* u = f.data() + (size_t)w * h;
    const uint8_t* v = u + (size_t)(w / 2) * (h / 2);
    int n = 0;
    for (int y = y0 / 2; y < y1 / 2; ++y)
        for (int x = 0; x < w / 2; ++x) {
            size_t i = (size_t)y * (w / 2) + x;
            n += std::hypot(u[i] - 128.0, v[i] - 128.0) > 40;
        }
    return n;
}

}  // namespace

TEST(VoiceSubtitles, EmojiInColourAndACharacterNoFontHasIsLeftOutWithAWarning)
{
    TempDir dir("e2e_emoji");
    make_image(dir / "bg.png", "gradients=s=360x640:c0=0x203050:c1=0x506080:seed=3");
    // U+13000 EGYPTIAN HIEROGLYPH A001: assigned, and in none of the fonts setup-deps.sh installs.
    write_file(dir / "emoji.md", "---\nsize: 360x640\nvoice: zh\n---\n"
                                 "# 冬\nbg.png zoom-in\ntitle: 冬日派对🎉\n欢迎再来🎉❄️！\n冬天的哈尔滨最热闹。\n"
                                 "# 夜\nbg.png\n象形文字𓀀不见了。\n");
    auto out = dir / "emoji.mp4";
    auto r = run({cli(), "render", (dir / "emoji.md").string(), "-o", out.string(), "--subtitles", "srt", "--no-cache"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // One warning, at the character, naming it; nothing about the emoji.
    EXPECT_NE(r.err.find("emoji.md:12:5: warning: no installed font has U+13000 EGYPTIAN HIEROGLYPH A001"),
              std::string::npos) << r.err;
    EXPECT_NE(r.err.find("left out"), std::string::npos) << r.err;
    size_t warnings = 0;
    for (size_t p = 0; (p = r.err.find("warning:", p)) != std::string::npos; ++p)
        ++warnings;
    EXPECT_EQ(warnings, 1u) << r.err;

    auto cues = read_srt(dir / "emoji.srt");
    ASSERT_EQ(cues.size(), 3u) << read_file(dir / "emoji.srt");
    EXPECT_EQ(cues[0].text, "欢迎再来🎉❄️！");
    const int W = 360, H = 640;
    std::vector<std::vector<uint8_t>> frames;
    for (size_t k = 0; k < cues.size(); ++k) {
        frames.push_back(decode_frame_yuv(out, int64_t((cues[k].start + cues[k].end) / 2 * 30), W, H));
        save_png(frames.back(), W, H, dir / ("cue" + std::to_string(k) + ".png"));
    }
    // The subtitle band (bottom safe line at 82 %) and the title band (centred at 40 %).
    const int sub0 = 440, sub1 = 540, title0 = 210, title1 = 300;
    // (Two emoji at this size measure about 55 strongly coloured chroma samples, the title's one
    // about 105; the backdrop, text and outline none.)
    EXPECT_GT(strong_chroma(frames[0], W, H, sub0, sub1), 30) << "the emoji of the first cue are in colour";
    EXPECT_LT(strong_chroma(frames[1], W, H, sub0, sub1), 5) << "a cue without emoji has no colour";
    EXPECT_GT(strong_chroma(frames[0], W, H, title0, title1), 60) << "the title's emoji is in colour";
    EXPECT_GT(strong_chroma(frames[1], W, H, title0, title1), 60) << "the title's emoji is in colour";
    EXPECT_LT(strong_chroma(frames[2], W, H, 0, H), 5) << "the second shot has neither emoji nor a box";

    // The words are still read back by OCR: the text around the emoji, and the cue that lost its
    // character reads as the rest of it (no box in its place). Only white, neutral pixels are
    // kept as ink: the outline, shadow and the emoji's colours would confuse OCR.
    const std::vector<std::string> want = {"欢迎再来", "冬天的哈尔滨最热闹", "象形文字不见了"};
    for (size_t k = 0; k < cues.size(); ++k) {
        auto png = dir / ("cue" + std::to_string(k) + ".png");
        auto bw = dir / ("cue" + std::to_string(k) + "_bw.png");
        ffmpeg({"-i", png.string(), "-vf",
                "crop=360:140:0:420,scale=720:-1,format=yuv444p,"
                "geq=lum='if(gt(lum(X,Y),200)*lt(abs(cb(X,Y)-128),16)*lt(abs(cr(X,Y)-128),16),0,255)':cb=128:cr=128,"
                "format=gray",
                bw.string()});
        auto ocr = run({"tesseract", bw.string(), "-", "-l", "chi_sim", "--psm", "7"}, 60);
        ASSERT_EQ(ocr.exit_code, 0) << ocr.err;
        std::string got = letters_only(ocr.out);
        EXPECT_LE(sw::core::edit_distance(want[k], got), 1u) << "cue " << k << " read as \"" << ocr.out << "\"";
    }

    // Same bytes on a second render.
    auto again = dir / "again.mp4";
    auto r2 = run({cli(), "render", (dir / "emoji.md").string(), "-o", again.string(), "-q", "--no-cache"});
    ASSERT_EQ(r2.exit_code, 0) << r2.err;
    EXPECT_TRUE(read_file(out) == read_file(again)) << "emoji rendering is deterministic";
}

TEST(VoiceSubtitles, EmojiAreShownButNotSpoken)
{
    // espeak-ng reads 🎉❄️ as "party snowflake" in English: the voice skips them, so the video
    // (its length set by the speech) is as long as without them.
    TempDir dir("e2e_emoji_voice");
    auto length = [&](const std::string& name, const std::string& narration) {
        write_file(dir / (name + ".md"), "---\nsize: 128x128\nvoice: en\nsubtitles: off\n---\n# a\nvisual: card\n" + narration + "\n");
        auto out = dir / (name + ".mp4");
        auto r = run({cli(), "render", (dir / (name + ".md")).string(), "-o", out.string(), "-q", "--no-cache"});
        EXPECT_EQ(r.exit_code, 0) << r.err;
        auto p = run({"ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", out.string()});
        return std::stod(p.out);
    };
    const double with = length("with", "Welcome back 🎉❄️! See you in the snow 👍🏽.");
    const double without = length("without", "Welcome back! See you in the snow.");
    EXPECT_NEAR(with, without, 0.05);
}
