#include "http/server.hpp"

#include <boost/asio.hpp>
#include <boost/asio/experimental/as_tuple.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>

#include <array>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <random>
#include <thread>
#include <unordered_map>

#include "http/errors.hpp"
#include "http/log.hpp"

namespace peyvand::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
constexpr auto kTuple = asio::experimental::as_tuple(asio::use_awaitable);

std::string NewRequestId() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::uint64_t v = rng();
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, v >>= 4) out[static_cast<std::size_t>(i)] = kHex[v & 15];
  return out;
}

void ApplySecurityHeaders(Response& res, bool secure) {
  res.SetHeader("Content-Security-Policy",
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
                "form-action 'self'; frame-ancestors 'none'");
  res.SetHeader("X-Content-Type-Options", "nosniff");
  res.SetHeader("X-Frame-Options", "DENY");
  res.SetHeader("Referrer-Policy", "same-origin");
  res.SetHeader("Cross-Origin-Opener-Policy", "same-origin");
  if (secure) res.SetHeader("Strict-Transport-Security", "max-age=31536000");
  if (!res.Header("Cache-Control")) res.SetHeader("Cache-Control", "no-store");
}

namespace {

Response ErrorResponse(const Request& req, int status, const Error& error,
                       const HtmlErrorRenderer& html) {
  if (req.WantsJson() || !html) {
    Response r = JsonError(error);
    r.status = status;
    return r;
  }
  // The renderer sets the status itself (a 401 page may become a redirect to sign in).
  return html(req, status, error);
}

}  // namespace

Response Dispatch(const Router& router, Request& req, const HtmlErrorRenderer& html) {
  Response res;
  try {
    auto found = router.Find(req);
    if (found.match == Router::Match::kFound) {
      req.route = found.route;
      res = (*found.handler)(req);
    } else if (found.match == Router::Match::kMethodNotAllowed) {
      req.route = "(method not allowed)";
      res = ErrorResponse(req, 405, Error{ErrorCode::kInvalid, DefaultMessage(405), {}}, html);
      res.SetHeader("Allow", found.allow);
    } else {
      req.route = "(not found)";
      res = ErrorResponse(req, 404, Error{ErrorCode::kNotFound, DefaultMessage(404), {}}, html);
    }
  } catch (const AppError& e) {
    int status = StatusFor(e.error().code);
    Error err = e.error();
    if (status >= 500) {
      LogError("request failed", {{"request_id", req.request_id}, {"error", err.message}});
      err.message = DefaultMessage(status);
    }
    res = ErrorResponse(req, status, err, html);
  } catch (const std::exception& e) {
    LogError("unhandled exception",
             {{"request_id", req.request_id}, {"route", req.route}, {"error", e.what()}});
    res = ErrorResponse(req, 500, Error{ErrorCode::kInternal, DefaultMessage(500), {}}, html);
  }
  res.SetHeader("X-Request-Id", req.request_id);
  ApplySecurityHeaders(res, req.secure);
  return res;
}

namespace {

Response AfterDurable(const Request& req, Response res, const HtmlErrorRenderer& html) {
  auto wait = std::move(res.before_send);
  res.before_send = nullptr;
  try {
    wait();
    return res;
  } catch (const std::exception& e) {
    LogError("a write the response depends on failed",
             {{"request_id", req.request_id}, {"route", req.route}, {"error", e.what()}});
  }
  Response err = ErrorResponse(req, 500, Error{ErrorCode::kInternal, DefaultMessage(500), {}}, html);
  err.SetHeader("X-Request-Id", req.request_id);
  ApplySecurityHeaders(err, req.secure);
  return err;
}

Method ToMethod(bhttp::verb v) {
  switch (v) {
    case bhttp::verb::get: return Method::kGet;
    case bhttp::verb::head: return Method::kHead;
    case bhttp::verb::post: return Method::kPost;
    case bhttp::verb::put: return Method::kPut;
    case bhttp::verb::patch: return Method::kPatch;
    case bhttp::verb::delete_: return Method::kDelete;
    case bhttp::verb::options: return Method::kOptions;
    default: return Method::kOther;
  }
}

struct SessionSlot {
  asio::io_context* io;
  beast::tcp_stream* stream;
  bool idle = true;  // waiting for the next request; only touched on io's thread
};

}  // namespace

struct Server::Impl {
  ServerOptions options;
  const Router& router;
  Metrics& metrics;
  HtmlErrorRenderer html;

