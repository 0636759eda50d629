// Typed errors shared by every layer. A user's mistake is an Error value (or a
// thrown AppError inside a service); our own bugs are assertions. The mapping
// from ErrorCode to an HTTP status lives in exactly one place: src/http/errors.cpp.
#pragma once

#include <exception>
#include <string>
#include <utility>
#include <vector>

namespace peyvand {

enum class ErrorCode {
  kInvalid,          // malformed or semantically wrong input
  kUnauthenticated,  // no or expired credentials
  kForbidden,        // authenticated but not allowed
  kNotFound,         // unknown id, or hidden from this principal
  kConflict,         // uniqueness or state conflict
  kRefused,          // well-formed, but a rule (often the law) does not allow it
  kTooLarge,         // body or upload over a limit
  kRateLimited,      // too many attempts
  kLocked,           // account temporarily locked
  kUnavailable,      // dependency (database) not reachable
  kInternal,         // our fault; message is generic
};

// Stable machine-readable name used in the JSON error shape.
const char* ErrorCodeName(ErrorCode code);

struct FieldError {
  std::string field;
  std::string message;  // Persian, shown to the user
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;  // Persian, shown to the user
  std::vector<FieldError> fields;
};

// Thrown by services and handlers; caught and rendered by the HTTP layer.
class AppError : public std::exception {
 public:
  explicit AppError(Error error) : error_(std::move(error)) {}
  AppError(ErrorCode code, std::string message, std::vector<FieldError> fields = {})
      : error_{code, std::move(message), std::move(fields)} {}
  const Error& error() const { return error_; }
  const char* what() const noexcept override { return error_.message.c_str(); }

 private:
  Error error_;
};

[[noreturn]] inline void Fail(ErrorCode code, std::string message,
                              std::vector<FieldError> fields = {}) {
  throw AppError(code, std::move(message), std::move(fields));
}

}  // namespace peyvand
