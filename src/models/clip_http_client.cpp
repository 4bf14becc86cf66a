// The libcurl client shared by the HTTP clip backends: requests bounded by the generation's
// deadline and cancel flag, capped bodies, the API key as a bearer token, ${ENV} headers, and a
// redactor so that no secret ever reaches an error message.

#include <curl/curl.h>

#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <thread>

#include "core/text_util.h"
#include "models/clip_http.h"

namespace sw::models {

namespace {

std::atomic<uint64_t> g_max_download_bytes{uint64_t(2) << 30};  // 2 GiB

struct CurlDeleter {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
    void operator()(curl_slist* s) const { curl_slist_free_all(s); }
};
struct MimeDeleter {
    void operator()(curl_mime* m) const { curl_mime_free(m); }
};
struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
};

std::string human_bytes(uint64_t n)
{
    char buf[64];
    if (n >= (uint64_t(1) << 30))
        std::snprintf(buf, sizeof buf, "%.1f GiB", double(n) / double(uint64_t(1) << 30));
    else if (n >= (uint64_t(1) << 20))
        std::snprintf(buf, sizeof buf, "%.1f MiB", double(n) / double(uint64_t(1) << 20));
    else if (n >= 1024)
        std::snprintf(buf, sizeof buf, "%.1f KiB", double(n) / 1024.0);
    else
        std::snprintf(buf, sizeof buf, "%llu bytes", static_cast<unsigned long long>(n));
    return buf;
}

std::string format_number(double v)
{
    if (std::fabs(v - std::round(v)) < 1e-9 && std::fabs(v) < 1e15)
        return std::to_string(static_cast<long long>(std::llround(v)));
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

// The state one transfer's callbacks share.
struct Transfer {
    CURL* curl = nullptr;
    const GenerateControl* ctl = nullptr;
    uint64_t cap = 0;
    uint64_t received = 0;
    bool too_large = false;
    bool cancelled = false;
    bool deadline = false;
    std::string* memory = nullptr;  // the body (or, for a download, the error body)
    std::FILE* file = nullptr;      // a download's destination while the status is 2xx
    bool write_failed = false;
};

size_t on_write(char* data, size_t size, size_t n, void* user)
{
    auto* t = static_cast<Transfer*>(user);
    size_t len = size * n;
    t->received += len;
    if (t->received > t->cap) {
        t->too_large = true;
        return 0;  // aborts the transfer with CURLE_WRITE_ERROR
    }
    if (t->file) {
        long status = 0;
        curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &status);
        if (status >= 200 && status < 300) {
            if (std::fwrite(data, 1, len, t->file) != len) {
                t->write_failed = true;
                return 0;
            }
            return len;
        }
        // An error page: keep (the start of) it for the message instead of the file.
        if (t->memory->size() < 64 * 1024)
            t->memory->append(data, len);
        return len;
    }
    t->memory->append(data, len);
    return len;
}

int on_progress(void* user, curl_off_t dltotal, curl_off_t, curl_off_t, curl_off_t)
{
    auto* t = static_cast<Transfer*>(user);
    if (t->ctl->cancel && t->ctl->cancel->load()) {
        t->cancelled = true;
        return 1;
    }
    if (t->ctl->expired()) {
        t->deadline = true;
        return 1;
    }
    // A Content-Length above the cap fails at once rather than after the bytes arrive.
    if (dltotal > 0 && uint64_t(dltotal) > t->cap) {
        t->too_large = true;
        return 1;
    }
    return 0;
}

std::string excerpt(const std::string& body)
{
    std::string s = body.substr(0, 400);
    for (char& c : s)
        if (c == '\n' || c == '\r' || c == '\t')
            c = ' ';
    if (body.size() > 400)
        s += "…";
    return s;
}

}  // namespace

uint64_t http_max_download_bytes()
{
    return g_max_download_bytes.load();
}

void set_http_max_download_bytes(uint64_t bytes)
{
    g_max_download_bytes.store(bytes);
}

