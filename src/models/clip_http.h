#pragma once
// The HTTP clip backends (stable-diffusion.cpp's server, ComfyUI, a generic asynchronous REST
// task API) and the client they share (over net/http.h).
//
// Every backend follows the same pattern: submit a job, poll until it is done, fetch the produced
// file into the work directory. The client honours the GenerateControl deadline and cancel flag
// during every transfer and every wait, caps downloads, sends the API key (read from the
// environment variable the config names) as `Authorization: Bearer <key>` and removes the key
// (and every ${ENV}-expanded header value) from all error messages.

#include <cstdint>
#include <memory>
#include <optional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/base64.h"
#include "core/error.h"
#include "models/clip_adapter.h"
#include "net/http.h"

namespace sw::models {

// Adapter factories (called by make_clip_adapter). Input error when a required setting is missing.
core::Result<std::unique_ptr<ClipAdapter>> make_sdcpp_server_adapter(const GeneratorConfig&);
core::Result<std::unique_ptr<ClipAdapter>> make_comfyui_adapter(const GeneratorConfig&);
core::Result<std::unique_ptr<ClipAdapter>> make_rest_adapter(const GeneratorConfig&);

// The largest body the HTTP backends accept (a download or a JSON answer), 2 GiB by default.
// Process-wide; tests lower it to check the "too large" error.
uint64_t http_max_download_bytes();
void set_http_max_download_bytes(uint64_t bytes);

namespace http {

struct Response {
    long status = 0;
    std::string body;
    std::string content_type;
};

// One backend's connection settings plus the control of the generation in progress. Not shared
// between threads: each generate() call makes its own.
class Client {
public:
    Client(const GeneratorConfig& config, const GenerateControl& ctl);

    // base_url + path (path starting with '/'); an absolute path ("http://...") is kept as is.
    std::string url(const std::string& path) const;

    // Requests; the body is kept in memory (capped). A non-2xx status is an error naming the
    // status and an excerpt of the service's answer.
    core::Result<Response> get(const std::string& url);
    core::Result<Response> post_json(const std::string& url, const std::string& json);
    // multipart/form-data with one file field (plus optional plain fields).
    core::Result<Response> post_file(const std::string& url, const std::string& field, const fs::path& file,
                                     const std::vector<std::pair<std::string, std::string>>& fields = {});
    // Streams a GET into `out` (capped). The API key is sent only when the URL is on the
    // base_url's host (signed CDN links reject or must not see it).
    core::Status download(const std::string& url, const fs::path& out);

    // Waits poll_interval_s, waking early for the deadline or cancel; error when either fired.
    core::Status wait_poll();
    // Error when the deadline passed or cancel was requested (checked between steps).
    core::Status check_control() const;

    // Replaces the API key and expanded header values by "***".
    std::string redact(std::string s) const;
    core::Error redact(core::Error e) const;
    // An error "generator NAME (KIND): what", redacted.
    core::Error failure(core::ErrorCategory category, const std::string& what, const std::string& detail = {}) const;
    // Parses a JSON answer; a clear error (with an excerpt) when it is not JSON.
    core::Result<nlohmann::json> parse_json(const Response& r, const std::string& url) const;

    const GeneratorConfig& config() const { return m_config; }

private:
    // Reads the key and expands the headers (first request only): an error names the unset variable.
    core::Status prepare();
    std::string elapsed_text() const;
    // A POST when there is a body or an upload, else a GET.
    core::Result<Response> perform(const std::string& url, const std::string* body,
                                   const fs::path* upload, const std::string& upload_field,
                                   const std::vector<std::pair<std::string, std::string>>* fields,
                                   const fs::path* download_to);

    const GeneratorConfig& m_config;
    const GenerateControl& m_ctl;
    std::chrono::steady_clock::time_point m_start;
    bool m_prepared = false;
    std::string m_api_key;
    std::vector<std::string> m_headers;  // "Name: value", expanded
    net::Redactor m_redact;              // the key and expanded header values
};

// JSON string literal (quotes included) for a UTF-8 string.
std::string json_quote(const std::string& s);
// Percent-encodes a query value.
std::string url_encode(const std::string& s);
// A value in a JSON document by JSON pointer ("/data/task_id", "/output/0/url"); strings are
// returned as is, numbers and booleans as text; nullopt when absent or null.
std::optional<std::string> json_at(const nlohmann::json& doc, const std::string& pointer);
// Standard base64 (core's).
using core::base64_decode;
using core::base64_encode;
// Container of a produced file by its first bytes: "avi", "webm", "webp", "mp4", "png", "gif"
// or "" when unknown.
std::string sniff_container(const std::string& head);
// Renames a fetched result `file` to `work_dir/out.<ext>`, the extension chosen by the file's
// first bytes (sniff_container), else `fallback_ext`; Media error when neither says what it is.
core::Result<fs::path> name_by_content(const Client& client, const fs::path& file, const fs::path& work_dir,
                                       const std::string& fallback_ext = {});
// A request's extra parameters: the config's defaults overlaid by the request's own.
std::map<std::string, std::string> merged_extra(const ClipRequest& req, const GeneratorConfig& config);
// A string as a JSON value: integers, decimals and true/false become numbers/booleans.
nlohmann::json typed_value(const std::string& s);

// Replaces {prompt} {negative} {width} {height} {frames} {fps} {seconds} {seed} {init_image}
// {end_image} {model} and {extra.KEY} in `text`. With `json_escape`, values are escaped for
// use inside a JSON string literal.
std::string substitute(const std::string& text, const ClipRequest& req, const GeneratorConfig& config,
                       bool json_escape, const std::map<std::string, std::string>& more = {});

// What the three HTTP adapters share: one Client per generation, and secrets removed from any
// error that comes back. Subclasses implement run().
class Adapter : public ClipAdapter {
public:
    explicit Adapter(GeneratorConfig config) : m_config(std::move(config)) {}
    ClipCapabilities capabilities() const override { return m_config.caps; }
    core::Result<fs::path> generate(const ClipRequest& req, const fs::path& work_dir, const GenerateControl& ctl) final
    {
        Client client(m_config, ctl);
        auto r = run(client, req, work_dir, ctl);
        if (!r)
            return tl::unexpected(client.redact(std::move(r.error())));
        return r;
    }

protected:
    virtual core::Result<fs::path> run(Client& client, const ClipRequest& req, const fs::path& work_dir,
                                       const GenerateControl& ctl) = 0;
    GeneratorConfig m_config;
};

}  // namespace http
}  // namespace sw::models
