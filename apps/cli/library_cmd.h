#pragma once
// `shotweave library …`: index a folder of the user's photos and footage, and search it.

#include <string>
#include <vector>

namespace sw::cli {

// `library index DIR` and `library search DIR QUERY [--json] [--limit N]` (args after
// "library"). Returns the process exit code: 0 ok, 2 usage or input error, 1 index failure.
int cmd_library(const std::vector<std::string>& args);

}  // namespace sw::cli
