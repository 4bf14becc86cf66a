// The segment cache: checksummed entries (damage is a miss and is removed), keys that cannot
// name paths, LRU eviction under a size limit that spares what this object uses and skips when
// another process has the folder open, stale temporaries, remembered file digests, sizes.

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>
#include <vector>

#include "core/file.h"
#include "core/sha256.h"
#include "render/segment_cache.h"

using namespace sw;
using render::SegmentCache;
namespace fs = std::filesystem;

namespace {

// A fresh folder under the system's temporary directory, removed at the end of the test.
class TempFolder {
public:
    TempFolder()
    {
        static std::atomic<int> counter{0};
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        m_path = fs::temp_directory_path() / ("sw-segment-cache-" + std::to_string(::getpid()) + "-" +
                                              std::to_string(counter++) + "-" + (info ? info->name() : "test"));
        fs::remove_all(m_path);
        fs::create_directories(m_path);
    }
    ~TempFolder()
    {
        std::error_code ec;
        fs::remove_all(m_path, ec);
    }
    const fs::path& path() const { return m_path; }

private:
    fs::path m_path;
};

std::string key_for(int i) { return core::sha256_hex("segment " + std::to_string(i)); }

void write_bytes(const fs::path& p, const std::string& bytes)
{
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << bytes;
}

std::string read_bytes(const fs::path& p) { return core::read_file(p).value_or("<unreadable>"); }

// Bytes that stand in for an encoded segment (the cache never looks inside).
std::string segment_bytes(int i, size_t n = 1000)
{
    std::string s(n, '\0');
    for (size_t k = 0; k < n; ++k)
        s[k] = char((k * 31 + size_t(i) * 7) & 0xff);
    return s;
}

// Writes `bytes` where the cache says and stores it; fails the test when store() does.
fs::path put(SegmentCache& cache, const std::string& key, const std::string& bytes, const std::string& label = "shot")
{
    const fs::path tmp = cache.temp_path(key);
    write_bytes(tmp, bytes);
    auto stored = cache.store(key, tmp, label, "material of " + label);
    EXPECT_TRUE(stored) << stored.error().to_string();
    return stored ? *stored : fs::path();
}

SegmentCache open_cache(const fs::path& dir, uint64_t limit = uint64_t(1) << 30)
{
    auto cache = SegmentCache::open(dir, limit);
    if (!cache)
        throw std::runtime_error(cache.error().to_string());
    return std::move(*cache);
}

uint64_t entry_bytes(const fs::path& dir, const std::string& key)
{
    return fs::file_size(dir / (key + ".mp4")) + fs::file_size(dir / (key + ".json"));
}

std::set<std::string> names_in(const fs::path& dir)
{
    std::set<std::string> names;
    for (const auto& e : fs::directory_iterator(dir))
        names.insert(e.path().filename().string());
    return names;
}

}  // namespace

