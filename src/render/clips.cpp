#include "render/clips.h"

#include <unistd.h>

#include <cmath>
#include <fstream>
#include <map>
#include <mutex>

#include "core/file.h"
#include "core/sha256.h"
#include "core/text_util.h"
#include "library/library.h"
#include "models/clip_adapter.h"
#include "models/clip_cache.h"
#include "models/clip_scheduler.h"
#include "render/clip_chain.h"
#include "render/visual_pick.h"

namespace sw::render {

namespace fs = std::filesystem;
using How = timeline::VisualChoice::How;

namespace {

// Serves only what the cache holds: the real adapter's identity (so cache keys match) with a
// generate() that refuses. Used for --offline and for `check`.
class CacheOnlyAdapter final : public models::ClipAdapter {
public:
    explicit CacheOnlyAdapter(models::ClipAdapter& real) : m_real(real) {}
    std::string kind() const override { return m_real.kind(); }
    std::string id() const override { return m_real.id(); }
    models::ClipCapabilities capabilities() const override { return m_real.capabilities(); }
    core::Result<fs::path> generate(const models::ClipRequest&, const fs::path&, const models::GenerateControl&) override
    {
        return core::make_error(core::ErrorCategory::Input, "not in the clip cache (--offline)");
    }

private:
    models::ClipAdapter& m_real;
};

// The best library asset for a shot whose clip failed, if the library has one that matches.
std::optional<library::Asset> library_fallback(const timeline::Project& project, const std::string& query)
{
    if (project.library_dir.empty())
        return std::nullopt;
    auto lib = library::Library::open(project.library_dir);
    if (!lib)
        return std::nullopt;
    library::SearchOptions so;
    so.limit = 1;
    so.min_score = library::kDefaultMinRelevance;
    auto hits = lib->search(query, so);
    if (!hits || hits->empty())
        return std::nullopt;
    return hits->front().asset;
}

void use_video(timeline::Shot& s, const fs::path& clip, const std::string& as_written)
{
    s.visual.kind = timeline::VisualKind::Media;
    s.visual.media_type = timeline::MediaType::Video;
    s.visual.path = clip;
    s.visual.path_as_written = as_written;
    s.visual.fit = timeline::Fit::Cover;
    s.visual.move = timeline::Move::None;
    s.visual.trim_from_us.reset();
    s.visual.trim_to_us.reset();
}

}  // namespace

fs::path generator_config_path(const timeline::Project& project)
{
    if (!project.generator_file.empty())
        return project.generator_file;
    fs::path t = project.base_dir / "shotweave.toml";
    std::error_code ec;
    if (fs::is_regular_file(t, ec) && core::read_file(t).value_or("").find("[generator") != std::string::npos)
        return t;
    return {};
}

void prepare_generated_clips(timeline::Project& project, const std::vector<int64_t>& speech_us, const ClipOptions& options,
                             core::Diagnostics& diag)
{
    using VK = timeline::VisualKind;
    std::vector<size_t> wanted;
    for (size_t i = 0; i < project.shots.size(); ++i) {
        const auto& s = project.shots[i];
        if (s.visual.kind == VK::Generate ||
            ((s.visual.kind == VK::Description || s.visual.kind == VK::None) && s.choice.how == How::Scene))
            wanted.push_back(i);
    }
    if (wanted.empty())
        return;
    const fs::path cfg_path = generator_config_path(project);
    if (cfg_path.empty())
        return;
    const core::SourceLoc cfg_loc = project.generator_loc.valid() ? project.generator_loc : core::SourceLoc{cfg_path.string(), 0, 0};
    auto cfg = models::load_generator_config(cfg_path);
    if (!cfg) {
        core::Error e = cfg.error();
        diag.error(e.where.valid() ? e.where : cfg_loc, e.message, e.detail);
        return;
    }
    auto real = models::make_clip_adapter(*cfg);
    if (!real) {
        diag.error(cfg_loc, "generator: " + real.error().message, real.error().detail);
        return;
    }
    CacheOnlyAdapter cache_only(**real);
    models::ClipAdapter& adapter = options.offline || options.dry_run ? static_cast<models::ClipAdapter&>(cache_only) : **real;
    const models::ClipCapabilities caps = adapter.capabilities();
    const std::string gen_name = cfg->name.empty() ? cfg->kind : cfg->name;

    // Scratch space for the first-frame images of chained clips.
    const fs::path work = fs::temp_directory_path() / ("shotweave-clips-" + std::to_string(getpid()));
    std::error_code ec;
    fs::create_directories(work, ec);

    struct ShotJobs {
        size_t shot;
        size_t first;
        int count;
    };
    std::vector<models::ClipJob> jobs;
    std::vector<ShotJobs> per_shot;
    std::map<size_t, size_t> last_job_of_shot;
    auto chain_from = [work](size_t job_index) {
        return [work, job_index](models::ClipRequest& r, const fs::path& dep) -> core::Status {
            fs::path png = work / ("last-" + std::to_string(job_index) + ".png");
            SW_TRY_STATUS(save_last_frame_png(dep, png));
            r.init_image = png;
            return {};
        };
    };
    const double max_s = std::max(0.5, caps.max_seconds);
    for (size_t i : wanted) {
        const auto& s = project.shots[i];
        // A little longer than the shot: transitions and rounding never run it short.
        const double want = std::max(caps.min_seconds, shot_length_wanted_us(s, i, speech_us) / 1e6 + 0.5);
        const int n = std::max(1, (int)std::ceil(want / max_s - 1e-9));
        ShotJobs sj{i, jobs.size(), n};
        for (int c = 0; c < n; ++c) {
            models::ClipJob j;
            j.label = s.name + (n > 1 ? " (clip " + std::to_string(c + 1) + "/" + std::to_string(n) + ")" : "");
            j.request.prompt = visual_query(s);
            j.request.seconds = c + 1 < n ? max_s : std::max(caps.min_seconds, want - max_s * (n - 1));
            j.request.fps = (int)std::lround(project.fps.to_double());
            j.request.width = project.width;
            j.request.height = project.height;
            j.request.seed = project.seed + i * 1000 + c;
            j.target = models::NormalizeTarget{project.width, project.height, project.fps, 0};
            const size_t idx = jobs.size();
            if (c > 0) {
                j.depends_on = (int)idx - 1;
                j.prepare = chain_from(idx);
            } else if (s.continue_previous && i > 0) {
                // The previous shot's last frame starts this one: its generated clip, or its media.
                const auto& prev = project.shots[i - 1];
                if (auto it = last_job_of_shot.find(i - 1); it != last_job_of_shot.end()) {
                    j.depends_on = (int)it->second;
                    j.prepare = chain_from(idx);
                } else if (prev.visual.kind == VK::Media && prev.visual.media_type == timeline::MediaType::Image) {
                    j.request.init_image = prev.visual.path;
                } else if (prev.visual.kind == VK::Media) {
                    fs::path src = prev.visual.path;
                    j.prepare = [work, idx, src](models::ClipRequest& r, const fs::path&) -> core::Status {
                        fs::path png = work / ("last-" + std::to_string(idx) + ".png");
                        SW_TRY_STATUS(save_last_frame_png(src, png));
                        r.init_image = png;
                        return {};
                    };
                } else {
                    diag.warning(s.continue_loc, "shot \"" + s.name + "\": `continue` has no previous picture to start from",
                                 "the previous shot is a built-in scene or title card; its clip starts fresh");
                }
            }
            jobs.push_back(std::move(j));
        }
        last_job_of_shot[i] = jobs.size() - 1;
        per_shot.push_back(sj);
    }

    models::ClipSchedulerOptions so;
    so.work_dir = work / "attempts";
    so.cancel = options.cancel.flag();
    so.cache_dir = options.cache_dir;
    std::mutex mu;
    so.on_progress = [&](const models::ClipProgress& p) {
        if (!options.on_progress || options.dry_run)
            return;
        char buf[64];
        std::snprintf(buf, sizeof buf, " %3d%%", (int)std::lround(p.fraction * 100));
        std::string line = p.label + ": " + models::to_string(p.state) +
                           (p.state == models::ClipJobState::Running ? buf : "") +
                           (p.attempt > 1 ? " (attempt " + std::to_string(p.attempt) + ")" : "") +
                           (p.message.empty() ? "" : " — " + p.message);
        std::lock_guard lock(mu);
        options.on_progress(line);
    };
    models::ClipScheduler scheduler(adapter, *cfg, so);
    auto results = scheduler.run(jobs);
    models::ClipCache cache(so.cache_dir.empty() ? models::default_clip_cache_dir() : so.cache_dir);

    for (const auto& sj : per_shot) {
        auto& s = project.shots[sj.shot];
        std::vector<fs::path> clips;
        const core::Error* failure = nullptr;
        int cached = 0;
        for (int c = 0; c < sj.count; ++c) {
            const auto& r = results[sj.first + c];
            if (!r.ok()) {
                failure = &*r.error;
                break;
            }
            cached += r.cached;
            clips.push_back(r.clip);
        }
        const core::SourceLoc where = s.visual.loc.valid() ? s.visual.loc : s.loc;
        if (!failure) {
            fs::path clip = clips.front();
            std::string continuity;
            if (clips.size() > 1) {
                // The joined chain is cached beside its clips, keyed by them.
                std::string names;
                for (auto& c : clips)
                    names += c.filename().string() + "\n";
                const std::string key = core::sha256_hex(names + std::to_string(project.width) + "x" +
                                                            std::to_string(project.height) + "@" + project.fps.to_string());
                fs::path joined = cache.clip_path(key).parent_path() / ("chain-" + key + ".mp4");
                fs::path report_file = joined;
                report_file.replace_extension(".txt");
                if (fs::is_regular_file(joined, ec) && fs::is_regular_file(report_file, ec)) {
                    continuity = core::read_file(report_file).value_or("");
                } else {
                    auto rep = join_chain(clips, joined, project.width, project.height, project.fps, true);
                    if (!rep) {
                        diag.error(where, "shot \"" + s.name + "\": joining its " + std::to_string(clips.size()) +
                                              " generated clips failed: " + rep.error().message,
                                   rep.error().detail);
                        continue;
                    }
                    continuity = rep->summary();
                    std::ofstream(report_file) << continuity;
                }
                clip = joined;
            }
            s.choice.how = How::Model;
            s.choice.query = visual_query(s);
            s.choice.generator = gen_name;
            s.choice.clips = (int)clips.size();
            s.choice.cached_clips = cached;
            s.choice.continuity = continuity;
            use_video(s, clip, "generated by " + gen_name);
            continue;
        }
        const std::string cause = failure->message;
        if (options.dry_run) {
            s.choice.note = "a render generates " + std::to_string(sj.count) + " clip" + (sj.count > 1 ? "s" : "") +
                            " with " + gen_name;
            continue;
        }
        if (options.strict) {
            diag.error(where, "shot \"" + s.name + "\": its clip could not be generated by " + gen_name + ": " + cause,
                       failure->detail.empty() ? "without --strict the shot falls back to the library or a built-in scene"
                                               : failure->detail);
            continue;
        }
        std::string fallback;
        if (auto asset = library_fallback(project, visual_query(s))) {
            use_video(s, asset->path, (fs::path(project.library_as_written) / asset->rel_path).string());
            if (asset->kind == library::AssetKind::Image) {
                s.visual.media_type = timeline::MediaType::Image;
                s.visual.move = timeline::Move::ZoomIn;
            }
            s.choice.how = How::Library;
            s.choice.asset = asset->rel_path;
            fallback = "the library's " + asset->rel_path;
        } else {
            if (s.choice.how != How::Scene) {
                auto q = visual_query(s);
                s.choice.how = How::Scene;
                s.choice.query = q;
            }
            fallback = "a built-in scene";
        }
        s.choice.note = "clip not generated (" + cause + "); using " + fallback;
        diag.warning(where, "shot \"" + s.name + "\": its clip could not be generated by " + gen_name + " (" + cause +
                                "); using " + fallback,
                     options.offline ? "render without --offline (or `shotweave generate`) to make it"
                                     : "the video is still made; --strict makes this an error");
    }
    fs::remove_all(work, ec);
}

}  // namespace sw::render
