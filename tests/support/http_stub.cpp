#include "http_stub.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <stdexcept>

namespace sw::test {

namespace {

bool send_all(int fd, const char* data, size_t len)
{
    while (len > 0) {
        ssize_t n = ::send(fd, data, len, MSG_NOSIGNAL);
        if (n <= 0)
            return false;
        data += n;
        len -= size_t(n);
    }
    return true;
}

std::string reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 404: return "Not Found";
    case 500: return "Internal Server Error";
    default: return "Status";
    }
}

std::string url_decode(const std::string& s)
{
    std::string o;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size()) {
            o += char(std::stoi(s.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else if (s[i] == '+') {
            o += ' ';
        } else {
            o += s[i];
        }
    }
    return o;
}

}  // namespace

std::string StubRequest::param(const std::string& name) const
{
    size_t start = 0;
    while (start <= query.size()) {
        size_t amp = query.find('&', start);
        std::string kv = query.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
        size_t eq = kv.find('=');
        if (url_decode(kv.substr(0, eq)) == name)
            return eq == std::string::npos ? std::string() : url_decode(kv.substr(eq + 1));
        if (amp == std::string::npos)
            break;
        start = amp + 1;
    }
    return {};
}

StubResponse StubResponse::json(std::string body, int status)
{
    StubResponse r;
    r.status = status;
    r.headers["Content-Type"] = "application/json";
    r.body = std::move(body);
    return r;
}

StubResponse StubResponse::bytes(std::string body, std::string content_type)
{
    StubResponse r;
    r.headers["Content-Type"] = std::move(content_type);
    r.body = std::move(body);
    return r;
}

