// multipart/form-data (RFC 7578 over RFC 2046 §5.1): the body of a browser's file upload.
//
// Strict on purpose: the body must start with the first delimiter (no preamble), every part
// needs a Content-Disposition of type form-data with a name, header lines must be well formed,
// and the close delimiter must be there. Anything else is an AppError (kInvalid, HTTP 400) with
// a Persian message; the parser never asserts on input (tests/fuzz/fuzz_multipart.cpp). Parts
// are views into the body, which must outlive them. Size limits on the body are the router's
// (Router::AllowBody); the limits here only bound the work done per request.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.hpp"

namespace peyvand::http {

inline constexpr std::size_t kMaxMultipartParts = 32;
inline constexpr std::size_t kMaxPartHeaderBytes = 8 * 1024;  // all header lines of one part
inline constexpr std::size_t kMaxBoundaryLength = 70;         // RFC 2046

struct MultipartPart {
  std::string name;                     // Content-Disposition name
  std::optional<std::string> filename;  // Content-Disposition filename, if a file
  std::string content_type;             // default "text/plain"
  std::string_view data;                // the part's bytes (a view into the body)
};

// The boundary parameter of a multipart/form-data Content-Type; 400 otherwise.
std::string MultipartBoundary(std::string_view content_type);

// The parts of a multipart/form-data body in order; 400 on malformed input.
std::vector<MultipartPart> ParseMultipart(std::string_view content_type, std::string_view body);

// A parsed request body with lookup by field name.
class MultipartForm {
 public:
  // The request must outlive the form (parts view its body).
  static MultipartForm Parse(const Request& req);
  // The first part named `name`, or nullptr.
  const MultipartPart* Find(std::string_view name) const;
  // A non-file field's text; nullopt when absent.
  std::optional<std::string> Field(std::string_view name) const;
  const std::vector<MultipartPart>& parts() const { return parts_; }

 private:
  std::vector<MultipartPart> parts_;
};

}  // namespace peyvand::http
