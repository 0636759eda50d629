// The HTTP server: Beast + Asio with C++20 coroutines. One single-threaded
// io_context per I/O thread (connections are spread over them, so a
// connection's operations never race); handlers run on a separate worker pool
// because they block (database, password hashing).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/error.hpp"
#include "http/message.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"

namespace peyvand::http {

struct ServerLimits {
  static constexpr std::size_t kDefaultHeaderLimit = 16 * 1024;
  static constexpr std::size_t kDefaultBodyLimit = 1024 * 1024;
  static constexpr std::chrono::seconds kDefaultReadTimeout{15};
  static constexpr std::chrono::seconds kDefaultIdleTimeout{60};
  static constexpr int kDefaultMaxConnections = 10000;

  std::size_t header_limit = kDefaultHeaderLimit;
  std::size_t body_limit = kDefaultBodyLimit;
  std::chrono::milliseconds read_timeout =
      kDefaultReadTimeout;  // a started request must arrive within
  std::chrono::milliseconds idle_timeout = kDefaultIdleTimeout;  // keep-alive wait for the next one
  int max_connections = kDefaultMaxConnections;
};

struct ServerOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;  // 0: any free port
  int io_threads = 2;
  // Handlers block (database, password hashing), so they run on worker pools.
  // GET/HEAD go to a small pool: reads are short, and few threads mean few
  // context switches. Other methods go to a large pool, because a write blocks
  // its thread until the group commit that holds it, and the number of writers
  // waiting bounds how many transactions one commit can carry.
  int read_worker_threads = 4;
  int worker_threads = 64;
  ServerLimits limits;
  bool access_log = true;
  // Set when a TLS-terminating proxy is in front: cookies get Secure and responses HSTS.
  bool behind_tls_proxy = false;  // one JSON line per request through http/log.hpp
};

// Renders an error for a browser (HTML); the JSON shape is fixed in errors.hpp.
using HtmlErrorRenderer = std::function<Response(const Request&, int status, const Error&)>;

class Server {
 public:
  Server(ServerOptions options, const Router& router, Metrics& metrics);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  void SetHtmlErrorRenderer(HtmlErrorRenderer renderer);
  // Binds and starts the I/O and worker threads; returns the bound port.
  std::uint16_t Start();
  // Blocks until SIGINT/SIGTERM or Stop(), then drains: stops accepting,
  // closes idle connections, lets in-flight requests finish, joins threads.
  void Wait();
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Runs one request through routing, error mapping, security headers, metrics
// and logging, without sockets (used by the server and by tests).
Response Dispatch(const Router& router, Request& req, const HtmlErrorRenderer& html_errors);
void ApplySecurityHeaders(Response& res, bool secure);
std::string NewRequestId();

}  // namespace peyvand::http