namespace http {

Client::Client(const GeneratorConfig& config, const GenerateControl& ctl)
    : m_config(config), m_ctl(ctl), m_start(std::chrono::steady_clock::now())
{
    static std::once_flag curl_init;
    std::call_once(curl_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

core::Status Client::prepare()
{
    if (m_prepared)
        return {};
    m_prepared = true;
    if (!m_config.api_key_env.empty()) {
        const char* key = std::getenv(m_config.api_key_env.c_str());
        if (!key || !*key)
            return core::make_error(core::ErrorCategory::Input,
                                    "generator '" + m_config.name + "': the environment variable " +
                                        m_config.api_key_env + " holding the API key is not set — export " +
                                        m_config.api_key_env + "=<your key> before running shotweave");
        m_api_key = key;
        m_secrets.push_back(m_api_key);
    }
    bool has_auth = false;
    for (const auto& [name, value] : m_config.headers) {
        std::string expanded;
        for (size_t i = 0; i < value.size();) {
            if (value.compare(i, 2, "${") == 0) {
                size_t end = value.find('}', i + 2);
                if (end != std::string::npos) {
                    std::string var = value.substr(i + 2, end - i - 2);
                    const char* v = std::getenv(var.c_str());
                    if (!v || !*v)
                        return core::make_error(core::ErrorCategory::Input,
                                                "generator '" + m_config.name + "': header " + name + " uses ${" +
                                                    var + "}, which is not set — export " + var + " first");
                    expanded += v;
                    m_secrets.emplace_back(v);
                    i = end + 1;
                    continue;
                }
            }
            expanded += value[i++];
        }
        if (core::to_lower_ascii(name) == "authorization")
            has_auth = true;
        m_headers.push_back(name + ": " + expanded);
    }
    if (!m_api_key.empty() && !has_auth)
        m_headers.push_back("Authorization: Bearer " + m_api_key);
    return {};
}

std::string Client::url(const std::string& path) const
{
    if (path.rfind("http://", 0) == 0 || path.rfind("https://", 0) == 0)
        return path;
    std::string base = m_config.base_url;
    while (!base.empty() && base.back() == '/')
        base.pop_back();
    if (path.empty())
        return base;
    return path.front() == '/' ? base + path : base + "/" + path;
}

std::string Client::redact(std::string s) const
{
    for (const auto& secret : m_secrets) {
        if (secret.size() < 3)
            continue;  // too short to be a key; replacing it would garble the message
        for (size_t pos = s.find(secret); pos != std::string::npos; pos = s.find(secret, pos + 3))
            s.replace(pos, secret.size(), "***");
    }
    return s;
}

core::Error Client::redact(core::Error e) const
{
    e.message = redact(std::move(e.message));
    e.detail = redact(std::move(e.detail));
    return e;
}

core::Error Client::failure(core::ErrorCategory category, const std::string& what, const std::string& detail) const
{
    std::string label = m_config.name.empty() ? m_config.kind : m_config.name + " (" + m_config.kind + ")";
    return redact(core::Error{category, "generator " + label + ": " + what, detail, {}});
}

std::string Client::elapsed_text() const
{
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
    return format_number(std::round(s * 10) / 10);
}

core::Status Client::check_control() const
{
    if (m_ctl.cancel && m_ctl.cancel->load())
        return tl::unexpected(failure(core::ErrorCategory::Cancelled, "cancelled"));
    if (m_ctl.expired())
        return tl::unexpected(failure(core::ErrorCategory::Media,
                                      "timed out after " + elapsed_text() +
                                          " s — the service is slow or stuck; raise timeout_s or check the service"));
    return {};
}

core::Status Client::wait_poll()
{
    auto until = std::chrono::steady_clock::now() +
                 std::chrono::milliseconds(static_cast<int64_t>(std::max(0.0, m_config.poll_interval_s) * 1000));
    for (;;) {
        SW_TRY_STATUS(check_control());
        auto now = std::chrono::steady_clock::now();
        if (now >= until)
            return {};
        auto step = std::min<std::chrono::steady_clock::duration>(until - now, std::chrono::milliseconds(20));
        std::this_thread::sleep_for(step);
    }
}

core::Result<Response> Client::get(const std::string& u)
{
    return perform("GET", u, nullptr, nullptr, {}, nullptr, nullptr);
}

core::Result<Response> Client::post_json(const std::string& u, const std::string& json)
{
    return perform("POST", u, &json, nullptr, {}, nullptr, nullptr);
}

core::Result<Response> Client::post_file(const std::string& u, const std::string& field, const fs::path& file,
                                         const std::vector<std::pair<std::string, std::string>>& fields)
{
    return perform("POST", u, nullptr, &file, field, &fields, nullptr);
}

core::Status Client::download(const std::string& u, const fs::path& out)
{
    SW_TRY(perform("GET", u, nullptr, nullptr, {}, nullptr, &out));
    return {};
}

core::Result<Response> Client::perform(const std::string& method, const std::string& u, const std::string* body,
                                       const fs::path* upload, const std::string& upload_field,
                                       const std::vector<std::pair<std::string, std::string>>* fields,
                                       const fs::path* download_to)
{
    SW_TRY_STATUS(prepare());
    SW_TRY_STATUS(check_control());

    std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
    if (!curl)
        return tl::unexpected(failure(core::ErrorCategory::Internal, "libcurl could not be initialised"));
    CURL* c = curl.get();

    // The key goes only to the configured service: a result link on another host (a signed CDN
    // URL) must not see it, and some reject requests that carry one.
    bool same_host = true;
    if (download_to) {
        auto host_of = [](const std::string& s) {
            size_t p = s.find("://");
            if (p == std::string::npos)
                return std::string();
            size_t start = p + 3, end = s.find_first_of("/?#", start);
            return s.substr(0, end == std::string::npos ? s.size() : end);
        };
        same_host = host_of(u) == host_of(url(""));
    }
    curl_slist* raw = nullptr;
    raw = curl_slist_append(raw, "Expect:");  // no 100-continue round trip
    if (body)
        raw = curl_slist_append(raw, "Content-Type: application/json");
    if (!download_to)
        raw = curl_slist_append(raw, "Accept: application/json");
    std::unique_ptr<curl_slist, SlistDeleter> headers(raw);
    if (same_host)
        for (const auto& h : m_headers)
            headers.reset(curl_slist_append(headers.release(), h.c_str()));

    std::unique_ptr<curl_mime, MimeDeleter> mime;
    if (upload) {
        mime.reset(curl_mime_init(c));
        if (fields)
            for (const auto& [name, value] : *fields) {
                curl_mimepart* part = curl_mime_addpart(mime.get());
                curl_mime_name(part, name.c_str());
                curl_mime_data(part, value.c_str(), CURL_ZERO_TERMINATED);
            }
        curl_mimepart* part = curl_mime_addpart(mime.get());
        curl_mime_name(part, upload_field.c_str());
        if (curl_mime_filedata(part, upload->string().c_str()) != CURLE_OK)
            return tl::unexpected(failure(core::ErrorCategory::Input, "cannot read " + upload->string() +
                                                                           " to upload it — check that the image exists"));
        curl_mime_filename(part, upload->filename().string().c_str());
        curl_easy_setopt(c, CURLOPT_MIMEPOST, mime.get());
    }

    Response response;
    Transfer t;
    t.curl = c;
    t.ctl = &m_ctl;
    t.cap = http_max_download_bytes();
    t.memory = &response.body;
    std::unique_ptr<std::FILE, FileCloser> file;
    fs::path part_path;
    if (download_to) {
        part_path = *download_to;
        part_path += ".part";
        file.reset(std::fopen(part_path.string().c_str(), "wb"));
        if (!file)
            return tl::unexpected(failure(core::ErrorCategory::Io, "cannot write " + part_path.string() +
                                                                       " — check the disk and the work folder"));
        t.file = file.get();
    }
    auto drop_part = [&] {
        if (download_to) {
            file.reset();
            std::error_code ec;
            fs::remove(part_path, ec);
        }
    };

    char errbuf[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(c, CURLOPT_URL, u.c_str());
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
    if (body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body->c_str());
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body->size()));
    } else if (method == "GET") {
        curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    }
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_write);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, &t);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
    // A stalled connection (no byte for 5 minutes) is dropped even without a deadline.
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 300L);
    if (m_ctl.deadline != std::chrono::steady_clock::time_point::max()) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(m_ctl.deadline -
                                                                          std::chrono::steady_clock::now());
        curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, long(std::max<int64_t>(1, left.count() + 1)));
    }
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, 10L);
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");  // whatever libcurl can decode
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);

    CURLcode rc = curl_easy_perform(c);
    char* ct = nullptr;
    curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct);
    if (ct)
        response.content_type = ct;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response.status);

    if (t.cancelled) {
        drop_part();
        return tl::unexpected(failure(core::ErrorCategory::Cancelled, "cancelled"));
    }
    if (t.too_large) {
        drop_part();
        return tl::unexpected(failure(core::ErrorCategory::Media,
                                      "the answer from " + u + " is larger than the " +
                                          human_bytes(t.cap) + " cap — check the service's output settings (size, length)"));
    }
    if (t.deadline || rc == CURLE_OPERATION_TIMEDOUT) {
        drop_part();
        // libcurl's timer was set to the deadline, so its timeout is the deadline (give or take a
        // millisecond); only a timeout well before it is the 5-minute stall rule.
        bool at_deadline = m_ctl.deadline != std::chrono::steady_clock::time_point::max() &&
                           std::chrono::steady_clock::now() + std::chrono::milliseconds(250) >= m_ctl.deadline;
        if (t.deadline || at_deadline)
            return tl::unexpected(failure(core::ErrorCategory::Media,
                                          "timed out after " + elapsed_text() + " s waiting for " + u +
                                              " — the service is slow or stuck; raise timeout_s or check the service"));
        return tl::unexpected(failure(core::ErrorCategory::Media,
                                      "no data from " + u + " for 5 minutes — check the service",
                                      errbuf[0] ? errbuf : curl_easy_strerror(rc)));
    }
    if (t.write_failed) {
        drop_part();
        return tl::unexpected(failure(core::ErrorCategory::Io, "writing " + part_path.string() +
                                                                   " failed — check the free disk space"));
    }
    if (rc != CURLE_OK) {
        drop_part();
        std::string detail = errbuf[0] ? errbuf : curl_easy_strerror(rc);
        std::string what;
        switch (rc) {
        case CURLE_PARTIAL_FILE:
        case CURLE_RECV_ERROR:
        case CURLE_GOT_NOTHING:
            what = "the connection to " + u + " closed before the answer was complete (" +
                   human_bytes(t.received) + " received) — the service may have crashed; check its log";
            break;
        case CURLE_COULDNT_CONNECT:
        case CURLE_COULDNT_RESOLVE_HOST:
            what = "cannot reach " + u + " — is the service running? check base_url";
            break;
        default:
            what = "the request to " + u + " failed — check the service and base_url";
        }
        return tl::unexpected(failure(core::ErrorCategory::Media, what, detail));
    }
    if (response.status < 200 || response.status >= 300) {
        drop_part();
        std::string hint = (response.status == 401 || response.status == 403)
                               ? " — check the API key" +
                                     (m_config.api_key_env.empty() ? std::string()
                                                                   : " in $" + m_config.api_key_env)
                           : response.status == 404 ? " — check base_url and the paths in the generator config"
                           : response.status == 429 ? " — rate limited; lower max_concurrency or wait"
                                                    : " — see the service's message";
        return tl::unexpected(failure(core::ErrorCategory::Media,
                                      "HTTP " + std::to_string(response.status) + " from " + u + ": " +
                                          excerpt(response.body) + hint));
    }
    if (download_to) {
        if (std::fflush(file.get()) != 0) {
            drop_part();
            return tl::unexpected(failure(core::ErrorCategory::Io, "writing " + part_path.string() + " failed"));
        }
        file.reset();
        std::error_code ec;
        fs::rename(part_path, *download_to, ec);
        if (ec) {
            drop_part();
            return tl::unexpected(failure(core::ErrorCategory::Io, "cannot rename " + part_path.string(), ec.message()));
        }
        if (t.received == 0)
            return tl::unexpected(failure(core::ErrorCategory::Media, "the download from " + u + " is empty"));
    }
    return response;
}

