#include "diagnostics.h"

#include <fmt/format.h>

namespace cpo::platform {

void Diagnostics::Error(SourceMark mark, const std::string& key_path, const std::string& message) {
  errors_.push_back(
      fmt::format("{}:{}:{}: {}: {}", file_, mark.line, mark.column, key_path, message));
}

Status Diagnostics::ToStatus() const {
  if (errors_.empty()) return Status::Ok();
  std::string text;
  for (const auto& error : errors_) {
    if (!text.empty()) text += '\n';
    text += error;
  }
  return {StatusCode::kConfigError, text};
}

}  // namespace cpo::platform
