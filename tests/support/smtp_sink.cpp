#include "support/smtp_sink.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <stdexcept>

#include "http/smtp.hpp"

namespace peyvand::test {
namespace {

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// "<a@b>" from "MAIL FROM:<a@b>" or "RCPT TO:<a@b>".
std::string Address(const std::string& line) {
  auto a = line.find('<');
  auto b = line.find('>', a == std::string::npos ? 0 : a);
  if (a == std::string::npos || b == std::string::npos) return "";
  return line.substr(a + 1, b - a - 1);
}

class Lines {
 public:
  explicit Lines(int fd) : fd_(fd) {}
  // One line without CRLF; false when the peer closed or 5 s passed.
  bool Next(std::string& line) {
    for (;;) {
      auto at = buf_.find("\r\n");
      if (at != std::string::npos) {
        line = buf_.substr(0, at);
        buf_.erase(0, at + 2);
        return true;
      }
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 5000) <= 0) return false;
      char chunk[4096];
      ssize_t n = ::read(fd_, chunk, sizeof chunk);
      if (n <= 0) return false;
      buf_.append(chunk, static_cast<std::size_t>(n));
    }
  }

 private:
  int fd_;
  std::string buf_;
};

void Say(int fd, const std::string& line) {
  std::string out = line + "\r\n";
  (void)!::write(fd, out.data(), out.size());
}

}  // namespace

std::string SinkMail::Header(const std::string& name) const {
  std::string want = Lower(name) + ":";
  std::string value;
  bool in = false;
  std::size_t pos = 0;
  while (pos < data.size()) {
    auto end = data.find("\r\n", pos);
    if (end == std::string::npos) end = data.size();
    std::string line = data.substr(pos, end - pos);
    pos = end + 2;
    if (line.empty()) break;  // end of headers
    if (line[0] == ' ' || line[0] == '\t') {
      if (in) value += line.substr(1);
      continue;
    }
    if (in) break;
    if (Lower(line.substr(0, want.size())) == want) {
      in = true;
      value = line.substr(want.size());
      while (!value.empty() && value[0] == ' ') value.erase(0, 1);
    }
  }
  return value;
}

std::string SinkMail::Subject() const {
  std::string raw = Header("Subject");
  std::string out;
  std::size_t pos = 0;
  while (pos < raw.size()) {
    auto a = raw.find("=?UTF-8?B?", pos);
    if (a == std::string::npos) {
      out += raw.substr(pos);
      break;
    }
    auto b = raw.find("?=", a + 10);
    if (b == std::string::npos) break;
    out += http::Base64Decode(raw.substr(a + 10, b - a - 10));
    pos = b + 2;
    while (pos < raw.size() && raw[pos] == ' ') ++pos;  // between encoded words
  }
  return out;
}

std::string SinkMail::Text() const {
  auto at = data.find("\r\n\r\n");
  if (at == std::string::npos) return "";
  return http::Base64Decode(data.substr(at + 4));
}

SmtpSink::SmtpSink() {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (listen_fd_ < 0) throw std::runtime_error("smtp sink: socket");
  int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listen_fd_, 16) != 0) {
    throw std::runtime_error("smtp sink: bind/listen");
  }
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { Loop(); });
}

SmtpSink::~SmtpSink() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  ::close(listen_fd_);
}

void SmtpSink::RefuseNext(int n, std::string reply) {
  std::lock_guard lock(mu_);
  refuse_ = n;
  refuse_reply_ = std::move(reply);
}

std::vector<SinkMail> SmtpSink::Mails() const {
  std::lock_guard lock(mu_);
  return mails_;
}

bool SmtpSink::WaitFor(std::size_t count, int timeout_ms) const {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                      [&] { return mails_.size() >= count; });
}

void SmtpSink::Loop() {
  while (!stop_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    Serve(fd);
    ::close(fd);
  }
}

void SmtpSink::Serve(int fd) {
  Lines in(fd);
  Say(fd, "220 sink.test ESMTP ready");
  SinkMail mail;
  std::string line;
  while (!stop_ && in.Next(line)) {
    std::string verb = Lower(line.substr(0, 4));
    if (verb == "ehlo") {
      Say(fd, "250-sink.test greets you");
      Say(fd, "250 8BITMIME");
    } else if (verb == "helo") {
      Say(fd, "250 sink.test");
    } else if (verb == "mail") {
      mail = SinkMail{};
      mail.from = Address(line);
      Say(fd, "250 2.1.0 ok");
    } else if (verb == "rcpt") {
      mail.to = Address(line);
      Say(fd, "250 2.1.5 ok");
    } else if (verb == "data") {
      Say(fd, "354 end with <CRLF>.<CRLF>");
      std::string data;
      bool complete = false;
      while (in.Next(line)) {
        if (line == ".") {
          complete = true;
          break;
        }
        if (!line.empty() && line[0] == '.') line.erase(0, 1);
        data += line + "\r\n";
      }
      if (!complete) return;
      mail.data = data;
      std::unique_lock lock(mu_);
      if (refuse_ > 0) {
        --refuse_;
        ++refused_;
        std::string reply = refuse_reply_;
        lock.unlock();
        Say(fd, reply);
        continue;
      }
      mails_.push_back(mail);
      cv_.notify_all();
      lock.unlock();
      Say(fd, "250 2.0.0 queued");
    } else if (verb == "quit") {
      Say(fd, "221 2.0.0 bye");
      return;
    } else if (verb == "rset" || verb == "noop") {
      Say(fd, "250 ok");
    } else {
      Say(fd, "502 5.5.2 command not recognised");
    }
  }
}

}  // namespace peyvand::test
