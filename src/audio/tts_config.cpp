// The [tts] table (toml++) and the engine factory. Keys are described once, in kKeys: their type,
// the engines that read them and where the value goes, so reading, "this key is for another
// engine" and the did-you-mean all come from one list.

#include "audio/tts_config.h"


#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "config/toml_reader.h"
#include "core/file.h"
#include "core/text_util.h"

namespace sw::audio {

namespace fs = std::filesystem;
using core::ErrorCategory;

const std::vector<std::string>& tts_engine_names()
{
    static const std::vector<std::string> names = {"espeak", "openai", "cosyvoice", "gpt-sovits", "piper", "http", "command"};
    return names;
}

namespace {

enum class Kind { Text, Integer, Boolean };

// Which engines read a key (bit per engine).
enum : unsigned { kEspeak = 1, kOpenAi = 2, kCosy = 4, kSovits = 8, kPiper = 16, kCommand = 32, kAll = 63 };
constexpr unsigned kHttp = kOpenAi | kCosy | kSovits | kPiper;

unsigned engine_bit(const std::string& engine)
{
    if (engine == "espeak")
        return kEspeak;
    if (engine == "openai" || engine == "http")
        return kOpenAi;
    if (engine == "cosyvoice")
        return kCosy;
    if (engine == "gpt-sovits")
        return kSovits;
    if (engine == "piper")
        return kPiper;
    return kCommand;
}

std::string engines_text(unsigned mask)
{
    std::vector<std::string> out;
    for (const auto& [bit, name] : std::vector<std::pair<unsigned, std::string>>{
             {kOpenAi, "openai"}, {kCosy, "cosyvoice"}, {kSovits, "gpt-sovits"}, {kPiper, "piper"}, {kCommand, "command"}})
        if (mask & bit)
            out.push_back(name);
    return core::join(out, ", ");
}

struct TableKey {
    const char* name;
    Kind kind;
    unsigned engines;
    // Exactly one of these is set.
    std::string TtsConfig::*text = nullptr;
    int TtsConfig::*integer = nullptr;
    std::string ReferenceVoice::*ref_text = nullptr;
    bool TtsConfig::*flag = nullptr;
};

const std::vector<TableKey>& table_keys()
{
    static const std::vector<TableKey> keys = {
        {"engine", Kind::Text, kAll, &TtsConfig::engine},
        {"url", Kind::Text, kHttp, &TtsConfig::url},
        {"api_key_env", Kind::Text, kOpenAi, &TtsConfig::api_key_env},
        {"model", Kind::Text, kOpenAi, &TtsConfig::model},
        {"voice", Kind::Text, kOpenAi | kCosy | kPiper, &TtsConfig::voice},
        {"english_voice", Kind::Text, kCosy, &TtsConfig::english_voice},
        {"sample_rate", Kind::Integer, kCosy, nullptr, &TtsConfig::sample_rate},
        {"timeout_s", Kind::Integer, kHttp | kCommand, nullptr, &TtsConfig::timeout_s},
        {"seed", Kind::Integer, kSovits, nullptr, &TtsConfig::seed},
        {"text_split_method", Kind::Text, kSovits, &TtsConfig::text_split_method},
        {"word_timings", Kind::Boolean, kOpenAi, nullptr, nullptr, nullptr, &TtsConfig::word_timings},
        {"ref_audio", Kind::Text, kSovits, nullptr, nullptr, &ReferenceVoice::ref_audio},
        {"prompt_text", Kind::Text, kSovits, nullptr, nullptr, &ReferenceVoice::prompt_text},
        {"prompt_lang", Kind::Text, kSovits, nullptr, nullptr, &ReferenceVoice::prompt_lang},
        {"text_lang", Kind::Text, kSovits, nullptr, nullptr, &ReferenceVoice::text_lang},
        {"instruct_text", Kind::Text, kCosy, nullptr, nullptr, &ReferenceVoice::instruct_text},
    };
    return keys;
}

// The keys of a [tts.voices.NAME] table.
struct VoiceKey {
    const char* name;
    unsigned engines;
    std::string ReferenceVoice::*field;
};
const std::vector<VoiceKey>& voice_keys()
{
    static const std::vector<VoiceKey> keys = {
        {"ref_audio", kSovits, &ReferenceVoice::ref_audio},       {"prompt_text", kSovits | kCosy, &ReferenceVoice::prompt_text},
        {"prompt_lang", kSovits, &ReferenceVoice::prompt_lang},   {"text_lang", kSovits, &ReferenceVoice::text_lang},
        {"prompt_wav", kCosy, nullptr},                            {"mode", kCosy, &ReferenceVoice::mode},
        {"instruct_text", kCosy, &ReferenceVoice::instruct_text},
    };
    return keys;
}

tl::unexpected<core::Error> fail(const core::SourceLoc& at, const std::string& what, const std::string& fix)
{
    return core::make_error(ErrorCategory::Script, what + " — " + fix, {}, at);
}

template <class Keys>
std::vector<std::string> names_of(const Keys& keys)
{
    std::vector<std::string> out;
    for (const auto& k : keys)
        out.push_back(k.name);
    return out;
}

core::Result<ReferenceVoice> read_voice(const toml::table& t, const std::string& name, const fs::path& file, TtsConfig& c)
{
    const config::TomlReader reader(file);
    ReferenceVoice v;
    for (const auto& [key, node] : t) {
        std::string k(key.str());
        auto it = std::find_if(voice_keys().begin(), voice_keys().end(), [&](const VoiceKey& vk) { return k == vk.name; });
        if (it == voice_keys().end())
            return reader.unknown(key, names_of(voice_keys()), "[tts.voices." + name + "]", "docs/voices.md");
        c.where["voices." + name + "." + k] = reader.loc(node.source());
        std::string value = SW_TRY(reader.string(node, k));
        if (it->field)
            v.*(it->field) = value;
        else  // prompt_wav: a local recording, relative to the TOML file
            v.prompt_wav = fs::path(value).is_absolute() ? fs::path(value) : file.parent_path() / value;
    }
    return v;
}

}  // namespace

core::Result<TtsConfig> parse_tts_config(std::string_view text, const fs::path& file)
{
    TtsConfig c;
    c.file = file;
    const config::TomlReader reader(file);
    toml::table root = SW_TRY(config::parse_toml(text, file));
    const toml::node* node = root.get("tts");
    if (!node)
        return c;
    const toml::table* t = node->as_table();
    if (!t)
        return fail(reader.loc(node->source()), "`tts` must be a table", "write [tts] on its own line, its keys below it");
    c.present = true;
    c.table_loc = reader.loc(t->source());
    std::vector<std::string> known = names_of(table_keys());
    known.push_back("voices");
    for (const auto& [key, value] : *t) {
        std::string k(key.str());
        if (k == "voices") {
            const toml::table* vt = value.as_table();
            if (!vt)
                return fail(reader.loc(value.source()), "`voices` must be a table of voices",
                            "write each as [tts.voices.NAME] with its ref_audio or prompt_wav");
            for (const auto& [vname, vnode] : *vt) {
                std::string n(vname.str());
                c.where["voices." + n] = reader.loc(vname.source());
                const toml::table* one = vnode.as_table();
                if (!one)
                    return fail(reader.loc(vnode.source()), "voice `" + n + "` must be a table",
                                "write [tts.voices." + n + "] and its keys below it");
                c.voices[n] = SW_TRY(read_voice(*one, n, file, c));
            }
            continue;
        }
        auto it = std::find_if(table_keys().begin(), table_keys().end(), [&](const TableKey& tk) { return k == tk.name; });
        if (it == table_keys().end())
            return reader.unknown(key, known, "[tts]", "docs/voices.md");
        c.where[k] = reader.loc(value.source());
        if (it->flag) {
            if (!value.is_boolean())
                return fail(reader.loc(value.source()), "`" + k + "` must be true or false",
                            "write " + k + " = true or " + k + " = false");
            c.*(it->flag) = value.as_boolean()->get();
        } else if (it->integer)
            c.*(it->integer) = SW_TRY(reader.integer(value, k));
        else if (it->text)
            c.*(it->text) = SW_TRY(reader.string(value, k));
        else
            c.reference.*(it->ref_text) = SW_TRY(reader.string(value, k));
    }
    if (!c.engine.empty()) {
        const auto& names = tts_engine_names();
        if (std::find(names.begin(), names.end(), c.engine) == names.end()) {
            std::string guess = core::did_you_mean(c.engine, names);
            return fail(c.where["engine"], "unknown TTS engine \"" + c.engine + "\"",
                        guess.empty() ? "use one of " + core::join(names, ", ") : "did you mean \"" + guess + "\"?");
        }
    }
    return c;
}

core::Result<TtsConfig> load_tts_config(const fs::path& file)
{
    auto text = core::read_file(file);
    if (!text)
        return core::make_error(ErrorCategory::Input, "cannot read " + file.string() + " — check the path", {},
                                core::SourceLoc{file.string()});
    return parse_tts_config(*text, file);
}

fs::path tts_config_path(const fs::path& script_dir)
{
    fs::path t = script_dir / "shotweave.toml";
    std::error_code ec;
    if (fs::is_regular_file(t, ec) && core::read_file(t).value_or("").find("[tts") != std::string::npos)
        return t;
    return {};
}

core::Result<std::unique_ptr<TtsEngine>> make_tts_engine(const std::string& engine, const TtsConfig& c,
                                                         const std::string& command_template)
{
    const unsigned bit = engine_bit(engine);
    auto at = [&](const std::string& key) {
        auto it = c.where.find(key);
        return it != c.where.end() ? it->second : c.table_loc.valid() ? c.table_loc : core::SourceLoc{c.file.string()};
    };
    // A key for another engine is most likely a mistake (a copied table, a wrong `tts:`): say so.
    for (const auto& [key, loc] : c.where) {
        unsigned mask = 0;
        std::string shown = key;
        if (key.rfind("voices.", 0) == 0) {
            auto dot = key.find('.', 7);
            if (dot == std::string::npos) {
                mask = kCosy | kSovits;
                shown = "voices";
            } else {
                shown = key.substr(dot + 1);
                for (const auto& vk : voice_keys())
                    if (shown == vk.name)
                        mask = vk.engines;
            }
        } else {
            for (const auto& tk : table_keys())
                if (key == tk.name)
                    mask = tk.engines;
        }
        if (!(mask & bit))
            return fail(loc, "`" + shown + "` is not a setting of the " + engine + " engine",
                        "it is read by " + engines_text(mask) + "; remove it, or choose that engine");
    }
    if (!c.engine.empty() && c.engine != engine && !(engine_bit(c.engine) == bit))
        return fail(at("engine"), "[tts] says engine = \"" + c.engine + "\" but the script says `tts: " + engine + "`",
                    "make them agree, or remove one");
    auto timeout = [&](int fallback) -> core::Result<int> {
        if (!c.where.count("timeout_s"))
            return fallback;
        if (c.timeout_s < 1 || c.timeout_s > 3600)
            return fail(at("timeout_s"), "`timeout_s` must be 1 to 3600 seconds", "e.g. timeout_s = 300");
        return c.timeout_s;
    };
    auto url_check = [&](const std::string& url) -> core::Status {
        if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0)
            return fail(at("url"), "`url` must start with http:// or https://, not \"" + url + "\"",
                        "write the server's root address, e.g. url = \"http://127.0.0.1:9880\"");
        return {};
    };

