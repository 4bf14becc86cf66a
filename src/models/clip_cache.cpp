// The clip cache: entries keyed and checked by SHA-256 (core/sha256.h).

#include "models/clip_cache.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>

#include "core/file.h"
#include "core/sha256.h"

namespace sw::models {

using core::ErrorCategory;
using core::make_error;

namespace {

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
}  // namespace

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
    add("init_image", r.init_image.empty() ? std::string() : SW_TRY(core::sha256_file(r.init_image)));
    add("end_image", r.end_image.empty() ? std::string() : SW_TRY(core::sha256_file(r.end_image)));
    for (const auto& [key, value] : r.extra)
        add("extra." + key, value);
    add("target", std::to_string(target.width) + "x" + std::to_string(target.height) + "@" +
                      target.fps.reduced().to_string() + "#" + std::to_string(target.frames));
    return core::sha256_hex(k);
}

fs::path default_clip_cache_dir()
{
    if (const char* d = std::getenv("SHOTWEAVE_CACHE_DIR"); d && *d)
        return fs::path(d);
    return core::user_cache_dir("clips");
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
            auto actual = core::sha256_file(mp4);
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
    const std::string sum = SW_TRY(core::sha256_file(produced_mp4));
    const uint64_t size = fs::file_size(produced_mp4, ec);
    if (ec)
        return make_error(ErrorCategory::Io, "cannot read " + produced_mp4.string(), ec.message());

    const fs::path mp4 = clip_path(key);
    fs::path tmp = mp4;
    tmp += core::unique_temp_suffix();
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
    SW_TRY_STATUS(core::write_file_atomic(meta_path(key), j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n"));
    return mp4;
}

}  // namespace sw::models
