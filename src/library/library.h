#pragma once
// The user's media library: a folder tree of their own photos and footage, indexed in SQLite
// (FTS5) so that a shot's words ("夜晚的冰雕城堡", "castle at night") find the best asset.
//
//   auto lib = Library::open("~/Footage");        // opens or creates the index
//   auto stats = lib->update();                    // incremental: only new/changed files are probed
//   auto hits = lib->search("雪 夜晚 冰雕");        // ranked, with matched terms
//   auto picks = pick_assets(*lib, requests, seed); // one asset per shot, no repeats
//
// The user's files are only ever read. The index lives in `<folder>/.shotweave-library.sqlite`,
// or in the cache folder when the media folder is read-only or that database is locked.
// See docs/library.md for what is indexed and how ranking and picking work.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/rational.h"

namespace sw::library {

namespace fs = std::filesystem;

// Bumped whenever the database layout or the tokenization changes: an index with another
// version (PRAGMA user_version) is rebuilt from scratch on open.
// 2: whole words only (no bigrams or characters among the words), character columns.
inline constexpr int kLibrarySchemaVersion = 2;
// Name of the index database inside the media folder.
inline constexpr const char* kLibraryDbName = ".shotweave-library.sqlite";

struct LibraryOptions {
    // Where the fallback index goes. Empty: $XDG_CACHE_HOME/shotweave/library, else
    // ~/.cache/shotweave/library.
    fs::path cache_dir;
    // false: fail instead of falling back when the folder's own database cannot be written.
    bool allow_cache_fallback = true;
};

enum class AssetKind { Image, Video };
const char* to_string(AssetKind k);

struct Asset {
    fs::path path;              // absolute
    std::string rel_path;       // relative to the library folder, '/'-separated
    AssetKind kind = AssetKind::Image;
    int width = 0;              // as displayed (rotation / EXIF orientation applied)
    int height = 0;
    int64_t duration_us = -1;   // videos; -1 for images or when unknown
    core::Rational fps{0, 1};   // videos; 0/1 when unknown
    bool has_audio = false;
    int64_t size_bytes = 0;
    std::string description;    // from sidecars
    std::vector<std::string> tags;  // from sidecars
    std::string metadata;       // embedded tags, "key: value" lines
};

struct SkippedFile {
    std::string rel_path;
    std::string reason;  // why it is not in the index, for the user
};

struct IndexStats {
    size_t indexed = 0;    // new or changed files probed and (re)indexed
    size_t unchanged = 0;  // size, mtime and sidecars as before: not probed again
    size_t removed = 0;    // gone from the folder, removed from the index
    // Every file that is not in the index, with the reason (remembered ones included: an
    // unchanged broken file is not probed again but still reported).
    std::vector<SkippedFile> skipped;
    size_t total = 0;      // assets in the index after the update
    fs::path db_path;
    bool in_cache = false;            // the index is in the cache folder, not the media folder
    std::vector<std::string> notes;   // things worth telling the user (fallback, bad sidecars)
};

struct SearchHit {
    Asset asset;
    // Relevance in 0..1: 0.85 × coverage + 0.15 × b / (1 + b). coverage = the matched query
    // terms, each counting 1 when found in the description, tags or embedded metadata and
    // kNameMatchWeight when found only in the file or folder names, divided by
    // min(number of terms, kCoverageTerms), at most 1. b = SQLite FTS5's bm25 for the whole
    // query, negated so larger is better (column weights: description 4, tags 3, metadata 2,
    // names 1); it only separates assets of equal coverage.
    double score = 0;
    std::vector<std::string> matched_terms;  // query terms found, as written, in query order
};

// A long query (narration) counts as fully covered once this many of its terms match.
inline constexpr size_t kCoverageTerms = 5;
// A term found only in a file or folder name (often IMG_1234 or a vague folder) counts this
// much towards coverage; found in what someone wrote about the file, 1.
inline constexpr double kNameMatchWeight = 0.7;

struct SearchOptions {
    size_t limit = 20;
    double min_score = 0;  // hits below are dropped
};

class Library {
public:
    ~Library();
    Library(Library&&) noexcept;
    Library& operator=(Library&&) noexcept;

