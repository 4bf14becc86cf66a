#include "render/voice.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <cstdlib>
#include <memory>
#include <optional>

#include "audio/tts_config.h"
#include "core/file.h"
#include "core/text_util.h"
#include "export/subtitles_export.h"
#include "text/subtitle.h"

namespace sw::render {

namespace {

// Checks a voice name (with its variant, `zh+f3`) against what espeak-ng has; the error points
// at the part that is wrong. Other engines take any name (their servers judge).
bool espeak_voice_ok(const std::string& voice, const core::SourceLoc& where, core::Diagnostics& diag)
{
    auto problem = audio::check_espeak_voice(voice);
    if (!problem)
        return true;
    core::SourceLoc at = where;
    if (at.col > 0 && problem->offset > 0)
        at.col += int(core::utf8_length(std::string_view(voice).substr(0, problem->offset)));
    diag.error(at, problem->message, problem->fix);
    return false;
}

// A recording's subtitles file beside it (vo/shot3.wav → vo/shot3.srt) says when each line is
// spoken; its cues are found in the shot's narration (ignoring spaces and line breaks) and become
// the sentence timings. Nothing (with a warning saying why) when there is no such file or it
// does not match the narration: the caller then estimates timings from pauses.
std::optional<std::vector<audio::SpeechTiming>> srt_timings(const timeline::Shot& shot, const std::string& text,
                                                           core::Diagnostics& diag)
{
    namespace fs = std::filesystem;
    fs::path srt = shot.voice_file;
    srt.replace_extension(".srt");
    std::error_code ec;
    if (!fs::is_regular_file(srt, ec))
        return std::nullopt;
    auto cues = exporter::parse_srt(core::read_file(srt).value_or(""), srt.string());
    if (!cues) {
        diag.warning(shot.voice_file_loc, cues.error().message, "subtitle timings are estimated from pauses instead");
        return std::nullopt;
    }
    // The narration without whitespace, and where each of its bytes came from.
    std::string squeezed;
    std::vector<size_t> origin;
    for (size_t i = 0; i < text.size(); ++i)
        if (!std::isspace(static_cast<unsigned char>(text[i]))) {
            squeezed += text[i];
            origin.push_back(i);
        }
    std::vector<audio::SpeechTiming> out;
    size_t cursor = 0;
    for (size_t k = 0; k < cues->size(); ++k) {
        const auto& c = (*cues)[k];
        std::string want;
        for (char ch : c.text)
            if (!std::isspace(static_cast<unsigned char>(ch)))
                want += ch;
        if (want.empty())
            continue;
        size_t at = squeezed.find(want, cursor);
        if (at == std::string::npos) {
            diag.warning(shot.voice_file_loc,
                         "shot \"" + shot.name + "\": cue " + std::to_string(k + 1) + " of " + srt.filename().string() +
                             " (\"" + c.text + "\") is not in the shot's narration, in order",
                         "make the narration lines say what the recording says; subtitle timings are estimated from "
                         "pauses instead");
            return std::nullopt;
        }
        audio::SpeechTiming t;
        t.start_sample = c.start_us * core::kAudioRate / 1'000'000;
        t.end_sample = c.end_us * core::kAudioRate / 1'000'000;
        t.text_begin = origin[at];
        t.text_end = origin[at + want.size() - 1] + 1;
        out.push_back(t);
        cursor = at + want.size();
    }
    if (out.empty())
        return std::nullopt;
    return out;
}

}  // namespace

VoiceOver prepare_voice(const timeline::Project& project, core::Diagnostics& diag, const std::string& tts_cache_dir)
{
    VoiceOver v;
    v.speech.resize(project.shots.size());
    v.speech_us.assign(project.shots.size(), 0);
    // Which engine, from the script's `tts:` (else `engine =` of the [tts] table, else espeak), with
    // the [tts] settings of the shotweave.toml beside the script. Made only when a shot needs it.
    std::unique_ptr<audio::TtsEngine> engine;
    bool engine_ok = true;
    std::string engine_name = project.tts;
    core::SourceLoc engine_loc = project.tts_loc;
    audio::TtsConfig config;
    auto get_engine = [&]() -> audio::TtsEngine* {
        if (engine || !engine_ok)
            return engine.get();
        engine_ok = false;
        auto made = audio::make_tts_engine(engine_name, config, project.tts_command);
        if (!made) {
            const core::Error& e = made.error();
            diag.error(e.where.valid() ? e.where : engine_loc, e.message, e.detail);
            return nullptr;
        }
        engine = std::move(*made);
        engine_ok = true;
        if (project.voice_rate > 0 && !engine->supports_rate())
            diag.warning(project.voice_loc, "the " + engine_name + " engine cannot change its speaking rate; `rate=` is ignored",
                         "remove `rate=`, or choose an engine that takes one");
        return engine.get();
    };
    const bool speaks = std::any_of(project.shots.begin(), project.shots.end(), [&](const timeline::Shot& s) {
        return s.voice_file.empty() && !(s.voice.empty() ? project.voice : s.voice).empty() &&
               !core::trim(s.narration_text()).empty();
    });
    if (speaks) {
        if (const auto path = audio::tts_config_path(project.base_dir); !path.empty()) {
            auto loaded = audio::load_tts_config(path);
            if (!loaded) {
                diag.error(loaded.error().where, loaded.error().message, loaded.error().detail);
                return v;
            }
            config = std::move(*loaded);
            if (!project.tts_loc.valid() && !config.engine.empty()) {
                engine_name = config.engine;
                engine_loc = config.where["engine"];
            }
        }
    }
    if (!project.voice.empty() && engine_name == "espeak" && !espeak_voice_ok(project.voice, project.voice_loc, diag))
        return v;
    audio::TtsCache cache(tts_cache_dir);
    bool project_voice_reported = false;  // an unknown `voice:` of the front matter is said once
    for (size_t i = 0; i < project.shots.size(); ++i) {
        const auto& shot = project.shots[i];
        const std::string text = shot.narration_text();
        std::optional<audio::Speech> speech;
        if (!shot.voice_file.empty()) {
            // A recording: its own length; subtitle timings estimated from its pauses.
            auto rec = audio::load_voice_file(shot.voice_file.string());
            if (!rec) {
                diag.error(shot.voice_file_loc, "shot \"" + shot.name + "\": " + rec.error().message, rec.error().detail);
                continue;
            }
            if (!core::trim(text).empty()) {
                auto timed = srt_timings(shot, text, diag);
                rec->sentences = timed ? std::move(*timed) : audio::estimate_sentence_timings(rec->samples, text);
                rec->timings_exact = timed.has_value();
            }
            speech = std::move(*rec);
        } else {
            const std::string& voice = shot.voice.empty() ? project.voice : shot.voice;
            // Emoji are shown, not spoken (a TTS engine would read their names aloud); blanked
            // with as many spaces, so the sentence timings still index `text`.
            const std::string spoken_text = text::blank_emoji(text);
            if (voice.empty() || core::trim(spoken_text).empty())
                continue;
            if (!shot.voice.empty() && engine_name == "espeak" && !espeak_voice_ok(shot.voice, shot.voice_loc, diag))
                continue;
            audio::TtsEngine* e = get_engine();
            if (!e)
                return v;
            // A voice the engine knows it lacks is reported at the `voice:` that names it.
            if (auto ok = e->check_voice(voice); !ok) {
                if (!shot.voice.empty() || !project_voice_reported)
                    diag.error(shot.voice.empty() ? project.voice_loc : shot.voice_loc, ok.error().message, ok.error().detail);
                project_voice_reported |= shot.voice.empty();
                continue;
            }
            audio::SpeechRequest req;
            req.text = spoken_text;
            req.voice = voice;
            req.rate_wpm = project.voice_rate;
            req.pitch = project.voice_pitch;
            auto spoken = cache.get_or_synthesize(*e, req);
            if (!spoken) {
                diag.error(shot.narration_locs.empty() ? shot.loc : shot.narration_locs.front(),
                           "shot \"" + shot.name + "\": speaking the narration failed: " + spoken.error().message,
                           spoken.error().detail);
                continue;
            }
            speech = std::move(*spoken);
        }
        v.speech_us[i] = (int64_t)speech->samples.size() * 1'000'000 / core::kAudioRate;
        v.speech[i] = std::move(*speech);
    }
    return v;
}

std::vector<float> voice_track(const VoiceOver& voice, const timeline::Plan& plan, int64_t total_samples)
{
    std::vector<float> track(total_samples, 0.0f);
    for (size_t i = 0; i < plan.shots.size() && i < voice.speech.size(); ++i) {
        const auto& s = voice.speech[i].samples;
        const auto& ps = plan.shots[i];
        if (s.empty() || ps.voice_frames <= 0)
            continue;
        const int64_t at = core::frames_to_samples(ps.start_frame + ps.voice_offset_frames, plan.fps);
        const int64_t len = std::min<int64_t>((int64_t)s.size(), core::frames_to_samples(ps.voice_frames, plan.fps));
        const int64_t fade = std::min<int64_t>(960, len);  // 20 ms, only where speech is cut short
        const bool cut = len < (int64_t)s.size();
        for (int64_t k = 0; k < len && at + k < total_samples; ++k) {
            float g = cut && k >= len - fade ? float(len - k) / float(fade) : 1.0f;
            track[at + k] += s[k] * g;
        }
    }
    return track;
}

}  // namespace sw::render
