// OwnerLock: the exclusive lock that makes one process the owner of a switch. It is an
// advisory flock(2) on a file beside the bus locks; the file holds the owner's PID and program
// name, so another process can say who owns the switch. The kernel drops the lock when the
// owner exits, however it exits (a crash included), so a restarted owner simply takes it again.
#pragma once

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>

#include "cpo/status.h"

namespace cpo::hal {

struct OwnerInfo {
  pid_t pid = 0;
  std::string program;
  // The owner's request channel (a UNIX socket), empty when it serves none.
  std::string channel;

  // "pid 1234 (nos-agent)".
  std::string Describe() const;
};

class OwnerLock {
 public:
  // Takes the lock at `path` (created mode 0664 when missing) without waiting, and writes
  // `info` into it. kFailedPrecondition naming the owner when another process holds it;
  // kPermissionDenied / kUnavailable naming the file otherwise.
  static Result<std::unique_ptr<OwnerLock>> TryAcquire(const std::string& path,
                                                       const OwnerInfo& info);
  // The process holding the lock at `path`, or nullopt when nobody does. Takes nothing.
  static std::optional<OwnerInfo> CurrentOwner(const std::string& path);

  ~OwnerLock();
  OwnerLock(const OwnerLock&) = delete;
  OwnerLock& operator=(const OwnerLock&) = delete;

  const std::string& path() const { return path_; }
  const OwnerInfo& info() const { return info_; }

 private:
  OwnerLock(std::string path, int fd, OwnerInfo info)
      : path_(std::move(path)), fd_(fd), info_(std::move(info)) {}

  std::string path_;
  int fd_;
  OwnerInfo info_;
};

// This process's program name (/proc/self/comm), for OwnerInfo.
std::string CurrentProgramName();

}  // namespace cpo::hal
