#pragma once
// `shotweave batch TEMPLATE --data ROWS -o PATTERN`: one video per row of a CSV or JSON Lines
// table, from a script template with {{field}} placeholders (docs/batch.md).

#include <string>
#include <vector>

namespace sw::cli {

// Args after "batch". Returns the process exit code: 0 every row done or up to date, 2 a row
// (or the command line, template or data file) has an input or script error, 1 a row failed
// while rendering (and none for input), 128+signal when interrupted.
int cmd_batch(const std::vector<std::string>& args);

}  // namespace sw::cli
