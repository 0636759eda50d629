// Plain request and response types. This header is all that modules see of
// HTTP: Boost.Beast and Asio stay inside src/http/*.cpp.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace peyvand::http {

enum class Method { kGet, kHead, kPost, kPut, kPatch, kDelete, kOptions, kOther };
const char* MethodName(Method m);

struct Request {
  Method method = Method::kGet;
  std::string target;  // as received: path + query
  std::string path;    // percent-decoded path
  std::string body;
  std::string remote_ip;
  std::string request_id;
  std::string route;    // the matched route pattern, for logs and metrics
  bool secure = false;  // arrived over TLS
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-case
  std::map<std::string, std::string, std::less<>> path_params;

  std::optional<std::string_view> Header(std::string_view lower_name) const;
  std::string PathParam(std::string_view name) const;
  // Percent-decoded query parameter; the first if repeated.
  std::optional<std::string> Query(std::string_view name) const;
  std::vector<std::pair<std::string, std::string>> QueryParams() const;
  std::optional<std::string> Cookie(std::string_view name) const;
  bool WantsJson() const;  // /api/ paths, or Accept: application/json
  bool IsHtmx() const { return Header("hx-request").has_value(); }
};

struct Response {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // Set by a handler whose response may leave only once something else is durable (the audit
  // entry of a read, committing while the page rendered). The server calls it on the blocking
  // pool, so the read pool is free meanwhile; if it throws, the client gets a 500 instead.
  std::function<void()> before_send;

  Response& SetHeader(std::string name, std::string value);
  std::optional<std::string_view> Header(std::string_view name) const;

  static Response Json(std::string body, int status = 200);
  static Response Html(std::string body, int status = 200);
  static Response Text(std::string body, int status = 200);
  static Response Redirect(std::string location, int status = 303);
  static Response NoContent();
};

struct CookieOptions {
  bool http_only = true;
  bool secure = false;
  std::string same_site = "Strict";
  std::string path = "/";
  std::optional<std::int64_t> max_age_seconds;  // none: a session cookie
};
std::string SetCookieValue(std::string_view name, std::string_view value,
                           const CookieOptions& options);

}  // namespace peyvand::http
