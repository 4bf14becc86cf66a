#pragma once
// Text to speech: one interface (TtsEngine), the built-in espeak-ng engine, adapters for a
// user's own command-line or OpenAI-compatible HTTP engine, recorded voice files, and an
// on-disk cache so a re-render does not re-synthesise unchanged lines.
//
// All audio here is mono float at 48 kHz (kSpeechSampleRate). Timings are sample positions in that
// audio plus the byte range of the text they cover, so subtitle cues can be timed to the voice.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "audio/wav.h"
#include "core/error.h"

namespace sw::audio {

struct SpeechRequest {
    std::string text;     // UTF-8
    std::string voice;    // "zh", "en", or an engine-specific voice name ("cmn", "en-us", "alloy")
    int rate_wpm = 0;     // words per minute; 0 = engine default
    int pitch = 0;        // 0-100; 0 = engine default
};

struct SpeechTiming {
    int64_t start_sample = 0;   // first sample of the spoken span (48 kHz)
    int64_t end_sample = 0;     // one past its last sample
    size_t text_begin = 0;      // byte range in SpeechRequest::text
    size_t text_end = 0;
};

struct Speech {
    std::vector<float> samples;            // mono, 48 kHz
    std::vector<SpeechTiming> sentences;   // in text order, non-overlapping
    std::vector<SpeechTiming> words;       // may be empty (engines without word events)
    // False when the timings were estimated from pauses in the audio rather than reported by
    // the engine (command/HTTP engines, recorded files): callers may want to say so.
    bool timings_exact = false;
};

// One voice an engine offers, for `shotweave voices`.
struct VoiceInfo {
    std::string name;      // what `voice:` takes ("cmn", "en+f3", "af_bella", "中文女")
    std::string language;  // language code or name where known ("cmn", "en_US"); empty = unknown
    std::string gender;    // "female", "male" or empty when the engine does not say
    std::string note;      // anything else worth showing (a variant's full name, speaker count)
};

class TtsEngine {
public:
    virtual ~TtsEngine() = default;
    virtual core::Result<Speech> synthesize(const SpeechRequest& request) = 0;
    // Identifies engine, version and every setting that changes the audio; part of cache keys.
    virtual std::string id() const = 0;
    // The voices the engine offers (may ask its server). Engines that cannot list theirs say so
    // in the error, with where their voices come from instead.
    virtual core::Result<std::vector<VoiceInfo>> voices();
    // False when the engine has no way to change its speaking rate (`rate=` is then ignored).
    virtual bool supports_rate() const { return true; }
    // An error (with a did-you-mean) when the engine knows, without synthesising, that it has no
    // such voice; engines whose voices live on a server accept any name here.
    virtual core::Status check_voice(const std::string& /*voice*/) const { return {}; }
};

// espeak-ng through its C library. Works offline. espeak-ng is a process-wide singleton and not
// thread-safe: all instances share one global lock and one initialisation.
class EspeakEngine final : public TtsEngine {
public:
    core::Result<Speech> synthesize(const SpeechRequest& request) override;
    std::string id() const override;
    core::Result<std::vector<VoiceInfo>> voices() override;
    // Voice names espeak-ng accepts (language codes and voice file names), plus "zh" and "en".
    static core::Result<std::vector<std::string>> available_voices();
    // Its variants (`voice: zh+f3`): the files of espeak-ng-data/voices/!v, with the gender they give.
    static core::Result<std::vector<VoiceInfo>> available_variants();
};

// Whether espeak-ng has a voice name, with or without a variant ("zh", "cmn+f3", "en+Andy").
// When it has not: which part is wrong (its byte offset in the name), what is wrong and a fix
// (a did-you-mean when one is close).
struct EspeakVoiceProblem {
    size_t offset = 0;  // 0: the voice; else the variant's first byte
    std::string message;
    std::string fix;
};
std::optional<EspeakVoiceProblem> check_espeak_voice(const std::string& name);

// Runs a user's command that writes a WAV file. The template is split into arguments like a
// shell would for quotes and backslashes (no shell runs, so no expansion or injection), then
// each argument has {text} {voice} {output} {text_file} replaced. Timings are estimated from
// pauses in the audio (see estimate_sentence_timings).
struct CommandEngineOptions {
    std::string command_template;   // e.g. "piper --model zh.onnx --output_file {output}" with {text_file}
    int timeout_s = 120;
};

class CommandEngine final : public TtsEngine {
public:
    explicit CommandEngine(CommandEngineOptions options);
    core::Result<Speech> synthesize(const SpeechRequest& request) override;
    std::string id() const override;

private:
    CommandEngineOptions m_options;
};

// Splits a command template into arguments: whitespace separates, '...' and "..." group,
// backslash escapes the next character (outside single quotes). Error on an unclosed quote.
core::Result<std::vector<std::string>> split_command_line(const std::string& command);

// An OpenAI-compatible POST {base_url}/v1/audio/speech endpoint returning WAV (OpenAI itself,
// and the servers that copy its API: Kokoro-FastAPI, openai-edge-tts, ChatTTS and Chatterbox
// wrappers). The caller takes base_url and api_key from the [tts] table or SHOTWEAVE_TTS_URL /
// SHOTWEAVE_TTS_KEY. Voices are listed from GET /v1/audio/voices (or /v1/voices) where the
// server has it.
struct HttpSpeechOptions {
    std::string base_url;            // "https://api.openai.com" or ".../v1"
    std::string api_key;             // sent as "Authorization: Bearer <key>" when not empty
    std::string model = "tts-1";
    std::string default_voice = "alloy";  // used when the request's voice is empty, "zh" or "en"
    int timeout_s = 120;
    std::string api_key_env = "SHOTWEAVE_TTS_KEY";  // named in messages about the key
    // Kokoro-FastAPI's POST /dev/captioned_speech: the same speech with the engine's own word
    // timings (falls back to /v1/audio/speech, timings from pauses, where the server lacks it).
    bool word_timings = false;
};

class HttpSpeechEngine final : public TtsEngine {
public:
    explicit HttpSpeechEngine(HttpSpeechOptions options);
    core::Result<Speech> synthesize(const SpeechRequest& request) override;
    std::string id() const override;
    core::Result<std::vector<VoiceInfo>> voices() override;

private:
    HttpSpeechOptions m_options;
};

// A recorded narration (`voice-file:`): any audio libav decodes, as 48 kHz mono. No timings
// (the caller may estimate them with estimate_sentence_timings if it knows the text).
core::Result<Speech> load_voice_file(const std::string& path);

// Byte ranges of the sentences of `text`, split after 。！？.!? (and ！？… runs, closing quotes).
// Whitespace between sentences is not part of any range.
std::vector<std::pair<size_t, size_t>> split_sentences(const std::string& text);

// ESTIMATE of sentence timings for engines that report none: finds the speech regions of the
// audio (separated by pauses of at least 150 ms); when there are as many regions as sentences,
// sentence k is region k, otherwise the speech span is divided in proportion to each sentence's
// character count. Good enough for subtitles; not word-exact.
std::vector<SpeechTiming> estimate_sentence_timings(const std::vector<float>& samples, const std::string& text);

// Removes leading and trailing samples with |x| <= threshold and shifts all timings to match
// (timings are clamped into the remaining audio).
void trim_silence(Speech& speech, float threshold = 0.001f);

// Disk cache of synthesised speech keyed by a 128-bit FNV-1a hash of (engine id, voice, rate,
// pitch, text). Each entry is <hash>.wav (float) + <hash>.txt (timings). Unreadable or
// inconsistent entries are ignored and overwritten; writes are atomic (temp file + rename).
class TtsCache {
public:
    // dir empty → $XDG_CACHE_HOME/shotweave/tts, else ~/.cache/shotweave/tts.
    explicit TtsCache(std::string dir = {});
    const std::string& dir() const { return m_dir; }
    core::Result<Speech> get_or_synthesize(TtsEngine& engine, const SpeechRequest& request);
    std::string key(const TtsEngine& engine, const SpeechRequest& request) const;
    static std::string default_dir();

private:
    std::string m_dir;
};

}  // namespace sw::audio
