#include "core/error.h"

namespace sw::core {

std::string SourceLoc::to_string() const
{
    if (file.empty())
        return {};
    std::string s = file;
    if (line > 0) {
        s += ":" + std::to_string(line);
        if (col > 0)
            s += ":" + std::to_string(col);
    }
    return s;
}

std::string Error::to_string() const
{
    std::string s;
    if (where.valid())
        s = where.to_string() + ": ";
    s += message;
    if (!detail.empty())
        s += " (" + detail + ")";
    return s;
}

int exit_code_for(ErrorCategory c)
{
    switch (c) {
    case ErrorCategory::Script:
    case ErrorCategory::Input:
        return kExitInput;
    case ErrorCategory::Cancelled:
        return 130;
    default:
        return kExitRender;
    }
}

}  // namespace sw::core
