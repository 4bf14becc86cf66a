// Library: the index database (where it lives, its schema), incremental updates and search.

#include "library/library.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "core/file.h"
#include "core/hash.h"
#include "core/text_util.h"
#include "library/library_db.h"
#include "library/library_scan.h"
#include "lang/lexicon.h"
#include "library/tokenize.h"

namespace sw::library {

using core::ErrorCategory;
using core::make_error;

const char* to_string(AssetKind k) { return k == AssetKind::Video ? "video" : "image"; }

namespace {

// Column weights for bm25(): what a person wrote about a file (sidecar description and tags)
// says more than embedded tags (often camera boilerplate), and both more than file and folder
// names (often IMG_1234). Order = the FTS table's columns.
// The character columns only take part in one-character queries.
constexpr const char* kBm25 = "bm25(assets_fts, 1.0, 4.0, 3.0, 2.0, 0.5, 2.0)";

constexpr const char* kSchema = R"sql(
CREATE TABLE assets(
    id INTEGER PRIMARY KEY,
    rel TEXT NOT NULL UNIQUE,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    sidecar_sig TEXT NOT NULL,
    kind INTEGER NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    duration_us INTEGER NOT NULL,
    fps_num INTEGER NOT NULL,
    fps_den INTEGER NOT NULL,
    has_audio INTEGER NOT NULL,
    description TEXT NOT NULL,
    tags TEXT NOT NULL,
    metadata TEXT NOT NULL);
CREATE TABLE skipped(
    rel TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    sidecar_sig TEXT NOT NULL,
    reason TEXT NOT NULL);
-- Word streams made by tokenize.cpp (whole words, names kept whole) and, for one-character
-- queries only, the Han/Kana characters of the names and of the texts. FTS5 only folds case,
-- strips diacritics and stems the Latin words. rowid = assets.id.
CREATE VIRTUAL TABLE assets_fts USING fts5(names, description, tags, metadata, names_chars, text_chars,
    tokenize = 'porter unicode61 remove_diacritics 2');
)sql";

fs::path default_cache_dir()
{
    return core::user_cache_dir("library");
}

core::Result<fs::path> check_folder(const fs::path& dir)
{
    const std::string shown = dir.string();
    std::error_code ec;
    auto st = fs::status(dir, ec);
    if (ec && (ec.value() == EACCES || ec.value() == EPERM))
        return make_error(ErrorCategory::Input,
                          "media library folder " + shown +
                              " cannot be reached (permission denied on a folder in its path) — fix the folders' "
                              "permissions, e.g. chmod a+rx on each",
                          ec.message());
    if (!fs::exists(st))
        return make_error(ErrorCategory::Input,
                          "media library folder " + shown +
                              " does not exist — check the path, or create it and put your photos and videos in it",
                          ec ? ec.message() : std::string{});
    if (!fs::is_directory(st))
        return make_error(ErrorCategory::Input, "media library " + shown +
                                                    " is a file, not a folder — give the folder that holds your "
                                                    "photos and videos");
    if (::access(dir.c_str(), R_OK | X_OK) != 0)
        return make_error(ErrorCategory::Input,
                          "media library folder " + shown + " cannot be read (" + std::strerror(errno) +
                              ") — fix its permissions, e.g. chmod a+rx '" + shown + "'");
    fs::path abs = fs::canonical(dir, ec);
    if (ec)
        abs = fs::absolute(dir, ec).lexically_normal();
    return abs;
}

void remove_db_files(const fs::path& p)
{
    std::error_code ec;
    for (const char* suffix : {"", "-journal", "-wal", "-shm"})
        fs::remove(fs::path(p.string() + suffix), ec);
}

core::Result<db::DbPtr> open_sqlite(const fs::path& path)
{
    sqlite3* raw = nullptr;
    int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    db::DbPtr d(raw);
    if (rc != SQLITE_OK)
        return tl::unexpected(db::db_error(d.get(), "opened"));
    sqlite3_extended_result_codes(d.get(), 0);
    // Short: a database another process holds locked is not worth waiting for at open (we
    // fall back to the cache); update() raises it once the index is ours.
    sqlite3_busy_timeout(d.get(), 300);
    return d;
}

core::Result<int> user_version(sqlite3* d)
{
    auto st = SW_TRY(db::Stmt::prepare(d, "PRAGMA user_version"));
    bool row = SW_TRY(st.step());
    return row ? (int)st.int64(0) : 0;
}

core::Result<bool> has_tables(sqlite3* d)
{
    auto st = SW_TRY(db::Stmt::prepare(d, "SELECT count(*) FROM sqlite_master"));
    bool row = SW_TRY(st.step());
    return row && st.int64(0) > 0;
}

// Opens the index at `path`, ready for writing at the current schema. A file that is not a
// database, or one with another schema version, is ours to replace: it is deleted and built
// again (the media files themselves are never touched). Fails when the file cannot be
// created or is locked by another process.
core::Result<db::DbPtr> open_index(const fs::path& path)
{
    auto d = SW_TRY(open_sqlite(path));
    auto version = user_version(d.get());
    if (!version && sqlite3_errcode(d.get()) == SQLITE_NOTADB) {
        d.reset();
        remove_db_files(path);
        d = SW_TRY(open_sqlite(path));
        version = user_version(d.get());
    }
    if (!version)
        return tl::unexpected(version.error());
    if (*version != kLibrarySchemaVersion) {
        bool old = *version != 0 || SW_TRY(has_tables(d.get()));
        if (old) {
            d.reset();
            remove_db_files(path);
            d = SW_TRY(open_sqlite(path));
        }
    }
    // BEGIN IMMEDIATE takes the write lock: it fails here (and we fall back) when another
    // process is writing, instead of failing half-way through the first update().
    auto tx = SW_TRY(db::Transaction::begin(d.get()));
    if (SW_TRY(user_version(d.get())) != kLibrarySchemaVersion) {
        SW_TRY_STATUS(db::exec(d.get(), kSchema, "created"));
        SW_TRY_STATUS(db::exec(d.get(), ("PRAGMA user_version = " + std::to_string(kLibrarySchemaVersion)).c_str(),
                               "created"));
    }
    SW_TRY_STATUS(tx.commit());
    sqlite3_busy_timeout(d.get(), 5000);
    return d;
}

std::vector<std::string> split_lines(const std::string& s)
{
    std::vector<std::string> out;
    size_t p = 0;
    while (p < s.size()) {
        size_t q = s.find('\n', p);
        if (q == std::string::npos)
            q = s.size();
        if (q > p)
            out.push_back(s.substr(p, q - p));
        p = q + 1;
    }
    return out;
}

// File and folder names as index tokens: "harbin/ice_castle-night.jpg" → harbin ice castle night.
std::string names_of(const std::string& rel)
{
    fs::path p(rel);
    std::string out;
    for (auto it = p.begin(); it != p.end(); ++it) {
        bool last = std::next(it) == p.end();
        std::string part = last ? it->stem().string() : it->string();
        std::string t = name_tokens(part);
        if (!t.empty())
            out += (out.empty() ? "" : " ") + t;
    }
    return out;
}

}  // namespace

