#pragma once
// `shotweave voices [ENGINE]` lists the voices of the speech engines; `shotweave say TEXT` speaks a
// line into a WAV file to hear a voice before using it (docs/voices.md).

#include <string>
#include <vector>

namespace sw::cli {

// Both return the process exit code: 0 ok, 2 usage or input error, 1 when the engine failed.
int cmd_voices(const std::vector<std::string>& args);
int cmd_say(const std::vector<std::string>& args);

}  // namespace sw::cli
