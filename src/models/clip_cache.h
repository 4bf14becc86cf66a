#pragma once
// The clip cache: normalised generated clips on disk, keyed by everything that decides their
// content, so an unchanged shot is never generated twice (a clip costs minutes of GPU time).
//
// Entry <key>.mp4 (the normalised clip) + <key>.json (what was asked, by which backend, when,
// and the mp4's byte size and SHA-256). An entry whose mp4 does not match its json is a miss
// and is deleted. Both files are written to temporaries and renamed, json last.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"
#include "core/rational.h"
#include "models/clip_adapter.h"

namespace sw::models {

// What a produced clip is normalised to.
struct NormalizeTarget {
    int width = 1080;
    int height = 1920;
    core::Rational fps{30, 1};
    int64_t frames = 0;  // 0 = as long as the snapped clip (request frames / request fps)
};

// Bump when normalisation changes what an entry holds: older entries then stop matching.
inline constexpr int kClipCacheFormat = 1;

// The cache key (64 hex digits) for a snapped request on a backend: adapter id, model, every
// request field (first/last frame images by the SHA-256 of their bytes, not their path), the
// normalisation target and the format version. Input error when an image cannot be read.
core::Result<std::string> clip_cache_key(const std::string& adapter_id, const std::string& model,
                                         const ClipRequest& snapped, const NormalizeTarget& target);

// $SHOTWEAVE_CACHE_DIR, else $XDG_CACHE_HOME/shotweave/clips, else ~/.cache/shotweave/clips
// (SHOTWEAVE_CACHE_DIR names the clip folder itself).
fs::path default_clip_cache_dir();

// What the json beside a clip records (never secrets: only these fields).
struct ClipCacheMeta {
    std::string adapter_id;
    std::string model;
    std::string label;  // the shot it was made for, for people browsing the folder
    ClipRequest request;
    NormalizeTarget target;
    int attempts = 0;
};

class ClipCache {
public:
    explicit ClipCache(fs::path dir = default_clip_cache_dir());
    const fs::path& dir() const { return m_dir; }
    fs::path clip_path(const std::string& key) const { return m_dir / (key + ".mp4"); }
    fs::path meta_path(const std::string& key) const { return m_dir / (key + ".json"); }

    // The cached clip, after checking its size and SHA-256 against the json; nullopt when absent
    // or damaged (a damaged entry is deleted).
    std::optional<fs::path> lookup(const std::string& key) const;
    // Copies `produced_mp4` into the cache under `key` (temporary file + rename, then the json)
    // and returns the cached path. Io error naming the folder when it cannot be written.
    core::Result<fs::path> store(const std::string& key, const fs::path& produced_mp4,
                                 const ClipCacheMeta& meta) const;
    // Removes an entry (both files); no error when absent.
    void remove(const std::string& key) const;

private:
    fs::path m_dir;
};

}  // namespace sw::models
