#include "net/http.h"

#include <curl/curl.h>

#include <cctype>
#include <cstdio>
#include <memory>
#include <mutex>

namespace sw::net {

namespace {

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

// The state one transfer's callbacks share.
struct Transfer {
    CURL* curl = nullptr;
    const Request* request = nullptr;
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
    if (t->received > t->request->max_bytes) {
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
    if (t->request->cancelled && t->request->cancelled()) {
        t->cancelled = true;
        return 1;
    }
    if (std::chrono::steady_clock::now() >= t->request->deadline) {
        t->deadline = true;
        return 1;
    }
    // A Content-Length above the cap fails at once rather than after the bytes arrive.
    if (dltotal > 0 && uint64_t(dltotal) > t->request->max_bytes) {
        t->too_large = true;
        return 1;
    }
    return 0;
}

}  // namespace

tl::expected<Response, Failure> perform(const Request& rq)
{
    static std::once_flag curl_init;
    std::call_once(curl_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    using Kind = Failure::Kind;
    auto fail = [](Kind k, std::string detail = {}, uint64_t received = 0, std::filesystem::path part = {}) {
        return tl::unexpected(Failure{k, std::move(detail), received, std::move(part)});
    };

    std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
    if (!curl)
        return fail(Kind::Init);
    CURL* c = curl.get();

    curl_slist* raw = nullptr;
    for (const auto& h : rq.headers)
        raw = curl_slist_append(raw, h.c_str());
    std::unique_ptr<curl_slist, SlistDeleter> headers(raw);

    std::unique_ptr<curl_mime, MimeDeleter> mime;
    if (rq.upload) {
        mime.reset(curl_mime_init(c));
        for (const auto& [name, value] : rq.upload->fields) {
            curl_mimepart* part = curl_mime_addpart(mime.get());
            curl_mime_name(part, name.c_str());
            curl_mime_data(part, value.c_str(), CURL_ZERO_TERMINATED);
        }
        curl_mimepart* part = curl_mime_addpart(mime.get());
        curl_mime_name(part, rq.upload->file_field.c_str());
        if (curl_mime_filedata(part, rq.upload->file.string().c_str()) != CURLE_OK)
            return fail(Kind::UploadRead);
        curl_mime_filename(part, rq.upload->file.filename().string().c_str());
        curl_easy_setopt(c, CURLOPT_MIMEPOST, mime.get());
    }

    Response response;
    Transfer t;
    t.curl = c;
    t.request = &rq;
    t.memory = &response.body;
    std::unique_ptr<std::FILE, FileCloser> file;
    const bool download = !rq.download_to.empty();
    std::filesystem::path part_path;
    if (download) {
        part_path = rq.download_to;
        part_path += ".part";
        file.reset(std::fopen(part_path.string().c_str(), "wb"));
        if (!file)
            return fail(Kind::PartWrite, {}, 0, part_path);
        t.file = file.get();
    }
    auto drop_part = [&] {
        if (download) {
            file.reset();
            std::error_code ec;
            std::filesystem::remove(part_path, ec);
        }
    };

    char errbuf[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(c, CURLOPT_URL, rq.url.c_str());
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
    if (rq.body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, rq.body->c_str());
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(rq.body->size()));
    } else if (!rq.upload) {
        curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    }
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_write);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, &t);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, rq.connect_timeout_s);
    if (rq.stall_s > 0) {
        curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
        curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, rq.stall_s);
    }
    if (rq.deadline != std::chrono::steady_clock::time_point::max()) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(rq.deadline - std::chrono::steady_clock::now());
        curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, long(std::max<int64_t>(1, left.count() + 1)));
    }
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    if (rq.max_redirects >= 0)
        curl_easy_setopt(c, CURLOPT_MAXREDIRS, rq.max_redirects);
    if (rq.accept_encoding)
        curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");  // whatever libcurl can decode
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);

    const CURLcode rc = curl_easy_perform(c);
    char* ct = nullptr;
    curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct);
    if (ct)
        response.content_type = ct;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response.status);
    response.received = t.received;
    const std::string curl_says = errbuf[0] ? errbuf : curl_easy_strerror(rc);

    if (t.cancelled) {
        drop_part();
        return fail(Kind::Cancelled);
    }
    if (t.too_large) {
        drop_part();
        return fail(Kind::TooLarge, {}, t.received);
    }
    if (t.deadline || rc == CURLE_OPERATION_TIMEDOUT) {
        drop_part();
        // libcurl's timer was set to the deadline, so its timeout is the deadline (give or take a
        // millisecond); only a timeout well before it is the stall rule.
        const bool at_deadline = rq.deadline != std::chrono::steady_clock::time_point::max() &&
                                 std::chrono::steady_clock::now() + std::chrono::milliseconds(250) >= rq.deadline;
        return fail(t.deadline || at_deadline ? Kind::Deadline : Kind::Stalled, curl_says, t.received);
    }
    if (t.write_failed) {
        drop_part();
        return fail(Kind::WriteFailed, {}, t.received, part_path);
    }
    if (rc != CURLE_OK) {
        drop_part();
        Kind k = Kind::Other;
        if (rc == CURLE_PARTIAL_FILE || rc == CURLE_RECV_ERROR || rc == CURLE_GOT_NOTHING)
            k = Kind::Closed;
        else if (rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST)
            k = Kind::Unreachable;
        return fail(k, curl_says, t.received);
    }
    if (response.status < 200 || response.status >= 300) {
        drop_part();
        return response;
    }
    if (download) {
        if (std::fflush(file.get()) != 0) {
            drop_part();
            return fail(Kind::Flush, {}, t.received, part_path);
        }
        file.reset();
        std::error_code ec;
        std::filesystem::rename(part_path, rq.download_to, ec);
        if (ec) {
            drop_part();
            return fail(Kind::Rename, ec.message(), t.received, part_path);
        }
    }
    return response;
}

