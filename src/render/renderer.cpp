#include "render/renderer.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <mutex>
#include <optional>

#include "audio/audio_decode.h"
#include "audio/loudness.h"
#include "audio/mix.h"
#include "core/cancel.h"
#include "core/file.h"
#include "export/subtitles_export.h"
#include "render/segment_cache.h"
#include "render/segment_plan.h"
#include "render/segment_render.h"

namespace sw::render {

using core::Error;
using core::ErrorCategory;
using core::Frame;

namespace {

// The limiter aims 0.5 dB under the script's true-peak ceiling (default -1 dBTP) because AAC
// encoding itself lets inter-sample peaks overshoot by a few tenths.
constexpr double kAacHeadroomDb = 0.5;

// The soundtrack for the whole timeline (cheap next to the pictures): the voice-over placed per
// the plan, the music bed fitted to the video's length and ducked under the voice, the sum
// normalised to the platforms' loudness. Empty when there is neither.
core::Result<std::vector<float>> build_soundtrack(const timeline::Project& project, const timeline::Plan& plan,
                                                  const VoiceOver* voice)
{
    const int64_t samples = core::frames_to_samples(plan.total_frames, plan.fps);
    std::vector<float> speech;
    if (voice && std::any_of(voice->speech.begin(), voice->speech.end(), [](auto& s) { return !s.samples.empty(); }))
        speech = voice_track(*voice, plan, samples);
    std::vector<float> bed;
    std::optional<audio::DuckSettings> duck;
    if (project.music) {
        const auto& m = *project.music;
        auto music = audio::decode_audio(m.path, 2);
        if (!music)
            return tl::unexpected(core::in_context(music.error(), "music", m.loc));
        audio::MusicSettings settings;
        settings.volume_db = m.volume_db;
        settings.fade_in = m.fade_in_us * audio::kSampleRate / 1'000'000;
        settings.fade_out = m.fade_out_us * audio::kSampleRate / 1'000'000;
        if (!speech.empty()) {
            // Under a voice the music is placed by loudness against the speech: `bed` under it in
            // the pauses, `duck` under it while words are spoken. Measured as it plays, unfaded.
            audio::MusicSettings flat;
            flat.fade_in = flat.fade_out = 0;
            audio::BedLevels levels;
            levels.bed_db = m.bed_db;
            levels.duck_db = m.duck_db;
            levels.volume_db = m.volume_db;
            const audio::BedPlan plan = audio::plan_bed(speech, audio::fit_music(*music, samples, flat), levels);
            settings.volume_db = plan.music_gain_db;
            duck = plan.duck;
        }
        bed = audio::fit_music(*music, samples, settings);
    }
    // Clips whose own sound is kept: their trimmed audio at the shot's place, faded in and out
    // over the transitions so cuts do not click. Not ducked: the user chose to hear it.
    std::vector<float> clips;
    for (size_t i = 0; i < project.shots.size(); ++i) {
        const auto& shot = project.shots[i];
        if (!shot.keep_audio || shot.visual.media_type != timeline::MediaType::Video)
            continue;
        auto sound = audio::decode_audio(shot.visual.path, 2);
        if (!sound) {
            // A clip without sound was a warning at check time: nothing to add.
            continue;
        }
        const auto& ps = plan.shots[i];
        const int64_t at = core::frames_to_samples(ps.start_frame, plan.fps), len = core::frames_to_samples(ps.frames, plan.fps);
        const int64_t from = shot.visual.trim_from_us.value_or(0) * 48 / 1000;
        const int64_t fade_in = std::max<int64_t>(480, core::frames_to_samples(ps.in_frames, plan.fps));
        const int64_t fade_out = std::max<int64_t>(480, core::frames_to_samples(ps.out_frames, plan.fps));
        if (clips.empty())
            clips.assign(size_t(samples) * 2, 0.0f);
        for (int64_t k = 0; k < len && at + k < samples; ++k) {
            const int64_t src = from + k;
            if (src * 2 + 1 >= (int64_t)sound->size())
                break;
            float g = std::min({1.0f, float(k) / float(fade_in), float(len - k) / float(fade_out)});
            clips[size_t(at + k) * 2] += (*sound)[size_t(src) * 2] * g;
            clips[size_t(at + k) * 2 + 1] += (*sound)[size_t(src) * 2 + 1] * g;
        }
    }
    if (speech.empty() && bed.empty() && clips.empty())
        return std::vector<float>{};
    std::vector<float> gain;
    if (duck && duck->depth_db < 0)
        gain = audio::duck_envelope(speech, *duck);
    const double ceiling = project.true_peak_dbtp - kAacHeadroomDb;
    if (!duck) {
        std::vector<float> out = audio::mix(speech, bed, gain, clips, samples);
        audio::normalize(out, project.loudness_lufs, ceiling);
        return out;
    }
    // The true-peak limiter takes more from a peaky voice (espeak-ng's loses 1-2 LU at -14 LUFS)
    // than from a steady bed, which would lift the music against the speech. So the bed comes
    // down by what the voice lost and the mix is made again. How much the limiter takes depends a
    // little on the bed (normalisation passes come and go), so up to three tries keep the one whose
    // correction best matches its own loss.
    std::vector<float> out, applied, scaled;
    double correction = 0, best_error = INFINITY;
    for (int pass = 0; pass < 3; ++pass) {
        scaled = bed;
        const float k = std::pow(10.0f, float(correction) / 20.0f);
        for (float& x : scaled)
            x *= k;
        std::vector<float> tried = audio::mix(speech, scaled, gain, clips, samples);
        audio::normalize(tried, project.loudness_lufs, ceiling, &applied);
        const double loss = audio::limiter_loss_db(speech, applied);
        const double error = std::fabs(correction - loss);
        if (error < best_error) {
            best_error = error;
            out = std::move(tried);
        }
        if (error <= 0.25)
            break;
        correction = loss;
    }
    return out;
}

}  // namespace

core::Status render_project(const timeline::Project& project, const timeline::Plan& plan, const RenderOptions& options)
{
    if (plan.shots.size() != project.shots.size() || plan.total_frames <= 0)
        return core::make_error(ErrorCategory::Internal, "render called with an invalid plan");

    SharedOptions so;
    so.width = options.width;
    so.height = options.height;
    so.decoder_threads = options.decoder_threads;
    so.encode = options.encode;
    so.voice = options.voice;
    so.side_cues = options.write_srt || options.write_ass;
    const RenderShared sh = SW_TRY(prepare_shared(project, plan, so));
    const std::vector<Segment> segments = split_segments(plan);

    std::optional<RenderPool> own_pool;
    RenderPool* pool = options.pool;
    if (!pool)
        pool = &own_pool.emplace(options.workers > 0 ? options.workers
                                                     : RenderPool::default_workers(sh.ctx.width, sh.ctx.height));

    // Without a cache the segments go to a private folder beside the output, removed at the end.
    SegmentCache* cache = options.cache;
    std::filesystem::path scratch;
    struct ScratchGuard {
        std::filesystem::path dir;
        ~ScratchGuard()
        {
            std::error_code ec;
            if (!dir.empty())
                std::filesystem::remove_all(dir, ec);
        }
    } scratch_guard;
    if (!cache) {
        std::filesystem::path out = options.output;
        scratch = (out.has_parent_path() ? out.parent_path() : std::filesystem::path(".")) /
                  ("." + out.filename().string() + ".segments-" + core::unique_temp_suffix());
        std::error_code ec;
        std::filesystem::create_directories(scratch, ec);
        if (ec)
            return core::make_error(ErrorCategory::Io, "cannot create a working folder beside " + out.string(),
                                    ec.message(), {});
        scratch_guard.dir = scratch;
    }

    // Progress counts frames encoded now plus frames found in the cache. Counted and reported
    // under one lock so that reports from several workers arrive in order.
    const auto t0 = std::chrono::steady_clock::now();
    int64_t done = 0;
    int segments_done = 0, segments_reused = 0;
    std::mutex progress_mutex;
    auto report = [&](int64_t frames, int finished, bool reused) {
        std::lock_guard lock(progress_mutex);
        done += frames;
        segments_done += finished;
        if (reused)
            segments_reused += finished;
        if (options.on_progress) {
            double el = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            options.on_progress({done, plan.total_frames, el, segments_done, (int)segments.size(), segments_reused});
        }
    };

    RenderStats stats;
    const core::CancelToken cancel = options.cancel;
    auto stop = std::make_shared<std::atomic<bool>>(false);
    const void* owner = stop.get();  // tags this render's jobs in the shared pool
    std::vector<std::filesystem::path> paths(segments.size());
    std::vector<std::optional<RenderPool::Ticket>> tickets(segments.size());
    std::vector<std::string> keys(segments.size()), materials(segments.size());

    auto make_job = [&, stop](size_t i, std::string key, std::string material) -> RenderPool::Job {
        const Segment seg = segments[i];
        return [&sh, &report, cache, scratch, seg, i, key = std::move(key), material = std::move(material), stop,
                cancel]() -> core::Result<std::filesystem::path> {
            auto stopped = [&] { return stop->load() || cancel.cancelled(); };
            if (stopped())
                return core::make_error(ErrorCategory::Cancelled, "render stopped");
            const std::filesystem::path out =
                cache ? cache->temp_path(key) : scratch / ("segment-" + std::to_string(i) + ".mp4");
            auto st = render_segment(sh, seg, out, stopped, [&report] { report(1, 0, false); });
            if (!st) {
                std::error_code ec;
                std::filesystem::remove(out, ec);
                return tl::unexpected(st.error());
            }
            report(0, 1, false);
            if (cache)
                return cache->store(key, out, segment_label(sh, seg), material);
            return out;
        };
    };

    core::Status status;
    for (size_t i = 0; i < segments.size() && status; ++i) {
        if (cancel.cancelled()) {
            status = tl::unexpected(cancel.error());
            break;
        }
        if (cache) {
            auto m = segment_material(sh, segments[i], [cache](const std::filesystem::path& p) { return cache->file_digest(p); });
            if (!m) {
                status = tl::unexpected(m.error());
                break;
            }
            materials[i] = std::move(*m);
            keys[i] = segment_key(materials[i]);
            if (auto hit = cache->lookup(keys[i])) {
                paths[i] = *hit;
                ++stats.reused;
                report(segments[i].frames, 1, true);
                continue;
            }
        }
        bool shared = false;
        tickets[i] = pool->submit(keys[i], make_job(i, keys[i], materials[i]), &shared, owner);
        ++(shared ? stats.shared : stats.rendered);
    }

    // The sound is mixed while the workers render the pictures.
    core::Result<std::vector<float>> soundtrack = std::vector<float>{};
    if (status)
        soundtrack = build_soundtrack(project, plan, options.voice);
    if (status && !soundtrack)
        status = tl::unexpected(soundtrack.error());
    auto halt = [&] {
        stop->store(true);
        pool->drop_queued(owner);  // this render's segments that have not started
    };
    if (!status)
        halt();

    // Every job is waited for, even after a failure: they use this function's data. A cancel is
    // noticed while waiting, so that queued segments leave the pool at once.
    for (size_t i = 0; i < segments.size(); ++i) {
        if (!tickets[i])
            continue;
        while (tickets[i]->wait_for(std::chrono::milliseconds(50)) != std::future_status::ready)
            if (!stop->load() && cancel.cancelled())
                halt();
        auto r = tickets[i]->get();
        if (!r && status && r.error().category == ErrorCategory::Cancelled && !cancel.cancelled() && !stop->load()) {
            // A job shared with another video that gave up on it: render it for this one.
            r = make_job(i, keys[i], materials[i])();
        }
        if (!r) {
            if (status) {
                status = tl::unexpected(r.error());
                halt();
            }
            continue;
        }
        paths[i] = *r;
    }
    if (options.stats)
        *options.stats = stats;
    if (cancel.cancelled())
        return tl::unexpected(cancel.error());
    if (!status)
        return status;

    media::EncodeSettings enc = options.encode;
    enc.width = sh.ctx.width;
    enc.height = sh.ctx.height;
    enc.fps = plan.fps;
    auto joined = media::join_segments(paths, options.output, enc, std::move(*soundtrack));
    if (!joined)
        return tl::unexpected(joined.error());
    if (joined->frames != plan.total_frames) {
        std::error_code ec;
        std::filesystem::remove(options.output, ec);
        return core::make_error(ErrorCategory::Internal, "the joined video has " + std::to_string(joined->frames) +
                                                             " frames instead of " + std::to_string(plan.total_frames));
    }
    if (cache && options.evict)
        cache->evict();

    if (options.write_srt || options.write_ass) {
        std::vector<exporter::Cue> out;
        for (auto& c : sh.side_cues)
            out.push_back({core::frames_to_us(c.start_frame, plan.fps), core::frames_to_us(c.end_frame, plan.fps), c.text});
        auto side = [&](const char* ext) {
            std::filesystem::path p = options.output;
            return p.replace_extension(ext);
        };
        if (options.write_srt)
            SW_TRY_STATUS(core::write_file_atomic(side(".srt"), exporter::to_srt(out)));
        if (options.write_ass)
            SW_TRY_STATUS(core::write_file_atomic(
                side(".ass"), exporter::to_ass(out, *sh.subtitle_style, sh.ctx.width, sh.ctx.height)));
    }
    return {};
}

}  // namespace sw::render
