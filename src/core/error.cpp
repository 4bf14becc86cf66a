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

Error in_context(Error e, std::string_view context, const SourceLoc& where)
{
    if (!context.empty())
        e.message = std::string(context) + ": " + e.message;
    if (!e.where.valid())
        e.where = where;
    return e;
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
