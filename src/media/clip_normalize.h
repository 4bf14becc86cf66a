#pragma once
// Whatever a text-to-video model produced (any video libav reads, an animated WebP, a numbered
// PNG/JPEG sequence) → an H.264 MP4 of exactly the frames the engine asked for. Media work with
// no knowledge of models: the clip clients (src/models) call it on what their backend returned.

#include <cstdint>
#include <filesystem>
#include <vector>

#include "core/error.h"
#include "core/rational.h"

namespace sw::media {

// Converts `produced` into an H.264 MP4 of exactly `frames` frames at `fps` and `width` x
// `height` (cover fit, constant rate), written atomically to `out`. Input error naming the file
// when it is not a readable video or is empty. A picture sequence is taken to be at `fps`.
core::Status normalize_clip(const std::filesystem::path& produced, const std::filesystem::path& out, int width,
                            int height, core::Rational fps, int64_t frames);

// The same with the rate of a picture sequence spelled out: a PNG/JPEG sequence carries no
// timing, so its frames are taken to be `sequence_fps` apart (the rate asked of the model).
core::Status normalize_clip(const std::filesystem::path& produced, const std::filesystem::path& out, int width,
                            int height, core::Rational fps, int64_t frames, core::Rational sequence_fps);

// The files of the picture sequence that `first` belongs to (same folder, same name around a run
// of digits, same extension: out_001.png, out_002.png, ...), sorted by number. Just `first`
// when its name has no digits.
std::vector<std::filesystem::path> picture_sequence(const std::filesystem::path& first);

}  // namespace sw::media
