#pragma once
// SHA-256, for cache keys and checksums: they must be collision-free in practice over many
// thousands of entries, which a 64-bit FNV (core/hash.h) does not promise as clearly.

#include <filesystem>
#include <string>
#include <string_view>

#include "core/error.h"

namespace sw::core {

// SHA-256 of bytes / of a file's contents, as 64 lowercase hex digits. Input error when the
// file cannot be read.
std::string sha256_hex(std::string_view data);
Result<std::string> sha256_file(const std::filesystem::path& file);

}  // namespace sw::core
