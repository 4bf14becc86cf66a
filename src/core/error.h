#pragma once
// Error handling for every module: Result<T> = tl::expected<T, Error>.
// No exceptions cross module boundaries; a function that can fail for reasons outside the
// program's control (user input, files, codecs) returns Result.

#include <optional>
#include <string>
#include <tl/expected.hpp>

namespace sw::core {

// Where something in a user's file is: 1-based line and column (column counts Unicode code points).
struct SourceLoc {
    std::string file;
    int line = 0;
    int col = 0;
    bool valid() const { return !file.empty(); }
    // "file:line:col" (or "file" when no line is known).
    std::string to_string() const;
};

enum class ErrorCategory {
    Script,     // the user's script is wrong (exit code 2)
    Input,      // a file the user named is missing/unreadable/corrupt (exit code 2)
    Media,      // a codec or container failed while rendering (exit code 1)
    Io,         // writing output failed (exit code 1)
    Cancelled,  // SIGINT/SIGTERM
    Internal,   // a bug
};

struct Error {
    ErrorCategory category = ErrorCategory::Internal;
    std::string message;   // what is wrong and how to fix it, for the user
    std::string detail;    // technical detail (libav error string, errno text), may be empty
    SourceLoc where;       // optional location in the user's file

    // "file:line:col: message (detail)".
    std::string to_string() const;
};

template <class T>
using Result = tl::expected<T, Error>;
using Status = Result<void>;

inline tl::unexpected<Error> make_error(ErrorCategory c, std::string message, std::string detail = {},
                                        SourceLoc where = {})
{
    return tl::unexpected<Error>(Error{c, std::move(message), std::move(detail), std::move(where)});
}

// The command line's exit codes (README): 0 done, 1 a render failed, 2 the script or an input
// is wrong; 128 + N after signal N.
constexpr int kExitOk = 0, kExitRender = 1, kExitInput = 2;
// Exit code a CLI should use for an error of this category.
int exit_code_for(ErrorCategory c);

}  // namespace sw::core

// SW_TRY(expr): evaluate a Result; on error return it from the enclosing function, otherwise
// yield the value. GNU statement expression (g++/clang).
#define SW_TRY(expr)                                                   \
    ({                                                                 \
        auto&& sw_try_result_ = (expr);                                \
        if (!sw_try_result_) [[unlikely]]                              \
            return tl::unexpected(std::move(sw_try_result_.error()));  \
        std::move(*sw_try_result_);                                    \
    })

// SW_TRY_STATUS(expr): the same for Result<void>.
#define SW_TRY_STATUS(expr)                                            \
    do {                                                               \
        auto&& sw_try_result_ = (expr);                                \
        if (!sw_try_result_) [[unlikely]]                              \
            return tl::unexpected(std::move(sw_try_result_.error()));  \
    } while (0)
