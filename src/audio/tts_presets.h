#pragma once
// Ready-made clients for the speech servers people run locally (docs/voices.md): CosyVoice's
// FastAPI server, GPT-SoVITS's api_v2, and Piper's HTTP server. (OpenAI-compatible servers are
// HttpSpeechEngine in tts.h.) Each talks HTTP through net/http.h; none of them reports timings,
// so subtitle timings are estimated from the pauses in the audio (estimate_sentence_timings).

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "audio/tts.h"

namespace sw::audio {

// A voice cloned from a reference recording: GPT-SoVITS's reference audio (a path the *server*
// reads) or CosyVoice's prompt WAV (a local file shotweave uploads), with what it says.
struct ReferenceVoice {
    std::string ref_audio;                 // GPT-SoVITS: path on the server's machine
    std::filesystem::path prompt_wav;      // CosyVoice: local file, uploaded with each request
    std::string prompt_text;               // the words spoken in the reference
    std::string prompt_lang;               // GPT-SoVITS: language of prompt_text ("zh", "en", …)
    std::string text_lang;                 // GPT-SoVITS: language of the narration ("" = from the voice)
    std::string instruct_text;             // CosyVoice instruct modes: how to speak
    std::string mode;                      // CosyVoice: "zero-shot", "cross-lingual", "instruct2"
};

// CosyVoice's runtime/python/fastapi/server.py (default port 50000). Answers are raw 16-bit
// little-endian mono PCM at the model's rate (CosyVoice-300M: 22050 Hz, CosyVoice2: 24000 Hz),
// which the answer does not say: `sample_rate` must match the model the server runs.
//   voice = a speaker of the SFT model ("中文女", "英文男" …) → POST /inference_sft (tts_text, spk_id)
//           (with instruct_text set: /inference_instruct, tts_text spk_id instruct_text)
//   voice = a name in `voices` (a prompt recording) → /inference_zero_shot (tts_text, prompt_text,
//           prompt_wav file), /inference_cross_lingual (tts_text, prompt_wav) or /inference_instruct2
//           (tts_text, instruct_text, prompt_wav), per the voice's mode.
struct CosyVoiceOptions {
    std::string base_url = "http://127.0.0.1:50000";
    int sample_rate = 22050;
    std::string default_speaker = "中文女";     // for voice "zh" or an empty voice
    std::string english_speaker = "英文女";     // for voice "en"
    std::string instruct_text;                  // non-empty: SFT speakers go through /inference_instruct
    std::map<std::string, ReferenceVoice> voices;
    int timeout_s = 300;
};

class CosyVoiceEngine final : public TtsEngine {
public:
    explicit CosyVoiceEngine(CosyVoiceOptions options);
    core::Result<Speech> synthesize(const SpeechRequest& request) override;
    std::string id() const override;
    core::Result<std::vector<VoiceInfo>> voices() override;
    bool supports_rate() const override { return false; }  // the server takes no speed
    core::Status check_voice(const std::string& voice) const override;

    // The speakers of the released CosyVoice-300M-SFT model (the server has no listing).
    static const std::vector<VoiceInfo>& sft_speakers();

private:
    CosyVoiceOptions m_options;
};

// GPT-SoVITS's api_v2.py (default port 9880): POST /tts with JSON {text, text_lang, ref_audio_path,
// prompt_text, prompt_lang, media_type: "wav", speed_factor, …}; a WAV answer, or JSON
// {"message": …} with HTTP 400. Every voice is a reference recording: `voices` by name, and the
// default one (used for "zh", "en" and an empty voice).
struct GptSovitsOptions {
    std::string base_url = "http://127.0.0.1:9880";
    ReferenceVoice default_voice;
    std::map<std::string, ReferenceVoice> voices;
    std::string text_split_method = "cut5";  // the server's own default: split at punctuation
    int seed = -1;                           // -1: the server's random seed; else reproducible speech
    int timeout_s = 300;
};

class GptSovitsEngine final : public TtsEngine {
public:
    explicit GptSovitsEngine(GptSovitsOptions options);
    core::Result<Speech> synthesize(const SpeechRequest& request) override;
    std::string id() const override;
    core::Result<std::vector<VoiceInfo>> voices() override;
    core::Status check_voice(const std::string& voice) const override;

private:
    GptSovitsOptions m_options;
};

// Piper's HTTP server (`python3 -m piper.http_server -m en_US-lessac-medium`, port 5000): POST
// JSON {text, voice, speaker, length_scale} to "/" (newer releases: "/synthesize", tried when "/"
// is refused); a WAV answer. GET /voices lists the voices it has downloaded (their configs).
// A voice "name:speaker" picks a speaker of a multi-speaker model.
struct PiperOptions {
    std::string base_url = "http://127.0.0.1:5000";
    std::string default_voice;  // empty: the server's -m voice
    int timeout_s = 120;
};

class PiperEngine final : public TtsEngine {
public:
    explicit PiperEngine(PiperOptions options);
    core::Result<Speech> synthesize(const SpeechRequest& request) override;
    std::string id() const override;
    core::Result<std::vector<VoiceInfo>> voices() override;

private:
    PiperOptions m_options;
};

// Raw little-endian 16-bit mono PCM at `rate` → 48 kHz float (an odd trailing byte is an error).
core::Result<std::vector<float>> decode_pcm16(std::string_view bytes, int rate, const std::string& what);

}  // namespace sw::audio