  std::vector<std::unique_ptr<asio::io_context>> ios;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
  std::unique_ptr<asio::thread_pool> workers;       // unsafe methods (writes)
  std::unique_ptr<asio::thread_pool> read_workers;  // GET and HEAD
  std::unique_ptr<tcp::acceptor> acceptor;
  std::unique_ptr<asio::signal_set> signals;
  std::vector<std::thread> threads;

  std::atomic<int> connections{0};
  std::atomic<bool> stopping{false};
  std::mutex stop_mu;
  std::condition_variable stop_cv;
  bool stop_requested = false;

  std::mutex sessions_mu;
  std::unordered_map<std::uint64_t, SessionSlot*> sessions;
  std::atomic<std::uint64_t> next_session{1};

  Impl(ServerOptions o, const Router& r, Metrics& m)
      : options(std::move(o)), router(r), metrics(m) {}

  void RequestStop() {
    {
      std::lock_guard lock(stop_mu);
      stop_requested = true;
    }
    stop_cv.notify_all();
  }

  asio::awaitable<void> Accept() {
    std::size_t next_io = 0;
    for (;;) {
      auto& io = *ios[next_io];
      next_io = (next_io + 1) % ios.size();
      auto [ec, socket] = co_await acceptor->async_accept(io, kTuple);
      if (ec) {
        if (ec == asio::error::operation_aborted || stopping) co_return;
        continue;  // e.g. EMFILE: keep serving the connections we have
      }
      if (stopping) {
        // Accepted while draining: another I/O thread may already have run out
        // of work and stopped, so a session spawned there would never run.
        boost::system::error_code ignored;
        socket.close(ignored);
        co_return;
      }
      if (connections.load() >= options.limits.max_connections) {
        asio::co_spawn(io, Reject(std::move(socket)), asio::detached);
        continue;
      }
      connections++;
      asio::co_spawn(io, Session(std::move(socket), io), asio::detached);
    }
  }

  // Over the connection limit: answer 503 at once rather than queue.
  static asio::awaitable<void> Reject(tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    bhttp::response<bhttp::string_body> res{bhttp::status::service_unavailable, 11};
    res.set(bhttp::field::content_type, "application/json");
    res.set(bhttp::field::retry_after, "5");
    res.body() = ErrorJson(Error{ErrorCode::kUnavailable, DefaultMessage(503), {}});
    res.keep_alive(false);
    res.prepare_payload();
    stream.expires_after(std::chrono::seconds(2));
    co_await bhttp::async_write(stream, res, kTuple);
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  }

