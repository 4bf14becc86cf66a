// make_clip_adapter: the one place that knows every backend kind. The HTTP adapters live in
// clip_http*.cpp; the local-program adapter in clip_command.cpp.

#include "core/text_util.h"
#include "models/clip_adapter.h"
#include "models/clip_presets.h"

#include "models/clip_http.h"

namespace sw::models {

core::Result<std::unique_ptr<ClipAdapter>> make_clip_adapter(const GeneratorConfig& config)
{
    if (config.kind == "command")
        return make_command_adapter(config);
    if (config.kind == "sdcpp-server")
        return make_sdcpp_server_adapter(config);
    if (config.kind == "comfyui")
        return make_comfyui_adapter(config);
    if (config.kind == "rest")
        return make_rest_adapter(config);
    const std::vector<std::string> kinds = {"command", "sdcpp-server", "comfyui", "rest"};
    std::string msg = "unknown generator kind \"" + config.kind + "\"";
    if (!config.name.empty())
        msg = "generator \"" + config.name + "\": " + msg;
    if (std::string guess = core::did_you_mean(config.kind, kinds); !guess.empty())
        msg += " — did you mean \"" + guess + "\"?";
    else
        msg += " — use one of: command, sdcpp-server, comfyui, rest";
    core::SourceLoc where;
    if (!config.config_file.empty())
        where.file = config.config_file.string();
    return core::make_error(core::ErrorCategory::Input, msg, {}, where);
}

}  // namespace sw::models
