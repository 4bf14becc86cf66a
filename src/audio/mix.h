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
    double depth_db = -12;       // music gain while the voice speaks
    double attack_ms = 80;       // time to go from 0 dB down to depth (linear in dB)
    double release_ms = 400;     // time to come back from depth to 0 dB (linear in dB)
    double threshold_db = -40;   // voice RMS (dBFS, 10 ms windows) that counts as speech
    double lookahead_ms = 50;    // the attack starts this long before the voice does
    double hold_ms = 120;        // gaps between words shorter than this keep the music down
};

// Per-sample linear gain for the music (same length as voice_mono): 1.0 where nobody speaks,
// 10^(depth/20) while the voice is above the threshold. A sidechain envelope: the voice's RMS
// over 10 ms windows is gated at threshold_db; the gate is held for hold_ms over short gaps and
// opened lookahead_ms early; the gain then moves in dB at a limited slope (attack_ms for the full
// depth going down, release_ms coming back), so it never jumps and never pumps on consonants.
std::vector<float> duck_envelope(const std::vector<float>& voice_mono, const DuckSettings& settings);

// Sums the narration (mono, placed in the centre: the same signal at full level in both
// channels), the music (stereo, multiplied by `music_gain` sample by sample; missing gain entries
// count as 1) and optional other stereo sound (a clip's own audio, unducked). The result has
// total_samples frames, or when total_samples < 0 the length of the longest input.
// No normalisation or limiting happens here (see loudness.h).
std::vector<float> mix(const std::vector<float>& voice_mono, const std::vector<float>& music_stereo,
                       const std::vector<float>& music_gain, const std::vector<float>& other_stereo = {},
                       int64_t total_samples = -1);

}  // namespace sw::audio
