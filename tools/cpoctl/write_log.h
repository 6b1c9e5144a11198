// The record of every raw write cpoctl makes: who, what, the old and the new value. One line per
// write in a file (and the same line to syslog), opened before the write so a write that cannot
// be logged is never made.
#pragma once

#include <memory>
#include <string>

#include "cpo/status.h"

namespace cpo::cpoctl {

// --write-log, else $CPO_WRITE_LOG, else /var/log/cpo/cpoctl-writes.log.
std::string ResolveWriteLogPath(const std::string& option);

class WriteLog {
 public:
  // kPermissionDenied (with how to fix it) when the file cannot be opened for appending.
  static Result<std::unique_ptr<WriteLog>> Open(const std::string& path);
  ~WriteLog();
  WriteLog(const WriteLog&) = delete;
  WriteLog& operator=(const WriteLog&) = delete;

  // Appends "TIME user=... uid=... [sudo_user=...] pid=... device=... target=... old=... new=..."
  // and sends it to syslog (LOG_NOTICE).
  Status Append(const std::string& device, const std::string& target, const std::string& old_value,
                const std::string& new_value);
  const std::string& path() const { return path_; }

 private:
  WriteLog(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  std::string path_;
  int fd_;
};

}  // namespace cpo::cpoctl
