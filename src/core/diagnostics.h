#pragma once
// Collected diagnostics: `check` reports every problem, not only the first.

#include <string>
#include <vector>

#include "core/error.h"

namespace sw::core {

enum class Severity { Warning, Error };

struct Diagnostic {
    Severity severity = Severity::Error;
    SourceLoc where;
    std::string message;  // what is wrong
    std::string hint;     // how to fix it (may be empty); "did you mean ...?" goes here
    // "file:line:col: error: message — hint"
    std::string to_string() const;
};

class Diagnostics {
public:
    void error(SourceLoc where, std::string message, std::string hint = {});
    void warning(SourceLoc where, std::string message, std::string hint = {});
    void add(Diagnostic d) { m_items.push_back(std::move(d)); }

    bool has_errors() const;
    size_t error_count() const;
    size_t warning_count() const;
    const std::vector<Diagnostic>& items() const { return m_items; }
    // All items, one per line, in the order they were found.
    std::string to_string() const;
    // An Error (category Script) summarising the first error and the count of the rest.
    Error to_error(ErrorCategory category = ErrorCategory::Script) const;

private:
    std::vector<Diagnostic> m_items;
};

}  // namespace sw::core
