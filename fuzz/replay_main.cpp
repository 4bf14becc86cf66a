// Runs a harness over files, as the regression test of `make test` (no libFuzzer needed):
//
//   fuzz_replay_<reader> [--time-limit S] FILE|FOLDER...   every input, each within S seconds (default 1)
//
// Exit 0 when every input was read; a crash is the crash itself; an input that runs past the limit
// is named on stderr and ends the run with exit 3. `*.gen` inputs are expanded (fuzz/gen.h).

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "fuzz/gen.h"
#include "fuzz/harness.h"

namespace fs = std::filesystem;
using fuzzgen::input_bytes;

namespace {

const char* g_current = "";

void on_alarm(int)
{
    const char msg[] = "fuzz replay: input ran past the time limit: ";
    (void)!write(2, msg, sizeof msg - 1);
    (void)!write(2, g_current, std::strlen(g_current));
    (void)!write(2, "\n", 1);
    _exit(3);
}

}  // namespace

int main(int argc, char** argv)
{
    unsigned limit_s = 1;
    std::vector<fs::path> files;
    for (int i = 1; i < argc; ++i) {
        if (std::string(argv[i]) == "--time-limit" && i + 1 < argc) {
            limit_s = unsigned(std::atoi(argv[++i]));
            continue;
        }
        fs::path p = argv[i];
        if (fs::is_directory(p)) {
            for (auto& e : fs::recursive_directory_iterator(p))
                if (e.is_regular_file())
                    files.push_back(e.path());
        } else {
            files.push_back(p);
        }
    }
    std::sort(files.begin(), files.end());
    signal(SIGALRM, on_alarm);
    for (auto& f : files) {
        std::string bytes = input_bytes(f);
        std::string name = f.string();
        g_current = name.c_str();
        alarm(limit_s);
        LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
        alarm(0);
    }
    std::printf("%zu input%s read, each within %u s\n", files.size(), files.size() == 1 ? "" : "s", limit_s);
    return 0;
}
