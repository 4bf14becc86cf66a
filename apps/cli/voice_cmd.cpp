// `shotweave voices` and `shotweave say`: argument parsing and printing over audio's engines (their voice lists) and engine::say.

#include "voice_cmd.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "audio/tts.h"
#include "audio/tts_config.h"
#include "engine/say.h"
#include "core/text_util.h"
#include "options.h"

namespace sw::cli {

namespace fs = std::filesystem;

namespace {

int fail(const core::Error& e)
{
    std::fprintf(stderr, "shotweave: %s\n", e.to_string().c_str());
    return core::exit_code_for(e.category);
}

void print_voices(const std::string& engine, const std::vector<audio::VoiceInfo>& voices)
{
    size_t wn = 4, wl = 8;
    for (const auto& v : voices) {
        wn = std::max(wn, core::display_width(v.name));
        wl = std::max(wl, core::display_width(v.language));
    }
    // espeak's variants come as "+f3": counted apart, as they combine with every voice.
    const size_t variants = std::count_if(voices.begin(), voices.end(), [](const auto& v) { return v.name.rfind('+', 0) == 0; });
    const size_t plain = voices.size() - variants;
    std::printf("%s: %zu voice%s", engine.c_str(), plain, plain == 1 ? "" : "s");
    if (variants)
        std::printf(" and %zu variants (voice+variant, e.g. zh+f3)", variants);
    std::printf("\n");
    std::printf("  %s  %s  %-6s  %s\n", core::pad_columns("NAME", wn).c_str(), core::pad_columns("LANGUAGE", wl).c_str(),
                "GENDER", "NOTE");
    for (const auto& v : voices)
        std::printf("  %s  %s  %-6s  %s\n", core::pad_columns(v.name, wn).c_str(), core::pad_columns(v.language, wl).c_str(),
                    v.gender.c_str(), v.note.c_str());
}

}  // namespace

int cmd_voices(const std::vector<std::string>& args)
{
    std::string engine;
    fs::path config;
    bool json = false;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--json")
            json = true;
        else if (a == "--config") {
            if (i + 1 >= args.size())
                return usage_error("voices: --config needs a TOML file with a [tts] table");
            config = args[++i];
        } else if (!a.empty() && a[0] == '-')
            return usage_error("voices: unknown option " + a);
        else if (engine.empty())
            engine = a;
        else
            return usage_error("voices: one engine at a time, e.g. `shotweave voices espeak`");
    }
    // Without a name: espeak, and the engine the [tts] table here names.
    std::vector<std::string> engines;
    if (!engine.empty())
        engines.push_back(engine);
    else {
        engines.push_back("espeak");
        const fs::path file = config.empty() ? audio::tts_config_path(fs::current_path()) : config;
        if (!file.empty()) {
            auto cfg = audio::load_tts_config(file);
            if (!cfg)
                return fail(cfg.error());
            if (!cfg->engine.empty() && cfg->engine != "espeak")
                engines.push_back(cfg->engine);
        }
    }
    nlohmann::json out = nlohmann::json::array();
    int status = core::kExitOk;
    for (const std::string& name : engines) {
        std::string chosen;
        auto made = audio::tts_engine_for(name, config, fs::current_path(), chosen);
        core::Result<std::vector<audio::VoiceInfo>> voices =
            made ? (*made)->voices() : tl::unexpected(made.error());
        if (!voices) {
            status = std::max(status, core::exit_code_for(voices.error().category));
            if (json)
                out.push_back({{"engine", name}, {"error", voices.error().to_string()}});
            else
                std::fprintf(stderr, "shotweave: %s: %s\n", name.c_str(), voices.error().to_string().c_str());
            continue;
        }
        if (json) {
            nlohmann::json list = nlohmann::json::array();
            for (const auto& v : *voices)
                list.push_back({{"name", v.name}, {"language", v.language}, {"gender", v.gender}, {"note", v.note}});
            out.push_back({{"engine", chosen}, {"voices", list}});
        } else {
            print_voices(chosen, *voices);
        }
    }
    if (json)
        std::cout << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    else if (engine.empty())
        std::printf("\nespeak-ng variants go after a voice: `voice: zh+f3`. The speech servers (openai, cosyvoice, "
                    "gpt-sovits, piper) list theirs with `shotweave voices ENGINE` — see docs/voices.md.\n");
    return status;
}

int cmd_say(const std::vector<std::string>& args)
{
    std::string text, voice, engine_name, output;
    fs::path config;
    int rate = 0, pitch = 0;
    bool force = false;
    auto number = [](const std::string& s, int lo, int hi, int& out) {
        char* end = nullptr;
        long n = std::strtol(s.c_str(), &end, 10);
        if (s.empty() || *end || n < lo || n > hi)
            return false;
        out = int(n);
        return true;
    };
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        const std::string* v = i + 1 < args.size() ? &args[i + 1] : nullptr;
        auto need = [&](const char* what) {
            return usage_error(std::string("say: ") + a + " needs " + what);
        };
        if (a == "--force") {
            force = true;
        } else if (a == "--voice" || a == "-v") {
            if (!v)
                return need("a voice name, e.g. --voice zh+f3 (`shotweave voices` lists them)");
            voice = *v, ++i;
        } else if (a == "--engine") {
            if (!v)
                return need("an engine: espeak, openai, cosyvoice, gpt-sovits or piper");
            engine_name = *v, ++i;
        } else if (a == "--config") {
            if (!v)
                return need("a TOML file with a [tts] table");
            config = *v, ++i;
        } else if (a == "-o" || a == "--output") {
            if (!v)
                return need("a file name, e.g. -o preview.wav");
            output = *v, ++i;
        } else if (a == "--rate") {
            if (!v || !number(*v, 80, 450, rate))
                return usage_error("say: --rate needs words per minute, 80 to 450");
            ++i;
        } else if (a == "--pitch") {
            if (!v || !number(*v, 0, 100, pitch))
                return usage_error("say: --pitch needs a number from 0 to 100");
            ++i;
        } else if (!a.empty() && a[0] == '-' && a != "-") {
            return usage_error("say: unknown option " + a);
        } else if (text.empty()) {
            text = a;
        } else {
            return usage_error("say: give the text as one argument, in quotes");
        }
    }
    if (core::trim(text).empty())
        return usage_error("say: what should be said? e.g. `shotweave say \"你好，世界。\" --voice zh+f3 -o hi.wav`");
    if (output.empty())
        return usage_error("say: where to? add -o FILE.wav");
    engine::SayRequest rq{text, voice, engine_name, rate, pitch, config, fs::current_path(), output, force};
    engine::SayResult r = engine::say(rq);
    for (const auto& w : r.warnings)
        std::fprintf(stderr, "shotweave: warning: %s\n", w.c_str());
    if (r.outcome != engine::Outcome::Done)
        return fail(*r.error);
    std::fprintf(stderr, "wrote %s: %s s of %s speech (voice %s, %d Hz mono)\n", output.c_str(),
                 core::format_number(std::round(r.seconds * 100) / 100).c_str(), r.engine.c_str(), r.voice.c_str(),
                 audio::kSpeechSampleRate);
    return core::kExitOk;
}

}  // namespace sw::cli
