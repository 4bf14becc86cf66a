#pragma once
// Walking a media folder and reading what the index stores about each file (internal to
// sw_library; library.cpp owns the database side).

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "library/library.h"

namespace sw::library::scan {

// What is cheap to learn about a file (one stat per file and sidecar): enough to tell whether
// it changed since it was indexed.
struct FileStat {
    std::string rel;       // '/'-separated, relative to the root
    fs::path abs;
    AssetKind kind = AssetKind::Image;
    int64_t size = 0;
    int64_t mtime_ns = 0;
    std::string sidecar_sig;  // names, sizes and mtimes of the sidecars present
};

struct WalkResult {
    std::vector<FileStat> files;             // sorted by rel
    std::vector<SkippedFile> unreadable;     // folders that could not be listed
};

// Every image and video under `root` (by extension), recursively. Hidden files and folders
// (".name": also our own database and its journal) are skipped; symlinked folders are not
// followed (no loops), symlinked files are.
WalkResult walk(const fs::path& root);

// A file read in full: probed, sidecars and embedded tags read.
struct Analysed {
    bool ok = false;
    std::string reason;              // when !ok: why it is skipped
    Asset asset;
    std::vector<std::string> notes;  // e.g. a sidecar that is not valid JSON
};
Analysed analyse(const FileStat& f);

// Embedded metadata worth searching ("key", "value"): container/stream tags of videos
// (title, comment, description, keywords, artist, location, ...), EXIF/XMP of JPEG and
// PNG pictures. `exif_orientation` receives the EXIF orientation (1-8) if the picture has one.
std::vector<std::pair<std::string, std::string>> embedded_tags(const fs::path& path, AssetKind kind,
                                                               int* exif_orientation);

}  // namespace sw::library::scan
