#pragma once
// The entry point every harness defines (libFuzzer's), and what replay_main.cpp calls.
#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

inline std::string_view fuzz_bytes(const uint8_t* data, size_t size)
{
    return {reinterpret_cast<const char*>(data), size};
}
