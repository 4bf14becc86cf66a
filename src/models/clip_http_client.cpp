// The client shared by the HTTP clip backends, over net/http.h: requests bounded by the
// generation's deadline and cancel flag, capped bodies, the API key as a bearer token, ${ENV}
// headers, and every secret redacted from error messages.

#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "core/text_util.h"
#include "models/clip_http.h"
#include "net/http.h"

namespace sw::models {

namespace {

std::atomic<uint64_t> g_max_download_bytes{uint64_t(2) << 30};  // 2 GiB

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
        m_redact.add(m_api_key);
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
                    m_redact.add(v);
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
    return net::join_url(m_config.base_url, path);
}

std::string Client::redact(std::string s) const { return m_redact(std::move(s)); }

core::Error Client::redact(core::Error e) const { return m_redact(std::move(e)); }

core::Error Client::failure(core::ErrorCategory category, const std::string& what, const std::string& detail) const
{
    std::string label = m_config.name.empty() ? m_config.kind : m_config.name + " (" + m_config.kind + ")";
    return redact(core::Error{category, "generator " + label + ": " + what, detail, {}});
}

std::string Client::elapsed_text() const
{
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
    return core::format_number(std::round(s * 10) / 10);
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
    return perform(u, nullptr, nullptr, {}, nullptr, nullptr);
}

core::Result<Response> Client::post_json(const std::string& u, const std::string& json)
{
    return perform(u, &json, nullptr, {}, nullptr, nullptr);
}

core::Result<Response> Client::post_file(const std::string& u, const std::string& field, const fs::path& file,
                                         const std::vector<std::pair<std::string, std::string>>& fields)
{
    return perform(u, nullptr, &file, field, &fields, nullptr);
}

core::Status Client::download(const std::string& u, const fs::path& out)
{
    SW_TRY(perform(u, nullptr, nullptr, {}, nullptr, &out));
    return {};
}

core::Result<Response> Client::perform(const std::string& u, const std::string* body,
                                       const fs::path* upload, const std::string& upload_field,
                                       const std::vector<std::pair<std::string, std::string>>* fields,
                                       const fs::path* download_to)
{
    SW_TRY_STATUS(prepare());
    SW_TRY_STATUS(check_control());

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
    net::Request rq;
    rq.url = u;
    rq.headers.push_back("Expect:");  // no 100-continue round trip
    if (body)
        rq.headers.push_back("Content-Type: application/json");
    if (!download_to)
        rq.headers.push_back("Accept: application/json");
    if (same_host)
        rq.headers.insert(rq.headers.end(), m_headers.begin(), m_headers.end());
    rq.body = body;
    if (upload)
        rq.upload = net::Request::Upload{fields ? *fields : std::vector<std::pair<std::string, std::string>>{},
                                         upload_field, *upload};
    if (download_to)
        rq.download_to = *download_to;
    rq.max_bytes = http_max_download_bytes();
    rq.deadline = m_ctl.deadline;
    rq.cancelled = [this] { return m_ctl.cancel && m_ctl.cancel->load(); };
    rq.stall_s = 300;  // a stalled connection (no byte for 5 minutes) is dropped even without a deadline
    rq.max_redirects = 10;
    rq.accept_encoding = true;

    auto got = net::perform(rq);
    if (!got) {
        using Kind = net::Failure::Kind;
        const net::Failure& f = got.error();
        switch (f.kind) {
        case Kind::Init:
            return tl::unexpected(failure(core::ErrorCategory::Internal, "libcurl could not be initialised"));
        case Kind::UploadRead:
            return tl::unexpected(failure(core::ErrorCategory::Input, "cannot read " + upload->string() +
                                                                           " to upload it — check that the image exists"));
        case Kind::PartWrite:
            return tl::unexpected(failure(core::ErrorCategory::Io, "cannot write " + f.part.string() +
                                                                       " — check the disk and the work folder"));
        case Kind::Cancelled:
            return tl::unexpected(failure(core::ErrorCategory::Cancelled, "cancelled"));
        case Kind::TooLarge:
            return tl::unexpected(failure(core::ErrorCategory::Media,
                                          "the answer from " + u + " is larger than the " +
                                              net::human_bytes(rq.max_bytes) +
                                              " cap — check the service's output settings (size, length)"));
        case Kind::Deadline:
            return tl::unexpected(failure(core::ErrorCategory::Media,
                                          "timed out after " + elapsed_text() + " s waiting for " + u +
                                              " — the service is slow or stuck; raise timeout_s or check the service"));
        case Kind::Stalled:
            return tl::unexpected(failure(core::ErrorCategory::Media,
                                          "no data from " + u + " for 5 minutes — check the service", f.detail));
        case Kind::WriteFailed:
            return tl::unexpected(failure(core::ErrorCategory::Io, "writing " + f.part.string() +
                                                                       " failed — check the free disk space"));
        case Kind::Flush:
            return tl::unexpected(failure(core::ErrorCategory::Io, "writing " + f.part.string() + " failed"));
        case Kind::Rename:
            return tl::unexpected(failure(core::ErrorCategory::Io, "cannot rename " + f.part.string(), f.detail));
        case Kind::Closed:
            return tl::unexpected(failure(core::ErrorCategory::Media,
                                          "the connection to " + u + " closed before the answer was complete (" +
                                              net::human_bytes(f.received) +
                                              " received) — the service may have crashed; check its log",
                                          f.detail));
        case Kind::Unreachable:
            return tl::unexpected(failure(core::ErrorCategory::Media,
                                          "cannot reach " + u + " — is the service running? check base_url",
                                          f.detail));
        case Kind::Other:
            break;
        }
        return tl::unexpected(failure(core::ErrorCategory::Media,
                                      "the request to " + u + " failed — check the service and base_url", f.detail));
    }
    Response response{got->status, std::move(got->body), std::move(got->content_type)};
    if (response.status < 200 || response.status >= 300) {
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
    if (download_to && got->received == 0)
        return tl::unexpected(failure(core::ErrorCategory::Media, "the download from " + u + " is empty"));
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
            out = core::format_number(req.seconds);
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
