#include "engine/outputs.h"

#include "audio/tts_config.h"
#include "render/clips.h"

namespace fs = std::filesystem;

namespace sw::engine {

std::vector<core::ReadFile> project_inputs(const timeline::Project& p)
{
    std::vector<core::ReadFile> files;
    auto at = [](const core::SourceLoc& loc) { return loc.valid() ? " (" + loc.to_string() + ")" : std::string(); };
    if (!p.script_path.empty())
        files.push_back({p.script_path, "the script"});
    for (auto& s : p.shots) {
        if (s.visual.kind == timeline::VisualKind::Media && !s.visual.path.empty())
            files.push_back({s.visual.path, "the media of shot \"" + s.name + "\"" + at(s.visual.loc)});
        if (!s.voice_file.empty()) {
            files.push_back({s.voice_file, "the recorded voice of shot \"" + s.name + "\"" + at(s.voice_file_loc)});
            fs::path srt = s.voice_file;
            files.push_back({srt.replace_extension(".srt"),
                             "the subtitles of the recorded voice of shot \"" + s.name + "\"" + at(s.voice_file_loc)});
        }
    }
    if (p.music)
        files.push_back({p.music->path, "the music this script plays" + at(p.music->loc)});
    if (p.logo)
        files.push_back({p.logo->path, "the logo this script shows" + at(p.logo->loc)});
    if (!p.words_file.empty())
        files.push_back({p.words_file, "the word list beside the script"});
    fs::path gen = render::generator_config_path(p);
    if (!gen.empty())
        files.push_back({gen, "the generator settings" + at(p.generator_loc)});
    // The speech settings and the recordings cloned voices are made from (a broken table is
    // reported when the voice is prepared; here it only protects what it names).
    if (fs::path tts = audio::tts_config_path(p.base_dir); !tts.empty()) {
        if (tts != gen)
            files.push_back({tts, "the speech settings ([tts])"});
        if (auto cfg = audio::load_tts_config(tts))
            for (const auto& [name, v] : cfg->voices)
                if (!v.prompt_wav.empty())
                    files.push_back({v.prompt_wav, "the recording of voice \"" + name + "\"" + at(cfg->where["voices." + name])});
    }
    return files;
}

core::Status check_outputs(const std::vector<std::pair<fs::path, std::string>>& outputs, const timeline::Project& p,
                           const std::vector<core::ReadFile>& extra_inputs, bool create_folders,
                           core::Diagnostics& warnings)
{
    std::vector<core::ReadFile> inputs = project_inputs(p);
    inputs.insert(inputs.end(), extra_inputs.begin(), extra_inputs.end());
    for (auto& [file, label] : outputs) {
        SW_TRY_STATUS(core::check_output_path(file, label, inputs, create_folders));
        std::error_code ec;
        if (!p.library_dir.empty() && core::is_inside(file, p.library_dir)) {
            const std::string lib = p.library_as_written.empty() ? p.library_dir.string() : p.library_as_written;
            const std::string at = p.library_loc.valid() ? " (" + p.library_loc.to_string() + ")" : "";
            if (fs::exists(file, ec))
                return core::make_error(core::ErrorCategory::Input,
                                        label + " is a file in the library folder " + lib + at +
                                            " — choose an output outside it");
            warnings.warning(p.library_loc, label + " lies inside the library folder " + lib +
                                                ": the next index will take it for footage",
                             "write outputs outside the library folder");
        }
    }
    return {};
}

void remove_orphaned_temps_beside(const fs::path& out)
{
    const fs::path dir = out.has_parent_path() ? out.parent_path() : fs::path(".");
    for (const char* ext : {".srt", ".ass"})
        core::remove_orphaned_temps(dir, fs::path(out).replace_extension(ext).filename().string() + ".tmp.");
    core::remove_orphaned_temps(dir, out.filename().string() + ".batch.json.part-");
    core::remove_orphaned_temps(dir, "." + out.filename().string() + ".segments-.tmp.");
}

core::Status check_cache_dir(const fs::path& dir, const timeline::Project& p)
{
    if (dir.empty())
        return {};
    for (auto& in : project_inputs(p)) {
        std::error_code ec;
        if (fs::exists(dir, ec) && fs::exists(in.path, ec) && fs::equivalent(dir, in.path, ec))
            return core::make_error(core::ErrorCategory::Input,
                                    "--cache-dir " + dir.string() + " is " + in.role + " — choose another folder");
    }
    // (A file in the cache folder lies in the library when the folder is the library or in it.)
    if (!p.library_dir.empty() && core::is_inside(dir / "x", p.library_dir))
        return core::make_error(core::ErrorCategory::Input,
                                "--cache-dir " + dir.string() + " lies in the library folder " +
                                    p.library_dir.string() + " — its videos would be indexed as footage; choose "
                                    "another folder");
    return {};
}

}  // namespace sw::engine
