#include "ports/port_recovery.h"

#include <algorithm>

namespace cpo::hal {

void PortRecovery::LinkDown(const std::string& port, std::chrono::nanoseconds now) {
  if (!options_.enabled || admin_down_.contains(port)) return;
  ports_.try_emplace(port, Tries{.attempts = 0, .next = now, .gave_up = false, .reason = ""});
}

void PortRecovery::LinkUp(const std::string& port) { ports_.erase(port); }

void PortRecovery::Forget(const std::string& port) { ports_.erase(port); }

void PortRecovery::AdminDown(const std::string& port) {
  ports_.erase(port);
  admin_down_.insert(port);
}

void PortRecovery::AdminUp(const std::string& port) { admin_down_.erase(port); }

std::vector<std::string> PortRecovery::Due(std::chrono::nanoseconds now) const {
  std::vector<std::string> due;
  for (const auto& [port, tries] : ports_) {
    if (!tries.gave_up && tries.next <= now) due.push_back(port);
  }
  return due;
}

PortRecovery::Attempt PortRecovery::Failed(const std::string& port, const Status& outcome,
                                           std::chrono::nanoseconds now) {
  Tries& tries = ports_[port];
  ++tries.attempts;
  tries.reason = outcome.message();
  Attempt attempt{.port = port, .number = tries.attempts, .gave_up = false, .next = {}};
  if (tries.attempts >= options_.max_attempts) {
    tries.gave_up = true;
    attempt.gave_up = true;
    return attempt;
  }
  // first_delay, doubling, at most max_delay.
  auto delay = options_.first_delay;
  for (int k = 1; k < tries.attempts && delay < options_.max_delay; ++k) delay *= 2;
  tries.next = now + std::min(delay, options_.max_delay);
  attempt.next = tries.next;
  return attempt;
}

std::optional<std::string> PortRecovery::GaveUp(const std::string& port) const {
  auto it = ports_.find(port);
  if (it == ports_.end() || !it->second.gave_up) return std::nullopt;
  return it->second.reason;
}

}  // namespace cpo::hal
