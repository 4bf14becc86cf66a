// The segment cache (see segment_cache.h for the folder's layout and the locking protocol).
//
// Concurrency, in short:
//  - between processes: every open SegmentCache holds .lock shared; eviction needs it exclusive,
//    so it only runs when no other process has the folder open and can be using its entries;
//  - between threads of one process: operations on one key are serialised by a per-key lock
//    (KeyLock), so a lookup never removes, as an orphan, an mp4 that a store() is about to give
//    its json, and eviction never removes an entry that a lookup is handing out; the used-set
//    and the stats sit behind one mutex.

#include "render/segment_cache.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <mutex>
#include <nlohmann/json.hpp>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/file.h"
#include "core/sha256.h"
#include "core/text_util.h"

namespace sw::render {

using core::ErrorCategory;
using core::make_error;

namespace {

constexpr uint64_t kGiB = uint64_t(1) << 30;
// Files in tmp/ (and half-written temporaries beside the entries) older than this are left over
// from a crashed or killed render: no render writes one segment for that long. (Those whose
// writer's PID is gone go sooner: see tmp_owner.)
constexpr auto kStaleAge = std::chrono::hours(1);

// The PID of the process writing a file in tmp/: temp_path() names "<key>.<pid>.<n>.mp4", and
// an Mp4Writer writing to that name keeps ".<that name>.part-<pid>.mp4" beside it. 0: unknown.
long tmp_owner(const std::string& name)
{
    return name.starts_with(".") ? core::temp_owner_pid(name, ".", ".part-") : core::temp_owner_pid(name, "", ".");
}

const char* const kFixHint = "choose another folder with --cache-dir or SHOTWEAVE_SEGMENT_CACHE_DIR";

// Keys become file names: only what a SHA-256 in hex can be, so no key reaches outside the folder.
bool valid_key(std::string_view key)
{
    if (key.size() != 64)
        return false;
    return std::all_of(key.begin(), key.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// flock(2) restarted when a signal interrupts the wait.
int flock_retry(int fd, int op)
{
    int r;
    do {
        r = ::flock(fd, op);
    } while (r != 0 && errno == EINTR);
    return r;
}

// A directory's regular files by name; an unreadable folder is empty (the callers only tidy).
struct DirFile {
    fs::path path;
    uint64_t size = 0;
    fs::file_time_type mtime;
};
std::vector<DirFile> list_files(const fs::path& dir)
{
    std::vector<DirFile> files;
    std::error_code ec;
    fs::directory_iterator it(dir, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
        std::error_code ec2;
        if (!it->is_regular_file(ec2))
            continue;
        DirFile f;
        f.path = it->path();
        f.size = it->file_size(ec2);
        if (ec2)
            continue;  // removed meanwhile
        f.mtime = it->last_write_time(ec2);
        if (ec2)
            continue;
        files.push_back(std::move(f));
    }
    return files;
}

void touch(const fs::path& p)
{
    std::error_code ec;  // a read-only folder keeps its old times: the entry is still good
    fs::last_write_time(p, fs::file_time_type::clock::now(), ec);
}

}  // namespace

fs::path default_segment_cache_dir()
{
    if (const char* d = std::getenv("SHOTWEAVE_SEGMENT_CACHE_DIR"); d && *d)
        return fs::path(d);
    return core::user_cache_dir("segments");
}

uint64_t default_segment_cache_limit()
{
    if (const char* l = std::getenv("SHOTWEAVE_CACHE_LIMIT"); l && *l)
        if (auto v = parse_size(l))
            return *v;
    return 4 * kGiB;
}

std::optional<uint64_t> parse_size(const std::string& text)
{
    using u128 = unsigned __int128;  // room for a 64-bit count times 2^40 without overflow checks
    std::string_view s = core::trim(text);
    size_t i = 0;
    // Integer part (at least one digit: this also rejects "-1G", "+1G" and ".5G").
    u128 whole = 0;
    const size_t whole_begin = i;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
        whole = whole * 10 + unsigned(s[i] - '0');
        if (whole > UINT64_MAX)
            return std::nullopt;
    }
    if (i == whole_begin)
        return std::nullopt;
    // Fraction: kept as digits over 10^n; 18 digits are far below a byte even in terabytes.
    u128 frac = 0, frac_scale = 1;
    if (i < s.size() && s[i] == '.') {
        ++i;
        const size_t frac_begin = i;
        for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i)
            if (i - frac_begin < 18) {
                frac = frac * 10 + unsigned(s[i] - '0');
                frac_scale *= 10;
            }
        if (i == frac_begin)
            return std::nullopt;
    }
    while (i < s.size() && s[i] == ' ')
        ++i;
    const std::string unit = core::to_lower_ascii(s.substr(i));
    unsigned shift = 0;
    std::string_view rest = unit;
    if (!rest.empty()) {
        switch (rest.front()) {
        case 'k': shift = 10; break;
        case 'm': shift = 20; break;
        case 'g': shift = 30; break;
        case 't': shift = 40; break;
        default: break;
        }
        if (shift)
            rest.remove_prefix(1);
        // "B" on its own means bytes; "iB" only after a unit letter ("KiB", not "iB").
        if (!(rest.empty() || rest == "b" || (shift && rest == "ib")))
            return std::nullopt;
    }
    const u128 mult = u128(1) << shift;
    const u128 bytes = whole * mult + frac * mult / frac_scale;  // fits: both < 2^104
    if (bytes == 0 || bytes > UINT64_MAX)
        return std::nullopt;
    return uint64_t(bytes);
}

struct SegmentCache::Impl {
    fs::path dir;
    uint64_t limit = 0;
    int lock_fd = -1;  // .lock, held shared for the object's life (closing it releases the lock)

