// Collects platform-file errors, each as "file:line:col: key.path: what is wrong (how to fix)".
#pragma once

#include <string>
#include <vector>

#include "cpo/platform/platform.h"
#include "cpo/status.h"

namespace cpo::platform {

class Diagnostics {
 public:
  explicit Diagnostics(std::string file) : file_(std::move(file)) {}
  void Error(SourceMark mark, const std::string& key_path, const std::string& message);
  bool empty() const { return errors_.empty(); }
  // kConfigError with every error, one per line; OK when there were none.
  Status ToStatus() const;

 private:
  std::string file_;
  std::vector<std::string> errors_;
};

// Cross-reference and range checks over a parsed platform.
void Validate(const Platform& platform, Diagnostics& diagnostics);

}  // namespace cpo::platform
