// The server's contract for Response::before_send, over a real socket on port 0: the response
// leaves only after before_send has returned, before_send runs off the read pool, and a failure
// there becomes a 500 that carries nothing of the page.
#include "http/server.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

namespace peyvand::http {
namespace {

// One request on a fresh connection; returns the whole response as text.
std::string Send(std::uint16_t port, const std::string& method, const std::string& path,
                 const std::string& body = "") {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    throw std::runtime_error("connect failed");
  }
  std::string req = method + " " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" +
                    "Content-Type: application/octet-stream\r\nContent-Length: " +
                    std::to_string(body.size()) + "\r\n\r\n" + body;
  std::size_t sent = 0;
  while (sent < req.size()) {
    ssize_t k = ::send(fd, req.data() + sent, req.size() - sent, MSG_NOSIGNAL);
    if (k <= 0) break;  // the server may answer 413 and close before the body is all sent
    sent += static_cast<std::size_t>(k);
  }
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) out.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  return out;
}

class BeforeSendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Get("/durable", [this](Request&) {
      handler_thread_ = std::this_thread::get_id();
      Response res = Response::Text("the page");
      res.before_send = [this] {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));  // a slow commit
        waited_thread_ = std::this_thread::get_id();
        waited_ = true;
      };
      return res;
    });
    router_.Get("/failing", [](Request&) {
      Response res = Response::Text("secret page");
      res.before_send = [] { throw std::runtime_error("disk full"); };
      return res;
    });
    router_.Post("/upload", [](Request& req) { return Response::Text(std::to_string(req.body.size())); });
    router_.AllowBody(Method::kPost, "/upload", 3 * 1024 * 1024);
    router_.Post("/form", [](Request& req) { return Response::Text(std::to_string(req.body.size())); });
    ServerOptions o;
    o.port = 0;
    o.access_log = false;
    o.read_worker_threads = 1;
    o.worker_threads = 2;
    server_ = std::make_unique<Server>(o, router_, metrics_);
    port_ = server_->Start();
  }
  void TearDown() override {
    server_->Stop();
    server_->Wait();
  }

  Router router_;
  Metrics metrics_;
  std::unique_ptr<Server> server_;
  std::uint16_t port_ = 0;
  std::atomic<bool> waited_{false};
  std::thread::id handler_thread_;
  std::thread::id waited_thread_;
};

TEST_F(BeforeSendTest, ResponseLeavesOnlyAfterTheWaitAndOffTheReadPool) {
  std::string res = Send(port_, "GET", "/durable");
  EXPECT_NE(res.find("200 OK"), std::string::npos) << res;
  EXPECT_NE(res.find("the page"), std::string::npos);
  EXPECT_TRUE(waited_.load()) << "the response was sent before before_send returned";
  EXPECT_NE(waited_thread_, handler_thread_) << "the wait held the read pool's only thread";
}

TEST_F(BeforeSendTest, FailureBecomesA500WithoutThePage) {
  std::string res = Send(port_, "GET", "/failing");
  EXPECT_NE(res.find("500 Internal Server Error"), std::string::npos) << res;
  EXPECT_EQ(res.find("secret page"), std::string::npos) << res;
  EXPECT_NE(res.find("X-Request-Id"), std::string::npos);
}

TEST_F(BeforeSendTest, ARouteMayTakeALargerBodyThanTheDefault) {
  std::string two_mib(2 * 1024 * 1024, 'x');
  std::string upload = Send(port_, "POST", "/upload", two_mib);
  EXPECT_NE(upload.find("200 OK"), std::string::npos) << upload.substr(0, 200);
  EXPECT_NE(upload.find(std::to_string(two_mib.size())), std::string::npos);
  std::string form = Send(port_, "POST", "/form", two_mib);
  EXPECT_NE(form.find("413"), std::string::npos) << form.substr(0, 200);
  std::string four_mib(4 * 1024 * 1024, 'x');
  EXPECT_NE(Send(port_, "POST", "/upload", four_mib).find("413"), std::string::npos);
}

}  // namespace
}  // namespace peyvand::http
