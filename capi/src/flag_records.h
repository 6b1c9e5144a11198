// Flag records of the HAL's flag history into a caller's cpo_flag_record array.
#pragma once

#include <string_view>
#include <vector>

#include "c_api_support.h"

namespace cpo::capi {

// The argument checks of a flag call: a count, and an array when there is a capacity.
cpo_status CheckFlagArray(cpo_flag_record* records, size_t capacity, size_t* count);
// Copies `history` (*count gets its size); CPO_E_BUFFER_TOO_SMALL names `module` when it does
// not fit.
cpo_status CopyFlagRecords(const std::vector<cpo::hal::FlagRecord>& history,
                           cpo_flag_record* records, size_t capacity, size_t* count,
                           std::string_view module);

}  // namespace cpo::capi