core::Result<nlohmann::json> Client::parse_json(const Response& r, const std::string& u) const
{
    nlohmann::json doc = nlohmann::json::parse(r.body, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded())
        return tl::unexpected(failure(core::ErrorCategory::Media,
                                      "the answer from " + u + " is not valid JSON: " +
                                          (r.body.empty() ? std::string("(empty)") : excerpt(r.body)) +
                                          " — check that base_url points at the right service"));
    return doc;
}

// ---- small helpers --------------------------------------------------------------------------

std::optional<std::string> json_at(const nlohmann::json& doc, const std::string& pointer)
{
    if (pointer.empty())
        return std::nullopt;
    // Tolerant JSON pointer: a missing or mistyped step is "absent" rather than an exception.
    const nlohmann::json* cur = &doc;
    std::string rest = pointer.front() == '/' ? pointer.substr(1) : pointer;
    for (;;) {
        size_t slash = rest.find('/');
        std::string tok = rest.substr(0, slash);
        for (size_t p = 0; (p = tok.find('~', p)) != std::string::npos; ++p)
            tok.replace(p, 2, p + 1 < tok.size() && tok[p + 1] == '1' ? "/" : "~");
        if (cur->is_object()) {
            auto it = cur->find(tok);
            if (it == cur->end())
                return std::nullopt;
            cur = &*it;
        } else if (cur->is_array()) {
            if (tok.empty() || tok.size() > 9 || tok.find_first_not_of("0123456789") != std::string::npos)
                return std::nullopt;
            size_t idx = std::stoul(tok);
            if (idx >= cur->size())
                return std::nullopt;
            cur = &(*cur)[idx];
        } else {
            return std::nullopt;
        }
        if (slash == std::string::npos)
            break;
        rest = rest.substr(slash + 1);
    }
    if (cur->is_null())
        return std::nullopt;
    if (cur->is_string())
        return cur->get<std::string>();
    return cur->dump();
}

