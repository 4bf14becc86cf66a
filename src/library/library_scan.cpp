// Walking the media folder and analysing one file: probe, sidecars, embedded tags.

#include "library/library_scan.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "core/file.h"
#include "core/text_util.h"
#include "media/media.h"

namespace sw::library::scan {

namespace {

bool stat_file(const fs::path& p, struct stat& st) { return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode); }

int64_t mtime_ns(const struct stat& st) { return (int64_t)st.st_mtim.tv_sec * 1'000'000'000 + st.st_mtim.tv_nsec; }

// The sidecars a file may have, in the order they are read: photo.jpg.txt, photo.jpg.json,
// photo.json.
std::vector<fs::path> sidecar_paths(const fs::path& media)
{
    fs::path txt = media, json = media, stem_json = media;
    txt += ".txt";
    json += ".json";
    stem_json.replace_extension(".json");
    return {txt, json, stem_json};
}

std::string sidecar_signature(const fs::path& media)
{
    std::string sig;
    for (auto& p : sidecar_paths(media)) {
        struct stat st;
        if (stat_file(p, st))
            sig += p.filename().string() + ':' + std::to_string(st.st_size) + ':' + std::to_string(mtime_ns(st)) + ';';
    }
    return sig;
}

void walk_dir(const fs::path& root, const fs::path& rel_dir, WalkResult& out)
{
    fs::path dir = rel_dir.empty() ? root : root / rel_dir;
    DIR* d = ::opendir(dir.c_str());
    if (!d) {
        if (!rel_dir.empty())
            out.unreadable.push_back({rel_dir.generic_string() + "/",
                                      std::string("folder cannot be read (") + std::strerror(errno) +
                                          ") — fix its permissions, e.g. chmod a+rx, to include it"});
        return;
    }
    std::unique_ptr<DIR, int (*)(DIR*)> guard(d, ::closedir);
    std::vector<std::string> names;
    while (dirent* e = ::readdir(d)) {
        std::string n = e->d_name;
        if (n.empty() || n[0] == '.')  // ".", "..", hidden files, our database
            continue;
        names.push_back(std::move(n));
    }
    std::sort(names.begin(), names.end());
    for (auto& n : names) {
        fs::path rel = rel_dir / n;
        fs::path abs = root / rel;
        struct stat lst;
        if (::lstat(abs.c_str(), &lst) != 0)
            continue;
        if (S_ISDIR(lst.st_mode)) {
            walk_dir(root, rel, out);
            continue;
        }
        media::MediaKind mk = media::kind_from_extension(abs);
        if (mk != media::MediaKind::Image && mk != media::MediaKind::Video)
            continue;
        struct stat st;  // follows a symlinked file to what it points at
        if (!stat_file(abs, st))
            continue;
        FileStat f;
        f.rel = rel.generic_string();
        f.abs = abs;
        f.kind = mk == media::MediaKind::Image ? AssetKind::Image : AssetKind::Video;
        f.size = st.st_size;
        f.mtime_ns = mtime_ns(st);
        f.sidecar_sig = sidecar_signature(abs);
        out.files.push_back(std::move(f));
    }
}

void add_unique(std::vector<std::string>& v, std::string s)
{
    s = std::string(core::trim(s));
    if (!s.empty() && std::find(v.begin(), v.end(), s) == v.end())
        v.push_back(std::move(s));
}

// Reads the sidecars of `media` into the asset's description and tags.
void read_sidecars(const fs::path& media, Asset& a, std::vector<std::string>& notes)
{
    auto paths = sidecar_paths(media);
    std::vector<std::string> descriptions;
    if (auto t = core::read_file(paths[0]))
        add_unique(descriptions, *t);
    for (size_t i = 1; i < paths.size(); ++i) {
        auto t = core::read_file(paths[i]);
        if (!t)
            continue;
        // nlohmann throws on bad input; nothing may escape the module, so parse without
        // exceptions and inspect the types before reading.
        nlohmann::json j = nlohmann::json::parse(*t, nullptr, /*allow_exceptions=*/false);
        if (j.is_discarded() || !j.is_object()) {
            notes.push_back(paths[i].filename().string() + ": not a JSON object such as {\"description\": \"...\", "
                                                           "\"tags\": [\"...\"]} — ignored");
            continue;
        }
        for (const char* key : {"title", "description"})
            if (auto it = j.find(key); it != j.end() && it->is_string())
                add_unique(descriptions, it->get<std::string>());
        if (auto it = j.find("tags"); it != j.end()) {
            if (it->is_array()) {
                for (auto& tag : *it)
                    if (tag.is_string())
                        add_unique(a.tags, tag.get<std::string>());
            } else if (it->is_string()) {
                add_unique(a.tags, it->get<std::string>());
            }
        }
    }
    for (auto& d : descriptions)
        a.description += (a.description.empty() ? "" : "\n") + d;
}

}  // namespace

WalkResult walk(const fs::path& root)
{
    WalkResult r;
    walk_dir(root, {}, r);
    std::sort(r.files.begin(), r.files.end(), [](const FileStat& a, const FileStat& b) { return a.rel < b.rel; });
    return r;
}

Analysed analyse(const FileStat& f)
{
    Analysed out;
    Asset& a = out.asset;
    a.path = f.abs;
    a.rel_path = f.rel;
    a.kind = f.kind;
    a.size_bytes = f.size;

    auto info = media::probe(f.abs);
    if (!info) {
        // probe's messages start with the full path; the skipped list shows the relative one.
        std::string msg = info.error().message;
        std::string shown = f.abs.string();
        if (msg.rfind(shown, 0) == 0)
            msg = f.rel + msg.substr(shown.size());
        out.reason = msg;
        if (!info.error().detail.empty())
            out.reason += " (" + info.error().detail + ")";
        return out;
    }
    a.width = info->display_width;
    a.height = info->display_height;
    a.has_audio = info->has_audio;
    if (f.kind == AssetKind::Video) {
        a.duration_us = info->duration_us;
        a.fps = info->avg_frame_rate;
    }

    int orientation = 0;
    std::string meta;
    for (auto& [k, v] : embedded_tags(f.abs, f.kind, &orientation))
        meta += k + ": " + v + "\n";
    if (!meta.empty())
        meta.pop_back();
    a.metadata = std::move(meta);
    // EXIF orientations 5-8 turn the picture a quarter: shown portrait if stored landscape.
    if (orientation >= 5 && orientation <= 8 && info->rotation == 0)
        std::swap(a.width, a.height);

    read_sidecars(f.abs, a, out.notes);
    out.ok = true;
    return out;
}

}  // namespace sw::library::scan
