// fuzz_expand IN OUT: writes the bytes a corpus file stands for (a `*.gen` expanded, fuzz/gen.h),
// for the scripts that feed the corpus to libFuzzer and to the CLI.
#include "fuzz/gen.h"

int main(int argc, char** argv)
{
    if (argc != 3) {
        std::fprintf(stderr, "usage: fuzz_expand IN OUT\n");
        return 2;
    }
    std::ofstream(argv[2], std::ios::binary) << fuzzgen::input_bytes(argv[1]);
    return 0;
}