  asio::awaitable<void> WriteEarlyError(beast::tcp_stream& stream, int status) {
    bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(status), 11};
    res.set(bhttp::field::content_type, "application/json");
    Error err{
        status == 413 ? ErrorCode::kTooLarge : ErrorCode::kInvalid, DefaultMessage(status), {}};
    res.body() = ErrorJson(err);
    res.set("X-Request-Id", NewRequestId());
    res.keep_alive(false);
    res.prepare_payload();
    stream.expires_after(std::chrono::seconds(2));
    co_await bhttp::async_write(stream, res, kTuple);
    metrics.Observe("OTHER", "(rejected)", status, 0);
  }

  // After an early error the client may still be sending (a large body): read
  // and discard for a short while so that closing does not reset the
  // connection before the client has read our answer.
  static asio::awaitable<void> LingeringClose(beast::tcp_stream& stream) {
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    static constexpr std::size_t kMaxDiscard = std::size_t{8} << 20;
    std::size_t discarded = 0;
    std::array<char, 16384> sink;
    stream.expires_after(std::chrono::seconds(2));
    while (discarded < kMaxDiscard) {
      auto [ec, n] = co_await stream.async_read_some(asio::buffer(sink), kTuple);
      if (ec) break;
      discarded += n;
    }
  }

  asio::awaitable<void> Session(tcp::socket socket, asio::io_context& io) {
    beast::error_code ec_ep;
    auto ep = socket.remote_endpoint(ec_ep);
    std::string remote = ec_ep ? std::string() : ep.address().to_string();
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    SessionSlot slot{&io, &stream, true};
    std::uint64_t id = next_session++;
    {
      std::lock_guard lock(sessions_mu);
      sessions[id] = &slot;
    }
    // Whatever ends this coroutine, the drain loop must never see a dangling slot.
    struct Unregister {
      Impl* self;
      std::uint64_t id;
      ~Unregister() {
        {
          std::lock_guard lock(self->sessions_mu);
          self->sessions.erase(id);
        }
        self->connections--;
      }
    } unregister{this, id};
    const auto& lim = options.limits;
    for (;;) {
      if (buffer.size() == 0) {
        slot.idle = true;
        if (stopping) break;
        stream.expires_after(lim.idle_timeout);
        auto [ec, n] = co_await stream.async_read_some(buffer.prepare(4096), kTuple);
        slot.idle = false;
        if (ec) break;  // idle timeout, peer closed, or shutdown
        buffer.commit(n);
      }
      slot.idle = false;
      bhttp::request_parser<bhttp::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(lim.header_limit));
      // Beast checks Content-Length against the limit while it reads the headers, before the
      // route is known: allow the largest any route takes, then hold the request to its own.
      parser.body_limit(std::max<std::size_t>(lim.body_limit, router.MaxBodyLimit()));
      // The read timeout cancels the read rather than closing the socket (as
      // tcp_stream's own expiry would), so the client can still be told 408.
      bool timed_out = false;
      asio::steady_timer deadline(io);
      deadline.expires_after(lim.read_timeout);
      deadline.async_wait([&timed_out, &stream](const boost::system::error_code& tec) {
        if (!tec) {
          timed_out = true;
          stream.cancel();
        }
      });
      stream.expires_never();
      auto [ec, n] = co_await bhttp::async_read_header(stream, buffer, parser, kTuple);
      if (!ec) {
        // A route may take a larger body than the default (a file upload): ask it now that
        // the request line is known, before the body is read.
        auto target = boost::urls::parse_origin_form(parser.get().target());
        std::size_t limit = lim.body_limit;
        if (target) {
          std::size_t route_limit =
              router.BodyLimit(ToMethod(parser.get().method()), std::string(target->path()));
          if (route_limit > 0) limit = route_limit;
        }
        if (parser.content_length() && *parser.content_length() > limit) {
          ec = bhttp::error::body_limit;
        } else {
          parser.body_limit(limit);  // a chunked body is counted as it arrives
          auto [body_ec, body_n] = co_await bhttp::async_read(stream, buffer, parser, kTuple);
          ec = body_ec;
          n += body_n;
        }
      }
      deadline.cancel();
      if (ec) {
        int status = 0;
        if (ec == bhttp::error::header_limit) {
          status = 431;
        } else if (ec == bhttp::error::body_limit) {
          status = 413;
        } else if (timed_out) {
          status = 408;
        } else if (ec == bhttp::error::end_of_stream || ec == asio::error::eof ||
                   ec == asio::error::connection_reset || ec == asio::error::operation_aborted ||
                   ec == bhttp::error::partial_message) {
          status = 0;  // the client went away: nobody to answer
        } else {
          status = 400;
        }
        if (status) {
          co_await WriteEarlyError(stream, status);
          co_await LingeringClose(stream);
        }
        break;
      }
      auto& breq = parser.get();
      Request req;
      req.method = ToMethod(breq.method());
      req.target = std::string(breq.target());
      auto parsed = boost::urls::parse_origin_form(req.target);
      req.path = parsed ? std::string(parsed->path()) : std::string();
      req.remote_ip = remote;
      req.secure = options.behind_tls_proxy;
      req.request_id = NewRequestId();
      for (const auto& f : breq) {
        std::string name(f.name_string());
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        req.headers.emplace_back(std::move(name), std::string(f.value()));
      }
      req.body = std::move(breq.body());
      if (options.behind_tls_proxy) {
        // Our proxy appends the client it saw as the last X-Forwarded-For entry;
        // earlier entries come from the client and are not trusted.
        if (auto xff = req.Header("x-forwarded-for")) {
          std::string_view v = *xff;
          auto comma = v.rfind(',');
          v = comma == std::string_view::npos ? v : v.substr(comma + 1);
          while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
          while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
          if (!v.empty() && v.size() <= 45) req.remote_ip = std::string(v);
        }
      }
      bool keep_alive = breq.keep_alive();
      unsigned version = breq.version();
      auto start = std::chrono::steady_clock::now();

      Response res;
      if (!parsed) {
        res = JsonError(Error{ErrorCode::kInvalid, DefaultMessage(400), {}});
        res.SetHeader("X-Request-Id", req.request_id);
      } else {
        bool read = req.method == Method::kGet || req.method == Method::kHead;
        res = co_await asio::co_spawn(
            read ? read_workers->get_executor() : workers->get_executor(),
            [&]() -> asio::awaitable<Response> { co_return Dispatch(router, req, html); },
            asio::use_awaitable);
        if (res.before_send) {
          // Waiting blocks a thread: do it on the large pool, whose threads exist to wait for
          // commits, and keep the read pool rendering.
          res = co_await asio::co_spawn(
              workers->get_executor(),
              [&]() -> asio::awaitable<Response> { co_return AfterDurable(req, std::move(res), html); },
              asio::use_awaitable);
        }
      }
      if (stopping) keep_alive = false;

      bhttp::response<bhttp::string_body> bres{static_cast<bhttp::status>(res.status), version};
      if (!res.content_type.empty()) bres.set(bhttp::field::content_type, res.content_type);
      for (auto& [k, v] : res.headers) bres.set(k, v);
      std::size_t body_size = res.body.size();
      bres.body() = std::move(res.body);
      bres.keep_alive(keep_alive);
      bres.prepare_payload();
      if (req.method == Method::kHead) {
        bres.body().clear();
        bres.content_length(body_size);
      }
      stream.expires_after(lim.read_timeout);
      auto [wec, wn] = co_await bhttp::async_write(stream, bres, kTuple);
      double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      metrics.Observe(MethodName(req.method), req.route, res.status, seconds);
      if (options.access_log) {
        LogInfo("request", {{"request_id", req.request_id},
                            {"method", MethodName(req.method)},
                            {"path", req.path},
                            {"route", req.route},
                            {"status", std::to_string(res.status)},
                            {"ms", std::to_string(seconds * 1000.0)},
                            {"bytes", std::to_string(body_size)},
                            {"remote", remote}});
      }
      if (wec || !keep_alive) break;
    }
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }
};

