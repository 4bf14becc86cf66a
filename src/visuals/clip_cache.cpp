// ClipCache and the SHA-256 it keys and checks entries with (FIPS 180-4; a small local
// implementation: no crypto library is linked, and cache keys must be collision-free in practice
// over many thousands of clips, which a 64/128-bit FNV does not promise as clearly).

#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "visuals/clip_cache.h"

namespace sw::visuals {

using core::ErrorCategory;
using core::make_error;

namespace {

class Sha256 {
public:
    void update(const void* data, size_t len)
    {
        auto p = static_cast<const uint8_t*>(data);
        m_total += len;
        while (len > 0) {
            size_t n = std::min(len, size_t(64) - m_fill);
            std::memcpy(m_block + m_fill, p, n);
            m_fill += n;
            p += n;
            len -= n;
            if (m_fill == 64) {
                compress(m_block);
                m_fill = 0;
            }
        }
    }

    std::string hex_digest()
    {
        const uint64_t bits = m_total * 8;
        const uint8_t pad = 0x80;
        update(&pad, 1);
        const uint8_t zero = 0;
        while (m_fill != 56)
            update(&zero, 1);
        uint8_t len[8];
        for (int i = 0; i < 8; ++i)
            len[i] = uint8_t(bits >> (56 - 8 * i));
        update(len, 8);
        char out[65];
        for (int i = 0; i < 8; ++i)
            std::snprintf(out + 8 * i, 9, "%08x", m_h[i]);
        return std::string(out, 64);
    }

private:
    static uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

    void compress(const uint8_t* b)
    {
        static constexpr uint32_t k[64] = {
            0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
            0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
            0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
            0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
            0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
            0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
            0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
            0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};
        uint32_t w[64];
        for (int i = 0; i < 16; ++i)
            w[i] = uint32_t(b[4 * i]) << 24 | uint32_t(b[4 * i + 1]) << 16 | uint32_t(b[4 * i + 2]) << 8 | b[4 * i + 3];
        for (int i = 16; i < 64; ++i) {
            uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
            uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        uint32_t a = m_h[0], bb = m_h[1], c = m_h[2], d = m_h[3], e = m_h[4], f = m_h[5], g = m_h[6], h = m_h[7];
        for (int i = 0; i < 64; ++i) {
            uint32_t S1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
            uint32_t ch = (e & f) ^ (~e & g);
            uint32_t t1 = h + S1 + ch + k[i] + w[i];
            uint32_t S0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
            uint32_t maj = (a & bb) ^ (a & c) ^ (bb & c);
            uint32_t t2 = S0 + maj;
            h = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = bb;
            bb = a;
            a = t1 + t2;
        }
        m_h[0] += a;
        m_h[1] += bb;
        m_h[2] += c;
        m_h[3] += d;
        m_h[4] += e;
        m_h[5] += f;
        m_h[6] += g;
        m_h[7] += h;
    }

    uint32_t m_h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    uint8_t m_block[64] = {};
    size_t m_fill = 0;
    uint64_t m_total = 0;
};

std::string unique_suffix()
{
    static thread_local std::mt19937_64 rng(std::random_device{}());
    return ".tmp." + std::to_string(::getpid()) + "." + std::to_string(rng() % 1000000000);
}

std::string fmt_double(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

nlohmann::json request_json(const ClipRequest& r)
{
    nlohmann::json j;
    j["prompt"] = r.prompt;
    j["negative"] = r.negative;
    j["seconds"] = r.seconds;
    j["fps"] = r.fps;
    j["width"] = r.width;
    j["height"] = r.height;
    j["seed"] = r.seed;
    j["frames"] = r.frames;
    j["init_image"] = r.init_image.string();
    j["end_image"] = r.end_image.string();
    j["extra"] = r.extra;
    return j;
}

// Writes `bytes` to `target` through a temporary beside it.
core::Status write_atomically(const fs::path& target, const std::string& bytes)
{
    fs::path tmp = target;
    tmp += unique_suffix();
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), (std::streamsize)bytes.size());
        out.flush();
        if (!out) {
            std::error_code ec;
            fs::remove(tmp, ec);
            return make_error(ErrorCategory::Io, "cannot write " + target.string(), std::strerror(errno));
        }
    }
    std::error_code ec;
    fs::rename(tmp, target, ec);
    if (ec) {
        fs::remove(tmp, ec);
        return make_error(ErrorCategory::Io, "cannot write " + target.string(), ec.message());
    }
    return {};
}

}  // namespace

std::string sha256_hex(std::string_view data)
{
    Sha256 h;
    h.update(data.data(), data.size());
    return h.hex_digest();
}

core::Result<std::string> sha256_file(const fs::path& file)
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

