#include "render/renderer.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <chrono>
#include <mutex>
#include <optional>
#include <thread>

#include "audio/audio_decode.h"
#include "audio/loudness.h"
#include "audio/mix.h"
#include "core/cancel.h"
#include "core/file.h"
#include "core/frame_pool.h"
#include "effects/transition.h"
#include "render/bounded_queue.h"
#include "render/shot_source.h"
#include "export/subtitles_export.h"
#include "render/image_ops.h"
#include "render/subtitles.h"
#include "text/logo.h"
#include "text/subtitle.h"

namespace sw::render {

using core::Error;
using core::ErrorCategory;
using core::Frame;

namespace {

// The limiter aims 0.5 dB under the script's true-peak ceiling (default -1 dBTP) because AAC
// encoding itself lets inter-sample peaks overshoot by a few tenths.
constexpr double kAacHeadroomDb = 0.5;

// First error wins; everyone else stops.
class ErrorSlot {
public:
    void set(Error e)
    {
        std::lock_guard lock(m_mutex);
        if (!m_error)
            m_error = std::move(e);
        m_failed = true;
    }
    bool failed() const { return m_failed.load(std::memory_order_relaxed); }
    std::optional<Error> take()
    {
        std::lock_guard lock(m_mutex);
        return m_error;
    }

private:
    std::mutex m_mutex;
    std::optional<Error> m_error;
    std::atomic<bool> m_failed{false};
};

// Runs one shot's source in a thread, a few frames ahead of the compositor.
class ShotRunner {
public:
    ShotRunner(const timeline::Shot& shot, const timeline::PlannedShot& planned, const RenderContext& ctx)
        : m_queue(3)
    {
        m_thread = std::thread([this, &shot, planned, ctx] {
            auto source = make_shot_source(shot, planned, ctx);
            if (!source) {
                m_queue.push(tl::unexpected(source.error()));
                m_queue.close();
                return;
            }
            for (int64_t k = 0; k < planned.frames; ++k) {
                if (core::cancelled() || m_stop.load(std::memory_order_relaxed))
                    break;
                auto frame = (*source)->next();
                bool failed = !frame;
                if (!m_queue.push(std::move(frame)) || failed)
                    break;
            }
            m_queue.close();
        });
    }
    ~ShotRunner()
    {
        m_stop = true;
        m_queue.cancel();
        if (m_thread.joinable())
            m_thread.join();
    }