void Redactor::add(std::string secret) { m_secrets.push_back(std::move(secret)); }

std::string Redactor::operator()(std::string s) const
{
    for (const auto& secret : m_secrets) {
        if (secret.size() < 3)
            continue;  // too short to be a key; replacing it would garble the message
        for (size_t pos = s.find(secret); pos != std::string::npos; pos = s.find(secret, pos + 3))
            s.replace(pos, secret.size(), "***");
    }
    return s;
}

core::Error Redactor::operator()(core::Error e) const
{
    e.message = (*this)(std::move(e.message));
    e.detail = (*this)(std::move(e.detail));
    return e;
}

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

std::string join_url(std::string base, const std::string& path)
{
    while (!base.empty() && base.back() == '/')
        base.pop_back();
    return base + (path.empty() || path[0] == '/' ? "" : "/") + path;
}

namespace {

// Where a trailing "/vN" starts in `base` (no trailing slash), or npos.
size_t version_segment(const std::string& base)
{
    const size_t slash = base.rfind('/');
    if (slash == std::string::npos || base.size() - slash < 3 || base[slash + 1] != 'v')
        return std::string::npos;
    for (size_t i = slash + 2; i < base.size(); ++i)
        if (base[i] < '0' || base[i] > '9')
            return std::string::npos;
    return slash;
}

}  // namespace

std::string api_root(std::string base)
{
    base = join_url(std::move(base), "");
    return version_segment(base) == std::string::npos ? base + "/v1" : base;
}

std::string server_root(std::string base)
{
    base = join_url(std::move(base), "");
    if (size_t v = version_segment(base); v != std::string::npos)
        base.resize(v);
    return base;
}

std::string form_urlencode(const std::vector<std::pair<std::string, std::string>>& fields)
{
    auto enc = [](const std::string& s) {
        static const char* hex = "0123456789ABCDEF";
        std::string out;
        for (unsigned char c : s) {
            if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
                out += char(c);
            } else {
                out += '%';
                out += hex[c >> 4];
                out += hex[c & 15];
            }
        }
        return out;
    };
    std::string body;
    for (const auto& [name, value] : fields)
        body += (body.empty() ? "" : "&") + enc(name) + "=" + enc(value);
    return body;
}

}  // namespace sw::net