TEST(SegmentCache, StoreThenLookupGivesTheSameBytes)
{
    TempFolder tmp;
    const fs::path dir = tmp.path() / "cache";
    const std::string key = key_for(1), bytes = segment_bytes(1);
    {
        SegmentCache cache = open_cache(dir);
        EXPECT_TRUE(fs::is_directory(dir / "tmp"));
        EXPECT_TRUE(fs::is_directory(dir / "files"));
        EXPECT_TRUE(fs::exists(dir / ".lock"));

        EXPECT_FALSE(cache.lookup(key));
        const fs::path written = cache.temp_path(key);
        EXPECT_EQ(written.parent_path(), dir / "tmp");
        EXPECT_NE(written, cache.temp_path(key)) << "temporary paths are unique per call";
        write_bytes(written, bytes);
        auto stored = cache.store(key, written, "shot 3", "prompt=a cat");
        ASSERT_TRUE(stored) << stored.error().to_string();
        EXPECT_EQ(*stored, dir / (key + ".mp4"));
        EXPECT_FALSE(fs::exists(written)) << "moved into place";

        const auto meta = nlohmann::json::parse(read_bytes(dir / (key + ".json")));
        EXPECT_EQ(meta["format"], render::kSegmentCacheFormat);
        EXPECT_EQ(meta["size"], bytes.size());
        EXPECT_EQ(meta["sha256"], core::sha256_hex(bytes));
        EXPECT_EQ(meta["label"], "shot 3");
        EXPECT_EQ(meta["material"], "prompt=a cat");
        EXPECT_NEAR(meta["created"].get<double>(), double(std::time(nullptr)), 60);

        auto hit = cache.lookup(key);
        ASSERT_TRUE(hit);
        EXPECT_EQ(read_bytes(*hit), bytes);
        EXPECT_EQ(cache.size_bytes(), entry_bytes(dir, key));

        // Storing the key again keeps the entry there and drops the newcomer.
        const fs::path again = cache.temp_path(key);
        write_bytes(again, segment_bytes(99));
        auto second = cache.store(key, again, "shot 3", "prompt=a cat");
        ASSERT_TRUE(second) << second.error().to_string();
        EXPECT_EQ(*second, *stored);
        EXPECT_FALSE(fs::exists(again));
        EXPECT_EQ(read_bytes(*second), bytes);

        const auto st = cache.stats();
        EXPECT_EQ(st.hits, 1);
        EXPECT_EQ(st.misses, 1);
        EXPECT_EQ(st.stored, 1);
        EXPECT_EQ(st.damaged, 0);
    }
    // Another cache object (a later render) on the folder finds it.
    SegmentCache later = open_cache(dir);
    auto hit = later.lookup(key);
    ASSERT_TRUE(hit);
    EXPECT_EQ(read_bytes(*hit), bytes);
    EXPECT_EQ(later.stats().hits, 1);
}

TEST(SegmentCache, ADamagedEntryIsAMissAndIsRemoved)
{
    TempFolder tmp;
    const fs::path dir = tmp.path();
    SegmentCache cache = open_cache(dir);
    const std::string bytes = segment_bytes(2);
    auto files_gone = [&](const std::string& key) {
        return !fs::exists(dir / (key + ".mp4")) && !fs::exists(dir / (key + ".json"));
    };
    {
        SCOPED_TRACE("one byte flipped, same size");
        const std::string key = key_for(1);
        const fs::path mp4 = put(cache, key, bytes);
        std::string flipped = bytes;
        flipped[500] = char(flipped[500] ^ 0x01);
        write_bytes(mp4, flipped);
        ASSERT_EQ(fs::file_size(mp4), bytes.size());
        EXPECT_FALSE(cache.lookup(key));
        EXPECT_TRUE(files_gone(key));
        EXPECT_EQ(cache.stats().damaged, 1);
        EXPECT_EQ(cache.stats().misses, 1);
    }
    {
        SCOPED_TRACE("truncated");
        const std::string key = key_for(2);
        const fs::path mp4 = put(cache, key, bytes);
        fs::resize_file(mp4, bytes.size() / 2);
        EXPECT_FALSE(cache.lookup(key));
        EXPECT_TRUE(files_gone(key));
    }
    {
        SCOPED_TRACE("json deleted");
        const std::string key = key_for(3);
        put(cache, key, bytes);
        fs::remove(dir / (key + ".json"));
        EXPECT_FALSE(cache.lookup(key));
        EXPECT_TRUE(files_gone(key)) << "an mp4 without its json is removed";
    }
    {
        SCOPED_TRACE("mp4 deleted");
        const std::string key = key_for(4);
        const fs::path mp4 = put(cache, key, bytes);
        fs::remove(mp4);
        EXPECT_FALSE(cache.lookup(key));
        EXPECT_TRUE(files_gone(key));
    }
    {
        SCOPED_TRACE("json not json");
        const std::string key = key_for(5);
        put(cache, key, bytes);
        write_bytes(dir / (key + ".json"), "{\"format\": 1, \"size\": ");
        EXPECT_FALSE(cache.lookup(key));
        EXPECT_TRUE(files_gone(key));
    }
    {
        SCOPED_TRACE("another format");
        const std::string key = key_for(6);
        put(cache, key, bytes);
        auto meta = nlohmann::json::parse(read_bytes(dir / (key + ".json")));
        meta["format"] = render::kSegmentCacheFormat + 1;
        write_bytes(dir / (key + ".json"), meta.dump());
        EXPECT_FALSE(cache.lookup(key));
        EXPECT_TRUE(files_gone(key));
    }
    EXPECT_EQ(cache.stats().damaged, 6);
    EXPECT_EQ(cache.stats().hits, 0);
    EXPECT_EQ(cache.size_bytes(), 0u);
}

