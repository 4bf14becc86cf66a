#pragma once
// Loudness of the final mix, measured with libebur128 (EBU R 128 / ITU-R BS.1770, as FFmpeg's
// ebur128 filter and the platforms measure it), and normalisation to a target with a
// true-peak ceiling. Buffers are stereo interleaved float at 48 kHz.

#include <vector>

namespace sw::audio {

struct Loudness {
    double integrated_lufs;  // -infinity for silence or audio too short to gate (< 400 ms)
    double true_peak_dbtp;   // max over both channels; -infinity for digital silence
};

Loudness measure(const std::vector<float>& stereo);
// measure()'s integrated loudness alone (no true-peak oversampling: several times cheaper).
double integrated_lufs(const std::vector<float>& stereo);

// Scales the audio to `target_lufs` integrated loudness, then a look-ahead true-peak limiter
// (peaks estimated on a 4× oversampled signal; gain reduction starts 5 ms before a peak and
// recovers with a ~50 ms release) keeps the true peak at or below `ceiling_dbtp`. When limiting
// pulled the loudness more than 0.3 LU under the target, the residual gain is corrected and
// the limiter runs again (at most twice). If libebur128 still measures a true peak over the
// ceiling (its oversampling differs from ours), a final static trim enforces the ceiling:
// the ceiling wins over the target. Silent or too-short input is left as it is.
// `gain`, when given, receives the gain applied to each frame (static gains × limiter), so a
// caller can tell how a part of the mix (the voice) fared.
void normalize(std::vector<float>& stereo, double target_lufs = -14, double ceiling_dbtp = -1,
               std::vector<float>* gain = nullptr);

}  // namespace sw::audio
