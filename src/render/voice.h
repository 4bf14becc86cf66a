#pragma once
// Voice-over: each shot's narration spoken by the project's TTS voice, synthesised (through the
// on-disk cache) before planning, because the speech decides how long the shots are.

#include <vector>

#include "audio/tts.h"
#include "core/diagnostics.h"
#include "timeline/plan.h"
#include "timeline/project.h"

namespace sw::render {

struct VoiceOver {
    std::vector<audio::Speech> speech;  // per shot; empty samples = nothing spoken
    std::vector<int64_t> speech_us;     // per shot, for timeline::plan_project
};

// Synthesises every shot's narration with project.voice (nothing when it is empty). An unknown
// voice or an engine failure is reported into `diag` at the `voice:` line or the shot. Speech is
// kept in `tts_cache_dir` (empty: audio::TtsCache::default_dir()).
VoiceOver prepare_voice(const timeline::Project& project, core::Diagnostics& diag, const std::string& tts_cache_dir = {});

// The whole timeline's voice track (mono, 48 kHz, `total_samples` long): each shot's speech placed
// at its planned offset and cut (with a short fade) where the plan says it must end.
std::vector<float> voice_track(const VoiceOver& voice, const timeline::Plan& plan, int64_t total_samples);

}  // namespace sw::render