std::string json_quote(const std::string& s)
{
    return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string url_encode(const std::string& s)
{
    static const char* hex = "0123456789ABCDEF";
    std::string o;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            o += char(c);
        } else {
            o += '%';
            o += hex[c >> 4];
            o += hex[c & 15];
        }
    }
    return o;
}

std::string base64_encode(const std::string& in)
{
    static const char* tbl = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((in.size() + 2) / 3 * 4);
    size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
        uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
        out += tbl[v >> 18];
        out += tbl[(v >> 12) & 63];
        out += tbl[(v >> 6) & 63];
        out += tbl[v & 63];
    }
    if (i + 1 == in.size()) {
        uint32_t v = uint8_t(in[i]) << 16;
        out += tbl[v >> 18];
        out += tbl[(v >> 12) & 63];
        out += "==";
    } else if (i + 2 == in.size()) {
        uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8);
        out += tbl[v >> 18];
        out += tbl[(v >> 12) & 63];
        out += tbl[(v >> 6) & 63];
        out += '=';
    }
    return out;
}

core::Result<std::string> base64_decode(const std::string& text)
{
    // Accepts a data URL ("data:video/webm;base64,...") and MIME line breaks; URL-safe letters too.
    size_t start = 0;
    if (text.rfind("data:", 0) == 0) {
        size_t comma = text.find(',');
        if (comma == std::string::npos)
            return core::make_error(core::ErrorCategory::Media, "a data URL without a comma");
        start = comma + 1;
    }
    std::string out;
    out.reserve(text.size() / 4 * 3);
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = start; i < text.size(); ++i) {
        unsigned char c = text[i];
        int v;
        if (c >= 'A' && c <= 'Z')
            v = c - 'A';
        else if (c >= 'a' && c <= 'z')
            v = c - 'a' + 26;
        else if (c >= '0' && c <= '9')
            v = c - '0' + 52;
        else if (c == '+' || c == '-')
            v = 62;
        else if (c == '/' || c == '_')
            v = 63;
        else if (c == '=' || c == '\n' || c == '\r' || c == ' ' || c == '\t')
            continue;
        else
            return core::make_error(core::ErrorCategory::Media,
                                    "invalid base64 (byte " + std::to_string(i) + " is not a base64 letter)");
        acc = (acc << 6) | uint32_t(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += char((acc >> bits) & 0xff);
        }
    }
    return out;
}