HttpStub::HttpStub()
{
    m_listen = ::socket(AF_INET, SOCK_STREAM, 0);
    if (m_listen < 0)
        throw std::runtime_error("socket() failed");
    int one = 1;
    ::setsockopt(m_listen, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(m_listen, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(m_listen, 64) != 0)
        throw std::runtime_error("bind/listen on 127.0.0.1 failed");
    socklen_t len = sizeof addr;
    ::getsockname(m_listen, reinterpret_cast<sockaddr*>(&addr), &len);
    m_port = ntohs(addr.sin_port);
    m_acceptor = std::thread([this] { accept_loop(); });
}

HttpStub::~HttpStub()
{
    m_stop = true;
    m_cv.notify_all();
    ::shutdown(m_listen, SHUT_RDWR);
    ::close(m_listen);
    if (m_acceptor.joinable())
        m_acceptor.join();
    {
        std::lock_guard lock(m_mutex);
        for (int fd : m_open_fds)
            ::shutdown(fd, SHUT_RDWR);  // unblocks workers stuck in recv/send
    }
    for (auto& t : m_workers)
        if (t.joinable())
            t.join();
}

void HttpStub::on(const std::string& method, const std::string& path, StubHandler h)
{
    std::lock_guard lock(m_mutex);
    m_routes.push_back({method, path, false, std::move(h)});
}

void HttpStub::on_prefix(const std::string& method, const std::string& prefix, StubHandler h)
{
    std::lock_guard lock(m_mutex);
    m_routes.push_back({method, prefix, true, std::move(h)});
}

std::vector<StubRequest> HttpStub::requests() const
{
    std::lock_guard lock(m_mutex);
    return m_requests;
}

std::vector<StubRequest> HttpStub::requests_to(const std::string& path_prefix) const
{
    std::lock_guard lock(m_mutex);
    std::vector<StubRequest> out;
    for (const auto& r : m_requests)
        if (r.path.rfind(path_prefix, 0) == 0)
            out.push_back(r);
    return out;
}

bool HttpStub::wait_ms(int ms)
{
    std::unique_lock lock(m_mutex);
    return !m_cv.wait_for(lock, std::chrono::milliseconds(ms), [this] { return m_stop.load(); });
}

void HttpStub::accept_loop()
{
    while (!m_stop) {
        int fd = ::accept(m_listen, nullptr, nullptr);
        if (fd < 0) {
            if (m_stop)
                return;
            continue;
        }
        std::lock_guard lock(m_mutex);
        if (m_stop) {
            ::close(fd);
            return;
        }
        m_open_fds.push_back(fd);
        m_workers.emplace_back([this, fd] { serve(fd); });
    }
}

void HttpStub::serve(int fd)
{
    auto finish = [&] {
        ::shutdown(fd, SHUT_RDWR);
        std::lock_guard lock(m_mutex);
        m_open_fds.erase(std::remove(m_open_fds.begin(), m_open_fds.end(), fd), m_open_fds.end());
        ::close(fd);
    };
    std::string buf;
    char chunk[65536];
    size_t header_end;
    while ((header_end = buf.find("\r\n\r\n")) == std::string::npos) {
        ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0)
            return finish();
        buf.append(chunk, size_t(n));
    }
    StubRequest req;
    std::string head = buf.substr(0, header_end);
    size_t line_end = head.find("\r\n");
    std::string request_line = head.substr(0, line_end);
    size_t sp1 = request_line.find(' '), sp2 = request_line.rfind(' ');
    req.method = request_line.substr(0, sp1);
    std::string target = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
    size_t q = target.find('?');
    req.path = target.substr(0, q);
    if (q != std::string::npos)
        req.query = target.substr(q + 1);
    size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
    while (pos < head.size()) {
        size_t e = head.find("\r\n", pos);
        if (e == std::string::npos)
            e = head.size();
        std::string line = head.substr(pos, e - pos);
        size_t colon = line.find(':');
        if (colon != std::string::npos) {
            std::string name = line.substr(0, colon);
            std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return char(std::tolower(c)); });
            std::string value = line.substr(colon + 1);
            value.erase(0, value.find_first_not_of(' '));
            req.headers[name] = value;
        }
        pos = e + 2;
    }
    size_t content_length = 0;
    if (auto cl = req.header("content-length"); !cl.empty())
        content_length = std::stoul(cl);
    if (req.header("expect") == "100-continue") {
        const char* cont = "HTTP/1.1 100 Continue\r\n\r\n";
        send_all(fd, cont, std::string(cont).size());
    }
    req.body = buf.substr(header_end + 4);
    while (req.body.size() < content_length) {
        ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0)
            return finish();
        req.body.append(chunk, size_t(n));
    }

    StubHandler handler;
    {
        std::lock_guard lock(m_mutex);
        m_requests.push_back(req);
        for (const auto& r : m_routes)
            if (r.method == req.method && (r.prefix ? req.path.rfind(r.path, 0) == 0 : req.path == r.path)) {
                handler = r.handler;
                break;
            }
    }
    StubResponse resp = handler ? handler(req) : StubResponse::json("{\"error\":\"no route\"}", 404);
    if (resp.delay_ms > 0 && !wait_ms(resp.delay_ms))
        return finish();

    uint64_t length = resp.filler_bytes > 0 ? resp.filler_bytes : resp.body.size();
    std::string out = "HTTP/1.1 " + std::to_string(resp.status) + " " + reason(resp.status) + "\r\n";
    for (const auto& [k, v] : resp.headers)
        out += k + ": " + v + "\r\n";
    out += "Content-Length: " + std::to_string(length) + "\r\nConnection: close\r\n\r\n";
    if (!send_all(fd, out.data(), out.size()))
        return finish();
    if (resp.filler_bytes > 0) {
        std::string block(65536, 'x');
        uint64_t left = resp.filler_bytes;
        while (left > 0 && !m_stop) {
            size_t n = size_t(std::min<uint64_t>(left, block.size()));
            if (!send_all(fd, block.data(), n))
                break;
            left -= n;
        }
    } else {
        size_t n = resp.close_after >= 0 ? std::min(size_t(resp.close_after), resp.body.size()) : resp.body.size();
        send_all(fd, resp.body.data(), n);
    }
    finish();
}

}  // namespace sw::test
