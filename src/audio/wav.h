#pragma once
// WAV files in and out, and resampling to the project's audio rate. Every TTS adapter that
// hands us a file (a command's output, an HTTP response, the cache) goes through here, so the
// rest of the audio module only ever sees mono float samples at 48 kHz.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/error.h"

namespace sw::audio {

// Same value as the mixer's kSampleRate (audio_decode.h); a separate name so both headers can
// be included together.
inline constexpr int kSpeechSampleRate = 48000;

// Decodes a RIFF/WAVE byte buffer: PCM 8/16/24/32-bit or IEEE float 32/64, any channel count
// (WAVE_FORMAT_EXTENSIBLE too). Channels are averaged to mono and the result is resampled to
// 48 kHz. `what` names the source in error messages ("TTS command output", a path, ...).
// Streamed WAVs whose header sizes are 0 or 0xFFFFFFFF (written before the length was known)
// are accepted: the data chunk is read to the end of the buffer.
core::Result<std::vector<float>> decode_wav(std::span<const uint8_t> bytes, const std::string& what);

// Reads a file and decodes it with decode_wav.
core::Result<std::vector<float>> read_wav(const std::string& path);

enum class WavSampleFormat { Pcm16, Float32 };

// Writes interleaved samples (channels × frames) as a WAV file. Written to a temporary file
// beside `path` and renamed, so a crash never leaves a half-written file under the final name.
core::Status write_wav(const std::string& path, std::span<const float> interleaved, int channels,
                       int sample_rate, WavSampleFormat format = WavSampleFormat::Float32);

// The bytes write_wav would write.
std::vector<uint8_t> encode_wav(std::span<const float> interleaved, int channels, int sample_rate,
                                WavSampleFormat format = WavSampleFormat::Float32);

// Mono float resampling with libswresample; returns the input unchanged when the rates match.
core::Result<std::vector<float>> resample_mono(std::span<const float> in, int in_rate,
                                               int out_rate = kSpeechSampleRate);

}  // namespace sw::audio
