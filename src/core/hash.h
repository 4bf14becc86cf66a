#pragma once
// FNV-1a, 64-bit: a fast, stable hash for names and seeds (not for integrity or security; the
// clip cache uses SHA-256 for that).

#include <cstdint>
#include <string>
#include <string_view>

namespace sw::core {

inline uint64_t fnv1a64(std::string_view s)
{
    uint64_t h = 1469598103934665603ull;
    for (unsigned char c : s)
        h = (h ^ c) * 1099511628211ull;
    return h;
}

// 16 lower-case hex digits.
std::string fnv1a64_hex(std::string_view s);

}  // namespace sw::core