    if (engine == "espeak")
        return std::unique_ptr<TtsEngine>(std::make_unique<EspeakEngine>());
    if (engine == "command") {
        CommandEngineOptions o{command_template, SW_TRY(timeout(120))};
        if (o.command_template.empty())
            return fail(c.table_loc.valid() ? c.table_loc : core::SourceLoc{c.file.string()},
                        "`tts: command` needs a command template",
                        "write `tts: command <template>` in the script");
        SW_TRY(split_command_line(o.command_template));
        return std::unique_ptr<TtsEngine>(std::make_unique<CommandEngine>(o));
    }
    if (engine == "openai" || engine == "http") {
        HttpSpeechOptions o;
        const char* env_url = std::getenv("SHOTWEAVE_TTS_URL");
        o.base_url = !c.url.empty() ? c.url : env_url ? env_url : "";
        if (o.base_url.empty())
            return fail(at("url"), "`tts: " + engine + "` needs the speech server's address",
                        "set url = \"http://127.0.0.1:8880\" in the [tts] table of shotweave.toml, or "
                        "SHOTWEAVE_TTS_URL (and SHOTWEAVE_TTS_KEY, SHOTWEAVE_TTS_MODEL if it needs them)");
        SW_TRY_STATUS(url_check(o.base_url));
        o.api_key_env = c.api_key_env.empty() ? "SHOTWEAVE_TTS_KEY" : c.api_key_env;
        if (const char* k = std::getenv(o.api_key_env.c_str()))
            o.api_key = k;
        else if (!c.api_key_env.empty())
            return fail(at("api_key_env"), "the environment variable " + c.api_key_env + " is not set",
                        "export " + c.api_key_env + "=<your key> before running shotweave");
        const char* env_model = std::getenv("SHOTWEAVE_TTS_MODEL");
        o.model = !c.model.empty() ? c.model : env_model && *env_model ? env_model : "tts-1";
        if (!c.voice.empty())
            o.default_voice = c.voice;
        o.timeout_s = SW_TRY(timeout(120));
        o.word_timings = c.word_timings;
        return std::unique_ptr<TtsEngine>(std::make_unique<HttpSpeechEngine>(o));
    }
    if (engine == "cosyvoice") {
        CosyVoiceOptions o;
        if (!c.url.empty())
            o.base_url = c.url;
        SW_TRY_STATUS(url_check(o.base_url));
        if (c.where.count("sample_rate")) {
            if (c.sample_rate < 8000 || c.sample_rate > 96000)
                return fail(at("sample_rate"), "`sample_rate` " + std::to_string(c.sample_rate) + " is not a speech rate",
                            "use the model's: 22050 for CosyVoice-300M, 24000 for CosyVoice2/3");
            o.sample_rate = c.sample_rate;
        }
        if (!c.voice.empty())
            o.default_speaker = c.voice;
        if (!c.english_voice.empty())
            o.english_speaker = c.english_voice;
        o.instruct_text = c.reference.instruct_text;
        o.timeout_s = SW_TRY(timeout(300));
        for (const auto& [name, v] : c.voices) {
            const std::string p = "voices." + name + ".";
            ReferenceVoice r = v;
            if (r.mode.empty())
                r.mode = "zero-shot";
            if (r.mode != "zero-shot" && r.mode != "cross-lingual" && r.mode != "instruct2") {
                std::string g = core::did_you_mean(r.mode, {"zero-shot", "cross-lingual", "instruct2"});
                return fail(at(p + "mode"), "unknown CosyVoice mode \"" + r.mode + "\"",
                            g.empty() ? "use zero-shot, cross-lingual or instruct2" : "did you mean \"" + g + "\"?");
            }
            if (r.prompt_wav.empty())
                return fail(at("voices." + name), "voice `" + name + "` has no prompt_wav",
                            "add prompt_wav = \"voices/" + name + ".wav\" (a recording of 3-10 s, relative to shotweave.toml)");
            std::error_code ec;
            if (!fs::is_regular_file(r.prompt_wav, ec))
                return fail(at(p + "prompt_wav"), "the recording " + r.prompt_wav.string() + " does not exist",
                            "check the path (relative to " + c.file.filename().string() + ")");
            if (r.mode == "zero-shot" && r.prompt_text.empty())
                return fail(at("voices." + name), "voice `" + name + "` (zero-shot) has no prompt_text",
                            "add prompt_text = \"<the words spoken in the recording>\"");
            if (r.mode == "instruct2" && r.instruct_text.empty())
                return fail(at("voices." + name), "voice `" + name + "` (instruct2) has no instruct_text",
                            "add instruct_text = \"<how to speak>\"");
            o.voices[name] = r;
        }
        return std::unique_ptr<TtsEngine>(std::make_unique<CosyVoiceEngine>(o));
    }
    if (engine == "gpt-sovits") {
        GptSovitsOptions o;
        if (!c.url.empty())
            o.base_url = c.url;
        SW_TRY_STATUS(url_check(o.base_url));
        o.default_voice = c.reference;
        if (!c.text_split_method.empty())
            o.text_split_method = c.text_split_method;
        o.seed = c.seed;
        o.timeout_s = SW_TRY(timeout(300));
        if (!o.default_voice.ref_audio.empty() && o.default_voice.prompt_lang.empty())
            o.default_voice.prompt_lang = "zh";
        for (const auto& [name, v] : c.voices) {
            if (v.ref_audio.empty())
                return fail(at("voices." + name), "voice `" + name + "` has no ref_audio",
                            "add ref_audio = \"<path of the reference recording on the server's machine>\"");
            ReferenceVoice r = v;
            if (r.prompt_lang.empty())
                r.prompt_lang = "zh";
            o.voices[name] = r;
        }
        if (o.default_voice.ref_audio.empty() && o.voices.empty())
            return fail(c.table_loc.valid() ? c.table_loc : core::SourceLoc{c.file.string()},
                        "GPT-SoVITS needs a reference recording",
                        "set ref_audio, prompt_text and prompt_lang in the [tts] table of shotweave.toml, or add "
                        "[tts.voices.NAME] tables (docs/voices.md)");
        return std::unique_ptr<TtsEngine>(std::make_unique<GptSovitsEngine>(o));
    }
    // piper
    PiperOptions o;
    if (!c.url.empty())
        o.base_url = c.url;
    SW_TRY_STATUS(url_check(o.base_url));
    o.default_voice = c.voice;
    o.timeout_s = SW_TRY(timeout(120));
    return std::unique_ptr<TtsEngine>(std::make_unique<PiperEngine>(o));
}

