#include "render/voice.h"

#include <algorithm>
#include <cstdlib>
#include <memory>

#include "core/text_util.h"

namespace sw::render {

static VoiceOver synthesize_all(const timeline::Project& project, audio::TtsEngine& engine, core::Diagnostics& diag);

VoiceOver prepare_voice(const timeline::Project& project, core::Diagnostics& diag)
{
    VoiceOver v;
    v.speech.resize(project.shots.size());
    v.speech_us.assign(project.shots.size(), 0);
    if (project.voice.empty())
        return v;
    std::unique_ptr<audio::TtsEngine> engine;
    if (project.tts == "command") {
        engine = std::make_unique<audio::CommandEngine>(audio::CommandEngineOptions{project.tts_command, 120});
    } else if (project.tts == "http") {
        const char* url = std::getenv("SHOTWEAVE_TTS_URL");
        if (!url || !*url) {
            diag.error(project.tts_loc, "`tts: http` needs the speech service's address",
                       "set SHOTWEAVE_TTS_URL (and SHOTWEAVE_TTS_KEY, SHOTWEAVE_TTS_MODEL if it needs them)");
            return v;
        }
        audio::HttpSpeechOptions o;
        o.base_url = url;
        if (const char* k = std::getenv("SHOTWEAVE_TTS_KEY"))
            o.api_key = k;
        if (const char* m = std::getenv("SHOTWEAVE_TTS_MODEL"); m && *m)
            o.model = m;
        engine = std::make_unique<audio::HttpSpeechEngine>(o);
    }
    if (engine)
        return synthesize_all(project, *engine, diag);
    auto voices = audio::EspeakEngine::available_voices();
    if (!voices) {
        diag.error(project.voice_loc, "the text-to-speech engine is not available: " + voices.error().message,
                   "install espeak-ng-data, or remove `voice:`");
        return v;
    }
    if (std::find(voices->begin(), voices->end(), project.voice) == voices->end()) {
        std::string dym = core::did_you_mean(project.voice, *voices);
        diag.error(project.voice_loc, "unknown voice \"" + project.voice + "\"",
                   dym.empty() ? "use `zh` (Mandarin) or `en` (English), or an espeak-ng voice name"
                               : "did you mean \"" + dym + "\"?");
        return v;
    }
    audio::EspeakEngine espeak;
    return synthesize_all(project, espeak, diag);
}

static VoiceOver synthesize_all(const timeline::Project& project, audio::TtsEngine& engine, core::Diagnostics& diag)
{
    VoiceOver v;
    v.speech.resize(project.shots.size());
    v.speech_us.assign(project.shots.size(), 0);
    audio::TtsCache cache;
    for (size_t i = 0; i < project.shots.size(); ++i) {
        const auto& shot = project.shots[i];
        std::string text;
        for (auto& line : shot.narration)
            text += (text.empty() ? "" : "\n") + line;
        if (core::trim(text).empty())
            continue;
        audio::SpeechRequest req;
        req.text = text;
        req.voice = project.voice;
        req.rate_wpm = project.voice_rate;
        req.pitch = project.voice_pitch;
        auto speech = cache.get_or_synthesize(engine, req);
        if (!speech) {
            diag.error(shot.narration_locs.empty() ? shot.loc : shot.narration_locs.front(),
                       "shot \"" + shot.name + "\": speaking the narration failed: " + speech.error().message,
                       speech.error().detail);
            continue;
        }
        v.speech_us[i] = (int64_t)speech->samples.size() * 1'000'000 / 48'000;
        v.speech[i] = std::move(*speech);
    }
    return v;
}

std::vector<float> voice_track(const VoiceOver& voice, const timeline::Plan& plan, int64_t total_samples)
{
    std::vector<float> track(total_samples, 0.0f);
    auto frames_to_samples = [&](int64_t f) {
        return (int64_t)((__int128)f * 48'000 * plan.fps.den / plan.fps.num);
    };
    for (size_t i = 0; i < plan.shots.size() && i < voice.speech.size(); ++i) {
        const auto& s = voice.speech[i].samples;
        const auto& ps = plan.shots[i];
        if (s.empty() || ps.voice_frames <= 0)
            continue;
        const int64_t at = frames_to_samples(ps.start_frame + ps.voice_offset_frames);
        const int64_t len = std::min<int64_t>((int64_t)s.size(), frames_to_samples(ps.voice_frames));
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
