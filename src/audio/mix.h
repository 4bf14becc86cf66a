#pragma once
// The music bed and the final mix: fitting a music file to the video's length, ducking it
// under the narration with a sidechain envelope, and summing voice + music (+ clip sound).
// All buffers are 48 kHz float; "stereo" means interleaved L,R; lengths are in samples per
// channel (frames).

#include <cstdint>
#include <vector>

namespace sw::audio {

struct MusicSettings {
    double volume_db = 0;     // applied to the whole bed
    int64_t fade_in = 48000;  // samples (1 s)
    int64_t fade_out = 96000; // samples (2 s), ending at the last sample
    bool loop = true;         // false: a short piece plays once, then silence
};

// Loop crossfade: long enough to hide the seam, short enough to keep the music's rhythm.
inline constexpr int64_t kLoopCrossfade = 2400;  // 50 ms

// Returns exactly total_samples stereo frames (2 × total_samples floats). Music shorter than
// that is looped (each repeat overlaps the previous one by 50 ms with an equal-power
// crossfade, so the seam has no click) or, with loop = false, padded with silence; longer
// music is cut. Fades use a quarter-sine (equal-power) curve; the fade-out ends at the last
// sample of the music that plays. Fades longer than the music are shortened in proportion.
std::vector<float> fit_music(const std::vector<float>& music_stereo, int64_t total_samples,
                             const MusicSettings& settings);

struct DuckSettings {
    double depth_db = -9;        // music gain while the voice speaks (relative to the bed; <= 0)
    double attack_ms = 40;       // time to go from 0 dB down to depth (linear in dB)
    double release_ms = 300;     // time to come back from depth to 0 dB (linear in dB)
    double threshold_db = -40;   // voice RMS (dBFS, 10 ms windows) that counts as speech
    double lookahead_ms = 60;    // the attack starts this long before the voice does
    double hold_ms = 100;        // after the last word the music stays down this long
    double bridge_ms = 400;      // gaps in the speech shorter than this keep the music down
};

// Per-sample linear gain for the music (same length as voice_mono): 1.0 where nobody speaks,
// 10^(depth/20) while the voice is above the threshold. A sidechain envelope computed with the
// whole voice known in advance: the voice's RMS over 10 ms windows is gated at threshold_db;
// gaps shorter than bridge_ms (between words, at commas and full stops) are filled, so the
// music never pumps inside a sentence; after a longer gap the music stays down for hold_ms, then
// rises over release_ms (back at the bed hold + release after the last word); it starts down
// lookahead_ms before the first syllable and reaches depth attack_ms later. The gain moves in dB
// at a limited slope, so it never jumps.
std::vector<float> duck_envelope(const std::vector<float>& voice_mono, const DuckSettings& settings);

// Where the music sits against a voice-over, both relative to the speech's loudness (LU): `bed`
// in the pauses, `duck` while words are spoken. `volume_db` (the music line's bare gain) shifts
// both. Broadcast voice-over beds sit 6-10 dB under the speech in pauses and 15-20 dB under it
// while the voice speaks; the defaults come out in the middle of those ranges as measured on
// renders (tests/e2e/test_music_bed.cpp: -8 in pauses, about -18 under words, where the true-peak
// limiter trims the music a little with the loud syllables).
struct BedLevels {
    double bed_db = -8;
    double duck_db = -17;
    double volume_db = 0;
};

struct BedPlan {
    double music_gain_db = 0;  // applied to the whole music (MusicSettings::volume_db)
    DuckSettings duck;         // depth = duck - bed (0 when duck is not under bed: no ducking)
    double speech_lufs = 0, music_lufs = 0;  // as measured (-infinity: silent or too short)
};

// Measures the speech (mono, heard in both channels) and the music as it plays (stereo, fitted
// to the video, without fades) and returns the gain that puts the music `bed` under the speech
// plus the envelope that takes it to `duck` under words. The speech gate of the envelope follows
// the speech's loudness, so quiet and loud recordings duck alike. When either is unmeasurable
// (silence, under 400 ms), the music keeps its own level shifted by bed + volume.
BedPlan plan_bed(const std::vector<float>& voice_mono, const std::vector<float>& music_stereo, const BedLevels& levels);

// How much louder or quieter the voice came out of normalize() than the static part of its gain
// (the largest gain it applied): what the true-peak limiter took from the voice, in LU (<= 0).
// `gain` is normalize()'s per-frame gain; 0 when the voice cannot be measured.
double limiter_loss_db(const std::vector<float>& voice_mono, const std::vector<float>& gain);

// Sums the narration (mono, placed in the centre: the same signal at full level in both
// channels), the music (stereo, multiplied by `music_gain` sample by sample; missing gain entries
// count as 1) and optional other stereo sound (a clip's own audio, unducked). The result has
// total_samples frames, or when total_samples < 0 the length of the longest input.
// No normalisation or limiting happens here (see loudness.h).
std::vector<float> mix(const std::vector<float>& voice_mono, const std::vector<float>& music_stereo,
                       const std::vector<float>& music_gain, const std::vector<float>& other_stereo = {},
                       int64_t total_samples = -1);

}  // namespace sw::audio
