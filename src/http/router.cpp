#include "http/router.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

namespace peyvand::http {
namespace {

std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> parts;
  std::size_t i = 0;
  while (i < path.size()) {
    while (i < path.size() && path[i] == '/') ++i;
    if (i >= path.size()) break;
    auto j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    parts.push_back(path.substr(i, j - i));
    i = j;
  }
  return parts;
}

bool IsParam(std::string_view seg) {
  return seg.size() > 2 && seg.front() == '{' && seg.back() == '}';
}

}  // namespace

void Router::Add(Method method, std::string pattern, Handler handler) {
  Route r{method, std::move(pattern), {}, std::move(handler)};
  for (auto seg : SplitPath(r.pattern)) r.segments.emplace_back(seg);
  routes_.push_back(std::move(r));
}

bool Router::MatchSegments(const Route& r, const std::vector<std::string_view>& parts,
                           Request* fill) {
  const auto& segs = r.segments;
  bool tail = !segs.empty() && IsParam(segs.back()) && segs.back()[segs.back().size() - 2] == '*';
  if (tail ? parts.size() < segs.size() : parts.size() != segs.size()) return false;
  for (std::size_t i = 0; i < segs.size(); ++i) {
    const auto& seg = segs[i];
    if (IsParam(seg)) {
      if (tail && i + 1 == segs.size()) {
        if (fill) {
          std::string rest;
          for (std::size_t k = i; k < parts.size(); ++k) {
            if (!rest.empty()) rest += '/';
            rest += parts[k];
          }
          fill->path_params[seg.substr(1, seg.size() - 3)] = rest;
        }
        return true;
      }
      if (fill) fill->path_params[seg.substr(1, seg.size() - 2)] = std::string(parts[i]);
    } else if (seg != parts[i]) {
      return false;
    }
  }
  return true;
}

void Router::AllowBody(Method method, std::string_view pattern, std::size_t limit) {
  for (auto& r : routes_) {
    if (r.method == method && r.pattern == pattern) {
      r.body_limit = limit;
      return;
    }
  }
  throw std::logic_error("AllowBody: no route " + std::string(pattern));
}

std::size_t Router::BodyLimit(Method method, std::string_view path) const {
  auto parts = SplitPath(path);
  for (const auto& r : routes_) {
    if (r.method == method && MatchSegments(r, parts, nullptr)) return r.body_limit;
  }
  return 0;
}

std::size_t Router::MaxBodyLimit() const {
  std::size_t most = 0;
  for (const auto& r : routes_) most = std::max(most, r.body_limit);
  return most;
}

Router::Lookup Router::Find(Request& req) const {
  auto parts = SplitPath(req.path);
  Method want = req.method == Method::kHead ? Method::kGet : req.method;
  std::set<std::string> allowed;
  for (const auto& r : routes_) {
    if (!MatchSegments(r, parts, nullptr)) continue;
    if (r.method == want) {
      req.path_params.clear();
      MatchSegments(r, parts, &req);
      return {Match::kFound, &r.handler, r.pattern, {}};
    }
    allowed.insert(MethodName(r.method));
  }
  if (allowed.empty()) return {Match::kNotFound, nullptr, {}, {}};
  std::string allow;
  for (const auto& m : allowed) allow += (allow.empty() ? "" : ", ") + m;
  return {Match::kMethodNotAllowed, nullptr, {}, allow};
}

std::vector<Router::RouteInfo> Router::Routes() const {
  std::vector<RouteInfo> out;
  for (const auto& r : routes_) out.push_back({r.method, r.pattern});
  return out;
}

}  // namespace peyvand::http
