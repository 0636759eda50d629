// Method + path-pattern routing. Patterns are literal segments and {name}
// parameters; a last segment {name*} takes the rest of the path.
// Handlers are plain blocking functions: the server runs them on its worker
// pool, never on an I/O thread.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "http/message.hpp"

namespace peyvand::http {

using Handler = std::function<Response(Request&)>;

class Router {
 public:
  void Add(Method method, std::string pattern, Handler handler);
  void Get(std::string pattern, Handler h) { Add(Method::kGet, std::move(pattern), std::move(h)); }
  void Post(std::string pattern, Handler h) {
    Add(Method::kPost, std::move(pattern), std::move(h));
  }
  void Put(std::string pattern, Handler h) { Add(Method::kPut, std::move(pattern), std::move(h)); }
  void Patch(std::string pattern, Handler h) {
    Add(Method::kPatch, std::move(pattern), std::move(h));
  }
  void Delete(std::string pattern, Handler h) {
    Add(Method::kDelete, std::move(pattern), std::move(h));
  }

  // Lets one route take a larger body than ServerLimits::body_limit (a file upload). The
  // route must already be added; the server asks BodyLimit once the headers are read.
  void AllowBody(Method method, std::string_view pattern, std::size_t limit);
  // The body limit of the route a request would reach; 0: the server's default.
  std::size_t BodyLimit(Method method, std::string_view path) const;
  // The largest limit any route allows (0: none raised).
  std::size_t MaxBodyLimit() const;

  enum class Match { kFound, kNotFound, kMethodNotAllowed };
  struct Lookup {
    Match match = Match::kNotFound;
    const Handler* handler = nullptr;
    std::string route;  // pattern, for logs and metrics
    std::string allow;  // for 405: allowed methods
  };
  // Fills req.path_params on success. HEAD falls back to GET.
  Lookup Find(Request& req) const;

  struct RouteInfo {
    Method method;
    std::string pattern;
  };
  std::vector<RouteInfo> Routes() const;

 private:
  struct Route {
    Method method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;
    std::size_t body_limit = 0;  // 0: the server's default
  };
  static bool MatchSegments(const Route& r, const std::vector<std::string_view>& parts,
                            Request* fill);
  std::vector<Route> routes_;
};

}  // namespace peyvand::http
