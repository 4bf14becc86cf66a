// SHA-256 through OpenSSL's EVP interface (libcrypto is everywhere we build, and well kept).

#include "core/sha256.h"

#include <openssl/evp.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <vector>

namespace sw::core {

namespace {

class Sha256 {
public:
    Sha256() : m_ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free) { EVP_DigestInit_ex(m_ctx.get(), EVP_sha256(), nullptr); }
    void update(const void* data, size_t len) { EVP_DigestUpdate(m_ctx.get(), data, len); }
    std::string hex_digest()
    {
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned int n = 0;
        EVP_DigestFinal_ex(m_ctx.get(), md, &n);
        std::string hex;
        char b[3];
        for (unsigned int i = 0; i < n; ++i) {
            std::snprintf(b, sizeof b, "%02x", md[i]);
            hex += b;
        }
        return hex;
    }

private:
    std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> m_ctx;
};

}  // namespace

std::string sha256_hex(std::string_view data)
{
    Sha256 h;
    h.update(data.data(), data.size());
    return h.hex_digest();
}

Result<std::string> sha256_file(const std::filesystem::path& file)
{
    std::ifstream in(file, std::ios::binary);
    if (!in)
        return make_error(ErrorCategory::Input, "cannot read " + file.string(), std::strerror(errno));
    Sha256 h;
    std::vector<char> buf(1 << 16);
    while (in) {
        in.read(buf.data(), (std::streamsize)buf.size());
        if (in.gcount() > 0)
            h.update(buf.data(), size_t(in.gcount()));
    }
    if (in.bad())
        return make_error(ErrorCategory::Input, "cannot read " + file.string(), std::strerror(errno));
    return h.hex_digest();
}

}  // namespace sw::core
