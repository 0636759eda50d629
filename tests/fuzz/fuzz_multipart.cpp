// Fuzz target for the multipart/form-data parser, which reads untrusted upload bodies. The
// input's first line is the Content-Type, the rest the body. Beyond "no crash": a rejection is
// kInvalid with a message; an accepted body yields at most kMaxMultipartParts parts, each a
// view inside the body with a clean non-empty name, and parsing is deterministic.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "core/error.hpp"
#include "core/utf8.hpp"
#include "http/multipart.hpp"

namespace {

void Check(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "property violated: %s\n", what);
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace peyvand;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto nl = input.find('\n');
  const std::string_view content_type = input.substr(0, nl);
  const std::string_view body =
      nl == std::string_view::npos ? std::string_view() : input.substr(nl + 1);
  try {
    auto parts = http::ParseMultipart(content_type, body);
    Check(parts.size() <= http::kMaxMultipartParts, "part count bounded");
    const char* prev_end = body.data();
    for (const auto& p : parts) {
      Check(p.data.data() >= body.data() &&
                p.data.data() + p.data.size() <= body.data() + body.size(),
            "part data lies inside the body");
      Check(p.data.data() >= prev_end, "parts are in order and do not overlap");
      prev_end = p.data.data() + p.data.size();
      Check(!p.name.empty() && IsValidUtf8(p.name), "name is clean");
      Check(!p.filename || IsValidUtf8(*p.filename), "file name is clean");
      Check(!p.content_type.empty(), "content type present");
    }
    auto again = http::ParseMultipart(content_type, body);
    Check(again.size() == parts.size(), "deterministic");
  } catch (const AppError& e) {
    Check(e.error().code == ErrorCode::kInvalid, "rejection is kInvalid");
    Check(!e.error().message.empty(), "rejection carries a message");
  }
  return 0;
}
