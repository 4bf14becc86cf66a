#include "core/hash.h"

#include <cstdio>

namespace sw::core {

std::string fnv1a64_hex(std::string_view s)
{
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(fnv1a64(s)));
    return buf;
}

}  // namespace sw::core