core::Result<std::string> clip_cache_key(const std::string& adapter_id, const std::string& model,
                                         const ClipRequest& r, const NormalizeTarget& target)
{
    // Length-prefixed fields: no two different tuples make the same string.
    std::string k;
    auto add = [&k](std::string_view name, std::string_view value) {
        k += name;
        k += '=';
        k += std::to_string(value.size());
        k += ':';
        k += value;
        k += '\n';
    };
    add("format", std::to_string(kClipCacheFormat));
    add("adapter", adapter_id);
    add("model", model);
    add("prompt", r.prompt);
    add("negative", r.negative);
    add("seconds", fmt_double(r.seconds));
    add("fps", std::to_string(r.fps));
    add("width", std::to_string(r.width));
    add("height", std::to_string(r.height));
    add("seed", std::to_string(r.seed));
    add("frames", std::to_string(r.frames));
    add("init_image", r.init_image.empty() ? std::string() : SW_TRY(sha256_file(r.init_image)));
    add("end_image", r.end_image.empty() ? std::string() : SW_TRY(sha256_file(r.end_image)));
    for (const auto& [key, value] : r.extra)
        add("extra." + key, value);
    add("target", std::to_string(target.width) + "x" + std::to_string(target.height) + "@" +
                      target.fps.reduced().to_string() + "#" + std::to_string(target.frames));
    return sha256_hex(k);
}

fs::path default_clip_cache_dir()
{
    if (const char* d = std::getenv("SHOTWEAVE_CACHE_DIR"); d && *d)
        return fs::path(d);
    if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x)
        return fs::path(x) / "shotweave" / "clips";
    if (const char* h = std::getenv("HOME"); h && *h)
        return fs::path(h) / ".cache" / "shotweave" / "clips";
    return fs::temp_directory_path() / "shotweave-clip-cache";
}

ClipCache::ClipCache(fs::path dir) : m_dir(dir.empty() ? default_clip_cache_dir() : std::move(dir)) {}

void ClipCache::remove(const std::string& key) const
{
    std::error_code ec;
    fs::remove(meta_path(key), ec);  // json first: a clip without json is never trusted
    fs::remove(clip_path(key), ec);
}

std::optional<fs::path> ClipCache::lookup(const std::string& key) const
{
    const fs::path mp4 = clip_path(key), meta = meta_path(key);
    std::error_code ec;
    if (!fs::is_regular_file(meta, ec))
        return std::nullopt;
    bool ok = false;
    try {
        std::ifstream in(meta, std::ios::binary);
        nlohmann::json j = nlohmann::json::parse(in);
        const uint64_t size = j.at("bytes").get<uint64_t>();
        const std::string sum = j.at("sha256").get<std::string>();
        ok = j.value("format", 0) == kClipCacheFormat && fs::is_regular_file(mp4, ec) &&
             fs::file_size(mp4, ec) == size && !ec;
        if (ok) {
            auto actual = sha256_file(mp4);
            ok = actual && *actual == sum;
        }
    } catch (const std::exception&) {
        ok = false;
    }
    if (!ok) {
        remove(key);
        return std::nullopt;
    }
    return mp4;
}

core::Result<fs::path> ClipCache::store(const std::string& key, const fs::path& produced_mp4,
                                        const ClipCacheMeta& m) const
{
    std::error_code ec;
    fs::create_directories(m_dir, ec);
    if (ec)
        return make_error(ErrorCategory::Io, "cannot create the clip cache folder " + m_dir.string() +
                                                 " — set SHOTWEAVE_CACHE_DIR to a writable folder",
                          ec.message());
    const std::string sum = SW_TRY(sha256_file(produced_mp4));
    const uint64_t size = fs::file_size(produced_mp4, ec);
    if (ec)
        return make_error(ErrorCategory::Io, "cannot read " + produced_mp4.string(), ec.message());

    const fs::path mp4 = clip_path(key);
    fs::path tmp = mp4;
    tmp += unique_suffix();
    fs::copy_file(produced_mp4, tmp, fs::copy_options::overwrite_existing, ec);
    if (ec) {
        fs::remove(tmp, ec);
        return make_error(ErrorCategory::Io, "cannot write to the clip cache folder " + m_dir.string() +
                                                 " — check that it is writable and has free space",
                          ec.message());
    }
    // json removed first, then the clip replaced, then the new json: a reader never sees a json
    // pointing at the wrong clip (and a clip without json is a miss).
    fs::remove(meta_path(key), ec);
    fs::rename(tmp, mp4, ec);
    if (ec) {
        std::error_code ec2;
        fs::remove(tmp, ec2);
        return make_error(ErrorCategory::Io, "cannot write " + mp4.string(), ec.message());
    }

    nlohmann::json j;
    j["format"] = kClipCacheFormat;
    j["adapter"] = m.adapter_id;
    j["model"] = m.model;
    j["label"] = m.label;
    j["request"] = request_json(m.request);
    j["target"] = {{"width", m.target.width},
                   {"height", m.target.height},
                   {"fps", m.target.fps.reduced().to_string()},
                   {"frames", m.target.frames}};
    j["attempts"] = m.attempts;
    {
        std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
        std::tm tm{};
        ::gmtime_r(&now, &tm);
        char buf[32];
        std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
        j["created"] = buf;
    }
    j["bytes"] = size;
    j["sha256"] = sum;
    SW_TRY_STATUS(write_atomically(meta_path(key), j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n"));
    return mp4;
}

}  // namespace sw::visuals
