#pragma once
// The one HTTP client (libcurl) behind the HTTP TTS engine and the HTTP clip backends: a request
// bounded by a deadline and a cancel check, a capped body (kept in memory or streamed to a file),
// and a redactor so that no secret reaches an error message. It reports what went wrong as data;
// each caller words its own messages.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"

namespace sw::net {

struct Request {
    std::string url;
    std::vector<std::string> headers;  // "Name: value"
    const std::string* body = nullptr;  // POST with this body, sent as is; nullptr: GET
    // POST multipart/form-data instead: plain fields, then one file field.
    struct Upload {
        std::vector<std::pair<std::string, std::string>> fields;
        std::string file_field;
        std::filesystem::path file;
    };
    std::optional<Upload> upload;
    // Streams a 2xx body into this file (through "<file>.part", renamed when complete); any other
    // status keeps (the start of) the body in memory for the caller's message.
    std::filesystem::path download_to;
    uint64_t max_bytes = UINT64_MAX;  // larger bodies (or announced lengths) fail as TooLarge
    std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
    std::function<bool()> cancelled;  // polled during the transfer
    long connect_timeout_s = 30;
    long stall_s = 0;             // no byte for this long fails as Stalled; 0: no such rule
    long max_redirects = -1;      // -1: libcurl's default
    bool accept_encoding = false;  // ask for (and decode) whatever compression libcurl supports
};

struct Response {
    long status = 0;
    std::string body;  // for a download: empty, or the error page of a non-2xx answer
    std::string content_type;
    uint64_t received = 0;  // body bytes received
};

// Why a request got no complete answer.
struct Failure {
    enum class Kind {
        Init,         // libcurl could not be initialised
        UploadRead,   // the file to upload cannot be read
        PartWrite,    // the ".part" file cannot be created
        Cancelled,    // Request::cancelled said so
        TooLarge,     // body above max_bytes
        Deadline,     // the deadline passed
        Stalled,      // no data for stall_s
        WriteFailed,  // writing the ".part" file failed
        Flush,        // flushing the complete ".part" file failed
        Closed,       // the connection closed before the answer was complete
        Unreachable,  // cannot connect or resolve the host
        Other,        // any other transfer error
        Rename,       // the complete ".part" file could not be renamed
    };
    Kind kind = Kind::Other;
    std::string detail;  // libcurl's (or the file system's) words
    uint64_t received = 0;
    std::filesystem::path part;  // the ".part" file, for PartWrite / WriteFailed / Flush / Rename
};

tl::expected<Response, Failure> perform(const Request& request);

// Removes secrets (API keys, expanded header values) from text before it is shown.
class Redactor {
public:
    void add(std::string secret);
    // Replaces every secret of 3 or more characters by "***".
    std::string operator()(std::string s) const;
    core::Error operator()(core::Error e) const;

private:
    std::vector<std::string> m_secrets;
};

// "12.3 MiB", "512 bytes".
std::string human_bytes(uint64_t n);

// `base` + `path` with exactly one slash between (trailing slashes of `base` dropped; an empty
// path gives the base).
std::string join_url(std::string base, const std::string& path);
// An OpenAI-compatible API's versioned root: `base` when it already ends in a version segment
// ("/v1", DashScope's "/compatible-mode/v1", a gateway's "/v3"), else base + "/v1".
std::string api_root(std::string base);
// The server's root: `base` without a trailing version segment.
std::string server_root(std::string base);
// An x-www-form-urlencoded body from name/value pairs (UTF-8 percent-encoded).
std::string form_urlencode(const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace sw::net
