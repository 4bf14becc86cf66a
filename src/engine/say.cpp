#include "engine/say.h"

#include <algorithm>

#include "audio/tts.h"
#include "audio/tts_config.h"
#include "audio/wav.h"
#include "core/file.h"

namespace sw::engine {

namespace fs = std::filesystem;

SayResult say(const SayRequest& rq)
{
    SayResult r;
    auto failed = [&](core::Error e) {
        r.outcome = e.category == core::ErrorCategory::Input || e.category == core::ErrorCategory::Script
                        ? Outcome::InputError
                        : Outcome::RenderError;
        r.error = std::move(e);
        return r;
    };
    std::error_code ec;
    if (fs::exists(rq.output, ec) && !rq.force)
        return failed(core::Error{core::ErrorCategory::Input,
                                  rq.output.string() + " already exists; not overwriting it — choose another -o, or add "
                                                       "--force to replace it",
                                  {},
                                  {}});
    if (auto st = core::check_output_path(rq.output, "-o " + rq.output.string(), {}); !st)
        return failed(st.error());
    auto made = audio::tts_engine_for(rq.engine, rq.config, rq.dir, r.engine);
    if (!made)
        return failed(made.error());
    // Without a voice the text's script decides, as in a script without `voice:`.
    r.voice = !rq.voice.empty() ? rq.voice
              : std::any_of(rq.text.begin(), rq.text.end(), [](char c) { return (unsigned char)c >= 0x80; }) ? "zh"
                                                                                                             : "en";
    if (r.engine == "espeak")
        if (auto problem = audio::check_espeak_voice(r.voice))
            return failed(core::Error{core::ErrorCategory::Input, problem->message + " — " + problem->fix, {}, {}});
    if (rq.rate_wpm > 0 && !(*made)->supports_rate())
        r.warnings.push_back("the " + r.engine + " engine cannot change its speaking rate; --rate is ignored");
    auto speech = (*made)->synthesize({rq.text, r.voice, rq.rate_wpm, rq.pitch});
    if (!speech)
        return failed(speech.error());
    auto wav = audio::encode_wav(speech->samples, 1, audio::kSpeechSampleRate, audio::WavSampleFormat::Pcm16);
    if (auto w = core::write_file_atomic(rq.output, std::string_view(reinterpret_cast<const char*>(wav.data()), wav.size()));
        !w)
        return failed(w.error());
    r.seconds = double(speech->samples.size()) / audio::kSpeechSampleRate;
    r.outcome = Outcome::Done;
    return r;
}

}  // namespace sw::engine
