// PortService: the owner's recovery of admin-up ports and the link events that feed it.
#include <fmt/format.h>

#include <algorithm>

#include "ports/port_recovery.h"
#include "ports/port_service.h"

namespace cpo::hal {

std::vector<Event> PortService::RecoverPorts() {
  std::vector<Event> events;
  if (role_ != ProcessRole::kOwner) return events;
  // Under the changes lock: an operator's bring-down either comes first (and ends the tries)
  // or waits for this attempt.
  std::lock_guard changes(changes_mutex_);
  std::vector<std::string> due;
  {
    std::lock_guard lock(recovery_mutex_);
    due = recovery_->Due(clock_->Now());
  }
  if (due.empty()) return events;
  std::vector<platform::SubPort> ports;
  for (const auto& name : due) {
    auto selected = SelectPorts(name);
    if (!selected.ok()) {
      std::lock_guard lock(recovery_mutex_);
      recovery_->Forget(name);  // no such port now (a breakout changed)
      continue;
    }
    ports.insert(ports.end(), selected->begin(), selected->end());
  }
  const PortBringUpReport report = BringUpPorts(ports, BringUpOptions{});
  const auto now = clock_->Now();
  std::lock_guard lock(recovery_mutex_);
  const int max_attempts = recovery_->options().max_attempts;
  for (const auto& outcome : report.outcomes) {
    Event event{.kind = EventKind::kPortRecovery,
                .source = outcome.port,
                .name = "port.recovery",
                .detail = "",
                .time = now,
                .ports = {outcome.port},
                .outage = {}};
    if (outcome.status.ok()) {
      recovery_->LinkUp(outcome.port);
      event.detail = "back up";
    } else {
      const auto attempt = recovery_->Failed(outcome.port, outcome.status, now);
      event.detail = attempt.gave_up
                         ? fmt::format("gave up after {} attempts: {}", attempt.number,
                                       outcome.status.message())
                         : fmt::format("attempt {} of {} failed: {}; next in {:.1f} s",
                                       attempt.number, max_attempts, outcome.status.message(),
                                       static_cast<double>((attempt.next - now).count()) / 1e9);
    }
    events.push_back(std::move(event));
  }
  return events;
}

std::vector<Event> PortService::PortLinkEvents() {
  std::vector<Event> events;
  if (!serdes_) return events;
  Result<std::vector<uint8_t>> locks = Status::Ok();
  {
    std::lock_guard lock(serdes_mutex_);
    locks = serdes_->ReadPcsLocks();
  }
  if (!locks.ok()) return events;
  const int per_block = serdes_->lanes_per_port();
  std::vector<platform::SubPort> changed;
  std::vector<bool> now_up;
  for (const auto& port : Ports()) {
    const bool up = std::all_of(port.host_lanes.begin(), port.host_lanes.end(), [&](int lane) {
      const auto block = static_cast<size_t>(lane / per_block);
      return block < locks->size() && (((*locks)[block] >> (lane % per_block)) & 1) != 0;
    });
    std::lock_guard lock(serdes_mutex_);
    auto [seen, first] = link_up_.try_emplace(port.name, up);
    if (first || seen->second == up) continue;
    seen->second = up;
    changed.push_back(port);
    now_up.push_back(up);
  }
  if (changed.empty()) return events;
  const auto states = PortStates(changed);
  const auto time = clock_->Now();
  for (size_t i = 0; i < changed.size(); ++i) {
    {
      // An admin-up port whose own path broke (its lasers or data path) is the owner's to bring
      // back; one that only lost its peer's signal comes back with the peer.
      std::lock_guard lock(recovery_mutex_);
      const bool own_path =
          states[i].reason.rfind("lasers:", 0) == 0 || states[i].reason.rfind("datapath:", 0) == 0;
      if (now_up[i]) {
        recovery_->LinkUp(changed[i].name);
      } else if (states[i].admin_up && own_path) {
        recovery_->LinkDown(changed[i].name, time);
      }
    }
    Event event;
    event.kind = now_up[i] ? EventKind::kPortLinkUp : EventKind::kPortLinkDown;
    event.source = changed[i].name;
    event.name = "port.link";
    event.detail = now_up[i] ? "link up" : states[i].reason;
    event.time = time;
    event.ports = {changed[i].name};
    events.push_back(std::move(event));
  }
  return events;
}

}  // namespace cpo::hal
