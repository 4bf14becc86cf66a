// Preloaded into the program under valgrind only. libavcodec links libjxl, which links Highway;
// Highway's start-up code measures its timer with RDTSCP, an instruction valgrind 3.19 does not
// emulate on some CPUs (seen on AMD EPYC: the program dies with SIGILL before main). The timer's
// resolution only tunes Highway's own benchmarks, so a fixed answer changes nothing we render.
#include <cstdint>

namespace hwy::platform {
uint64_t TimerResolution() { return 1; }
}  // namespace hwy::platform