    core::Result<Frame> pop()
    {
        auto item = m_queue.pop();
        if (!item)
            return core::make_error(core::cancelled() ? ErrorCategory::Cancelled : ErrorCategory::Internal,
                                    core::cancelled() ? "render cancelled" : "a shot ended before its planned length");
        return std::move(*item);
    }

private:
    BoundedQueue<core::Result<Frame>> m_queue;
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
};

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
    if (project.music) {
        const auto& m = *project.music;
        auto music = audio::decode_audio(m.path, 2);
        if (!music) {
            core::Error e = music.error();
            e.message = "music: " + e.message;
            if (!e.where.valid())
                e.where = m.loc;
            return tl::unexpected(e);
        }
        audio::MusicSettings settings;
        settings.volume_db = m.volume_db;
        settings.fade_in = m.fade_in_us * audio::kSampleRate / 1'000'000;
        settings.fade_out = m.fade_out_us * audio::kSampleRate / 1'000'000;
        bed = audio::fit_music(*music, samples, settings);
        if (!speech.empty()) {
            // Under a voice the bed sits well below it, and dips further while words are spoken.
            const float under = std::pow(10.0f, -8.0f / 20.0f);
            for (auto& x : bed)
                x *= under;
        }
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
    if (!speech.empty() && !bed.empty() && project.music->duck_db < 0) {
        audio::DuckSettings duck;
        duck.depth_db = project.music->duck_db;
        gain = audio::duck_envelope(speech, duck);
    }
    std::vector<float> out = audio::mix(speech, bed, gain, clips, samples);
    audio::normalize(out, project.loudness_lufs, project.true_peak_dbtp - kAacHeadroomDb);
    return out;
}

Error cancelled_error()
{
    return Error{ErrorCategory::Cancelled, "render cancelled", "signal " + std::to_string(core::cancel_signal()), {}};
}

}  // namespace

core::Status render_project(const timeline::Project& project, const timeline::Plan& plan, const RenderOptions& options)
{
    if (plan.shots.size() != project.shots.size() || plan.total_frames <= 0)
        return core::make_error(ErrorCategory::Internal, "render called with an invalid plan");

    RenderContext ctx;
    ctx.width = options.width > 0 ? options.width : plan.width;
    ctx.height = options.height > 0 ? options.height : plan.height;
    ctx.fps = plan.fps;
    ctx.background = project.background;
    ctx.pool = core::FramePool::create(ctx.width, ctx.height);
    ctx.decoder_threads = options.decoder_threads;

    // Resolve transitions up front: a bad name is a planning bug by now, never a mid-render surprise.
    std::vector<const effects::Transition*> transitions;
    for (auto& t : plan.transitions) {
        const effects::Transition* tr = effects::find_transition(t.name);
        if (!tr)
            return core::make_error(ErrorCategory::Script, "unknown transition \"" + t.name + "\"", {}, t.loc);
        transitions.push_back(tr);
    }

    media::EncodeSettings enc = options.encode;
    enc.width = ctx.width;
    enc.height = ctx.height;
    enc.fps = plan.fps;
    auto writer_r = media::Mp4Writer::open(options.output, enc);
    if (!writer_r)
        return tl::unexpected(writer_r.error());
    media::Mp4Writer writer = std::move(*writer_r);
    {
        auto soundtrack = build_soundtrack(project, plan, options.voice);
        if (!soundtrack) {
            writer.abort();
            return tl::unexpected(soundtrack.error());
        }
        if (!soundtrack->empty())
            SW_TRY_STATUS(writer.set_audio(std::move(*soundtrack)));
    }

    ErrorSlot errors;
    BoundedQueue<Frame> encode_queue(3);
    const auto t0 = std::chrono::steady_clock::now();
    std::atomic<int64_t> encoded{0};
    std::thread encoder([&] {
        while (auto frame = encode_queue.pop()) {
            if (errors.failed())
                continue;  // drain
            if (auto st = writer.write_video(*frame); !st) {
                errors.set(st.error());
                encode_queue.cancel();
                break;
            }
            int64_t n = encoded.fetch_add(1) + 1;
            if (options.on_progress) {
                double el = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
                options.on_progress({n, plan.total_frames, el});
            }
        }
    });

    // Subtitles: cue layout is decided now; each cue's bitmap is rasterised when it first shows and
    // dropped when it ends, so memory does not grow with the number of cues.
    std::vector<TimedCue> cues;
    std::optional<text::SubtitleRenderer> subtitle_renderer;
    if (project.burn_subtitles || options.write_srt || options.write_ass) {
        const auto& look = project.subtitle_look;
        text::SubtitleStyle style;
        if (!look.font.empty())
            style.font = look.font;
        if (look.size_frac > 0)
            style.size_px = look.size_frac * ctx.height;
        style.color = look.color;
        style.box = look.box;
        style.outline_px = look.outline_px;
        style.max_lines = look.max_lines;
        style.outline_color = look.outline_color;
        if (look.shadow >= 0)
            style.shadow = look.shadow;
        if (look.position == "top")
            style.position = text::SubtitleStyle::Position::Top;
        else if (look.position == "center")
            style.position = text::SubtitleStyle::Position::Center;
        else if (look.position == "percent") {
            style.position = text::SubtitleStyle::Position::Percent;
            style.percent = look.percent;
        }
        subtitle_renderer.emplace(ctx.width, ctx.height, style);
        cues = build_cues(project, plan, options.voice, subtitle_renderer->style(), ctx.width, ctx.height);
    }
    const std::vector<TimedCue> side_cues = (options.write_srt || options.write_ass) ? cues : std::vector<TimedCue>{};
    if (!project.burn_subtitles)
        cues.clear();
    size_t next_cue = 0;
    std::optional<text::CueBitmap> cue_bitmap;
    int64_t cue_end = -1;

    // Titles (`title:`, or a title card's shot name): large text at 40 %
    // of the height that enters after the incoming transition and leaves before the outgoing one,
    // animated as the script says (slide-up, fade, pop, none). Rasterised when the shot starts, dropped when it ends.
    text::SubtitleStyle title_style;
    title_style.size_px = 0.09 * std::min(ctx.width, ctx.height);
    title_style.position = text::SubtitleStyle::Position::Percent;
    title_style.percent = 0.40;
    title_style.max_lines = 3;
    title_style.shadow = 0.6;
    std::optional<text::SubtitleRenderer> title_renderer;
    std::optional<text::CueBitmap> title_bitmap;
    size_t title_shot = SIZE_MAX;
    const int64_t title_fade = std::max<int64_t>(1, core::us_to_frames(400'000, plan.fps));  // in and out

    // The logo: prepared once, blended into every frame.
    std::optional<text::CueBitmap> logo;
    if (project.logo) {
        const auto& lg = *project.logo;
        const int lw = std::max(2, (int)std::lround(ctx.width * lg.width_frac));
        auto size = text::logo_size(lg.path, lw);
        if (!size) {
            writer.abort();
            core::Error e = size.error();
            e.where = lg.loc;
            return tl::unexpected(e);
        }
        const int margin = (int)std::lround(0.04 * std::min(ctx.width, ctx.height));
        const bool right = lg.corner.find("right") != std::string::npos, bottom = lg.corner.find("bottom") != std::string::npos;
        int x = right ? ctx.width - margin - size->first : margin;
        int y = bottom ? ctx.height - margin - size->second : margin;
        auto bmp = text::load_logo(lg.path, lw, x, y);
        if (!bmp) {
            writer.abort();
            core::Error e = bmp.error();
            e.where = lg.loc;
            return tl::unexpected(e);
        }
        logo = std::move(*bmp);
    }

    const size_t nshots = plan.shots.size();
    std::vector<std::unique_ptr<ShotRunner>> runners(nshots);
    // Start a shot's source this many frames before it is needed, so opening a file and seeking
    // overlap with the shot before it.
    const int64_t lead = std::max<int64_t>(8, core::us_to_frames(700'000, plan.fps));
    size_t next_start = 0;
    size_t cur = 0;  // earliest shot still on screen

    for (int64_t f = 0; f < plan.total_frames; ++f) {
        if (core::cancelled()) {
            errors.set(cancelled_error());
            break;
        }
        if (errors.failed())
            break;
        while (next_start < nshots && plan.shots[next_start].start_frame <= f + lead) {
            runners[next_start] = std::make_unique<ShotRunner>(project.shots[next_start],
                                                               plan.shots[next_start], ctx);
            ++next_start;
        }
        while (cur + 1 < nshots && f >= plan.shots[cur].start_frame + plan.shots[cur].frames) {
            runners[cur].reset();
            ++cur;
        }
        auto a = runners[cur]->pop();
        if (!a) {
            errors.set(a.error());
            break;
        }
        Frame out;
        const bool overlap = cur + 1 < nshots && f >= plan.shots[cur + 1].start_frame;
        if (overlap) {
            auto b = runners[cur + 1]->pop();
            if (!b) {
                errors.set(b.error());
                break;
            }
            int ti = plan.transition_after[cur];
            const auto& pt = plan.transitions[ti];
            const int64_t k = f - pt.start_frame;
            const float progress = effects::xfade_progress(k, pt.frames);
            out = ctx.pool->acquire();
            transitions[ti]->render(*a, *b, out, progress, pt.params, 0, out.height());
        } else {
            out = std::move(*a);
        }
        if (cue_bitmap && f >= cue_end)
            cue_bitmap.reset();
        while (next_cue < cues.size() && cues[next_cue].start_frame <= f) {
            const TimedCue& c = cues[next_cue++];
            if (c.end_frame <= f)
                continue;
            auto bmp = subtitle_renderer->render(c.text);
            if (!bmp) {
                core::Error e = bmp.error();
                e.message = "subtitles of shot \"" + project.shots[c.shot].name + "\": " + e.message;
                errors.set(e);
                break;
            }
            cue_bitmap = std::move(*bmp);
            cue_end = c.end_frame;
        }
        if (errors.failed())
            break;
        // The title of the shot whose own part (between its transitions) this frame is in.
        const auto& cs = plan.shots[cur];
        const auto& cshot = project.shots[cur];
        // Cards without a title show the shot's name.
        const std::string& title_text =
            cshot.title.empty() && cshot.visual.kind == timeline::VisualKind::Card ? cshot.name : cshot.title;
        const bool titled = !title_text.empty();
        if (title_shot != cur) {
            title_bitmap.reset();
            title_shot = cur;
            if (titled) {
                if (!title_renderer)
                    title_renderer.emplace(ctx.width, ctx.height, title_style);
                auto bmp = title_renderer->render(title_text);
                if (!bmp) {
                    core::Error e = bmp.error();
                    e.message = "title of shot \"" + cshot.name + "\": " + e.message;
                    e.where = cshot.title_loc;
                    errors.set(e);
                    break;
                }
                title_bitmap = std::move(*bmp);
            }
        }
        double title_opacity = 0;
        int title_dy = 0;
        double title_scale = 1;
        if (title_bitmap) {
            const int64_t a = cs.start_frame + cs.in_frames, b = cs.start_frame + cs.frames - cs.out_frames;
            if (f >= a && f < b) {
                const auto anim = cshot.title_animation.value_or(project.title_animation);
                double in = std::min(1.0, double(f - a + 1) / double(title_fade));
                double outp = std::min(1.0, double(b - f) / double(title_fade));
                title_opacity = std::min(in, outp);
                switch (anim) {
                case timeline::TitleAnimation::SlideUp:
                    title_dy = (int)std::lround((1.0 - ease_in_out(in)) * 0.03 * ctx.height) & ~1;
                    break;
                case timeline::TitleAnimation::Fade: break;
                case timeline::TitleAnimation::Pop: {
                    // Grows from 60 % with a small overshoot (ease-out-back), shows fully after
                    // half the entrance; leaves shrinking a little while fading.
                    const double c1 = 1.70158, c3 = c1 + 1, t = in - 1;
                    const double back = 1 + c3 * t * t * t + c1 * t * t;
                    title_scale = in < 1 ? 0.6 + 0.4 * back : 1.0 - 0.1 * (1.0 - outp);
                    title_opacity = std::min(std::min(1.0, 2 * in), outp);
                    break;
                }
                case timeline::TitleAnimation::None: title_opacity = 1; break;
                }
            }
        }
        if (cue_bitmap || title_opacity > 0 || logo) {
            if (!overlap) {  // source frames may be shared (a still shown every frame): draw on a copy
                Frame copy = ctx.pool->acquire();
                copy.copy_from(out);
                out = std::move(copy);
            }
            if (title_opacity > 0 && std::abs(title_scale - 1) > 1e-3) {
                text::blend(out, text::scale_bitmap(*title_bitmap, title_scale), title_opacity);
            } else if (title_opacity > 0) {
                title_bitmap->y += title_dy;
                text::blend(out, *title_bitmap, title_opacity);
                title_bitmap->y -= title_dy;
            }
            if (cue_bitmap)
                text::blend(out, *cue_bitmap);
            if (logo)
                text::blend(out, *logo, project.logo->opacity);
        }
        if (!encode_queue.push(std::move(out)))
            break;
    }
    encode_queue.close();
    encoder.join();
    runners.clear();

    if (auto err = errors.take()) {
        writer.abort();
        return tl::unexpected(*err);
    }
    if (core::cancelled()) {
        writer.abort();
        return tl::unexpected(cancelled_error());
    }
    SW_TRY_STATUS(writer.finish());
    if (options.write_srt || options.write_ass) {
        std::vector<exporter::Cue> out;
        for (auto& c : side_cues)
            out.push_back({core::frames_to_us(c.start_frame, plan.fps), core::frames_to_us(c.end_frame, plan.fps), c.text});
        auto side = [&](const char* ext) {
            std::filesystem::path p = options.output;
            return p.replace_extension(ext);
        };
        if (options.write_srt)
            SW_TRY_STATUS(core::write_file_atomic(side(".srt"), exporter::to_srt(out)));
        if (options.write_ass)
            SW_TRY_STATUS(core::write_file_atomic(
                side(".ass"), exporter::to_ass(out, subtitle_renderer->style(), ctx.width, ctx.height)));
    }
    return {};
}

}  // namespace sw::render