    mutable std::mutex mutex;  // guards used, stats, digests
    std::unordered_set<std::string> used;  // keys looked up or stored through this object
    CacheStats stats;
    std::unordered_map<std::string, std::string> digests;  // memo name (see file_digest) → digest

    // Keys with an operation in progress in this process (see KeyLock).
    std::mutex key_mutex;
    std::condition_variable key_cv;
    std::unordered_set<std::string> busy_keys;

    // One evict() at a time per object: two threads converting the same open file description's
    // lock would both "succeed", and the first to finish would go back to shared under the other.
    std::mutex evict_mutex;

    // Serialises operations on one key within this process (different keys run concurrently).
    class KeyLock {
    public:
        KeyLock(Impl& im, std::string key) : m_im(im), m_key(std::move(key))
        {
            std::unique_lock lock(m_im.key_mutex);
            m_im.key_cv.wait(lock, [&] { return m_im.busy_keys.count(m_key) == 0; });
            m_im.busy_keys.insert(m_key);
        }
        ~KeyLock()
        {
            {
                std::lock_guard lock(m_im.key_mutex);
                m_im.busy_keys.erase(m_key);
            }
            m_im.key_cv.notify_all();
        }
        KeyLock(const KeyLock&) = delete;
        KeyLock& operator=(const KeyLock&) = delete;

    private:
        Impl& m_im;
        std::string m_key;
    };

    ~Impl()
    {
        if (lock_fd >= 0)
            ::close(lock_fd);
    }

    fs::path mp4_path(const std::string& key) const { return dir / (key + ".mp4"); }
    fs::path json_path(const std::string& key) const { return dir / (key + ".json"); }

    void mark_used(const std::string& key)
    {
        std::lock_guard lock(mutex);
        used.insert(key);
    }
    bool is_used(const std::string& key) const
    {
        std::lock_guard lock(mutex);
        return used.count(key) != 0;
    }

    // json first: an mp4 without its json is never trusted, so a reader between the two steps
    // sees a damaged entry, never a json describing some other mp4.
    void remove_entry(const std::string& key) const
    {
        std::error_code ec;
        fs::remove(json_path(key), ec);
        fs::remove(mp4_path(key), ec);
    }

    enum class EntryState { Absent, Valid, Damaged };

