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
    // Past this many items only the counts grow: a hostile or broken file (a million stray words)
    // must not print a million lines. omitted_note() says how many were left out.
    static constexpr size_t kMaxItems = 500;

    void error(SourceLoc where, std::string message, std::string hint = {});
    void warning(SourceLoc where, std::string message, std::string hint = {});
    void add(Diagnostic d);

    bool has_errors() const;
    size_t error_count() const;
    size_t warning_count() const;
    const std::vector<Diagnostic>& items() const { return m_items; }
    // All items, one per line, in the order they were found (and omitted_note()).
    std::string to_string() const;
    // "… and N more problems not shown\n" when items were left out, else empty.
    std::string omitted_note() const;
    // An Error (category Script) summarising the first error and the count of the rest.
    Error to_error(ErrorCategory category = ErrorCategory::Script) const;

private:
    std::vector<Diagnostic> m_items;
    size_t m_errors = 0, m_warnings = 0;  // all found, shown or not
};

}  // namespace sw::core
