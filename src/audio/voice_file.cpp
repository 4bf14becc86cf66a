// Recorded narration (`voice-file:`): any audio libav decodes, as 48 kHz mono float. Decoding is
// the mixer's decode_audio (one libav decoding path for the whole module).

#include "audio/audio_decode.h"
#include "audio/tts.h"

namespace sw::audio {

static_assert(kSampleRate == kSpeechSampleRate, "speech and mix buffers share one rate");

core::Result<Speech> load_voice_file(const std::string& path)
{
    Speech s;
    s.samples = SW_TRY(decode_audio(path, 1));
    if (s.samples.empty())
        return core::make_error(core::ErrorCategory::Input,
                                "the voice file " + path + " contains no audio — record it again or remove voice-file:");
    return s;
}

}  // namespace sw::audio
