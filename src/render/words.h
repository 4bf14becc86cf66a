#pragma once
// The words a project's subtitles and titles keep whole: the shipped list of place names and
// dishes, the script's `words:` and words.txt, the names the script itself uses — shot names,
// titles, visual descriptions — and the library's tags and file names.

#include <memory>

#include "lang/lexicon.h"
#include "timeline/project.h"

namespace sw::render {

std::shared_ptr<const lang::Lexicon> project_lexicon(const timeline::Project& project);

}  // namespace sw::render
