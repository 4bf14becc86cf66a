// End-to-end: a Chinese script spoken by the built-in voice, its burned-in subtitles read back
// by OCR from the rendered video and their timing compared with the speech onsets heard in it.

#include <regex>

#include "core/text_util.h"
#include "e2e_common.h"

using namespace sw::test;

namespace {

struct SrtCue {
    double start = 0, end = 0;
    std::string text;
};

std::vector<SrtCue> read_srt(const fs::path& p)
{
    std::vector<SrtCue> cues;
    std::string s = read_file(p);
    std::regex time_re(R"((\d+):(\d+):(\d+),(\d+) --> (\d+):(\d+):(\d+),(\d+))");
    std::istringstream in(s);
    std::string line;
    SrtCue* cur = nullptr;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        std::smatch m;
        if (std::regex_match(line, m, time_re)) {
            auto t = [&](int k) {
                return std::stoi(m[k]) * 3600.0 + std::stoi(m[k + 1]) * 60.0 + std::stoi(m[k + 2]) +
                       std::stoi(m[k + 3]) / 1000.0;
            };
            cues.push_back({t(1), t(5), ""});
            cur = &cues.back();
        } else if (line.empty()) {
            cur = nullptr;
        } else if (cur) {
            cur->text += line;
        }
    }
    return cues;
}

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