std::string sniff_container(const std::string& h)
{
    if (h.size() >= 12 && h.compare(0, 4, "RIFF") == 0) {
        if (h.compare(8, 4, "AVI ") == 0)
            return "avi";
        if (h.compare(8, 4, "WEBP") == 0)
            return "webp";
    }
    if (h.size() >= 4 && h.compare(0, 4, "\x1a\x45\xdf\xa3") == 0)
        return "webm";  // Matroska too; libav reads either whatever the extension
    if (h.size() >= 8 && h.compare(4, 4, "ftyp") == 0)
        return "mp4";
    if (h.size() >= 8 && h.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0)
        return "png";
    if (h.size() >= 6 && (h.compare(0, 6, "GIF87a") == 0 || h.compare(0, 6, "GIF89a") == 0))
        return "gif";
    return {};
}

core::Result<fs::path> name_by_content(const Client& client, const fs::path& file, const fs::path& work_dir,
                                       const std::string& fallback_ext)
{
    std::string head(16, '\0');
    {
        std::ifstream in(file, std::ios::binary);
        in.read(head.data(), std::streamsize(head.size()));
        head.resize(size_t(std::max<std::streamsize>(0, in.gcount())));
    }
    std::string ext = sniff_container(head);
    if (ext.empty())
        ext = fallback_ext;
    if (ext.empty()) {
        std::string hex;
        for (unsigned char c : head.substr(0, 8)) {
            char b[4];
            std::snprintf(b, sizeof b, "%02x", c);
            hex += b;
        }
        return tl::unexpected(client.failure(core::ErrorCategory::Media,
                                             "the service returned something that is not a video shotweave reads "
                                             "(first bytes " + hex + ") — make the model save MP4, WebM, AVI, "
                                             "animated WebP or PNG"));
    }
    fs::path out = work_dir / ("out." + ext);
    if (out != file) {
        std::error_code ec;
        fs::rename(file, out, ec);
        if (ec)
            return tl::unexpected(client.failure(core::ErrorCategory::Io, "cannot rename " + file.string(), ec.message()));
    }
    return out;
}