TEST(SegmentCache, StoreReplacesADamagedEntry)
{
    TempFolder tmp;
    SegmentCache cache = open_cache(tmp.path());
    const std::string key = key_for(1);
    const fs::path mp4 = put(cache, key, segment_bytes(1));
    write_bytes(mp4, segment_bytes(7));  // same size, other bytes
    const std::string fresh = segment_bytes(8);
    EXPECT_EQ(put(cache, key, fresh), mp4);
    auto hit = cache.lookup(key);
    ASSERT_TRUE(hit);
    EXPECT_EQ(read_bytes(*hit), fresh);
}

TEST(SegmentCache, KeysThatAreNotHexDigestsNameNoFiles)
{
    TempFolder tmp;
    const fs::path dir = tmp.path() / "cache";
    SegmentCache cache = open_cache(dir);
    // A file the bad keys would reach if they became paths.
    write_bytes(tmp.path() / "x.mp4", "not a segment");
    const auto before_dir = names_in(dir), before_parent = names_in(tmp.path());
    const std::string upper(64, 'A');
    for (const std::string& key : {std::string(), std::string("../x"), std::string(63, 'a'), std::string(65, 'a'), upper,
                                   std::string("../") + std::string(61, 'a'), std::string(63, 'a') + "/"}) {
        SCOPED_TRACE("key \"" + key + "\"");
        EXPECT_FALSE(cache.lookup(key));
        const fs::path written = cache.temp_path(key);
        EXPECT_EQ(written.parent_path(), dir / "tmp");
        write_bytes(written, "bytes");
        EXPECT_FALSE(cache.store(key, written, "l", "m"));
        fs::remove(written);
        cache.remove(key);
    }
    EXPECT_EQ(names_in(dir), before_dir);
    EXPECT_EQ(names_in(tmp.path()), before_parent);
    EXPECT_EQ(read_bytes(tmp.path() / "x.mp4"), "not a segment");
    EXPECT_TRUE(names_in(dir / "tmp").empty());
}

TEST(SegmentCache, StoreOfAMissingFileIsAnIoErrorNamingTheFolder)
{
    TempFolder tmp;
    SegmentCache cache = open_cache(tmp.path());
    auto stored = cache.store(key_for(1), tmp.path() / "tmp" / "never-written.mp4", "l", "m");
    ASSERT_FALSE(stored);
    EXPECT_EQ(stored.error().category, core::ErrorCategory::Io);
    EXPECT_NE(stored.error().message.find(tmp.path().string()), std::string::npos) << stored.error().message;
}

