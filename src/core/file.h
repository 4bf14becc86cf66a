#pragma once
// Whole-file reading, for the many small files the engine reads (scripts, sidecars, configs,
// data tables, images sent to services). Callers word their own errors: only they know what
// the file is to the user.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace sw::core {

// The file's bytes, or nothing when it cannot be opened or a read fails.
std::optional<std::string> read_file(const std::filesystem::path& path);

// Writes `bytes` to a temporary file beside `path` (unique per process and call, so concurrent
// writers never share one) and renames it over `path`: a reader sees the old file or the whole
// new one, never a part, and a failed write leaves nothing behind. Io error naming the path.
Status write_file_atomic(const std::filesystem::path& path, std::string_view bytes);

// A suffix for temporary files unique to this process and call (".tmp.<pid>.<n>").
std::string unique_temp_suffix();

// shotweave's cache folder for one kind of thing (`name`: "segments", "clips", "tts", ...):
// $XDG_CACHE_HOME/shotweave/<name> (an absolute XDG_CACHE_HOME only, as the XDG spec says), else
// ~/.cache/shotweave/<name>, else <temp>/shotweave/<name>. Nothing is created.
std::filesystem::path user_cache_dir(const std::string& name);

// Temporary files carry the PID of the process writing them ("<name>.part-<pid>.mp4",
// "<key>.<pid>.<n>.mp4", "<name>.tmp.<pid>.<n>"), so that a later run can tell a crashed
// writer's leftovers from a live writer's file. True when no process has that PID, or the
// process that has it runs another program than this one (the PID was reused after the crash):
// then nobody will finish or remove the file. PID 0, our own PID and a live process of our own
// program are never gone.
bool temp_owner_gone(long pid);
// The PID in a temporary file's name: the digits right after `prefix` (the name must start with
// it), or with `marker` given, right after the first `marker` that follows the prefix
// ("<key>.<pid>.<n>.mp4": prefix "", marker "."). 0 when the name has none.
long temp_owner_pid(const std::string& name, const std::string& prefix, const std::string& marker = {});
// Removes the files and folders (with their content) in `dir` whose names carry a PID
// (temp_owner_pid) that is gone (temp_owner_gone); symbolic links are left alone. Returns how
// many were removed; errors are ignored (best effort).
int remove_orphaned_temps(const std::filesystem::path& dir, const std::string& prefix,
                          const std::string& marker = {});

// A file the project reads, for refusing outputs that would overwrite it: `role` says what it is
// to the user, e.g. "the music this script plays (promo.md:5)".
struct ReadFile {
    std::filesystem::path path;
    std::string role;
};

// Checks that `out` may be written by a command that makes it (and its temporary files): not a
// folder; every component at most NAME_MAX bytes less room for the temporary suffix, the whole
// path at most PATH_MAX; the nearest existing folder above it a folder (not a file) and
// writable, and — unless `create_folders` — the parent folder already there; and not the same
// file as any of `inputs` (compared by device and inode when the output exists, which sees
// through symbolic links, "..", hard links and case-insensitive file systems). `shown` names the
// output in messages ("-o out/bgm.mp3", "row 3's output out/x.mp4"). Input error saying what is
// wrong and what to do.
Status check_output_path(const std::filesystem::path& out, const std::string& shown,
                         const std::vector<ReadFile>& inputs, bool create_folders = false);

// True when `path` (existing or not) lies inside the folder `dir`, comparing real paths.
bool is_inside(const std::filesystem::path& path, const std::filesystem::path& dir);

}  // namespace sw::core
