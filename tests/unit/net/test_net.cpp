// The HTTP client's own parts: redaction, sizes, and failures reported as data. Transfers
// against live servers are covered through its users (tests/unit/models, tests/unit/audio).

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/http.h"

namespace sw::net {
namespace {

TEST(Redactor, ReplacesEverySecretButTooShortOnes)
{
    Redactor r;
    r.add("sk-secret");
    r.add("ab");  // too short to be a key: left alone
    EXPECT_EQ(r("key sk-secret and sk-secret, ab"), "key *** and ***, ab");
    core::Error e{core::ErrorCategory::Media, "bad sk-secret", "detail sk-secret", {}};
    e = r(std::move(e));
    EXPECT_EQ(e.message, "bad ***");
    EXPECT_EQ(e.detail, "detail ***");
}

TEST(HumanBytes, Units)
{
    EXPECT_EQ(human_bytes(512), "512 bytes");
    EXPECT_EQ(human_bytes(1536), "1.5 KiB");
    EXPECT_EQ(human_bytes(uint64_t(3) << 20), "3.0 MiB");
    EXPECT_EQ(human_bytes(uint64_t(2) << 30), "2.0 GiB");
}

TEST(Urls, JoinedWithOneSlashAndVersionedOnce)
{
    EXPECT_EQ(net::join_url("http://h:1/", "/tts"), "http://h:1/tts");
    EXPECT_EQ(net::join_url("http://h:1", "tts"), "http://h:1/tts");
    EXPECT_EQ(net::join_url("http://h:1//", ""), "http://h:1");
    EXPECT_EQ(net::api_root("http://h:1/"), "http://h:1/v1");
    EXPECT_EQ(net::api_root("http://h:1/v1/"), "http://h:1/v1");
    EXPECT_EQ(net::api_root("https://dashscope.aliyuncs.com/compatible-mode/v1"),
              "https://dashscope.aliyuncs.com/compatible-mode/v1");
    EXPECT_EQ(net::api_root("http://h:1/video"), "http://h:1/video/v1") << "a word starting with v is no version";
    EXPECT_EQ(net::server_root("http://h:1/v1"), "http://h:1");
    EXPECT_EQ(net::server_root("http://h:1/api"), "http://h:1/api");
    EXPECT_EQ(net::form_urlencode({{"tts_text", "你好 a&b"}, {"spk_id", "中文女"}}),
              "tts_text=%E4%BD%A0%E5%A5%BD%20a%26b&spk_id=%E4%B8%AD%E6%96%87%E5%A5%B3");
}

TEST(Perform, RefusedConnectionIsUnreachable)
{
    Request rq;
    rq.url = "http://127.0.0.1:1/";  // nothing listens on port 1
    auto r = perform(rq);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, Failure::Kind::Unreachable);
    EXPECT_FALSE(r.error().detail.empty());

}

TEST(Perform, SilentServerEndsAtTheDeadline)
{
    // A socket that listens but never answers: the connection is made, no byte comes back.
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    ASSERT_EQ(::listen(fd, 4), 0);
    socklen_t len = sizeof addr;
    ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);

    Request rq;
    rq.url = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/";
    rq.deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(300);
    const auto t0 = std::chrono::steady_clock::now();
    auto r = perform(rq);
    ::close(fd);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, Failure::Kind::Deadline);
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
}

}  // namespace
}  // namespace sw::net
