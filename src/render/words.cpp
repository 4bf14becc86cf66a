#include "render/words.h"

namespace sw::render {

std::shared_ptr<const lang::Lexicon> project_lexicon(const timeline::Project& project)
{
    auto lx = std::make_shared<lang::Lexicon>(lang::Lexicon::builtin());
    for (const auto& w : project.words)
        lx->add(w);
    for (const auto& n : project.library_names)
        lx->add_phrases(n);
    for (const auto& shot : project.shots) {
        lx->add_phrases(shot.name);
        lx->add_phrases(shot.title);
        lx->add_phrases(shot.visual.description);
        const auto& pick = shot.choice;
        if (!pick.asset.empty())
            lx->add_phrases(std::filesystem::path(pick.asset).stem().string());
        for (const auto& m : pick.matched)
            lx->add(m);
    }
    return lx;
}

}  // namespace sw::render
