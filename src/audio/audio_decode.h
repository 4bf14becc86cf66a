#pragma once
// Decoding any audio file libav reads into the mixing format: interleaved float at 48 kHz.

#include <filesystem>
#include <vector>

#include "core/error.h"

namespace sw::audio {

namespace fs = std::filesystem;

// Sample rate of every buffer in the audio module.
inline constexpr int kSampleRate = 48000;

// Decodes the first (best) audio stream of `path` — WAV, MP3, OGG/Vorbis, Opus, FLAC, M4A/AAC, or
// the sound of a video file — to interleaved float at 48 kHz with `channels` channels (1 or 2;
// libswresample downmixes or upmixes and resamples). Errors (category Input) name the file:
// missing, not decodable, no audio stream. Damaged packets in the middle are skipped.
core::Result<std::vector<float>> decode_audio(const fs::path& path, int channels = 2);

}  // namespace sw::audio
