#pragma once
// Standard base64, for the HTTP clients that send or receive files inside JSON (text-to-video
// models' images and clips, speech servers' audio).

#include <string>

#include "core/error.h"

namespace sw::core {

std::string base64_encode(const std::string& bytes);
// Accepts a data URL ("data:video/webm;base64,...") and MIME line breaks; URL-safe letters too.
Result<std::string> base64_decode(const std::string& text);

}  // namespace sw::core
