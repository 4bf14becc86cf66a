#pragma once
// The segment cache: encoded pieces of rendered videos (shot bodies, transitions) on disk, keyed
// by a hash of everything that decides their pixels, so a re-render encodes only what changed
// and a batch encodes a shot shared by many rows once.
//
// Layout of the cache folder:
//   <key>.mp4    the segment (H.264 only, as written by media::Mp4Writer with segment = true)
//   <key>.json   {"format":1, "size":bytes, "sha256":"...", "created":unix-s, "label":"...",
//                 "material":"..."}: the mp4's checksum and what the key was made from (for
//                 people debugging a miss); written after the mp4 is in place, by rename
//   tmp/         segments being written (renamed into place when complete; stale ones, older
//                than an hour, are removed by evict())
//   files/       memo of file digests (see file_digest)
//   .lock        flock(2): an open SegmentCache holds it shared for its whole life (a render uses
//                its entries until the join); evict() converts it to exclusive without waiting,
//                and skips eviction when another process holds it too, then goes back to shared
// An entry's last use is its mp4's mtime (set by lookup() and store()): eviction removes the
// least recently used entries first until the folder is under its size limit.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "core/error.h"

namespace sw::render {

namespace fs = std::filesystem;

// Bump when the layout or the meaning of an entry changes: older entries stop matching.
inline constexpr int kSegmentCacheFormat = 1;

// $SHOTWEAVE_SEGMENT_CACHE_DIR, else $XDG_CACHE_HOME/shotweave/segments, else
// ~/.cache/shotweave/segments.
fs::path default_segment_cache_dir();

// The size limit: $SHOTWEAVE_CACHE_LIMIT when set and valid (parse_size), else 4 GiB.
uint64_t default_segment_cache_limit();

// "500M", "4G", "2GiB", "1.5g", "800MB", "1048576" (bytes) → bytes. Units K/M/G/T are powers of
// 1024, with or without "B"/"iB", any case. nullopt for anything else, zero or negative.
std::optional<uint64_t> parse_size(const std::string& text);

struct CacheStats {
    int hits = 0;        // lookups answered
    int misses = 0;      // lookups with no entry
    int damaged = 0;     // entries whose mp4 did not match its json (removed; counted as misses too)
    int stored = 0;
    int evicted = 0;
    uint64_t evicted_bytes = 0;
};

class SegmentCache {
public:
    // Creates the folder (and tmp/, files/) if missing. Io error naming the folder when it
    // cannot be created or written, with how to fix it (--cache-dir, SHOTWEAVE_SEGMENT_CACHE_DIR).
    static core::Result<SegmentCache> open(fs::path dir, uint64_t limit_bytes);

    SegmentCache(SegmentCache&&) noexcept;
    SegmentCache& operator=(SegmentCache&&) noexcept;
    ~SegmentCache();

    const fs::path& dir() const;
    uint64_t limit() const;

    // The entry's mp4 after checking its size and SHA-256 against its json; its last use is set
    // to now. nullopt when absent; a damaged entry (missing or unreadable json, size or checksum
    // mismatch, truncated) is removed and also gives nullopt. Thread-safe.
    std::optional<fs::path> lookup(const std::string& key);

    // A fresh path under tmp/ for a segment about to be written for `key` (unique per process
    // and call: "tmp/<key>.<pid>.<n>.mp4"). The caller writes it, then store()s it.
    fs::path temp_path(const std::string& key);

    // Moves `written` (a file under tmp/) into place as <key>.mp4 (rename), computes its size and
    // SHA-256 and writes <key>.json (temporary + rename). `label` says which shot it shows and
    // `material` is the key's material, both kept in the json for people. Returns the entry's
    // mp4. When the entry already exists (another worker stored it first) the new file is
    // removed and the existing one returned. Thread-safe.
    core::Result<fs::path> store(const std::string& key, const fs::path& written, const std::string& label,
                                 const std::string& material);

    // Removes an entry; no error when absent.
    void remove(const std::string& key);

    // Total bytes of entries (mp4 + json).
    uint64_t size_bytes() const;

    // If no other process holds the lock: removes stale tmp/ files (older than an hour),
    // orphaned json/mp4 halves, and least-recently-used entries until size_bytes() <= limit().
    // Entries used (looked up or stored) by this SegmentCache object are kept even when over the
    // limit — they are the ones the current render needs. Returns the number of entries removed.
    int evict();

    // SHA-256 (hex) of a file's contents, remembered under files/ by (absolute path, size,
    // mtime in ns, inode) so an unchanged file is read once across renders. Input error naming
    // the file when it cannot be read. Thread-safe.
    core::Result<std::string> file_digest(const fs::path& file);

    CacheStats stats() const;

private:
    struct Impl;
    explicit SegmentCache(std::unique_ptr<Impl>);
    std::unique_ptr<Impl> m_impl;
};

}  // namespace sw::render