    // Opens (creating or rebuilding as needed) the index for the folder `dir`. Does not scan:
    // call update(). When `dir` has no index of its own but a folder above it has one (it was
    // indexed as a whole), that index is shared, restricted to `dir`: update() reads only
    // `dir`'s files, search() returns only assets under `dir`, and rel_path is relative to
    // `dir`. Errors: Input when `dir` is missing, not a folder or unreadable (the
    // message names the path and says how to fix it); Io when no index can be written
    // anywhere.
    static core::Result<Library> open(const fs::path& dir, const LibraryOptions& options = {});

    // Brings the index up to date with the folder: probes new and changed files, drops
    // removed ones. Broken or non-media files are skipped with a reason, never fatal. Meant
    // to run before every render; with nothing changed it only stats the files.
    core::Result<IndexStats> update();

    // Assets matching `query`, best first (score, then path). An empty query (or one with no
    // words) gives no hits.
    core::Result<std::vector<SearchHit>> search(std::string_view query, const SearchOptions& options = {}) const;

    // Every indexed asset, by relative path (at most `limit`): what the library holds, for a
    // writer who should describe shots in the library's own words.
    core::Result<std::vector<Asset>> assets(size_t limit = SIZE_MAX) const;

    // The library's names: every tag and the folder and file names (without extensions), as
    // written — the phrases lang::Lexicon::add_phrases keeps whole in searches and line breaks.
    core::Result<std::vector<std::string>> name_phrases() const;

    const fs::path& root() const;     // absolute
    const fs::path& db_path() const;
    bool in_cache() const;

private:
    struct Impl;
    explicit Library(std::unique_ptr<Impl>);
    std::unique_ptr<Impl> m_impl;
};

// ---- choosing one asset per shot ----------------------------------------------------------

// Below this relevance (SearchHit::score) a shot gets no pick and the caller falls back to
// the scene generator (or the configured model). Measured on the labelled library in
// tests/unit/library/test_library_labelled.cpp: shots with a fitting asset scored 0.57 and
// more, shots that fit nothing at most 0.30 (one shared word of three: 五彩); 0.4 sits between.
// About "one word of two, or two of five, found in what was written about the asset".
inline constexpr double kDefaultMinRelevance = 0.4;
// A pick above the minimum but below this is reported as weak by `check`: only part of the
// shot's words matched, worth a look.
inline constexpr double kWeakPickRelevance = 0.55;
// Candidates whose adjusted score lies within this fraction of the best one count as a tie:
// the seed chooses among them.
inline constexpr double kNearTieBand = 0.05;

struct PickRequest {
    std::string query;            // the shot's visual description, or its narration
    int width = 1080;             // output size: its orientation is preferred
    int height = 1920;
    int64_t min_duration_us = 0;  // the shot's length: shorter videos rank lower
};

struct PickOptions {
    double min_relevance = kDefaultMinRelevance;
    double near_tie_band = kNearTieBand;
    size_t candidates = 50;       // hits considered per shot
};

struct Pick {
    Asset chosen;
    double score = 0;                        // the chosen asset's relevance (SearchHit::score)
    std::vector<std::string> matched_terms;
    std::optional<Asset> runner_up;          // the next best candidate, if any
    double runner_up_score = 0;              // its relevance
};

// One optional pick per request, in order. Relevance first, adjusted by suitability (wrong
// orientation ×0.9, a video shorter than the shot ×0.75, less than half the output's short
// side ×0.85); no asset is used twice while unused matches remain (greedy in shot order);
// ties go to the smaller path; `seed` % (number of candidates within the near-tie band)
// picks among near-equal ones, so seed 0 is always the best and other seeds vary the choice.
// Deterministic: same library, requests and seed → same picks.
core::Result<std::vector<std::optional<Pick>>> pick_assets(const Library& library,
                                                           const std::vector<PickRequest>& requests,
                                                           uint64_t seed, const PickOptions& options = {});

}  // namespace sw::library
