// The flag history of a module (engine or laser source) as cpoctl prints it: every record in the
// JSON, the latched ones in the text.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cpo/hal/optical_engine_types.h"

namespace cpo::cpoctl {

// [{"name", "latched", "set_count", "last_set_ns", "last_clear_ns"}, ...]
nlohmann::json FlagRecordsJson(const std::vector<hal::FlagRecord>& records);
// A table of the latched flags, or "No flags latched (N checked)."; starts with a blank line.
std::string FlagRecordsText(const std::vector<hal::FlagRecord>& records);

}  // namespace cpo::cpoctl
