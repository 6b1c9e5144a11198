#include "cpo/hal/owner/owner_lock.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "cpo/hal/owner/role.h"

namespace cpo::hal {
namespace {

// The lock file's text: "pid\nprogram\nchannel\n".
std::string Serialize(const OwnerInfo& info) {
  return fmt::format("{}\n{}\n{}\n", info.pid, info.program, info.channel);
}

OwnerInfo ReadInfo(int fd) {
  std::string text;
  char buffer[512];
  ssize_t got = 0;
  off_t at = 0;
  while ((got = pread(fd, buffer, sizeof buffer, at)) > 0) {
    text.append(buffer, static_cast<size_t>(got));
    at += got;
  }
  std::istringstream lines(text);
  OwnerInfo info;
  std::string pid;
  std::getline(lines, pid);
  std::getline(lines, info.program);
  std::getline(lines, info.channel);
  info.pid = static_cast<pid_t>(std::strtol(pid.c_str(), nullptr, 10));
  return info;
}

}  // namespace

std::string_view ProcessRoleName(ProcessRole role) {
  return role == ProcessRole::kOwner ? "owner" : "observer";
}

Status CheckMayWrite(ProcessRole role) {
  if (role == ProcessRole::kOwner) return Status::Ok();
  return {StatusCode::kFailedPrecondition,
          "this process observes the switch and changes nothing on it; another process owns "
          "it. Ask the owner (cpoctl sends port and laser changes through the owner's request "
          "channel)"};
}

std::string OwnerInfo::Describe() const {
  if (pid == 0) return "another process";
  return program.empty() ? fmt::format("pid {}", pid) : fmt::format("pid {} ({})", pid, program);
}

Result<std::unique_ptr<OwnerLock>> OwnerLock::TryAcquire(const std::string& path,
                                                         const OwnerInfo& info) {
  const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0664);
  if (fd < 0) {
    const int error = errno;
    return Status(error == EACCES || error == EPERM ? StatusCode::kPermissionDenied
                                                    : StatusCode::kUnavailable,
                  fmt::format("cannot open the owner lock {}: {} (the lock directory must be "
                              "writable by group cpo)",
                              path, std::strerror(error)));
  }
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    OwnerInfo holder = error == EWOULDBLOCK ? ReadInfo(fd) : OwnerInfo{};
    close(fd);
    if (error != EWOULDBLOCK) {
      return Status(StatusCode::kUnavailable,
                    fmt::format("cannot lock {}: {}", path, std::strerror(error)));
    }
    return Status(StatusCode::kFailedPrecondition,
                  fmt::format("the switch is owned by {} (lock {}); open it as an observer, or "
                              "stop that process first",
                              holder.Describe(), path));
  }
  const std::string text = Serialize(info);
  if (ftruncate(fd, 0) != 0 ||
      pwrite(fd, text.data(), text.size(), 0) != static_cast<ssize_t>(text.size())) {
    const int error = errno;
    close(fd);
    return Status(StatusCode::kUnavailable,
                  fmt::format("cannot write the owner lock {}: {}", path, std::strerror(error)));
  }
  return std::unique_ptr<OwnerLock>(new OwnerLock(path, fd, info));
}

std::optional<OwnerInfo> OwnerLock::CurrentOwner(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::optional<OwnerInfo> owner;
  if (flock(fd, LOCK_SH | LOCK_NB) == 0) {
    flock(fd, LOCK_UN);
  } else if (errno == EWOULDBLOCK) {
    owner = ReadInfo(fd);
  }
  close(fd);
  return owner;
}

OwnerLock::~OwnerLock() {
  // An empty file names nobody; the kernel drops the lock with the descriptor.
  (void)ftruncate(fd_, 0);
  close(fd_);
}

std::string CurrentProgramName() {
  std::ifstream comm("/proc/self/comm");
  std::string name;
  std::getline(comm, name);
  return name;
}

}  // namespace cpo::hal
