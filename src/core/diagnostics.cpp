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
    add({Severity::Error, std::move(where), std::move(message), std::move(hint)});
}

void Diagnostics::warning(SourceLoc where, std::string message, std::string hint)
{
    add({Severity::Warning, std::move(where), std::move(message), std::move(hint)});
}

void Diagnostics::add(Diagnostic d)
{
    ++(d.severity == Severity::Error ? m_errors : m_warnings);
    if (m_items.size() < kMaxItems)
        m_items.push_back(std::move(d));
}

bool Diagnostics::has_errors() const { return m_errors > 0; }

size_t Diagnostics::error_count() const { return m_errors; }

size_t Diagnostics::warning_count() const { return m_warnings; }

std::string Diagnostics::omitted_note() const
{
    size_t left_out = m_errors + m_warnings - m_items.size();
    return left_out ? "… and " + std::to_string(left_out) + " more problem" + (left_out == 1 ? "" : "s") + " not shown\n"
                    : std::string();
}

std::string Diagnostics::to_string() const
{
    std::string s;
    for (auto& d : m_items)
        s += d.to_string() + "\n";
    return s + omitted_note();
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
