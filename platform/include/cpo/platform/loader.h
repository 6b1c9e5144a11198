// Loads and validates a platform file. Errors (kConfigError) name file:line:col and the key;
// several problems are reported together, one per line.
#pragma once

#include <string>
#include <string_view>

#include "cpo/platform/platform.h"
#include "cpo/status.h"

namespace cpo::platform {

Result<Platform> LoadPlatformFile(const std::string& path);
// source_name stands in for the file name in errors.
Result<Platform> LoadPlatformString(std::string_view yaml, const std::string& source_name);

}  // namespace cpo::platform
