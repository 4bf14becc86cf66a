#pragma once
// The local-program (`command`) clip adapter, ready-made configurations for known programs, and
// small helpers around clip_adapter.h that the engine and tests share.

#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/rational.h"
#include "models/clip_adapter.h"

namespace sw::models {

// stable-diffusion.cpp's `sd-cli` in video mode (Wan2.1/2.2 models): 4n+1 frames at 16 fps, at
// most 5 s, image-to-video and first-last-frame, sizes a multiple of 16, one clip at a time.
// `-i`, `--end-img` and `-n` are dropped when there is no first frame, last frame or negative
// prompt. The program writes an MJPG AVI ("out.avi") into the work directory.
GeneratorConfig sdcpp_cli_preset(const std::string& sd_cli_path, const std::string& model_path);

// The adapter that runs a local program (config.kind == "command"). Input error when the
// command template is empty.
core::Result<std::unique_ptr<ClipAdapter>> make_command_adapter(const GeneratorConfig& config);

// The argv a `command` config runs for `req` (already snapped): placeholders expanded once,
// left to right (text that a placeholder inserts is never expanded again; unknown `{...}` stay
// as written), and each flag listed in `optional_flags` dropped together with the argument
// after it when that argument holds a placeholder and expands to "". `output` is the absolute
// path given as {output}. Request values win over the config's defaults (negative, extra).
std::vector<std::string> expand_command(const GeneratorConfig& config, const ClipRequest& req,
                                        const fs::path& output);

// Fills what the request leaves empty from the config: the negative prompt and default extra
// parameters (the request's own extra keys win). Adapters and the scheduler both apply it, so
// cache keys see the values the model really gets.
ClipRequest with_config_defaults(const ClipRequest& req, const GeneratorConfig& config);

}  // namespace sw::models
