#include "timeline/project.h"

namespace sw::timeline {

const char* to_string(Move m)
{
    switch (m) {
    case Move::None: return "none";
    case Move::ZoomIn: return "zoom-in";
    case Move::ZoomOut: return "zoom-out";
    case Move::PanLeft: return "pan-left";
    case Move::PanRight: return "pan-right";
    case Move::PanUp: return "pan-up";
    case Move::PanDown: return "pan-down";
    }
    return "none";
}

const char* to_string(TitleAnimation a)
{
    switch (a) {
    case TitleAnimation::SlideUp: return "slide-up";
    case TitleAnimation::Fade: return "fade";
    case TitleAnimation::Pop: return "pop";
    case TitleAnimation::None: return "none";
    }
    return "slide-up";
}

const char* to_string(Fit f)
{
    switch (f) {
    case Fit::Cover: return "cover";
    case Fit::Contain: return "contain";
    case Fit::Stretch: return "stretch";
    }
    return "cover";
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
