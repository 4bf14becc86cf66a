// load_generator_config: the `[generator]` table of a TOML file (see docs/generators.md).
// Every problem is reported as `file:line:col: what — how to fix`: unknown keys with a
// did-you-mean, wrong types, bad values and the keys each kind needs.

#include <toml++/toml.h>

#include <fstream>
#include <sstream>
#include <set>

#include "config/toml_reader.h"
#include "core/text_util.h"
#include "models/clip_adapter.h"
#include "models/clip_http.h"

namespace sw::models {

namespace {

using core::ErrorCategory;

const std::vector<std::string> kGeneratorKeys = {
    "kind",          "name",          "model",         "timeout_s",            "retries",
    "backoff_s",     "negative",      "extra",         "command",              "optional_flags",
    "output_name",   "base_url",      "api_key_env",   "headers",              "poll_interval_s",
    "workflow",      "submit_path",   "submit_body",   "id_path",              "status_path_template",
    "status_pointer", "done_values",  "failed_values", "error_pointer",        "url_pointer",
    "capabilities"};
const std::vector<std::string> kCapabilityKeys = {
    "text_to_video", "image_to_video", "first_last_frame", "durations",  "min_seconds",    "max_seconds",
    "frame_multiple", "frame_offset",  "native_fps",       "size_multiple", "max_concurrency"};
const std::vector<std::string> kKinds = {"command", "sdcpp-server", "comfyui", "rest"};

using Reader = config::TomlReader;

bool starts_with(const std::string& s, const char* p)
{
    return s.rfind(p, 0) == 0;
}

}  // namespace

core::Result<GeneratorConfig> load_generator_config(const fs::path& toml_file)
{
    std::ifstream probe(toml_file);
    if (!probe)
        return core::make_error(ErrorCategory::Input,
                                "cannot read the generator config " + toml_file.string() + " — check the path", {},
                                core::SourceLoc{toml_file.string()});
    std::ostringstream text;
    text << probe.rdbuf();
    return parse_generator_config(text.str(), toml_file);
}

core::Result<GeneratorConfig> parse_generator_config(std::string_view text, const fs::path& toml_file)
{
    Reader rd(toml_file);
    toml::table root = SW_TRY(config::parse_toml(text, toml_file));

    const toml::node* gnode = root.get("generator");
    if (!gnode) {
        std::string fix = "put the settings under a [generator] table (see examples/generators/)";
        for (const auto& [k, v] : root) {
            std::string guess = core::did_you_mean(std::string(k.str()), {"generator"});
            if (!guess.empty())
                return rd.error(k.source(), "unknown table `" + std::string(k.str()) + "`", "did you mean `[generator]`?");
        }
        core::SourceLoc l{toml_file.string()};
        l.line = 1;
        l.col = 1;
        return core::make_error(ErrorCategory::Script, "no [generator] table — " + fix, {}, l);
    }
    const toml::table* g = gnode->as_table();
    if (!g)
        return rd.error(gnode->source(), "`generator` must be a table", "write [generator] on its own line");

    GeneratorConfig c;
    c.config_file = toml_file;
    const fs::path base_dir = toml_file.parent_path();
    std::map<std::string, toml::source_region> where;  // of each key given, for later checks

    for (const auto& [key, node] : *g) {
        std::string k(key.str());
        where[k] = node.source();
        if (k == "kind")
            c.kind = SW_TRY(rd.string(node, k));
        else if (k == "name")
            c.name = SW_TRY(rd.string(node, k));
        else if (k == "model")
            c.model = SW_TRY(rd.string(node, k));
        else if (k == "timeout_s")
            c.timeout_s = SW_TRY(rd.number(node, k));
        else if (k == "retries")
            c.retries = SW_TRY(rd.integer(node, k));
        else if (k == "backoff_s")
            c.backoff_s = SW_TRY(rd.number(node, k));
        else if (k == "negative")
            c.negative = SW_TRY(rd.string(node, k));
        else if (k == "extra")
            c.extra = SW_TRY(rd.string_table(node, k, true));
        else if (k == "command")
            c.command = SW_TRY(rd.strings(node, k));
        else if (k == "optional_flags")
            c.optional_flags = SW_TRY(rd.strings(node, k));
        else if (k == "output_name")
            c.output_name = SW_TRY(rd.string(node, k));
        else if (k == "base_url")
            c.base_url = SW_TRY(rd.string(node, k));
        else if (k == "api_key_env")
            c.api_key_env = SW_TRY(rd.string(node, k));
        else if (k == "headers")
            c.headers = SW_TRY(rd.string_table(node, k, false));
        else if (k == "poll_interval_s")
            c.poll_interval_s = SW_TRY(rd.number(node, k));
        else if (k == "workflow")
            c.workflow = SW_TRY(rd.string(node, k));
        else if (k == "submit_path")
            c.submit_path = SW_TRY(rd.string(node, k));
        else if (k == "submit_body")
            c.submit_body = SW_TRY(rd.string(node, k));
        else if (k == "id_path")
            c.id_path = SW_TRY(rd.string(node, k));
        else if (k == "status_path_template")
            c.status_path_template = SW_TRY(rd.string(node, k));
        else if (k == "status_pointer")
            c.status_pointer = SW_TRY(rd.string(node, k));
        else if (k == "done_values")
            c.done_values = SW_TRY(rd.strings(node, k));
        else if (k == "failed_values")
            c.failed_values = SW_TRY(rd.strings(node, k));
        else if (k == "error_pointer")
            c.error_pointer = SW_TRY(rd.string(node, k));
        else if (k == "url_pointer")
            c.url_pointer = SW_TRY(rd.string(node, k));
        else if (k == "capabilities") {
            const toml::table* caps = node.as_table();
            if (!caps)
                return rd.error(node.source(), "`capabilities` must be a table",
                                "write [generator.capabilities] on its own line");
            for (const auto& [ck, cv] : *caps) {
                std::string n(ck.str());
                where["capabilities." + n] = cv.source();
                auto& cp = c.caps;
                if (n == "text_to_video")
                    cp.text_to_video = SW_TRY(rd.boolean(cv, n));
                else if (n == "image_to_video")
                    cp.image_to_video = SW_TRY(rd.boolean(cv, n));
                else if (n == "first_last_frame")
                    cp.first_last_frame = SW_TRY(rd.boolean(cv, n));
                else if (n == "durations") {
                    const toml::array* a = cv.as_array();
                    if (!a)
                        return rd.error(cv.source(), "`durations` must be an array of seconds", "write e.g. durations = [5, 10]");
                    cp.durations.clear();
                    for (const auto& e : *a) {
                        double d = SW_TRY(rd.number(e, "durations"));
                        if (d <= 0)
                            return rd.error(e.source(), "a duration must be above 0", "write seconds, e.g. 5");
                        cp.durations.push_back(d);
                    }
                } else if (n == "min_seconds")
                    cp.min_seconds = SW_TRY(rd.number(cv, n));
                else if (n == "max_seconds")
                    cp.max_seconds = SW_TRY(rd.number(cv, n));
                else if (n == "frame_multiple")
                    cp.frame_multiple = SW_TRY(rd.integer(cv, n));
                else if (n == "frame_offset")
                    cp.frame_offset = SW_TRY(rd.integer(cv, n));
                else if (n == "native_fps")
                    cp.native_fps = SW_TRY(rd.integer(cv, n));
                else if (n == "size_multiple")
                    cp.size_multiple = SW_TRY(rd.integer(cv, n));
                else if (n == "max_concurrency")
                    cp.max_concurrency = SW_TRY(rd.integer(cv, n));
                else
                    return rd.unknown(ck, kCapabilityKeys, "[generator.capabilities]", "docs/generators.md");
            }
        } else {
            return rd.unknown(key, kGeneratorKeys, "[generator]", "docs/generators.md");
        }
    }

    const toml::source_region& table_at = g->source();
    auto at = [&](const std::string& key) -> const toml::source_region& {
        auto it = where.find(key);
        return it == where.end() ? table_at : it->second;
    };

    // Values.
    if (c.kind.empty())
        return rd.error(table_at, "[generator] has no `kind`",
                        "add kind = \"command\", \"sdcpp-server\", \"comfyui\" or \"rest\"");
    if (std::find(kKinds.begin(), kKinds.end(), c.kind) == kKinds.end()) {
        std::string guess = core::did_you_mean(c.kind, kKinds);
        return rd.error(at("kind"), "unknown generator kind \"" + c.kind + "\"",
                        guess.empty() ? "use command, sdcpp-server, comfyui or rest" : "did you mean \"" + guess + "\"?");
    }
    if (c.name.empty())
        c.name = c.kind;
    if (c.timeout_s <= 0)
        return rd.error(at("timeout_s"), "`timeout_s` must be above 0", "give the seconds one clip may take, e.g. 900");
    if (c.retries < 0)
        return rd.error(at("retries"), "`retries` cannot be negative", "use 0 for no retry");
    if (c.backoff_s < 0)
        return rd.error(at("backoff_s"), "`backoff_s` cannot be negative", "use e.g. 5");
    if (c.poll_interval_s <= 0 || c.poll_interval_s > 600)
        return rd.error(at("poll_interval_s"), "`poll_interval_s` must be in (0, 600]", "use e.g. 2");
    const auto& cp = c.caps;
    if (cp.min_seconds <= 0)
        return rd.error(at("capabilities.min_seconds"), "`min_seconds` must be above 0", "use e.g. 1");
    if (cp.max_seconds < cp.min_seconds)
        return rd.error(at("capabilities.max_seconds"), "`max_seconds` is below `min_seconds`",
                        "give the longest clip the model makes, e.g. 5");
    if (cp.frame_multiple < 1)
        return rd.error(at("capabilities.frame_multiple"), "`frame_multiple` must be at least 1",
                        "use 1 for any frame count, 4 for Wan's 4n+1");
    if (cp.frame_offset < 0)
        return rd.error(at("capabilities.frame_offset"), "`frame_offset` cannot be negative", "use 0 or 1");
    if (cp.native_fps < 0 || cp.native_fps > 240)
        return rd.error(at("capabilities.native_fps"), "`native_fps` must be 0..240", "use 0 for any rate, e.g. 16 for Wan");
    if (cp.size_multiple < 1)
        return rd.error(at("capabilities.size_multiple"), "`size_multiple` must be at least 1", "use e.g. 16");
    if (cp.max_concurrency < 1)
        return rd.error(at("capabilities.max_concurrency"), "`max_concurrency` must be at least 1", "use 1 for a local GPU");
    if (!cp.text_to_video && !cp.image_to_video)
        return rd.error(at("capabilities.text_to_video"), "the generator can do neither text- nor image-to-video",
                        "set text_to_video = true or image_to_video = true");

    // Keys each kind needs.
    auto need = [&](bool missing, const std::string& key, const std::string& example) -> core::Status {
        if (missing)
            return rd.error(table_at, "a \"" + c.kind + "\" generator needs `" + key + "`", "add " + example);
        return {};
    };
    const bool http_kind = c.kind != "command";
    if (c.kind == "command") {
        SW_TRY_STATUS(need(c.command.empty(), "command",
                           "command = [\"sd-cli\", \"-M\", \"vid_gen\", \"-p\", \"{prompt}\", \"-o\", \"{output}\"]"));
        if (c.output_name.empty() || c.output_name.find('/') != std::string::npos)
            return rd.error(at("output_name"), "`output_name` must be a plain file name", "use e.g. \"out.avi\"");
    }
    if (http_kind) {
        SW_TRY_STATUS(need(c.base_url.empty(), "base_url", "base_url = \"http://127.0.0.1:8188\""));
        if (!starts_with(c.base_url, "http://") && !starts_with(c.base_url, "https://"))
            return rd.error(at("base_url"), "`base_url` must start with http:// or https://",
                            "write e.g. base_url = \"http://127.0.0.1:1234\"");
        if (!c.api_key_env.empty() &&
            c.api_key_env.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") !=
                std::string::npos)
            return rd.error(at("api_key_env"), "`api_key_env` is the NAME of an environment variable, not the key",
                            "write e.g. api_key_env = \"KLING_API_KEY\" and export the key in that variable");
    }
    if (c.kind == "comfyui") {
        SW_TRY_STATUS(need(c.workflow.empty(), "workflow", "workflow = \"wan-workflow.json\" (File → Export (API))"));
        if (c.workflow.is_relative())
            c.workflow = base_dir / c.workflow;
        std::error_code ec;
        if (!fs::is_regular_file(c.workflow, ec))
            return rd.error(at("workflow"), "the workflow file " + c.workflow.string() + " does not exist",
                            "give a path relative to this config file");
    }
    if (c.kind == "rest") {
        SW_TRY_STATUS(need(c.submit_path.empty(), "submit_path", "submit_path = \"/v1/videos/text2video\""));
        SW_TRY_STATUS(need(c.id_path.empty(), "id_path", "id_path = \"/data/task_id\" (a JSON pointer)"));
        SW_TRY_STATUS(need(c.status_path_template.empty(), "status_path_template",
                           "status_path_template = \"/v1/videos/text2video/{id}\""));
        SW_TRY_STATUS(need(c.status_pointer.empty(), "status_pointer", "status_pointer = \"/data/task_status\""));
        SW_TRY_STATUS(need(c.done_values.empty(), "done_values", "done_values = [\"succeed\"]"));
        SW_TRY_STATUS(need(c.url_pointer.empty(), "url_pointer", "url_pointer = \"/data/task_result/videos/0/url\""));
        for (const char* key : {"id_path", "status_pointer", "error_pointer"}) {
            const std::string& v = key == std::string("id_path")          ? c.id_path
                                   : key == std::string("status_pointer") ? c.status_pointer
                                                                          : c.error_pointer;
            if (!v.empty() && v.front() != '/')
                return rd.error(at(key), "`" + std::string(key) + "` must be a JSON pointer starting with /",
                                "write e.g. \"/data/task_id\"");
        }
        if (c.status_path_template.find("{id}") == std::string::npos)
            return rd.error(at("status_path_template"), "`status_path_template` does not use {id}",
                            "write e.g. \"/v1/tasks/{id}\"");
        // submit_body must be JSON once filled in (any values will do for the check).
        if (!c.submit_body.empty()) {
            ClipRequest sample;
            sample.prompt = "p\"q";
            sample.frames = 81;
            std::string filled = http::substitute(
                c.submit_body, sample, c, true,
                {{"init_image_b64", "AA=="}, {"init_image_data_url", "data:image/png;base64,AA=="},
                 {"end_image_b64", "AA=="}, {"end_image_data_url", "data:image/png;base64,AA=="}});
            nlohmann::json parsed = nlohmann::json::parse(filled, nullptr, false);
            if (parsed.is_discarded())
                return rd.error(at("submit_body"), "`submit_body` is not valid JSON once its placeholders are filled in",
                                "check quotes and commas; string placeholders go inside quotes (\"{prompt}\"), "
                                "numbers without ({seconds})");
        }
    }
    return c;
}

}  // namespace sw::models
