// The request channel's encoding of what an owner publishes (published_state.h), shared by the
// owner that writes it and the observer that reads it. Decoders return nullopt on anything
// malformed rather than guess.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "cpo/hal/owner/published_state.h"

namespace cpo::hal {

nlohmann::json FlagRecordsJson(const std::vector<FlagRecord>& records);
std::optional<std::vector<FlagRecord>> FlagRecordsFromJson(const nlohmann::json& value);

// The safety core's part of each lane (phase, request, reason, sparing, last check); the
// module's own registers an observer reads itself.
nlohmann::json LaserLanesJson(const std::vector<LaserLaneReport>& lanes);
std::optional<std::vector<LaserLaneReport>> LaserLanesFromJson(const nlohmann::json& value);

nlohmann::json EventJson(const Event& event);
std::optional<Event> EventFromJson(const nlohmann::json& value);
nlohmann::json EventPageJson(const EventPage& page);
std::optional<EventPage> EventPageFromJson(const nlohmann::json& value);

nlohmann::json ProgressJson(const PortsProgress& progress);
std::optional<PortsProgress> ProgressFromJson(const nlohmann::json& value);

}  // namespace cpo::hal
