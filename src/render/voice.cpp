#include "render/voice.h"

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <optional>

#include "core/text_util.h"

namespace sw::render {


namespace {

// Checks a voice name against espeak-ng's list (other engines take any name).
bool espeak_voice_ok(const std::string& voice, const core::SourceLoc& where, core::Diagnostics& diag)
{
    static const auto voices = audio::EspeakEngine::available_voices();
    if (!voices) {
        diag.error(where, "the text-to-speech engine is not available: " + voices.error().message,
                   "install espeak-ng-data, or remove `voice:`");
        return false;
    }
    if (std::find(voices->begin(), voices->end(), voice) != voices->end())
        return true;
    std::string dym = core::did_you_mean(voice, *voices);
    diag.error(where, "unknown voice \"" + voice + "\"",
               dym.empty() ? "use `zh` (Mandarin) or `en` (English), or an espeak-ng voice name"
                           : "did you mean \"" + dym + "\"?");
    return false;
}

}  // namespace

VoiceOver prepare_voice(const timeline::Project& project, core::Diagnostics& diag)
{
    VoiceOver v;
    v.speech.resize(project.shots.size());
    v.speech_us.assign(project.shots.size(), 0);
    std::unique_ptr<audio::TtsEngine> engine;
    bool engine_ok = true;
    auto get_engine = [&]() -> audio::TtsEngine* {
        if (engine || !engine_ok)
            return engine.get();
        if (project.tts == "command") {
            engine = std::make_unique<audio::CommandEngine>(audio::CommandEngineOptions{project.tts_command, 120});
        } else if (project.tts == "http") {
            const char* url = std::getenv("SHOTWEAVE_TTS_URL");
            if (!url || !*url) {
                diag.error(project.tts_loc, "`tts: http` needs the speech service's address",
                           "set SHOTWEAVE_TTS_URL (and SHOTWEAVE_TTS_KEY, SHOTWEAVE_TTS_MODEL if it needs them)");
                engine_ok = false;
                return nullptr;
            }
            audio::HttpSpeechOptions o;
            o.base_url = url;
            if (const char* k = std::getenv("SHOTWEAVE_TTS_KEY"))
                o.api_key = k;
            if (const char* m = std::getenv("SHOTWEAVE_TTS_MODEL"); m && *m)
                o.model = m;
            engine = std::make_unique<audio::HttpSpeechEngine>(o);
        } else {
            engine = std::make_unique<audio::EspeakEngine>();
        }
        return engine.get();
    };
    if (!project.voice.empty() && project.tts == "espeak" && !espeak_voice_ok(project.voice, project.voice_loc, diag))
        return v;
    audio::TtsCache cache;
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
            if (!core::trim(text).empty())
                rec->sentences = audio::estimate_sentence_timings(rec->samples, text);
            speech = std::move(*rec);
        } else {
            const std::string& voice = shot.voice.empty() ? project.voice : shot.voice;
            if (voice.empty() || core::trim(text).empty())
                continue;
            if (!shot.voice.empty() && project.tts == "espeak" && !espeak_voice_ok(shot.voice, shot.voice_loc, diag))
                continue;
            audio::TtsEngine* e = get_engine();
            if (!e)
                return v;
            audio::SpeechRequest req;
            req.text = text;
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
