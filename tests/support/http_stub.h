#pragma once
// A tiny threaded HTTP/1.1 server on 127.0.0.1 (ephemeral port) for tests of HTTP clients (model
// adapters, TTS engines): routes by method and path (exact or prefix), records every request, and can misbehave
// on purpose — answer late, close the connection in the middle of a body, stream a huge body.
// One request per connection ("Connection: close"); request bodies need a Content-Length.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace sw::test {

struct StubRequest {
    std::string method;
    std::string path;   // without the query
    std::string query;  // after '?', undecoded
    std::map<std::string, std::string> headers;  // names lower-cased
    std::string body;
    std::string header(const std::string& lower_name) const
    {
        auto it = headers.find(lower_name);
        return it == headers.end() ? std::string() : it->second;
    }
    // A query parameter, percent-decoded ("" when absent).
    std::string param(const std::string& name) const;
};

struct StubResponse {
    int status = 200;
    std::map<std::string, std::string> headers;
    std::string body;
    int delay_ms = 0;              // wait this long before answering (interrupted when the stub stops)
    int64_t close_after = -1;      // send only this many body bytes (Content-Length says all), then close
    uint64_t filler_bytes = 0;     // when > 0: a body of this many 'x' bytes, streamed (body ignored)

    static StubResponse json(std::string body, int status = 200);
    static StubResponse bytes(std::string body, std::string content_type = "application/octet-stream");
};

using StubHandler = std::function<StubResponse(const StubRequest&)>;

class HttpStub {
public:
    HttpStub();
    ~HttpStub();
    HttpStub(const HttpStub&) = delete;
    HttpStub& operator=(const HttpStub&) = delete;

    int port() const { return m_port; }
    std::string base_url() const { return "http://127.0.0.1:" + std::to_string(m_port); }

    // Routes are tried in the order added; the first whose method and path match answers.
    void on(const std::string& method, const std::string& path, StubHandler h);         // exact path
    void on_prefix(const std::string& method, const std::string& prefix, StubHandler h);  // path prefix

    std::vector<StubRequest> requests() const;
    std::vector<StubRequest> requests_to(const std::string& path_prefix) const;

private:
    struct Route {
        std::string method, path;
        bool prefix = false;
        StubHandler handler;
    };
    void accept_loop();
    void serve(int fd);
    bool wait_ms(int ms);  // false when stopping

    int m_listen = -1;
    int m_port = 0;
    std::atomic<bool> m_stop{false};
    std::thread m_acceptor;
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    std::vector<Route> m_routes;
    std::vector<StubRequest> m_requests;
    std::vector<std::thread> m_workers;
    std::vector<int> m_open_fds;
};

}  // namespace sw::test
