// The writer's settings: `[writer]` in shotweave.toml and SHOTWEAVE_LLM_* (docs/draft.md).
// Problems in the file are reported at `file:line:col` with how to fix them.

#include <cstdlib>

#include "config/toml_reader.h"
#include "core/file.h"
#include "core/text_util.h"
#include "draft/draft.h"
#include "net/http.h"

namespace sw::draft {

namespace {

using core::ErrorCategory;

const std::vector<std::string> kWriterKeys = {"url",         "model",      "api_key_env", "timeout_s", "temperature",
                                              "max_retries", "max_tokens", "json_mode",   "headers"};

// A number within [lo, hi], else an error at it saying the range.
core::Result<double> ranged(const config::TomlReader& rd, const toml::node& n, const std::string& key, double lo, double hi)
{
    double v = SW_TRY(rd.number(n, key));
    if (!(v >= lo && v <= hi))
        return rd.error(n.source(), "`" + key + "` is " + core::format_number(v) + ", out of range",
                        "use a value from " + core::format_number(lo) + " to " + core::format_number(hi));
    return v;
}

}  // namespace

const char* to_string(JsonMode m)
{
    switch (m) {
    case JsonMode::Schema: return "schema";
    case JsonMode::Object: return "object";
    case JsonMode::Prompt: return "prompt";
    }
    return "schema";
}

core::Result<std::optional<WriterConfig>> parse_writer_config(std::string_view text, const fs::path& file)
{
    config::TomlReader rd(file);
    toml::table root = SW_TRY(config::parse_toml(text, file));
    const toml::node* w = root.get("writer");
    if (!w)
        return std::optional<WriterConfig>{};
    const toml::table* t = w->as_table();
    if (!t)
        return rd.error(w->source(), "`writer` must be a table", "write [writer] on its own line, the settings below it");

    WriterConfig c;
    c.origin = file.filename().string();
    for (const auto& [key, node] : *t) {
        const std::string k(key.str());
        if (k == "url")
            c.url = SW_TRY(rd.string(node, k));
        else if (k == "model")
            c.model = SW_TRY(rd.string(node, k));
        else if (k == "api_key_env")
            c.api_key_env = SW_TRY(rd.string(node, k));
        else if (k == "timeout_s")
            c.timeout_s = SW_TRY(ranged(rd, node, k, 1, 3600));
        else if (k == "temperature")
            c.temperature = SW_TRY(ranged(rd, node, k, 0, 2));
        else if (k == "max_retries") {
            if (!node.is_integer())
                return rd.error(node.source(), "`max_retries` must be a whole number", "write e.g. max_retries = 2");
            c.max_retries = int(SW_TRY(ranged(rd, node, k, 0, 10)));
        } else if (k == "max_tokens") {
            if (!node.is_integer())
                return rd.error(node.source(), "`max_tokens` must be a whole number", "write e.g. max_tokens = 4096");
            c.max_tokens = int(SW_TRY(ranged(rd, node, k, 256, 1'000'000)));
        } else if (k == "json_mode") {
            std::string m = SW_TRY(rd.string(node, k));
            if (m == "schema")
                c.json_mode = JsonMode::Schema;
            else if (m == "object")
                c.json_mode = JsonMode::Object;
            else if (m == "prompt")
                c.json_mode = JsonMode::Prompt;
            else
                return rd.error(node.source(), "unknown json_mode \"" + m + "\"",
                                "use \"schema\" (response_format with the JSON schema), \"object\" (JSON mode) or "
                                "\"prompt\" (the schema in the prompt only)");
        } else if (k == "headers") {
            c.headers = SW_TRY(rd.string_table(node, k, false));
        } else if (k == "api_key" || k == "key") {
            // A key in a file ends up in backups and repositories: it stays in the environment.
            return rd.error(key.source(), "an API key does not belong in " + file.filename().string(),
                            "put it in an environment variable and name that variable: api_key_env = \"DEEPSEEK_API_KEY\"");
        } else {
            return rd.unknown(key, kWriterKeys, "[writer]", "docs/draft.md");
        }
    }
    return std::optional<WriterConfig>(std::move(c));
}

std::string configure_hint()
{
    return std::string("set ") + kUrlEnv + " and " + kModelEnv + " (and " + kKeyEnv +
           " for a hosted service), e.g.\n"
           "    export SHOTWEAVE_LLM_URL=http://localhost:11434/v1 SHOTWEAVE_LLM_MODEL=qwen2.5:7b   # Ollama\n"
           "    export SHOTWEAVE_LLM_URL=https://api.deepseek.com SHOTWEAVE_LLM_MODEL=deepseek-chat SHOTWEAVE_LLM_KEY=sk-...\n"
           "or put a [writer] table (url, model, api_key_env) in shotweave.toml — see docs/draft.md";
}

core::Result<WriterConfig> resolve_writer_config(const fs::path& toml_file, const EnvLookup& getenv_in)
{
    EnvLookup getenv = getenv_in ? getenv_in : [](const std::string& name) -> std::optional<std::string> {
        const char* v = std::getenv(name.c_str());
        if (!v || !*v)
            return std::nullopt;
        return std::string(v);
    };
    WriterConfig c;
    bool from_file = false;
    std::error_code ec;
    if (!toml_file.empty() && fs::is_regular_file(toml_file, ec)) {
        auto text = core::read_file(toml_file);
        if (!text)
            return core::make_error(ErrorCategory::Input, "cannot read " + toml_file.string() + " — check its permissions");
        if (auto parsed = SW_TRY(parse_writer_config(*text, toml_file))) {
            c = std::move(*parsed);
            from_file = true;
        }
    }
    std::vector<std::string> from_env;
    if (auto v = getenv(kUrlEnv))
        c.url = *v, from_env.push_back(kUrlEnv);
    if (auto v = getenv(kModelEnv))
        c.model = *v, from_env.push_back(kModelEnv);
    c.origin = from_file && !from_env.empty() ? toml_file.filename().string() + " and " + core::join(from_env)
               : from_file                   ? toml_file.filename().string()
                                             : core::join(from_env);
    if (c.url.empty() && c.model.empty())
        return core::make_error(ErrorCategory::Input, "no language model is configured for `shotweave draft` — " + configure_hint());
    if (c.url.empty())
        return core::make_error(ErrorCategory::Input,
                                "the language model's address is missing — set " + std::string(kUrlEnv) +
                                    " or `url` under [writer] in shotweave.toml (e.g. http://localhost:11434/v1)");
    if (c.model.empty())
        return core::make_error(ErrorCategory::Input,
                                "the language model's name is missing — set " + std::string(kModelEnv) +
                                    " or `model` under [writer] in shotweave.toml (e.g. qwen2.5:7b, deepseek-chat, qwen-plus)");
    if (c.url.find("://") == std::string::npos)
        return core::make_error(ErrorCategory::Input, "the language model's address \"" + c.url +
                                                          "\" has no scheme — write it as http://host:port/v1 or https://…");
    if (auto key = getenv(c.api_key_env))
        c.api_key = *key;
    else if (c.api_key_env != kKeyEnv)
        // The user named a variable: an empty one is a mistake worth stopping for.
        return core::make_error(ErrorCategory::Input, "the API key variable " + c.api_key_env +
                                                          " (api_key_env in " + toml_file.filename().string() +
                                                          ") is not set — export it, or remove api_key_env for a local server");
    for (auto& [name, value] : c.headers) {
        // "${VAR}" in a header value is taken from the environment (an organisation id, a key).
        size_t at = 0;
        while ((at = value.find("${", at)) != std::string::npos) {
            size_t end = value.find('}', at);
            if (end == std::string::npos)
                break;
            std::string var = value.substr(at + 2, end - at - 2);
            auto v = getenv(var);
            if (!v)
                return core::make_error(ErrorCategory::Input, "the header " + name + " needs the environment variable " +
                                                                  var + ", which is not set — export it");
            value.replace(at, end - at + 1, *v);
            at += v->size();
        }
    }
    return c;
}

std::string chat_url(std::string base)
{
    base = net::join_url(std::move(base), "");
    const std::string_view tail = "/chat/completions";
    if (base.size() >= tail.size() && base.compare(base.size() - tail.size(), tail.size(), tail) == 0)
        return base;
    return net::join_url(net::api_root(base), "chat/completions");
}

}  // namespace sw::draft
