#include "timeline/project.h"

namespace sw::timeline {

// The names are literals, so data() is NUL-terminated.
const char* to_string(Move m) { return kMoveNames[size_t(m)].data(); }
const char* to_string(TitleAnimation a) { return kTitleAnimationNames[size_t(a)].data(); }
const char* to_string(Fit f) { return kFitNames[size_t(f)].data(); }
const char* to_string(LogoCorner c) { return kLogoCornerNames[size_t(c)].data(); }
const char* to_string(SubtitlePosition p)
{
    return p == SubtitlePosition::Percent ? "percent" : kSubtitlePositionNames[size_t(p)].data();
}

const char* to_string(VisualKind k)
{
    switch (k) {
    case VisualKind::None: return "none";
    case VisualKind::Media: return "media";
    case VisualKind::Description: return "description";
    case VisualKind::Generate: return "generate";
    case VisualKind::Card: return "card";
    }
    return "none";
}

std::string Shot::narration_text() const
{
    std::string text;
    for (auto& line : narration)
        text += (text.empty() ? "" : "\n") + line;
    return text;
}

const char* to_string(MediaType t) { return t == MediaType::Image ? "image" : "video"; }

}  // namespace sw::timeline
