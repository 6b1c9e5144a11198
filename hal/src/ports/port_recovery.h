// PortRecovery: which admin-up ports the owner should try to bring back, and when. Pure logic
// (no I/O): the Device feeds it link changes and admin changes and asks it which ports are due;
// each attempt's outcome schedules the next one (doubling delays) or ends the tries with the
// reason kept. A port an operator took down is never retried.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cpo/hal/port.h"

namespace cpo::hal {

class PortRecovery {
 public:
  explicit PortRecovery(RecoveryOptions options) : options_(options) {}

  // An admin-up port lost its link (a reset engine, a pulled module, a cut fibre, a peer gone):
  // its first attempt is due at once. Already tracked: nothing changes.
  void LinkDown(const std::string& port, std::chrono::nanoseconds now);
  // It linked again: forgotten.
  void LinkUp(const std::string& port);
  // No longer tried (a port that no longer exists).
  void Forget(const std::string& port);
  // An operator took it down: forgotten, and a link loss seen later (even one a poll found
  // while the bring-down ran) is not retried until an operator brings it up again (AdminUp).
  void AdminDown(const std::string& port);
  void AdminUp(const std::string& port);

  // The ports whose next attempt is due at `now`.
  std::vector<std::string> Due(std::chrono::nanoseconds now) const;

  struct Attempt {
    std::string port;
    int number = 0;                    // 1-based
    bool gave_up = false;              // that was the last attempt
    std::chrono::nanoseconds next{0};  // when the next one is due (when not given up)
  };
  // Records an attempt that did not bring the port back (a success is LinkUp).
  Attempt Failed(const std::string& port, const Status& outcome, std::chrono::nanoseconds now);
  // Why the tries for a port ended; nullopt while they go on, or when there were none.
  std::optional<std::string> GaveUp(const std::string& port) const;
  const RecoveryOptions& options() const { return options_; }

 private:
  struct Tries {
    int attempts = 0;
    std::chrono::nanoseconds next{0};
    bool gave_up = false;
    std::string reason;
  };
  RecoveryOptions options_;
  std::map<std::string, Tries> ports_;
  std::set<std::string> admin_down_;
};

}  // namespace cpo::hal