struct Library::Impl {
    fs::path root;       // the folder asked for
    // The folder the index covers: root itself, or an indexed folder above it whose index is
    // shared, restricted to the assets under root. `scope` is root relative to base, with a
    // trailing '/', or empty; the index stores paths relative to base.
    fs::path base;
    std::string scope;
    fs::path db_path;
    bool in_cache = false;
    // The builtin names plus the library's own tags and file and folder names, for segmenting
    // queries the way the index was: built on the first search, dropped when the index changes.
    mutable std::optional<lang::Lexicon> query_lexicon;
    std::vector<std::string> notes;
    db::DbPtr db;

    bool in_scope(const std::string& rel) const { return rel.compare(0, scope.size(), scope) == 0; }
    std::string unscoped(const std::string& rel) const { return rel.substr(scope.size()); }

    core::Result<db::Stmt> prepare_load() const;
    core::Result<std::vector<std::string>> name_phrases() const;
    core::Result<const lang::Lexicon*> lexicon() const;
    // Reads one asset row with a statement from prepare_load().
    core::Result<Asset> load_asset(db::Stmt& st, int64_t id) const;
};

Library::Library(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Library::~Library() = default;
Library::Library(Library&&) noexcept = default;
Library& Library::operator=(Library&&) noexcept = default;

const fs::path& Library::root() const { return m_impl->root; }
const fs::path& Library::db_path() const { return m_impl->db_path; }
bool Library::in_cache() const { return m_impl->in_cache; }

core::Result<Library> Library::open(const fs::path& dir, const LibraryOptions& options)
{
    auto impl = std::make_unique<Impl>();
    impl->root = SW_TRY(check_folder(dir));
    impl->base = impl->root;
    const fs::path primary = impl->root / kLibraryDbName;

    std::string why;
    std::error_code ec;
    bool db_exists = fs::exists(primary, ec);
    // A sub-folder of an indexed folder (library: media/dali/ when media/ is indexed) shares
    // its parent's index, limited to the sub-folder: nothing is indexed twice, and only the
    // sub-folder's assets are candidates.
    if (!db_exists) {
        for (fs::path p = impl->root.parent_path(); !p.empty(); p = p.parent_path()) {
            const fs::path parent_db = p / kLibraryDbName;
            if (fs::is_regular_file(parent_db, ec) && ::access(p.c_str(), W_OK) == 0 &&
                ::access(parent_db.c_str(), W_OK) == 0) {
                if (auto d = open_index(parent_db)) {
                    impl->db = std::move(*d);
                    impl->db_path = parent_db;
                    impl->base = p;
                    impl->scope = impl->root.lexically_relative(p).generic_string() + "/";
                    return Library(std::move(impl));
                }
            }
            if (p == p.root_path())
                break;
        }
    }
    if (::access(impl->root.c_str(), W_OK) != 0 || (db_exists && ::access(primary.c_str(), W_OK) != 0)) {
        why = "the folder " + impl->root.string() + " is read-only";
    } else {
        auto d = open_index(primary);
        if (d) {
            impl->db = std::move(*d);
            impl->db_path = primary;
            return Library(std::move(impl));
        }
        why = "its index " + primary.string() + " cannot be used (" +
              (d.error().detail.empty() ? d.error().message : d.error().detail) + ")";
    }
    if (!options.allow_cache_fallback)
        return make_error(ErrorCategory::Io,
                          "cannot keep a media library index for " + impl->root.string() + ": " + why +
                              " — make the folder writable or allow the cache fallback");

    fs::path cache = options.cache_dir.empty() ? default_cache_dir() : options.cache_dir;
    fs::create_directories(cache, ec);
    if (ec)
        return make_error(ErrorCategory::Io,
                          "cannot keep a media library index for " + impl->root.string() + ": " + why +
                              ", and the cache folder " + cache.string() +
                              " cannot be created — set XDG_CACHE_HOME to a writable folder",
                          ec.message());
    fs::path fallback = cache / (core::fnv1a64_hex(impl->root.string()) + ".sqlite");
    auto d = open_index(fallback);
    if (!d) {
        d.error().message = "cannot keep a media library index for " + impl->root.string() + ": " + why +
                            ", and the cache index " + fallback.string() +
                            " cannot be used either — set XDG_CACHE_HOME to a writable folder";
        return tl::unexpected(d.error());
    }
    impl->db = std::move(*d);
    impl->db_path = fallback;
    impl->in_cache = true;
    impl->notes.push_back(why + ", so the index is kept in the cache: " + fallback.string());
    return Library(std::move(impl));
}

core::Result<IndexStats> Library::update()
{
    Impl& m = *m_impl;
    sqlite3* d = m.db.get();
    IndexStats stats;
    stats.db_path = m.db_path;
    stats.in_cache = m.in_cache;
    stats.notes = m.notes;

    struct Known {
        int64_t id = 0, size = 0, mtime_ns = 0;
        std::string sig, reason;
    };
    std::unordered_map<std::string, Known> assets, skipped;
    {
        auto st = SW_TRY(db::Stmt::prepare(d, "SELECT id, rel, size, mtime_ns, sidecar_sig FROM assets"));
        while (SW_TRY(st.step()))
            if (m.in_scope(st.text(1)))
                assets[m.unscoped(st.text(1))] = Known{st.int64(0), st.int64(2), st.int64(3), st.text(4), {}};
        auto sk = SW_TRY(db::Stmt::prepare(d, "SELECT rel, size, mtime_ns, sidecar_sig, reason FROM skipped"));
        while (SW_TRY(sk.step()))
            if (m.in_scope(sk.text(0)))
                skipped[m.unscoped(sk.text(0))] = Known{0, sk.int64(1), sk.int64(2), sk.text(3), sk.text(4)};
    }

    scan::WalkResult walk = scan::walk(m.root);
    auto same = [](const Known& k, const scan::FileStat& f) {
        return k.size == f.size && k.mtime_ns == f.mtime_ns && k.sig == f.sidecar_sig;
    };
    std::unordered_set<std::string> present;
    std::vector<const scan::FileStat*> todo;
    for (auto& f : walk.files) {
        present.insert(f.rel);
        if (auto it = assets.find(f.rel); it != assets.end() && same(it->second, f)) {
            ++stats.unchanged;
        } else if (auto sk = skipped.find(f.rel); sk != skipped.end() && same(sk->second, f)) {
            stats.skipped.push_back({f.rel, sk->second.reason});
        } else {
            todo.push_back(&f);
        }
    }

    // Probing is the slow part: done before the write transaction, so the lock is held only
    // for the inserts.
    std::vector<scan::Analysed> analysed;
    analysed.reserve(todo.size());
    for (auto* f : todo)
        analysed.push_back(scan::analyse(*f));

    auto tx = SW_TRY(db::Transaction::begin(d));
    auto del_asset = SW_TRY(db::Stmt::prepare(d, "DELETE FROM assets WHERE id = ?1"));
    auto del_fts = SW_TRY(db::Stmt::prepare(d, "DELETE FROM assets_fts WHERE rowid = ?1"));
    auto del_skipped = SW_TRY(db::Stmt::prepare(d, "DELETE FROM skipped WHERE rel = ?1"));
    auto find_asset = SW_TRY(db::Stmt::prepare(d, "SELECT id FROM assets WHERE rel = ?1"));
    auto ins_asset = SW_TRY(db::Stmt::prepare(
        d, "INSERT INTO assets(rel, size, mtime_ns, sidecar_sig, kind, width, height, duration_us, fps_num, fps_den, "
           "has_audio, description, tags, metadata) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"));
    auto ins_fts = SW_TRY(db::Stmt::prepare(
        d, "INSERT INTO assets_fts(rowid, names, description, tags, metadata, names_chars, text_chars) "
           "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
    auto ins_skipped = SW_TRY(db::Stmt::prepare(
        d, "INSERT INTO skipped(rel, size, mtime_ns, sidecar_sig, reason) VALUES(?1, ?2, ?3, ?4, ?5)"));

    auto drop_asset = [&](int64_t id) -> core::Status {
        SW_TRY_STATUS(del_asset.bind(1, id).run());
        return del_fts.bind(1, id).run();
    };
    for (auto& [rel, k] : assets)
        if (!present.count(rel)) {
            SW_TRY_STATUS(drop_asset(k.id));
            ++stats.removed;
        }
    for (auto& [rel, k] : skipped)
        if (!present.count(rel))
            SW_TRY_STATUS(del_skipped.bind(1, m.scope + rel).run());

    for (size_t i = 0; i < todo.size(); ++i) {
        const scan::FileStat& f = *todo[i];
        scan::Analysed& a = analysed[i];
        // Looked up again inside the transaction: another process updating a library that
        // shares this index (the parent folder, or a sibling sub-folder) may have added the
        // file since we read the table.
        find_asset.bind(1, m.scope + f.rel);
        std::optional<int64_t> existing;
        if (SW_TRY(find_asset.step()))
            existing = find_asset.int64(0);
        find_asset.reset();
        if (existing)
            SW_TRY_STATUS(drop_asset(*existing));
        SW_TRY_STATUS(del_skipped.bind(1, m.scope + f.rel).run());
        for (auto& n : a.notes)
            stats.notes.push_back(n);
        if (!a.ok) {
            SW_TRY_STATUS(
                ins_skipped.bind(1, m.scope + f.rel).bind(2, f.size).bind(3, f.mtime_ns).bind(4, f.sidecar_sig).bind(5, a.reason).run());
            stats.skipped.push_back({f.rel, a.reason});
            continue;
        }
        const Asset& as = a.asset;
        const std::string tags = core::join(as.tags, "\n");
        SW_TRY_STATUS(ins_asset.bind(1, m.scope + f.rel)
                          .bind(2, f.size)
                          .bind(3, f.mtime_ns)
                          .bind(4, f.sidecar_sig)
                          .bind(5, (int64_t)as.kind)
                          .bind(6, as.width)
                          .bind(7, as.height)
                          .bind(8, as.duration_us)
                          .bind(9, as.fps.num)
                          .bind(10, as.fps.den)
                          .bind(11, (int64_t)as.has_audio)
                          .bind(12, as.description)
                          .bind(13, tags)
                          .bind(14, as.metadata)
                          .run());
        const int64_t id = sqlite3_last_insert_rowid(d);
        SW_TRY_STATUS(ins_fts.bind(1, id)
                          .bind(2, names_of(m.scope + f.rel))
                          .bind(3, index_tokens(as.description))
                          .bind(4, tag_tokens(tags))
                          .bind(5, index_tokens(as.metadata))
                          .bind(6, char_tokens(m.scope + f.rel))
                          .bind(7, char_tokens(as.description + "\n" + tags + "\n" + as.metadata))
                          .run());
        ++stats.indexed;
    }
    SW_TRY_STATUS(tx.commit());
    if (stats.indexed || stats.removed)
        m.query_lexicon.reset();

    for (auto& u : walk.unreadable)
        stats.skipped.push_back(u);
    std::sort(stats.skipped.begin(), stats.skipped.end(),
              [](const SkippedFile& a, const SkippedFile& b) { return a.rel_path < b.rel_path; });
    stats.total = stats.unchanged + stats.indexed;
    return stats;
}

core::Result<std::vector<std::string>> Library::Impl::name_phrases() const
{
    std::vector<std::string> out;
    auto st = SW_TRY(db::Stmt::prepare(db.get(), "SELECT rel, tags FROM assets"));
    while (SW_TRY(st.step())) {
        for (auto& tag : split_lines(st.text(1)))
            out.push_back(tag);
        const fs::path rel(st.text(0));
        for (auto it = rel.begin(); it != rel.end(); ++it)
            out.push_back(std::next(it) == rel.end() ? it->stem().string() : it->string());
    }
    return out;
}

core::Result<const lang::Lexicon*> Library::Impl::lexicon() const
{
    if (!query_lexicon) {
        lang::Lexicon lex;
        lex.add_all(lang::Lexicon::builtin());
        for (const auto& phrase : SW_TRY(name_phrases()))
            lex.add_phrases(phrase);
        query_lexicon = std::move(lex);
    }
    return &*query_lexicon;
}

core::Result<std::vector<std::string>> Library::name_phrases() const
{
    return m_impl->name_phrases();
}

core::Result<db::Stmt> Library::Impl::prepare_load() const
{
    return db::Stmt::prepare(db.get(), "SELECT rel, kind, width, height, duration_us, fps_num, fps_den, has_audio, "
                                       "size, description, tags, metadata FROM assets WHERE id = ?1");
}

core::Result<Asset> Library::Impl::load_asset(db::Stmt& st, int64_t id) const
{
    st.reset();
    st.bind(1, id);
    if (!SW_TRY(st.step()))
        return make_error(ErrorCategory::Internal, "media library: asset " + std::to_string(id) + " vanished");
    Asset a;
    const std::string rel = st.text(0);
    a.rel_path = unscoped(rel);
    a.path = base / fs::path(rel);
    a.kind = st.int64(1) == (int64_t)AssetKind::Video ? AssetKind::Video : AssetKind::Image;
    a.width = (int)st.int64(2);
    a.height = (int)st.int64(3);
    a.duration_us = st.int64(4);
    a.fps = core::Rational{st.int64(5), st.int64(6) ? st.int64(6) : 1};
    a.has_audio = st.int64(7) != 0;
    a.size_bytes = st.int64(8);
    a.description = st.text(9);
    a.tags = split_lines(st.text(10));
    a.metadata = st.text(11);
    return a;
}

core::Result<std::vector<Asset>> Library::assets(size_t limit) const
{
    const Impl& m = *m_impl;
    std::vector<Asset> out;
    // A sub-folder sharing its parent's index lists only its own assets (substr() counts characters).
    auto ids = SW_TRY(db::Stmt::prepare(m.db.get(), "SELECT id FROM assets WHERE substr(rel, 1, ?2) = ?3 ORDER BY rel LIMIT ?1"));
    ids.bind(1, (int64_t)std::min<size_t>(limit, INT64_MAX))
        .bind(2, (int64_t)core::utf8_decode(m.scope).size())
        .bind(3, m.scope);
    std::vector<int64_t> rows;
    while (SW_TRY(ids.step()))
        rows.push_back(ids.int64(0));
    auto load = SW_TRY(m.prepare_load());
    for (int64_t id : rows)
        out.push_back(SW_TRY(m.load_asset(load, id)));
    return out;
}

core::Result<std::vector<SearchHit>> Library::search(std::string_view query, const SearchOptions& options) const
{
    const Impl& m = *m_impl;
    sqlite3* d = m.db.get();
    std::vector<QueryTerm> terms = query_terms(query, *SW_TRY(m.lexicon()));
    std::vector<SearchHit> hits;
    if (terms.empty() || options.limit == 0)
        return hits;

    // Candidates by bm25 over the whole query. The cap keeps huge libraries fast; the final
    // order (coverage first) is decided below among these.
    const size_t cap = std::max<size_t>(options.limit * 10, 500);
    // substr() counts characters, not bytes.
    const std::string in_scope =
        m.scope.empty() ? "" : " AND rowid IN (SELECT id FROM assets WHERE substr(rel, 1, ?3) = ?4)";
    auto all = SW_TRY(db::Stmt::prepare(d, std::string("SELECT rowid, -") + kBm25 +
                                               " FROM assets_fts WHERE assets_fts MATCH ?1" + in_scope + " ORDER BY " +
                                               kBm25 + " LIMIT ?2"));
    all.bind(1, fts_or_expression(terms)).bind(2, (int64_t)cap);
    if (!m.scope.empty())
        all.bind(3, (int64_t)core::utf8_decode(m.scope).size()).bind(4, m.scope);
    std::vector<std::pair<int64_t, double>> candidates;
    while (SW_TRY(all.step("searched")))
        candidates.emplace_back(all.int64(0), all.real(1));
    if (candidates.empty())
        return hits;

    // Which terms each asset matches, and where: one small query per term and field group
    // (FTS5 cannot say which OR branch matched). What a person wrote (sidecars) or a camera
    // or editor stored (metadata) counts fully; a match only in a file or folder name counts
    // kNameMatchWeight. This is what "matched terms" and the coverage part of the score use,
    // and unlike bm25 it does not depend on how large the library is.
    std::vector<std::unordered_set<int64_t>> term_rows(terms.size()), term_rows_strong(terms.size());
    auto one = SW_TRY(db::Stmt::prepare(d, "SELECT rowid FROM assets_fts WHERE assets_fts MATCH ?1"));
    for (size_t t = 0; t < terms.size(); ++t) {
        one.bind(1, terms[t].fts_expr);
        while (SW_TRY(one.step("searched")))
            term_rows[t].insert(one.int64(0));
        one.reset();
        one.bind(1, terms[t].strong_expr);
        while (SW_TRY(one.step("searched")))
            term_rows_strong[t].insert(one.int64(0));
        one.reset();
    }

    // One shared character is not a match: when the query has a longer word, an asset must
    // match one of those, not only one-character words (上, 里, 雪).
    const bool needs_word = std::any_of(terms.begin(), terms.end(), [](const QueryTerm& t) { return !t.one_character; });
    auto load = SW_TRY(m.prepare_load());
    const double denom = (double)std::min(terms.size(), kCoverageTerms);
    for (auto& [id, bm25] : candidates) {
        SearchHit h;
        double weight = 0;
        bool has_word = false;
        for (size_t t = 0; t < terms.size(); ++t) {
            if (!term_rows[t].count(id))
                continue;
            h.matched_terms.push_back(terms[t].text);
            has_word |= !terms[t].one_character;
            weight += term_rows_strong[t].count(id) ? 1.0 : kNameMatchWeight;
        }
        if (needs_word && !has_word)
            continue;
        const double coverage = std::min(1.0, weight / denom);
        const double b = std::max(0.0, bm25);
        h.score = 0.85 * coverage + 0.15 * (b / (1.0 + b));
        if (h.score < options.min_score)
            continue;
        h.asset = SW_TRY(m.load_asset(load, id));
        hits.push_back(std::move(h));
    }
    std::sort(hits.begin(), hits.end(), [](const SearchHit& a, const SearchHit& b) {
        if (a.score != b.score)
            return a.score > b.score;
        return a.asset.rel_path < b.asset.rel_path;
    });
    if (hits.size() > options.limit)
        hits.resize(options.limit);
    return hits;
}

}  // namespace sw::library