std::map<std::string, std::string> merged_extra(const ClipRequest& req, const GeneratorConfig& config)
{
    std::map<std::string, std::string> m = config.extra;
    for (const auto& [k, v] : req.extra)
        m[k] = v;
    return m;
}

nlohmann::json typed_value(const std::string& s)
{
    if (s == "true")
        return true;
    if (s == "false")
        return false;
    if (!s.empty() && s.size() < 20) {
        char* end = nullptr;
        errno = 0;
        long long i = std::strtoll(s.c_str(), &end, 10);
        if (end && *end == '\0' && errno == 0)
            return i;
        double d = std::strtod(s.c_str(), &end);
        if (end && *end == '\0' && std::isfinite(d) && s.find_first_of("xXnN") == std::string::npos)
            return d;
    }
    return s;
}

std::string substitute(const std::string& text, const ClipRequest& req, const GeneratorConfig& config,
                       bool json_escape, const std::map<std::string, std::string>& more)
{
    auto value_of = [&](const std::string& name, std::string& out) -> bool {
        if (auto it = more.find(name); it != more.end()) {
            out = it->second;
            return true;
        }
        if (name == "prompt")
            out = req.prompt;
        else if (name == "negative")
            out = req.negative.empty() ? config.negative : req.negative;
        else if (name == "width")
            out = std::to_string(req.width);
        else if (name == "height")
            out = std::to_string(req.height);
        else if (name == "frames")
            out = std::to_string(req.frames);
        else if (name == "fps")
            out = std::to_string(req.fps);
        else if (name == "seconds")
            out = format_number(req.seconds);
        else if (name == "seed")
            out = std::to_string(req.seed);
        else if (name == "init_image")
            out = req.init_image.string();
        else if (name == "end_image")
            out = req.end_image.string();
        else if (name == "model")
            out = config.model;
        else if (name.rfind("extra.", 0) == 0) {
            std::string key = name.substr(6);
            if (auto it = req.extra.find(key); it != req.extra.end())
                out = it->second;
            else if (auto it2 = config.extra.find(key); it2 != config.extra.end())
                out = it2->second;
            else
                out.clear();
        } else
            return false;
        return true;
    };
    std::string o;
    o.reserve(text.size());
    for (size_t i = 0; i < text.size();) {
        if (text[i] == '{') {
            size_t end = text.find('}', i + 1);
            if (end != std::string::npos) {
                std::string name = text.substr(i + 1, end - i - 1);
                bool plain = !name.empty() && name.find_first_not_of("abcdefghijklmnopqrstuvwxyz"
                                                                     "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") ==
                                                  std::string::npos;
                std::string value;
                if (plain && value_of(name, value)) {
                    if (json_escape) {
                        std::string q = json_quote(value);
                        o += q.substr(1, q.size() - 2);
                    } else {
                        o += value;
                    }
                    i = end + 1;
                    continue;
                }
            }
        }
        o += text[i++];
    }
    return o;
}

}  // namespace http
}  // namespace sw::models
