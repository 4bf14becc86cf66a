#pragma once
// Whole-file reading, for the many small files the engine reads (scripts, sidecars, configs,
// data tables, images sent to services). Callers word their own errors: only they know what
// the file is to the user.

#include <filesystem>
#include <optional>
#include <string>

namespace sw::core {

// The file's bytes, or nothing when it cannot be opened or a read fails.
std::optional<std::string> read_file(const std::filesystem::path& path);

}  // namespace sw::core
