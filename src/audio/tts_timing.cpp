#include "audio/tts_timing.h"

#include <algorithm>
#include <cmath>

#include "core/text_util.h"

namespace sw::audio {

namespace {

constexpr int64_t kFrame = kSpeechSampleRate / 200;  // 5 ms analysis frames

// Per-frame "voiced" flags: peak above 2 % of the whole clip's peak (and above a floor, so
// dithering noise in a silent recording never counts as speech).
std::vector<bool> voiced_frames(const std::vector<float>& s)
{
    float peak = 0;
    for (float v : s)
        peak = std::max(peak, std::fabs(v));
    float thr = std::max(0.003f, peak * 0.02f);
    std::vector<bool> out(size_t((int64_t(s.size()) + kFrame - 1) / kFrame));
    for (size_t f = 0; f < out.size(); ++f) {
        size_t b = f * size_t(kFrame), e = std::min(s.size(), b + size_t(kFrame));
        float m = 0;
        for (size_t i = b; i < e; ++i)
            m = std::max(m, std::fabs(s[i]));
        out[f] = m > thr;
    }
    return out;
}

// Narrows [start, end) to its first and last voiced frame; unchanged when none is voiced.
void tighten(SpeechTiming& t, const std::vector<bool>& voiced)
{
    int64_t fb = t.start_sample / kFrame, fe = (t.end_sample + kFrame - 1) / kFrame;
    fe = std::min<int64_t>(fe, int64_t(voiced.size()));
    int64_t first = -1, last = -1;
    for (int64_t f = fb; f < fe; ++f)
        if (voiced[size_t(f)]) {
            if (first < 0)
                first = f;
            last = f;
        }
    if (first < 0)
        return;
    t.start_sample = std::max(t.start_sample, first * kFrame);
    t.end_sample = std::min(t.end_sample, (last + 1) * kFrame);
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::pair<size_t, size_t> trim_range(const std::string& text, size_t b, size_t e)
{
    while (b < e && is_space(text[b]))
        ++b;
    while (e > b && is_space(text[e - 1]))
        --e;
    // Ideographic space (U+3000) is common in Chinese text.
    while (e - b >= 3 && text.compare(b, 3, "\u3000") == 0)
        b += 3;
    while (e - b >= 3 && text.compare(e - 3, 3, "\u3000") == 0)
        e -= 3;
    return {b, e};
}

}  // namespace

std::vector<std::pair<size_t, size_t>> split_sentences(const std::string& text)
{
    static const std::u32string terminators = U"。！？!?…";
    static const std::u32string closers = U"”’」』）)]\"'";
    std::vector<std::pair<size_t, size_t>> out;
    auto emit = [&](size_t b, size_t e) {
        auto [tb, te] = trim_range(text, b, e);
        if (te > tb)
            out.emplace_back(tb, te);
    };
    // Walk code points, remembering byte offsets.
    size_t begin = 0, i = 0;
    auto next_cp = [&](size_t at, char32_t& cp) {
        std::u32string one = core::utf8_decode(std::string_view(text).substr(at, std::min<size_t>(4, text.size() - at)));
        cp = one.empty() ? 0 : one[0];
        uint8_t c = uint8_t(text[at]);
        return c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    };
    while (i < text.size()) {
        char32_t cp;
        size_t len = size_t(next_cp(i, cp));
        bool ends = terminators.find(cp) != std::u32string::npos;
        // A '.' ends a sentence only before whitespace or the end (not in 3.14 or example.com).
        if (cp == U'.')
            ends = i + 1 >= text.size() || is_space(text[i + 1]) || uint8_t(text[i + 1]) >= 0x80;
        i += len;
        if (!ends)
            continue;
        // Swallow runs like "?!", "……" and closing quotes into this sentence.
        while (i < text.size()) {
            char32_t c2;
            size_t l2 = size_t(next_cp(i, c2));
            if (terminators.find(c2) == std::u32string::npos && closers.find(c2) == std::u32string::npos && c2 != U'.')
                break;
            i += l2;
        }
        emit(begin, i);
        begin = i;
    }
    emit(begin, text.size());
    return out;
}

std::vector<std::pair<int64_t, int64_t>> speech_regions(const std::vector<float>& samples, int64_t min_gap_samples)
{
    auto voiced = voiced_frames(samples);
    std::vector<std::pair<int64_t, int64_t>> regions;
    int64_t gap_frames = std::max<int64_t>(1, min_gap_samples / kFrame);
    for (size_t f = 0; f < voiced.size(); ++f) {
        if (!voiced[f])
            continue;
        int64_t b = int64_t(f) * kFrame, e = std::min<int64_t>(int64_t(samples.size()), (int64_t(f) + 1) * kFrame);
        if (!regions.empty() && b - regions.back().second < gap_frames * kFrame)
            regions.back().second = e;
        else
            regions.emplace_back(b, e);
    }
    // A lone click shorter than 30 ms is not a sentence.
    std::erase_if(regions, [](auto& r) { return r.second - r.first < kSpeechSampleRate * 30 / 1000; });
    return regions;
}

std::vector<SpeechTiming> estimate_sentence_timings(const std::vector<float>& samples, const std::string& text)
{
    auto sentences = split_sentences(text);
    std::vector<SpeechTiming> out;
    if (sentences.empty() || samples.empty())
        return out;
    auto regions = speech_regions(samples, kSpeechSampleRate * 150 / 1000);
    if (regions.empty())
        regions.emplace_back(0, int64_t(samples.size()));
    if (regions.size() == sentences.size()) {
        for (size_t k = 0; k < sentences.size(); ++k)
            out.push_back({regions[k].first, regions[k].second, sentences[k].first, sentences[k].second});
        return out;
    }
    // Counts differ (a comma pause, or two sentences run together): share the voiced span by
    // character count, then pull each boundary to the nearest pause so cues start on speech.
    int64_t span_b = regions.front().first, span_e = regions.back().second;
    size_t total = 0;
    std::vector<size_t> lens;
    for (auto [b, e] : sentences) {
        lens.push_back(std::max<size_t>(1, core::utf8_length(std::string_view(text).substr(b, e - b))));
        total += lens.back();
    }
    size_t acc = 0;
    std::vector<int64_t> bounds{span_b};
    for (size_t k = 0; k + 1 < sentences.size(); ++k) {
        acc += lens[k];
        int64_t guess = span_b + int64_t((__int128(span_e - span_b) * acc) / total);
        // Nearest region start within 1 s of the proportional guess.
        int64_t best = guess, best_d = kSpeechSampleRate;
        for (auto& r : regions) {
            int64_t d = std::abs(r.first - guess);
            if (d < best_d && r.first > bounds.back()) {
                best = r.first;
                best_d = d;
            }
        }
        bounds.push_back(std::max(best, bounds.back()));
    }
    bounds.push_back(span_e);
    auto voiced = voiced_frames(samples);
    for (size_t k = 0; k < sentences.size(); ++k) {
        SpeechTiming t{bounds[k], bounds[k + 1], sentences[k].first, sentences[k].second};
        tighten(t, voiced);
        out.push_back(t);
    }
    return out;
}

void build_timings_from_events(Speech& speech, const std::string& text, const std::vector<EventMark>& marks)
{
    const int64_t total = int64_t(speech.samples.size());
    auto voiced = voiced_frames(speech.samples);
    auto next_mark_sample = [&](size_t i) {
        for (size_t j = i + 1; j < marks.size(); ++j)
            if (marks[j].sample > marks[i].sample)
                return marks[j].sample;
        return total;
    };

    speech.words.clear();
    for (size_t i = 0; i < marks.size(); ++i) {
        if (marks[i].kind != EventMark::Word)
            continue;
        // espeak emits a zero-length word at some sentence boundaries: nothing is spoken there.
        auto [wb, we] = trim_range(text, marks[i].text_begin, marks[i].text_end);
        if (we <= wb)
            continue;
        SpeechTiming t{marks[i].sample, next_mark_sample(i), wb, we};
        if (t.end_sample <= t.start_sample)
            t.end_sample = std::min(total, t.start_sample + kFrame);
        tighten(t, voiced);
        speech.words.push_back(t);
    }
    std::sort(speech.words.begin(), speech.words.end(),
              [](auto& a, auto& b) { return a.start_sample < b.start_sample; });

    // Sentences: the text's own punctuation decides where sentences are (engines differ on
    // clause vs sentence events); each takes the span of the words inside it.
    auto ranges = split_sentences(text);
    std::vector<int64_t> sentence_event_samples;
    for (auto& m : marks)
        if (m.kind == EventMark::Sentence)
            sentence_event_samples.push_back(m.sample);
    speech.sentences.clear();
    for (size_t k = 0; k < ranges.size(); ++k) {
        auto [b, e] = ranges[k];
        int64_t s = -1, en = -1;
        for (auto& w : speech.words)
            if (w.text_begin < e && w.text_end > b) {
                if (s < 0)
                    s = w.start_sample;
                en = std::max(en, w.end_sample);
            }
        if (s < 0)
            continue;  // punctuation-only fragment with no spoken word
        speech.sentences.push_back({s, en, b, e});
    }
    if (speech.sentences.empty() && !sentence_event_samples.empty() && !ranges.empty()) {
        // No word events: fall back to sentence events in order.
        for (size_t k = 0; k < ranges.size() && k < sentence_event_samples.size(); ++k) {
            int64_t s = sentence_event_samples[k];
            int64_t en = k + 1 < sentence_event_samples.size() ? sentence_event_samples[k + 1] : total;
            SpeechTiming t{s, en, ranges[k].first, ranges[k].second};
            tighten(t, voiced);
            speech.sentences.push_back(t);
        }
    }
    if (speech.sentences.empty()) {
        speech.sentences = estimate_sentence_timings(speech.samples, text);
        speech.timings_exact = false;
    }
    // Keep sentences ordered and non-overlapping.
    for (size_t k = 1; k < speech.sentences.size(); ++k)
        if (speech.sentences[k].start_sample < speech.sentences[k - 1].end_sample)
            speech.sentences[k - 1].end_sample = std::max(speech.sentences[k - 1].start_sample,
                                                           speech.sentences[k].start_sample);
}

void trim_silence(Speech& speech, float threshold)
{
    auto& s = speech.samples;
    size_t b = 0, e = s.size();
    while (b < e && std::fabs(s[b]) <= threshold)
        ++b;
    while (e > b && std::fabs(s[e - 1]) <= threshold)
        --e;
    s.erase(s.begin() + ptrdiff_t(e), s.end());
    s.erase(s.begin(), s.begin() + ptrdiff_t(b));
    int64_t n = int64_t(s.size()), off = int64_t(b);
    auto shift = [&](std::vector<SpeechTiming>& ts) {
        for (auto& t : ts) {
            t.start_sample = std::clamp<int64_t>(t.start_sample - off, 0, n);
            t.end_sample = std::clamp<int64_t>(t.end_sample - off, t.start_sample, n);
        }
    };
    shift(speech.sentences);
    shift(speech.words);
}

}  // namespace sw::audio
