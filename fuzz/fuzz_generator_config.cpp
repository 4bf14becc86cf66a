// Generator configs: the [generator] table of a TOML file (docs/generators.md).
#include "fuzz/harness.h"
#include "models/clip_adapter.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    auto config = sw::models::parse_generator_config(fuzz_bytes(data, size), "/nonexistent-fuzz-dir/fuzz.toml");
    if (config)
        (void)sw::models::make_clip_adapter(*config);
    return 0;
}