TEST(SegmentCache, EvictionRemovesTheLeastRecentlyUsedFirst)
{
    TempFolder tmp;
    const fs::path dir = tmp.path();
    std::vector<std::string> keys;
    for (int i = 0; i < 5; ++i)
        keys.push_back(key_for(i));
    {
        SegmentCache writer = open_cache(dir);
        for (int i = 0; i < 5; ++i)
            put(writer, keys[i], segment_bytes(i), "shot " + std::to_string(i));
    }  // closed: its entries are no longer "used", and its shared lock is gone
    // Last uses 50, 40, ... 10 minutes ago: entry 0 is the oldest.
    const auto now = fs::file_time_type::clock::now();
    for (int i = 0; i < 5; ++i)
        fs::last_write_time(dir / (keys[i] + ".mp4"), now - std::chrono::minutes(10 * (5 - i)));
    // Room for three: entry 0 (about to be used) and the two most recent.
    const uint64_t limit = entry_bytes(dir, keys[0]) + entry_bytes(dir, keys[3]) + entry_bytes(dir, keys[4]);

    SegmentCache cache = open_cache(dir, limit);
    ASSERT_GT(cache.size_bytes(), limit);
    ASSERT_TRUE(cache.lookup(keys[0]));
    EXPECT_GT(fs::last_write_time(dir / (keys[0] + ".mp4")), fs::last_write_time(dir / (keys[4] + ".mp4")))
        << "a lookup makes the entry the most recently used";

    EXPECT_EQ(cache.evict(), 2);
    for (int i : {0, 3, 4})
        EXPECT_TRUE(fs::exists(dir / (keys[i] + ".mp4"))) << "entry " << i << " should survive";
    for (int i : {1, 2}) {
        EXPECT_FALSE(fs::exists(dir / (keys[i] + ".mp4"))) << "entry " << i << " should be evicted";
        EXPECT_FALSE(fs::exists(dir / (keys[i] + ".json")));
    }
    EXPECT_LE(cache.size_bytes(), limit);
    EXPECT_EQ(cache.stats().evicted, 2);
    EXPECT_EQ(cache.stats().evicted_bytes, entry_bytes(dir, keys[3]) * 2) << "entries of equal size";
    EXPECT_TRUE(cache.lookup(keys[3]));
    EXPECT_EQ(cache.evict(), 0) << "under the limit now";
}

TEST(SegmentCache, EntriesUsedByThisObjectAreNotEvicted)
{
    TempFolder tmp;
    const fs::path dir = tmp.path();
    {
        SegmentCache cache = open_cache(dir, 1);  // every entry is over the limit
        for (int i = 0; i < 3; ++i)
            put(cache, key_for(i), segment_bytes(i));
        EXPECT_EQ(cache.evict(), 0);
        for (int i = 0; i < 3; ++i)
            EXPECT_TRUE(cache.lookup(key_for(i))) << i;
    }
    // The next render uses none of them: now they go.
    SegmentCache next = open_cache(dir, 1);
    ASSERT_TRUE(next.lookup(key_for(1)));
    EXPECT_EQ(next.evict(), 2);
    EXPECT_TRUE(fs::exists(dir / (key_for(1) + ".mp4")));
    EXPECT_FALSE(fs::exists(dir / (key_for(0) + ".mp4")));
    EXPECT_FALSE(fs::exists(dir / (key_for(2) + ".mp4")));
}

TEST(SegmentCache, EvictionWaitsForTheFolderToBeItsAlone)
{
    TempFolder tmp;
    const fs::path dir = tmp.path();
    {
        SegmentCache writer = open_cache(dir);
        for (int i = 0; i < 3; ++i)
            put(writer, key_for(i), segment_bytes(i));
    }
    SegmentCache cache = open_cache(dir, 1);
    const fs::path stale = dir / "tmp" / "left-by-a-crash.mp4";
    write_bytes(stale, "partial");
    fs::last_write_time(stale, fs::file_time_type::clock::now() - std::chrono::hours(2));
    const uint64_t before = cache.size_bytes();

    // Another process's open cache: a separate open file description holding the lock shared.
    const fs::path lock_path = dir / ".lock";
    int other = ::open(lock_path.c_str(), O_RDONLY | O_CLOEXEC);
    ASSERT_GE(other, 0);
    ASSERT_EQ(::flock(other, LOCK_SH | LOCK_NB), 0);
    EXPECT_EQ(cache.evict(), 0);
    EXPECT_EQ(cache.size_bytes(), before);
    EXPECT_TRUE(fs::exists(stale)) << "nothing is tidied while another process may be using the folder";
    ::close(other);

    // The failed attempt must not have cost the cache its own shared lock (on Linux a failed
    // flock conversion drops it): an evictor elsewhere must still be kept out.
    int probe = ::open(lock_path.c_str(), O_RDONLY | O_CLOEXEC);
    ASSERT_GE(probe, 0);
    EXPECT_NE(::flock(probe, LOCK_EX | LOCK_NB), 0) << "the cache no longer holds its shared lock";
    ::close(probe);

    EXPECT_EQ(cache.evict(), 3);
    EXPECT_EQ(cache.size_bytes(), 0u);
    EXPECT_FALSE(fs::exists(stale));

    // Back to shared afterwards, too.
    probe = ::open(lock_path.c_str(), O_RDONLY | O_CLOEXEC);
    ASSERT_GE(probe, 0);
    EXPECT_NE(::flock(probe, LOCK_EX | LOCK_NB), 0) << "the cache did not go back to its shared lock";
    EXPECT_EQ(::flock(probe, LOCK_SH | LOCK_NB), 0) << "the cache kept the lock exclusive";
    ::close(probe);
}

