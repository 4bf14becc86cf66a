#pragma once
// `shotweave draft`: a script written by a language model from a topic or an article.

#include <string>
#include <vector>

namespace sw::cli {

// `draft "TOPIC" -o OUT.md` and `draft --from ARTICLE [--length 60s] [-o OUT]` (args after
// "draft"). Returns the process exit code: 0 written, 2 usage or input error (or an existing
// output), 1 the model failed, 130 interrupted.
int cmd_draft(const std::vector<std::string>& args);

}  // namespace sw::cli
