#include "http/message.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include <algorithm>

#include "core/error.hpp"
#include "core/utf8.hpp"

namespace peyvand::http {

const char* MethodName(Method m) {
  switch (m) {
    case Method::kGet: return "GET";
    case Method::kHead: return "HEAD";
    case Method::kPost: return "POST";
    case Method::kPut: return "PUT";
    case Method::kPatch: return "PATCH";
    case Method::kDelete: return "DELETE";
    case Method::kOptions: return "OPTIONS";
    case Method::kOther: return "OTHER";
  }
  return "OTHER";
}

std::optional<std::string_view> Request::Header(std::string_view lower_name) const {
  for (const auto& [k, v] : headers) {
    if (k == lower_name) return std::string_view(v);
  }
  return std::nullopt;
}

std::string Request::PathParam(std::string_view name) const {
  auto it = path_params.find(name);
  return it == path_params.end() ? std::string() : it->second;
}

std::vector<std::pair<std::string, std::string>> Request::QueryParams() const {
  std::vector<std::pair<std::string, std::string>> out;
  auto parsed = boost::urls::parse_origin_form(target);
  if (!parsed) return out;
  // HTML forms submitted with GET encode a space as '+'.
  boost::urls::encoding_opts opts;
  opts.space_as_plus = true;
  for (auto p : parsed->params(opts)) {
    out.emplace_back(std::string(p.key), p.has_value ? std::string(p.value) : std::string());
    if (!IsValidUtf8(out.back().first) || !IsValidUtf8(out.back().second)) {
      Fail(ErrorCode::kInvalid, "نشانی درخواست متن نامعتبر (UTF-8 خراب) دارد.");
    }
  }
  return out;
}

std::optional<std::string> Request::Query(std::string_view name) const {
  for (auto& [k, v] : QueryParams()) {
    if (k == name) return v;
  }
  return std::nullopt;
}

std::optional<std::string> Request::Cookie(std::string_view name) const {
  auto header = Header("cookie");
  if (!header) return std::nullopt;
  std::string_view rest = *header;
  while (!rest.empty()) {
    auto semi = rest.find(';');
    std::string_view part = rest.substr(0, semi);
    rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    auto eq = part.find('=');
    if (eq == std::string_view::npos) continue;
    if (part.substr(0, eq) == name) return std::string(part.substr(eq + 1));
  }
  return std::nullopt;
}

bool Request::WantsJson() const {
  if (path.rfind("/api/", 0) == 0) return true;
  auto accept = Header("accept");
  return accept && accept->find("application/json") != std::string_view::npos &&
         accept->find("text/html") == std::string_view::npos;
}

Response& Response::SetHeader(std::string name, std::string value) {
  for (auto& [k, v] : headers) {
    if (k == name) {
      v = std::move(value);
      return *this;
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
  return *this;
}

std::optional<std::string_view> Response::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k == name) return std::string_view(v);
  }
  return std::nullopt;
}

Response Response::Json(std::string body, int status) {
  return Response{status, "application/json", std::move(body), {}, {}};
}
Response Response::Html(std::string body, int status) {
  return Response{status, "text/html; charset=utf-8", std::move(body), {}, {}};
}
Response Response::Text(std::string body, int status) {
  return Response{status, "text/plain; charset=utf-8", std::move(body), {}, {}};
}
Response Response::Redirect(std::string location, int status) {
  Response r{status, "text/plain; charset=utf-8", {}, {}, {}};
  r.SetHeader("Location", std::move(location));
  return r;
}
Response Response::NoContent() {
  return Response{204, "", {}, {}, {}};
}

std::string SetCookieValue(std::string_view name, std::string_view value, const CookieOptions& o) {
  std::string out = std::string(name) + "=" + std::string(value) + "; Path=" + o.path;
  if (o.max_age_seconds) out += "; Max-Age=" + std::to_string(*o.max_age_seconds);
  if (o.http_only) out += "; HttpOnly";
  if (o.secure) out += "; Secure";
  if (!o.same_site.empty()) out += "; SameSite=" + o.same_site;
  return out;
}

}  // namespace peyvand::http
