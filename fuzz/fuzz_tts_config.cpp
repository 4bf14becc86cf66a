// Speech settings: the [tts] table of a TOML file and the engine each engine name makes from it
// (docs/voices.md). Making an engine contacts no server.
#include "audio/tts_config.h"
#include "fuzz/harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    auto config = sw::audio::parse_tts_config(fuzz_bytes(data, size), "/nonexistent-fuzz-dir/shotweave.toml");
    if (config)
        for (const char* engine : {"espeak", "openai", "cosyvoice", "gpt-sovits", "piper"})
            (void)sw::audio::make_tts_engine(engine, *config);
    return 0;
}