TEST(SegmentCache, EvictionSkipsWhileAnotherProcessEvicts)
{
    TempFolder tmp;
    const fs::path dir = tmp.path();
    {
        SegmentCache writer = open_cache(dir);
        put(writer, key_for(1), segment_bytes(1));
    }
    SegmentCache cache = open_cache(dir, 1);
    // Evictors take the folder itself exclusively first (so that two of them never see each
    // other's shared lock vanish mid-conversion): one held elsewhere means "not now".
    int other = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    ASSERT_GE(other, 0);
    ASSERT_EQ(::flock(other, LOCK_EX | LOCK_NB), 0);
    EXPECT_EQ(cache.evict(), 0);
    EXPECT_TRUE(fs::exists(dir / (key_for(1) + ".mp4")));
    ::close(other);
    EXPECT_EQ(cache.evict(), 1);
}

TEST(SegmentCache, EvictionRemovesStaleTemporariesOnly)
{
    TempFolder tmp;
    const fs::path dir = tmp.path();
    SegmentCache cache = open_cache(dir);
    const auto two_hours_ago = fs::file_time_type::clock::now() - std::chrono::hours(2);
    const fs::path old_tmp = dir / "tmp" / (key_for(1) + ".123.0.mp4");
    const fs::path fresh_tmp = cache.temp_path(key_for(2));
    const fs::path old_json_tmp = dir / (key_for(3) + ".json.tmp.123.4");
    write_bytes(old_tmp, "old");
    write_bytes(fresh_tmp, "being written");
    write_bytes(old_json_tmp, "{");
    fs::last_write_time(old_tmp, two_hours_ago);
    fs::last_write_time(old_json_tmp, two_hours_ago);

    EXPECT_EQ(cache.evict(), 0) << "temporaries are not entries";
    EXPECT_FALSE(fs::exists(old_tmp));
    EXPECT_TRUE(fs::exists(fresh_tmp));
    EXPECT_FALSE(fs::exists(old_json_tmp));
}

TEST(SegmentCache, EvictionRemovesOrphanedHalves)
{
    TempFolder tmp;
    const fs::path dir = tmp.path();
    SegmentCache cache = open_cache(dir);
    const auto two_hours_ago = fs::file_time_type::clock::now() - std::chrono::hours(2);
    const fs::path old_mp4 = dir / (key_for(1) + ".mp4");    // its json never came
    const fs::path young_mp4 = dir / (key_for(2) + ".mp4");  // may be getting its json right now
    const fs::path lone_json = dir / (key_for(3) + ".json");
    const fs::path not_ours = dir / "notes.mp4";  // not an entry's name: left alone
    for (const auto& p : {old_mp4, young_mp4, lone_json, not_ours})
        write_bytes(p, "x");
    fs::last_write_time(old_mp4, two_hours_ago);
    fs::last_write_time(not_ours, two_hours_ago);
    const fs::path kept = put(cache, key_for(4), segment_bytes(4));

    cache.evict();
    EXPECT_FALSE(fs::exists(old_mp4));
    EXPECT_TRUE(fs::exists(young_mp4));
    EXPECT_FALSE(fs::exists(lone_json));
    EXPECT_TRUE(fs::exists(not_ours));
    EXPECT_TRUE(cache.lookup(key_for(4)));
}

