// cpo::Status and cpo::Result<T>: the error vocabulary of every layer of cpo-hal.
// No exceptions cross a public API; every fallible call returns one of these.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace cpo {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // caller passed something malformed (bad lane, bad length)
  kOutOfRange,          // an address, lane or value outside what the device has
  kNotFound,            // a named object (engine, port, PCI device) does not exist
  kFailedPrecondition,  // the device is not in a state that allows the operation
  kUnavailable,         // device or simulator cannot be reached
  kPermissionDenied,    // the OS refused access (device node, resource file)
  kTimeout,             // the operation did not complete in its allotted (device) time
  kNack,                // an I2C target did not acknowledge
  kDataLoss,            // a protocol or framing error; data cannot be trusted
  kConfigError,         // the platform description is invalid
  kNotSupported,        // the device does not offer the feature (not advertised)
  kInternal,            // a bug in cpo-hal
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return {}; }
  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "<CODE>: <message>", for logs and CLI output.
  std::string ToString() const;
  // Returns a copy whose message is "<context>: <message>", to say where an error passed through.
  Status WithContext(std::string_view context) const;

  friend bool operator==(const Status& a, const Status& b) {
    return a.code_ == b.code_ && a.message_ == b.message_;
  }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  Result(Status status) : status_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    assert(!status_.ok() && "a Result needs a value or an error");
    if (status_.ok()) status_ = Status(StatusCode::kInternal, "Result built from OK status");
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace cpo

#define CPO_STATUS_CONCAT_INNER(a, b) a##b
#define CPO_STATUS_CONCAT(a, b) CPO_STATUS_CONCAT_INNER(a, b)

// Returns the status from the enclosing function when it is an error.
#define CPO_RETURN_IF_ERROR(expr)                      \
  do {                                                 \
    ::cpo::Status cpo_status_tmp_ = (expr);            \
    if (!cpo_status_tmp_.ok()) return cpo_status_tmp_; \
  } while (0)

// CPO_ASSIGN_OR_RETURN(auto x, Foo()): binds the value or returns the error.
#define CPO_ASSIGN_OR_RETURN(lhs, expr) \
  CPO_ASSIGN_OR_RETURN_IMPL(CPO_STATUS_CONCAT(cpo_result_, __LINE__), lhs, expr)
// NOLINTBEGIN(bugprone-macro-parentheses): lhs is a declaration, not an expression.
#define CPO_ASSIGN_OR_RETURN_IMPL(result, lhs, expr) \
  auto result = (expr);                              \
  if (!result.ok()) return result.status();          \
  lhs = std::move(result).value()
// NOLINTEND(bugprone-macro-parentheses)