    // Checks an entry against its json (the caller holds its KeyLock). A valid entry's last use
    // becomes now and it joins the used set; a damaged one, or a lone half, is removed.
    EntryState check_entry(const std::string& key)
    {
        const fs::path mp4 = mp4_path(key), json = json_path(key);
        std::error_code ec;
        const bool json_exists = fs::exists(json, ec);
        if (!json_exists) {
            if (!fs::exists(mp4, ec))
                return EntryState::Absent;
            // An mp4 whose json never came (a crash between the two writes): nothing vouches for it.
            fs::remove(mp4, ec);
            return EntryState::Damaged;
        }
        bool ok = false;
        if (auto text = core::read_file(json)) {
            const nlohmann::json j = nlohmann::json::parse(*text, nullptr, false);
            if (j.is_object() && j.contains("format") && j["format"].is_number_integer() &&
                j["format"].get<int64_t>() == kSegmentCacheFormat && j.contains("size") &&
                j["size"].is_number_unsigned() && j.contains("sha256") && j["sha256"].is_string()) {
                const uint64_t size = fs::file_size(mp4, ec);
                // The size first: a truncated or missing mp4 is found without reading it.
                if (!ec && size == j["size"].get<uint64_t>()) {
                    auto sum = core::sha256_file(mp4);
                    ok = sum && *sum == j["sha256"].get<std::string>();
                }
            }
        }
        if (!ok) {
            remove_entry(key);
            return EntryState::Damaged;
        }
        touch(mp4);
        mark_used(key);
        return EntryState::Valid;
    }
};

core::Result<SegmentCache> SegmentCache::open(fs::path dir, uint64_t limit_bytes)
{
    if (dir.empty())
        dir = default_segment_cache_dir();
    std::error_code ec;
    fs::create_directories(dir / "tmp", ec);
    if (!ec)
        fs::create_directories(dir / "files", ec);
    if (ec)
        return make_error(ErrorCategory::Io,
                          "cannot create the segment cache folder " + dir.string() + " — " + kFixHint, ec.message());
    for (const fs::path& p : {dir, dir / "tmp", dir / "files"})
        if (::access(p.c_str(), W_OK) != 0)
            return make_error(ErrorCategory::Io,
                              "the segment cache folder " + p.string() + " is not writable — " + kFixHint,
                              std::strerror(errno));

    // Segments half-written by a process that was killed: nobody will finish them, so they go
    // now rather than an hour later in evict().
    for (const auto& f : list_files(dir / "tmp"))
        if (core::temp_owner_gone(tmp_owner(f.path.filename().string())))
            fs::remove(f.path, ec);

    auto impl = std::make_unique<Impl>();
    impl->dir = dir;
    impl->limit = limit_bytes;
    const fs::path lock_path = dir / ".lock";
    impl->lock_fd = ::open(lock_path.c_str(), O_RDONLY | O_CREAT | O_CLOEXEC, 0666);
    if (impl->lock_fd < 0)
        return make_error(ErrorCategory::Io,
                          "cannot open the segment cache's lock file " + lock_path.string() + " — " + kFixHint,
                          std::strerror(errno));
    // Blocks only while another process evicts (it holds the lock exclusively for that long).
    if (flock_retry(impl->lock_fd, LOCK_SH) != 0)
        return make_error(ErrorCategory::Io,
                          "cannot lock the segment cache folder " + dir.string() +
                              " (is it on a file system without flock, such as some network mounts?) — " + kFixHint,
                          std::strerror(errno));
    return SegmentCache(std::move(impl));
}

SegmentCache::SegmentCache(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
SegmentCache::SegmentCache(SegmentCache&&) noexcept = default;
SegmentCache& SegmentCache::operator=(SegmentCache&&) noexcept = default;
SegmentCache::~SegmentCache() = default;

const fs::path& SegmentCache::dir() const { return m_impl->dir; }
uint64_t SegmentCache::limit() const { return m_impl->limit; }

std::optional<fs::path> SegmentCache::lookup(const std::string& key)
{
    if (!valid_key(key)) {
        std::lock_guard lock(m_impl->mutex);
        ++m_impl->stats.misses;
        return std::nullopt;
    }
    Impl::EntryState state;
    {
        Impl::KeyLock key_lock(*m_impl, key);
        state = m_impl->check_entry(key);
    }
    std::lock_guard lock(m_impl->mutex);
    if (state == Impl::EntryState::Valid) {
        ++m_impl->stats.hits;
        return m_impl->mp4_path(key);
    }
    ++m_impl->stats.misses;
    if (state == Impl::EntryState::Damaged)
        ++m_impl->stats.damaged;
    return std::nullopt;
}

fs::path SegmentCache::temp_path(const std::string& key)
{
    static std::atomic<uint64_t> counter{0};
    // A bad key would be refused by store() anyway; it must not shape a path meanwhile.
    const std::string stem = valid_key(key) ? key : std::string("segment");
    return m_impl->dir / "tmp" /
           (stem + "." + std::to_string(::getpid()) + "." + std::to_string(counter.fetch_add(1)) + ".mp4");
}

core::Result<fs::path> SegmentCache::store(const std::string& key, const fs::path& written, const std::string& label,
                                           const std::string& material)
{
    Impl& im = *m_impl;
    if (!valid_key(key))
        return make_error(ErrorCategory::Internal, "segment cache key is not 64 hex digits: \"" + key + "\"");
    const std::string where = "the segment cache folder " + im.dir.string();
    std::error_code ec;
    if (!fs::is_regular_file(written, ec))
        return make_error(ErrorCategory::Io,
                          "cannot store " + written.string() + " in " + where + ": the file is missing",
                          ec ? ec.message() : std::string());
    // Measured before the move, on the file only this caller has: the json then describes exactly
    // these bytes, and the slow hashing happens outside the key's lock.
    const uint64_t size = fs::file_size(written, ec);
    if (ec)
        return make_error(ErrorCategory::Io, "cannot read " + written.string() + " in " + where, ec.message());
    auto sum = core::sha256_file(written);
    if (!sum)
        return make_error(ErrorCategory::Io, "cannot read " + written.string() + " in " + where, sum.error().detail);

    const fs::path mp4 = im.mp4_path(key);
    Impl::KeyLock key_lock(im, key);
    Impl::EntryState state = im.check_entry(key);
    if (state == Impl::EntryState::Valid) {
        // Another worker stored it first: keep theirs (same key, same pixels), drop ours.
        fs::remove(written, ec);
        return mp4;
    }
    if (state == Impl::EntryState::Damaged) {
        std::lock_guard lock(im.mutex);
        ++im.stats.damaged;
    }
    // Used before it is in place, so that an evict() in another thread never takes it.
    im.mark_used(key);
    // Its last use is now, whenever its writing started (and a fresh mp4 without its json yet is
    // not mistaken by evict() for a stale orphan).
    touch(written);
    fs::rename(written, mp4, ec);
    if (ec == std::errc::cross_device_link) {
        // `written` was not under tmp/: copy it onto this file system first so the entry still
        // appears in one step.
        const fs::path tmp = temp_path(key);
        ec.clear();
        fs::copy_file(written, tmp, fs::copy_options::overwrite_existing, ec);
        if (!ec)
            fs::rename(tmp, mp4, ec);
        std::error_code ec2;
        if (ec)
            fs::remove(tmp, ec2);
        else
            fs::remove(written, ec2);
    }
    if (ec)
        return make_error(ErrorCategory::Io,
                          "cannot write " + mp4.filename().string() + " in " + where +
                              " — check that it is writable and has free space, or " + kFixHint,
                          ec.message());

    nlohmann::json j;
    j["format"] = kSegmentCacheFormat;
    j["size"] = size;
    j["sha256"] = *sum;
    j["created"] = int64_t(std::time(nullptr));
    j["label"] = label;
    j["material"] = material;
    auto wrote = core::write_file_atomic(
        im.json_path(key), j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
    if (!wrote) {
        im.remove_entry(key);  // an mp4 without its json would only be removed later as damaged
        return make_error(ErrorCategory::Io,
                          "cannot write " + key + ".json in " + where +
                              " — check that it is writable and has free space, or " + kFixHint,
                          wrote.error().detail);
    }
    std::lock_guard lock(im.mutex);
    ++im.stats.stored;
    return mp4;
}

void SegmentCache::remove(const std::string& key)
{
    if (!valid_key(key))
        return;
    Impl::KeyLock key_lock(*m_impl, key);
    m_impl->remove_entry(key);
}

uint64_t SegmentCache::size_bytes() const
{
    uint64_t total = 0;
    for (const auto& f : list_files(m_impl->dir)) {
        const auto ext = f.path.extension();
        if (ext == ".mp4" || ext == ".json")
            total += f.size;
    }
    return total;
}

int SegmentCache::evict()
{
    Impl& im = *m_impl;
    std::unique_lock evicting(im.evict_mutex, std::try_to_lock);
    if (!evicting.owns_lock())
        return 0;  // another thread is already at it

    // On Linux a failed LOCK_SH → LOCK_EX|LOCK_NB conversion has already dropped the shared lock
    // (flock(2): "the existing lock is first removed"). Two processes trying at once could then
    // each see the other's lock vanish and one of them evict entries the other is using. So
    // evictors first take the folder itself exclusively: only one converts .lock at a time, and it
    // has its shared lock back before the next may try.
    const int dir_fd = ::open(im.dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd < 0)
        return 0;
    struct CloseFd {
        int fd;
        ~CloseFd() { ::close(fd); }  // also releases the folder's lock
    } close_dir{dir_fd};
    if (flock_retry(dir_fd, LOCK_EX | LOCK_NB) != 0)
        return 0;  // another process is evicting
    if (flock_retry(im.lock_fd, LOCK_EX | LOCK_NB) != 0) {
        // Another process has the folder open and may be using any entry: leave it all alone.
        flock_retry(im.lock_fd, LOCK_SH);
        return 0;
    }

    // From here no other process has the folder open; only this process's threads can race,
    // and the per-key locks plus re-checks below keep them apart.
    const auto now = fs::file_time_type::clock::now();
    const auto stale = [&](const DirFile& f) { return now - f.mtime > kStaleAge; };
    std::error_code ec;

    for (const auto& f : list_files(im.dir / "tmp"))
        if (stale(f) || core::temp_owner_gone(tmp_owner(f.path.filename().string())))
            fs::remove(f.path, ec);

    struct Half {
        bool mp4 = false, json = false;
        fs::file_time_type mp4_mtime;  // the entry's last use
    };
    std::unordered_map<std::string, Half> halves;
    for (const auto& f : list_files(im.dir)) {
        const std::string name = f.path.filename().string();
        // Temporaries of core::write_file_atomic ("<key>.json.tmp.<pid>.<n>") left by a crash.
        if (name.find(".tmp.") != std::string::npos) {
            if (stale(f) || core::temp_owner_gone(core::temp_owner_pid(name, "", ".tmp.")))
                fs::remove(f.path, ec);
            continue;
        }
        const std::string key = f.path.stem().string();
        if (!valid_key(key))
            continue;
        if (f.path.extension() == ".mp4") {
            halves[key].mp4 = true;
            halves[key].mp4_mtime = f.mtime;
        }
        else if (f.path.extension() == ".json")
            halves[key].json = true;
    }

    // Orphans. The listing is no snapshot (a store() may be between its two writes), so each is
    // checked again under its key's lock; a young mp4 without json may still be getting one.
    struct Entry {
        std::string key;
        fs::file_time_type last_use;
    };
    std::vector<Entry> entries;
    for (const auto& [key, half] : halves) {
        if (half.mp4 && half.json) {
            entries.push_back({key, half.mp4_mtime});
            continue;
        }
        Impl::KeyLock key_lock(im, key);
        const fs::path mp4 = im.mp4_path(key), json = im.json_path(key);
        const bool has_mp4 = fs::exists(mp4, ec), has_json = fs::exists(json, ec);
        if (has_json && !has_mp4) {
            fs::remove(json, ec);
        } else if (has_mp4 && !has_json) {
            std::error_code ec2;
            const auto t = fs::last_write_time(mp4, ec2);
            if (!ec2 && now - t > kStaleAge)
                fs::remove(mp4, ec);
        }
    }

    // Least recently used first, until the folder fits.
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.last_use < b.last_use; });
    uint64_t total = size_bytes();
    int removed = 0;
    uint64_t removed_bytes = 0;
    for (const auto& e : entries) {
        if (total <= im.limit)
            break;
        if (im.is_used(e.key))
            continue;
        Impl::KeyLock key_lock(im, e.key);
        if (im.is_used(e.key))  // looked up while we waited for its lock
            continue;
        std::error_code e1, e2;
        const uint64_t mp4_size = fs::file_size(im.mp4_path(e.key), e1);
        const uint64_t json_size = fs::file_size(im.json_path(e.key), e2);
        const uint64_t bytes = (e1 ? 0 : mp4_size) + (e2 ? 0 : json_size);
        im.remove_entry(e.key);
        total = bytes > total ? 0 : total - bytes;
        removed_bytes += bytes;
        ++removed;
    }
    {
        std::lock_guard lock(im.mutex);
        im.stats.evicted += removed;
        im.stats.evicted_bytes += removed_bytes;
    }

    flock_retry(im.lock_fd, LOCK_SH);
    return removed;
}

core::Result<std::string> SegmentCache::file_digest(const fs::path& file)
{
    Impl& im = *m_impl;
    const auto unreadable = [&](const std::string& detail) {
        return make_error(ErrorCategory::Input, "cannot read " + file.string() + " — check that it exists and is readable",
                          detail);
    };
    std::error_code ec;
    const fs::path path = fs::weakly_canonical(file, ec);
    if (ec)
        return unreadable(ec.message());
    struct ::stat st{};
    if (::stat(path.c_str(), &st) != 0)
        return unreadable(std::strerror(errno));
    if (!S_ISREG(st.st_mode))
        return unreadable("not a regular file");

    // Any change to the file changes its size, its mtime or (when replaced) its inode, so the
    // memo under this name cannot describe other contents.
    const auto mtime_ns = [](const struct ::stat& s) {
        return int64_t(s.st_mtim.tv_sec) * 1000000000 + int64_t(s.st_mtim.tv_nsec);
    };
    const std::string memo_name = core::sha256_hex(path.string() + '\n' + std::to_string(st.st_size) + '\n' +
                                                      std::to_string(mtime_ns(st)) + '\n' + std::to_string(st.st_ino));
    {
        std::lock_guard lock(im.mutex);
        if (auto it = im.digests.find(memo_name); it != im.digests.end())
            return it->second;
    }
    const fs::path memo = im.dir / "files" / memo_name;
    if (auto text = core::read_file(memo); text && valid_key(*text)) {  // a digest looks like a key
        std::lock_guard lock(im.mutex);
        im.digests[memo_name] = *text;
        return *text;
    }

    auto sum = core::sha256_file(path);
    if (!sum)
        return unreadable(sum.error().detail);
    // Remembered only if the file did not change while it was read (the digest may then mix two
    // versions); a memo that cannot be written only costs a re-read next time.
    struct ::stat after{};
    if (::stat(path.c_str(), &after) == 0 && after.st_size == st.st_size && mtime_ns(after) == mtime_ns(st) &&
        after.st_ino == st.st_ino) {
        (void)core::write_file_atomic(memo, *sum);
        std::lock_guard lock(im.mutex);
        im.digests[memo_name] = *sum;
    }
    return *sum;
}

CacheStats SegmentCache::stats() const
{
    std::lock_guard lock(m_impl->mutex);
    return m_impl->stats;
}

}  // namespace sw::render