TEST(SegmentCache, FileDigestIsTheContentsSha256AndIsRemembered)
{
    TempFolder tmp;
    const fs::path dir = tmp.path() / "cache";
    const fs::path file = tmp.path() / "photo.png";
    write_bytes(file, "first contents");
    const std::string first = core::sha256_hex("first contents");
    fs::path memo;
    {
        SegmentCache cache = open_cache(dir);
        auto d = cache.file_digest(file);
        ASSERT_TRUE(d) << d.error().to_string();
        EXPECT_EQ(*d, first);
        const auto memos = names_in(dir / "files");
        ASSERT_EQ(memos.size(), 1u);
        memo = dir / "files" / *memos.begin();
        EXPECT_EQ(read_bytes(memo), first);

        // Within one process the answer comes from memory: a changed memo is not even read.
        write_bytes(memo, std::string(64, 'e'));
        EXPECT_EQ(cache.file_digest(file).value_or(""), first);
        // The same file by another spelling of its path.
        EXPECT_EQ(cache.file_digest(tmp.path() / "." / "photo.png").value_or(""), first);
    }
    // A later render reads the memo instead of the file (proved by the planted digest).
    {
        SegmentCache later = open_cache(dir);
        EXPECT_EQ(later.file_digest(file).value_or(""), std::string(64, 'e'));
    }
    // A memo that is not a digest is not believed.
    write_bytes(memo, "garbage");
    {
        SegmentCache later = open_cache(dir);
        EXPECT_EQ(later.file_digest(file).value_or(""), first);
        EXPECT_EQ(read_bytes(memo), first) << "rewritten";
    }

    // New contents (and a new mtime) give the new digest, in the same object too.
    SegmentCache cache = open_cache(dir);
    ASSERT_EQ(cache.file_digest(file).value_or(""), first);
    write_bytes(file, "second, longer contents");
    fs::last_write_time(file, fs::file_time_type::clock::now() + std::chrono::seconds(10));
    EXPECT_EQ(cache.file_digest(file).value_or(""), core::sha256_hex("second, longer contents"));
    EXPECT_EQ(names_in(dir / "files").size(), 2u);

    auto missing = cache.file_digest(tmp.path() / "no-such-picture.png");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().category, core::ErrorCategory::Input);
    EXPECT_NE(missing.error().message.find("no-such-picture.png"), std::string::npos) << missing.error().message;
}

TEST(SegmentCache, ConcurrentStoresOfOneKeyLeaveOneValidEntry)
{
    TempFolder tmp;
    const fs::path dir = tmp.path();
    SegmentCache cache = open_cache(dir);
    for (int round = 0; round < 20; ++round) {
        SCOPED_TRACE("round " + std::to_string(round));
        const std::string key = key_for(round);
        std::vector<fs::path> written(4);
        for (int t = 0; t < 4; ++t) {
            written[t] = cache.temp_path(key);
            // Different bytes per worker (encoders need not be bit-exact): whichever wins, the
            // json must describe it.
            write_bytes(written[t], segment_bytes(round * 4 + t, 200000));
        }
        std::vector<core::Result<fs::path>> results(4);
        std::vector<std::thread> workers;
        for (int t = 0; t < 4; ++t)
            workers.emplace_back([&, t] { results[t] = cache.store(key, written[t], "shot", "m"); });
        for (auto& w : workers)
            w.join();
        for (int t = 0; t < 4; ++t) {
            ASSERT_TRUE(results[t]) << results[t].error().to_string();
            EXPECT_EQ(*results[t], dir / (key + ".mp4"));
            EXPECT_FALSE(fs::exists(written[t]));
        }
        EXPECT_TRUE(cache.lookup(key));
    }
    EXPECT_EQ(cache.stats().damaged, 0);
    EXPECT_EQ(cache.stats().stored, 20);
    EXPECT_TRUE(names_in(dir / "tmp").empty());
}

