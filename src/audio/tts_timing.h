#pragma once
// Internal to the audio module: turning engine events into SpeechTimings, and voice-activity
// helpers shared by the engines.

#include <cstdint>
#include <string>
#include <vector>

#include "audio/tts.h"

namespace sw::audio {

struct EventMark {
    enum Kind { Word, Sentence, End } kind = Word;
    int64_t sample = 0;       // position in Speech::samples
    size_t text_begin = 0;    // byte range (Word); start (Sentence)
    size_t text_end = 0;
};

// Fills speech.words and speech.sentences from engine events (in emission order). Sentences come
// from Sentence events when there are any, else from the text's own punctuation grouped over the
// word events; spans are then tightened to where the audio is actually voiced, so a cue never
// starts in the pause before its sentence.
void build_timings_from_events(Speech& speech, const std::string& text, const std::vector<EventMark>& marks);

// Half-open sample ranges where the audio is voiced, merging gaps shorter than min_gap_samples.
std::vector<std::pair<int64_t, int64_t>> speech_regions(const std::vector<float>& samples, int64_t min_gap_samples);

}  // namespace sw::audio
