// The platform file's `module_profiles` list and the references engines and laser sources make
// to it.
#pragma once

#include <yaml-cpp/yaml.h>

#include "cpo/platform/platform.h"
#include "diagnostics.h"
#include "yaml_parser.h"

namespace cpo::platform {

void ParseModuleProfiles(Parser& parser, Diagnostics& diagnostics, const YAML::Node& list,
                         Platform& platform);

// Profile names are unique, and every engine's or laser source's profile exists and is of its
// kind.
void ValidateModuleProfiles(const Platform& platform, Diagnostics& diagnostics);

}  // namespace cpo::platform
