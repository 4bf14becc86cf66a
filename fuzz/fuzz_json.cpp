// The JSON form of a script.
#include "fuzz/script_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    return fuzz_script(data, size, sw::script::Format::Json, "fuzz.json");
}
