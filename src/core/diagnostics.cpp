#include "core/diagnostics.h"

namespace sw::core {

std::string Diagnostic::to_string() const
{
    std::string s;
    if (where.valid())
        s = where.to_string() + ": ";
    s += severity == Severity::Error ? "error: " : "warning: ";
    s += message;
    if (!hint.empty())
        s += " — " + hint;
    return s;
}

void Diagnostics::error(SourceLoc where, std::string message, std::string hint)
{
    m_items.push_back({Severity::Error, std::move(where), std::move(message), std::move(hint)});
}

void Diagnostics::warning(SourceLoc where, std::string message, std::string hint)
{
    m_items.push_back({Severity::Warning, std::move(where), std::move(message), std::move(hint)});
}

bool Diagnostics::has_errors() const { return error_count() > 0; }

size_t Diagnostics::error_count() const
{
    size_t n = 0;
    for (auto& d : m_items)
        n += d.severity == Severity::Error;
    return n;
}

size_t Diagnostics::warning_count() const { return m_items.size() - error_count(); }

std::string Diagnostics::to_string() const
{
    std::string s;
    for (auto& d : m_items)
        s += d.to_string() + "\n";
    return s;
}

Error Diagnostics::to_error(ErrorCategory category) const
{
    for (auto& d : m_items) {
        if (d.severity != Severity::Error)
            continue;
        Error e{category, d.message + (d.hint.empty() ? "" : " — " + d.hint), {}, d.where};
        size_t n = error_count();
        if (n > 1)
            e.detail = "and " + std::to_string(n - 1) + " more error(s); run `shotweave check` to see all";
        return e;
    }
    return Error{category, "no errors", {}, {}};
}

}  // namespace sw::core
