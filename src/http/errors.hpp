// The one place where typed errors become HTTP statuses and the JSON error shape.
#pragma once

#include <string>

#include "core/error.hpp"
#include "http/message.hpp"

namespace peyvand::http {

int StatusFor(ErrorCode code);
// {"error": {"code", "message", "fields": {name: message}}}
std::string ErrorJson(const Error& error);
Response JsonError(const Error& error);
// A generic Persian message for a status, for errors raised by the server
// itself (404, 405, 413, …) and for 5xx, where details must not leak.
std::string DefaultMessage(int status);

}  // namespace peyvand::http
