// SubRip subtitles read back (exporter::parse_srt).
#include "export/subtitles_export.h"
#include "fuzz/harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    auto cues = sw::exporter::parse_srt(fuzz_bytes(data, size), "fuzz.srt");
    if (cues)
        (void)sw::exporter::to_srt(*cues);
    return 0;
}
