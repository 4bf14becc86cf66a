// espeak-ng engine. espeak-ng keeps all its state in globals, so one mutex serialises every
// call into it and it is initialised once per process.

#include <espeak-ng/espeak_ng.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <set>

#include "audio/tts.h"
#include "audio/tts_timing.h"
#include "core/text_util.h"

namespace sw::audio {

namespace {

std::mutex g_espeak_mutex;
bool g_espeak_ready = false;
int g_espeak_rate = 22050;

// Requires g_espeak_mutex.
core::Status ensure_initialised()
{
    if (g_espeak_ready)
        return {};
    espeak_ng_InitializePath(nullptr);
    espeak_ng_ERROR_CONTEXT ctx = nullptr;
    espeak_ng_STATUS st = espeak_ng_Initialize(&ctx);
    if (st != ENS_OK) {
        char buf[512] = {};
        espeak_ng_GetStatusCodeMessage(st, buf, sizeof buf);
        espeak_ng_ClearErrorContext(&ctx);
        return core::make_error(core::ErrorCategory::Input,
                                "espeak-ng could not start — install the espeak-ng-data package", buf);
    }
    st = espeak_ng_InitializeOutput(ENOUTPUT_MODE_SYNCHRONOUS, 0, nullptr);
    if (st != ENS_OK) {
        char buf[512] = {};
        espeak_ng_GetStatusCodeMessage(st, buf, sizeof buf);
        return core::make_error(core::ErrorCategory::Internal, "espeak-ng output setup failed", buf);
    }
    g_espeak_rate = espeak_ng_GetSampleRate();
    g_espeak_ready = true;
    return {};
}

struct RawEvent {
    espeak_EVENT_TYPE type;
    int text_position;  // 1-based, in characters (code points) of the UTF-8 text
    int length;         // characters (WORD events)
    int audio_ms;
};

struct SynthState {
    std::vector<int16_t> pcm;
    std::vector<RawEvent> events;
};

int synth_callback(short* wav, int numsamples, espeak_EVENT* events)
{
    auto* state = static_cast<SynthState*>(events ? events->user_data : nullptr);
    if (!state)
        return 0;
    if (wav && numsamples > 0)
        state->pcm.insert(state->pcm.end(), wav, wav + numsamples);
    for (espeak_EVENT* e = events; e && e->type != espeakEVENT_LIST_TERMINATED; ++e) {
        if (e->type == espeakEVENT_WORD || e->type == espeakEVENT_SENTENCE || e->type == espeakEVENT_END ||
            e->type == espeakEVENT_MSG_TERMINATED)
            state->events.push_back({e->type, e->text_position, e->length, e->audio_position});
    }
    return 0;
}

std::string map_base_voice(const std::string& v)
{
    std::string l = core::to_lower_ascii(v);
    if (l.empty() || l == "zh" || l == "zh-cn" || l == "mandarin" || l == "chinese")
        return l.empty() ? "en" : "cmn";
    if (l == "en")
        return "en-us";
    return v;
}

// "zh+f3" → "cmn+f3": the voice part is mapped, the variant passed on as written.
std::string map_voice(const std::string& v)
{
    auto plus = v.find('+');
    if (plus == std::string::npos)
        return map_base_voice(v);
    return map_base_voice(v.substr(0, plus)) + v.substr(plus);
}

// The first language a voice lists (languages: [priority byte][NUL-terminated name]…, 0 ends).
std::string first_language(const espeak_VOICE* v)
{
    const char* p = v->languages;
    return p && *p ? std::string(p + 1) : std::string();
}

std::string gender_name(unsigned char g)
{
    return g == 1 ? "male" : g == 2 ? "female" : "";
}

// Requires g_espeak_mutex.
std::vector<VoiceInfo> list_variants_locked()
{
    espeak_VOICE spec{};
    spec.languages = "variant";
    std::vector<VoiceInfo> out;
    const espeak_VOICE** variants = espeak_ListVoices(&spec);
    for (const espeak_VOICE** v = variants; v && *v; ++v) {
        if (!(*v)->identifier)
            continue;
        std::string id = (*v)->identifier;  // "!v/f3"
        auto slash = id.rfind('/');
        VoiceInfo info;
        info.name = slash == std::string::npos ? id : id.substr(slash + 1);
        info.gender = gender_name((*v)->gender);
        if ((*v)->name && info.name != (*v)->name)
            info.note = (*v)->name;
        out.push_back(std::move(info));
    }
    std::sort(out.begin(), out.end(), [](const VoiceInfo& a, const VoiceInfo& b) { return a.name < b.name; });
    out.erase(std::unique(out.begin(), out.end(), [](const VoiceInfo& a, const VoiceInfo& b) { return a.name == b.name; }),
              out.end());
    return out;
}

// Requires g_espeak_mutex.
std::vector<std::string> list_voices_locked()
{
    std::set<std::string> names{"zh", "en"};
    const espeak_VOICE** voices = espeak_ListVoices(nullptr);
    for (const espeak_VOICE** v = voices; v && *v; ++v) {
        // languages: repeated [priority byte][NUL-terminated language], ending with a 0 byte.
        for (const char* p = (*v)->languages; p && *p;) {
            const char* lang = p + 1;
            if (*lang)
                names.insert(core::to_lower_ascii(lang));
            p = lang + std::strlen(lang) + 1;
        }
        if ((*v)->identifier) {
            std::string id = (*v)->identifier;
            auto slash = id.rfind('/');
            names.insert(core::to_lower_ascii(slash == std::string::npos ? id : id.substr(slash + 1)));
        }
    }
    return {names.begin(), names.end()};
}

}  // namespace

core::Result<std::vector<VoiceInfo>> EspeakEngine::available_variants()
{
    std::lock_guard lock(g_espeak_mutex);
    SW_TRY_STATUS(ensure_initialised());
    return list_variants_locked();
}

core::Result<std::vector<VoiceInfo>> EspeakEngine::voices()
{
    std::lock_guard lock(g_espeak_mutex);
    SW_TRY_STATUS(ensure_initialised());
    std::vector<VoiceInfo> out;
    out.push_back({"zh", "cmn", "male", "Mandarin (espeak-ng's cmn)"});
    out.push_back({"en", "en-us", "male", "English (espeak-ng's en-us)"});
    const espeak_VOICE** voices = espeak_ListVoices(nullptr);
    for (const espeak_VOICE** v = voices; v && *v; ++v) {
        if (!(*v)->identifier)
            continue;
        const std::string lang = first_language(*v);
        // A voice is chosen by its language code; the file name is the same or a longer path.
        VoiceInfo info{core::to_lower_ascii(lang.empty() ? std::string((*v)->identifier) : lang), lang,
                       gender_name((*v)->gender), (*v)->name ? (*v)->name : ""};
        out.push_back(std::move(info));
    }
    std::sort(out.begin() + 2, out.end(), [](const VoiceInfo& a, const VoiceInfo& b) { return a.name < b.name; });
    for (VoiceInfo v : list_variants_locked()) {
        v.note = "variant: any voice + " + v.name + (v.note.empty() ? "" : " (" + v.note + ")");
        v.name = "+" + v.name;
        out.push_back(std::move(v));
    }
    return out;
}

std::optional<EspeakVoiceProblem> check_espeak_voice(const std::string& name)
{
    auto voices = EspeakEngine::available_voices();
    if (!voices)
        return EspeakVoiceProblem{0, "the text-to-speech engine is not available: " + voices.error().message,
                                  "install espeak-ng-data, or remove `voice:`"};
    const auto plus = name.find('+');
    const std::string base = name.substr(0, plus);
    if (std::find(voices->begin(), voices->end(), core::to_lower_ascii(base)) == voices->end()) {
        std::string dym = core::did_you_mean(base, *voices);
        return EspeakVoiceProblem{0, "unknown voice \"" + base + "\"",
                                  dym.empty() ? "use `zh` (Mandarin) or `en` (English), or an espeak-ng voice name "
                                                "(`shotweave voices espeak` lists them)"
                                              : "did you mean \"" + dym + "\"?"};
    }
    if (plus == std::string::npos)
        return std::nullopt;
    auto variants = EspeakEngine::available_variants();
    if (!variants)
        return EspeakVoiceProblem{plus + 1, variants.error().message, "install espeak-ng-data"};
    const std::string variant = name.substr(plus + 1);
    std::vector<std::string> names;
    for (const auto& v : *variants)
        names.push_back(v.name);
    if (std::find(names.begin(), names.end(), variant) != names.end())
        return std::nullopt;
    std::string dym = core::did_you_mean(variant, names);
    return EspeakVoiceProblem{plus + 1,
                              variant.empty() ? "no variant after \"+\" in \"" + name + "\""
                                              : "unknown espeak-ng variant \"" + variant + "\"",
                              dym.empty() ? "variants are f1-f5 (female), m1-m8 (male) and named ones such as Andy "
                                            "or Annie (`shotweave voices espeak` lists them)"
                                          : "did you mean \"" + base + "+" + dym + "\"?"};
}

core::Result<std::vector<std::string>> EspeakEngine::available_voices()
{
    std::lock_guard lock(g_espeak_mutex);
    SW_TRY_STATUS(ensure_initialised());
    return list_voices_locked();
}

std::string EspeakEngine::id() const
{
    return std::string("espeak-ng/") + espeak_Info(nullptr) + "/timing2";
}

core::Result<Speech> EspeakEngine::synthesize(const SpeechRequest& req)
{
    std::lock_guard lock(g_espeak_mutex);
    SW_TRY_STATUS(ensure_initialised());

    std::string voice = map_voice(req.voice);
    if (espeak_SetVoiceByName(voice.c_str()) != EE_OK) {
        auto names = list_voices_locked();
        if (auto plus = req.voice.find('+'); plus != std::string::npos) {
            std::vector<std::string> vn;
            for (const auto& v : list_variants_locked())
                vn.push_back(v.name);
            std::string dym = core::did_you_mean(req.voice.substr(plus + 1), vn);
            return core::make_error(core::ErrorCategory::Script,
                                    "unknown voice or variant \"" + req.voice + "\" for espeak-ng" +
                                        (dym.empty() ? std::string(" — `shotweave voices espeak` lists them")
                                                     : " — did you mean \"" + req.voice.substr(0, plus) + "+" + dym + "\"?"));
        }
        std::string msg = "unknown voice \"" + req.voice + "\" for espeak-ng";
        std::string suggestion = core::did_you_mean(req.voice, names);
        if (!suggestion.empty())
            msg += " — did you mean \"" + suggestion + "\"?";
        msg += " Use zh (Mandarin), en (English) or one of: ";
        for (size_t i = 0; i < names.size(); ++i)
            msg += (i ? ", " : "") + names[i];
        return core::make_error(core::ErrorCategory::Script, msg);
    }
    // espeak keeps parameters between calls: set both every time so requests don't leak.
    espeak_SetParameter(espeakRATE, req.rate_wpm > 0 ? std::clamp(req.rate_wpm, 80, 450) : espeakRATE_NORMAL, 0);
    espeak_SetParameter(espeakPITCH, req.pitch > 0 ? std::clamp(req.pitch, 0, 100) : 50, 0);

    SynthState state;
    espeak_SetSynthCallback(synth_callback);
    espeak_ERROR err = espeak_Synth(req.text.c_str(), req.text.size() + 1, 0, POS_CHARACTER, 0,
                                    espeakCHARS_UTF8, nullptr, &state);
    if (err != EE_OK)
        return core::make_error(core::ErrorCategory::Media, "espeak-ng failed to synthesise the narration",
                                "espeak_Synth returned " + std::to_string(int(err)));

    std::vector<float> raw(state.pcm.size());
    for (size_t i = 0; i < raw.size(); ++i)
        raw[i] = state.pcm[i] / 32768.0f;
    Speech speech;
    speech.samples = SW_TRY(resample_mono(raw, g_espeak_rate, kSpeechSampleRate));
    speech.timings_exact = true;

    // espeak reports text positions in characters (code points), 1-based: map to bytes.
    std::vector<size_t> char_to_byte;
    for (size_t i = 0; i < req.text.size(); ++i)
        if ((uint8_t(req.text[i]) & 0xC0) != 0x80)
            char_to_byte.push_back(i);
    char_to_byte.push_back(req.text.size());
    auto byte_at = [&](int char_pos_1based) {
        size_t idx = size_t(std::clamp(char_pos_1based - 1, 0, int(char_to_byte.size()) - 1));
        return char_to_byte[idx];
    };
    auto to_sample = [&](int ms) {
        return std::clamp<int64_t>(int64_t(ms) * kSpeechSampleRate / 1000, 0, int64_t(speech.samples.size()));
    };

    std::vector<EventMark> marks;
    for (const RawEvent& e : state.events) {
        EventMark m;
        m.sample = to_sample(e.audio_ms);
        if (e.type == espeakEVENT_WORD) {
            m.kind = EventMark::Word;
            m.text_begin = byte_at(e.text_position);
            m.text_end = byte_at(e.text_position + std::max(e.length, 1));
        } else if (e.type == espeakEVENT_SENTENCE) {
            m.kind = EventMark::Sentence;
            m.text_begin = byte_at(e.text_position);
        } else {
            m.kind = EventMark::End;
        }
        marks.push_back(m);
    }
    build_timings_from_events(speech, req.text, marks);
    return speech;
}

}  // namespace sw::audio