Server::Server(ServerOptions options, const Router& router, Metrics& metrics)
    : impl_(std::make_unique<Impl>(std::move(options), router, metrics)) {}

Server::~Server() {
  if (!impl_->threads.empty()) {
    Stop();
    Wait();
  }
}

void Server::SetHtmlErrorRenderer(HtmlErrorRenderer renderer) {
  impl_->html = std::move(renderer);
}

std::uint16_t Server::Start() {
  auto& im = *impl_;
  int n_io = std::max(1, im.options.io_threads);
  for (int i = 0; i < n_io; ++i) {
    im.ios.push_back(std::make_unique<asio::io_context>(1));
    im.guards.push_back(asio::make_work_guard(*im.ios.back()));
  }
  im.workers = std::make_unique<asio::thread_pool>(std::max(1, im.options.worker_threads));
  im.read_workers =
      std::make_unique<asio::thread_pool>(std::max(1, im.options.read_worker_threads));
  auto& io0 = *im.ios[0];
  tcp::endpoint ep(asio::ip::make_address(im.options.address), im.options.port);
  im.acceptor = std::make_unique<tcp::acceptor>(io0);
  im.acceptor->open(ep.protocol());
  im.acceptor->set_option(asio::socket_base::reuse_address(true));
  im.acceptor->bind(ep);
  im.acceptor->listen(asio::socket_base::max_listen_connections);
  std::uint16_t port = im.acceptor->local_endpoint().port();

  im.signals = std::make_unique<asio::signal_set>(io0, SIGINT, SIGTERM);
  im.signals->async_wait([&im](const boost::system::error_code& ec, int) {
    if (!ec) im.RequestStop();
  });
  asio::co_spawn(io0, im.Accept(), asio::detached);
  for (auto& io : im.ios) {
    im.threads.emplace_back([ctx = io.get()] { ctx->run(); });
  }
  return port;
}

void Server::Stop() {
  impl_->RequestStop();
}

void Server::Wait() {
  auto& im = *impl_;
  {
    std::unique_lock lock(im.stop_mu);
    im.stop_cv.wait(lock, [&] { return im.stop_requested; });
  }
  if (im.stopping.exchange(true)) return;
  asio::post(*im.ios[0], [&im] {
    boost::system::error_code ignored;
    im.acceptor->close(ignored);
    im.signals->cancel(ignored);
  });
  {
    // Wake idle keep-alive connections so they close; busy ones finish their
    // request, see `stopping`, answer with Connection: close and end.
    std::lock_guard lock(im.sessions_mu);
    for (auto& [id, slot] : im.sessions) {
      asio::post(*slot->io, [&im, id = id] {
        std::lock_guard inner(im.sessions_mu);
        auto it = im.sessions.find(id);
        if (it != im.sessions.end() && it->second->idle) {
          it->second->stream->cancel();
        }
      });
    }
  }
  for (auto& g : im.guards) g.reset();
  for (auto& t : im.threads) t.join();
  im.threads.clear();
  im.workers->join();
  im.read_workers->join();
}

}  // namespace peyvand::http
