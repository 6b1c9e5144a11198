#include "write_log.h"

#include <fcntl.h>
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <pwd.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace cpo::cpoctl {
namespace {

std::string UserName(uid_t uid) {
  if (const passwd* entry = ::getpwuid(uid); entry != nullptr) return entry->pw_name;
  return std::to_string(uid);
}

}  // namespace

std::string ResolveWriteLogPath(const std::string& option) {
  if (!option.empty()) return option;
  if (const char* env = std::getenv("CPO_WRITE_LOG"); env != nullptr && *env != '\0') return env;
  return "/var/log/cpo/cpoctl-writes.log";
}

Result<std::unique_ptr<WriteLog>> WriteLog::Open(const std::string& path) {
  std::error_code ignored;
  const auto directory = std::filesystem::path(path).parent_path();
  if (!directory.empty()) std::filesystem::create_directories(directory, ignored);
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
  if (fd < 0) {
    return Status(StatusCode::kPermissionDenied,
                  fmt::format("cannot open the write log {}: {}; every raw write is logged, so "
                              "none was made. Run as root, or give a writable log with "
                              "--write-log PATH or CPO_WRITE_LOG",
                              path, std::strerror(errno)));
  }
  return std::unique_ptr<WriteLog>(new WriteLog(path, fd));
}

WriteLog::~WriteLog() { ::close(fd_); }

Status WriteLog::Append(const std::string& device, const std::string& target,
                        const std::string& old_value, const std::string& new_value) {
  const uid_t uid = ::getuid();
  std::string who = fmt::format("user={} uid={}", UserName(uid), uid);
  if (const char* sudo_user = std::getenv("SUDO_USER"); sudo_user != nullptr) {
    who += fmt::format(" sudo_user={}", sudo_user);
  }
  const std::string what = fmt::format("{} pid={} device={} target=\"{}\" old={} new={}", who,
                                       ::getpid(), device, target, old_value, new_value);
  const auto now =
      std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  const std::string line = fmt::format("{:%Y-%m-%dT%H:%M:%SZ} {}\n", now, what);
  ::openlog("cpoctl", LOG_PID, LOG_USER);
  ::syslog(LOG_NOTICE, "raw write: %s", what.c_str());
  ::closelog();
  if (::write(fd_, line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
    return Status(StatusCode::kFailedPrecondition,
                  fmt::format("the write was made but logging it to {} failed: {}", path_,
                              std::strerror(errno)));
  }
  return Status::Ok();
}

}  // namespace cpo::cpoctl
