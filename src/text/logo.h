#pragma once
// A logo image (PNG with transparency) prepared once as a blendable overlay.

#include <filesystem>

#include "core/error.h"
#include "text/blend.h"

namespace sw::text {

// Loads `path` (PNG), scales it to `width_px` wide (aspect kept, smooth filtering) and places its
// top-left at (x, y). Errors name the file: missing, not a PNG, unreadable.
core::Result<CueBitmap> load_logo(const std::filesystem::path& path, int width_px, int x, int y);
// The logo's size at `width_px` wide without loading the pixels twice (for placement).
core::Result<std::pair<int, int>> logo_size(const std::filesystem::path& path, int width_px);

}  // namespace sw::text