TEST(SegmentCache, DefaultsFollowTheEnvironment)
{
    struct SavedEnv {
        std::string name;
        std::optional<std::string> value;
        explicit SavedEnv(std::string n) : name(std::move(n))
        {
            if (const char* v = std::getenv(name.c_str()))
                value = v;
        }
        ~SavedEnv()
        {
            if (value)
                ::setenv(name.c_str(), value->c_str(), 1);
            else
                ::unsetenv(name.c_str());
        }
    };
    SavedEnv a("SHOTWEAVE_SEGMENT_CACHE_DIR"), b("XDG_CACHE_HOME"), c("HOME"), d("SHOTWEAVE_CACHE_LIMIT");

    ::setenv("SHOTWEAVE_SEGMENT_CACHE_DIR", "/somewhere/segments", 1);
    ::setenv("XDG_CACHE_HOME", "/xdg", 1);
    ::setenv("HOME", "/home/me", 1);
    EXPECT_EQ(render::default_segment_cache_dir(), fs::path("/somewhere/segments"));
    ::setenv("SHOTWEAVE_SEGMENT_CACHE_DIR", "", 1);
    EXPECT_EQ(render::default_segment_cache_dir(), fs::path("/xdg/shotweave/segments"));
    ::unsetenv("XDG_CACHE_HOME");
    EXPECT_EQ(render::default_segment_cache_dir(), fs::path("/home/me/.cache/shotweave/segments"));
    ::unsetenv("HOME");
    EXPECT_FALSE(render::default_segment_cache_dir().empty());

    ::unsetenv("SHOTWEAVE_CACHE_LIMIT");
    EXPECT_EQ(render::default_segment_cache_limit(), uint64_t(4) << 30);
    ::setenv("SHOTWEAVE_CACHE_LIMIT", "500M", 1);
    EXPECT_EQ(render::default_segment_cache_limit(), uint64_t(500) << 20);
    ::setenv("SHOTWEAVE_CACHE_LIMIT", "lots", 1);
    EXPECT_EQ(render::default_segment_cache_limit(), uint64_t(4) << 30);
}

TEST(ParseSize, AcceptsTheDocumentedForms)
{
    const uint64_t K = 1024, M = K * K, G = M * K, T = G * K;
    const std::vector<std::pair<std::string, uint64_t>> cases = {
        {"500M", 500 * M},    {"4G", 4 * G},   {"2GiB", 2 * G},  {"1.5g", G + G / 2}, {"800MB", 800 * M},
        {"1048576", 1048576}, {" 2G ", 2 * G}, {"64k", 64 * K},  {"64KiB", 64 * K},   {"1t", T},
        {"0.5K", 512},        {"100B", 100},   {"2 GB", 2 * G},  {"0.25tib", T / 4},  {"1.0000001G", G + 107},
    };
    for (const auto& [text, bytes] : cases)
        EXPECT_EQ(render::parse_size(text), std::optional<uint64_t>(bytes)) << '"' << text << '"';
}

TEST(ParseSize, RejectsEverythingElse)
{
    for (const std::string text : {"", "   ", "0", "0G", "0.0M", "-1G", "+1G", "abc", "5X", "G", "1.G", ".5G", "1..5G",
                                   "1e9", "2GiBs", "2iB", "1 2G", "99999999999999999999T", "18446744073709551616",
                                   "16777216T"}) {
        EXPECT_FALSE(render::parse_size(text)) << '"' << text << '"';
    }
    // The largest value that fits still parses.
    EXPECT_EQ(render::parse_size("18446744073709551615"), UINT64_MAX);
}