core::Result<std::unique_ptr<TtsEngine>> tts_engine_for(std::string engine, const fs::path& config_file,
                                                        const fs::path& dir, std::string& chosen)
{
    TtsConfig config;
    const fs::path file = config_file.empty() ? tts_config_path(dir) : config_file;
    if (!file.empty())
        config = SW_TRY(load_tts_config(file));
    if (!config_file.empty() && !config.present)
        return core::make_error(ErrorCategory::Input, config_file.string() + " has no [tts] table — add one (docs/voices.md)",
                                {}, core::SourceLoc{config_file.string()});
    if (engine.empty())
        engine = config.engine.empty() ? "espeak" : config.engine;
    const auto& names = tts_engine_names();
    if (std::find(names.begin(), names.end(), engine) == names.end()) {
        std::string guess = core::did_you_mean(engine, names);
        return core::make_error(ErrorCategory::Input, "unknown TTS engine \"" + engine + "\" — " +
                                                          (guess.empty() ? "use one of " + core::join(names, ", ")
                                                                         : "did you mean \"" + guess + "\"?"));
    }
    if (engine == "command")
        return core::make_error(ErrorCategory::Input,
                                "the command engine runs the template of a script's `tts: command` line — preview it "
                                "by rendering, or run the program by hand");
    chosen = engine;
    // A table made for another engine says nothing about this one: its defaults apply.
    if (!config.engine.empty() && engine_bit(config.engine) != engine_bit(engine))
        config = TtsConfig{};
    return make_tts_engine(engine, config);
}

}  // namespace sw::audio
