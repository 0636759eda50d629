// A local SMTP server for tests: listens on 127.0.0.1 (port 0), speaks enough of RFC 5321 for a
// client that sends EHLO, MAIL, RCPT, DATA, QUIT, and keeps every message it accepted. It can
// refuse the next messages with a reply of the test's choosing, to exercise retries.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace peyvand::test {

struct SinkMail {
  std::string from;  // MAIL FROM address
  std::string to;    // RCPT TO address
  std::string data;  // the message (headers and body), CRLF, dot-stuffing removed
  std::string Header(const std::string& name) const;  // unfolded, "" if missing
  std::string Subject() const;                        // RFC 2047 words decoded
  std::string Text() const;                           // the base64 body decoded
};

class SmtpSink {
 public:
  SmtpSink();
  ~SmtpSink();
  int port() const { return port_; }
  // The next `n` messages get `reply` after DATA instead of 250 (e.g. "451 4.3.0 later").
  void RefuseNext(int n, std::string reply = "451 4.3.0 try again later");
  std::vector<SinkMail> Mails() const;
  // Waits until at least `count` messages were accepted; false on timeout.
  bool WaitFor(std::size_t count, int timeout_ms) const;
  int refused() const { return refused_; }

 private:
  void Loop();
  void Serve(int fd);
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::vector<SinkMail> mails_;
  int refuse_ = 0;
  std::string refuse_reply_;
  std::atomic<int> refused_{0};
  std::thread thread_;
};

}  // namespace peyvand::test
