#pragma once
// Whole-file reading, for the many small files the engine reads (scripts, sidecars, configs,
// data tables, images sent to services). Callers word their own errors: only they know what
// the file is to the user.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"

namespace sw::core {

// The file's bytes, or nothing when it cannot be opened or a read fails.
std::optional<std::string> read_file(const std::filesystem::path& path);

// Writes `bytes` to a temporary file beside `path` (unique per process and call, so concurrent
// writers never share one) and renames it over `path`: a reader sees the old file or the whole
// new one, never a part, and a failed write leaves nothing behind. Io error naming the path.
Status write_file_atomic(const std::filesystem::path& path, std::string_view bytes);

// A suffix for temporary files unique to this process and call (".tmp.<pid>.<n>").
std::string unique_temp_suffix();

// shotweave's cache folder for one kind of thing (`name`: "segments", "clips", "tts", ...):
// $XDG_CACHE_HOME/shotweave/<name> (an absolute XDG_CACHE_HOME only, as the XDG spec says), else
// ~/.cache/shotweave/<name>, else <temp>/shotweave/<name>. Nothing is created.
std::filesystem::path user_cache_dir(const std::string& name);

}  // namespace sw::core
