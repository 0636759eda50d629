// A background thread that runs one job every interval until stopped (the escalation scan, the
// e-mail outbox). Wake() runs it early; Stop() waits for a run in progress to end. A job that
// throws is reported through on_error and tried again at the next interval.
#pragma once

#include <chrono>
#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>

namespace peyvand {

class Periodic {
 public:
  using Job = std::function<void()>;
  using OnError = std::function<void(const std::exception&)>;

  Periodic(std::chrono::milliseconds interval, Job job, OnError on_error)
      : interval_(interval), job_(std::move(job)), on_error_(std::move(on_error)) {
    thread_ = std::thread([this] { Loop(); });
  }
  ~Periodic() { Stop(); }
  Periodic(const Periodic&) = delete;
  Periodic& operator=(const Periodic&) = delete;

  void Wake() {
    std::lock_guard lock(mu_);
    woken_ = true;
    cv_.notify_all();
  }
  void Stop() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
      cv_.notify_all();
    }
    if (thread_.joinable()) thread_.join();
  }

 private:
  void Loop() {
    for (;;) {
      try {
        job_();
      } catch (const std::exception& e) {
        if (on_error_) on_error_(e);
      }
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, interval_, [this] { return stopping_ || woken_; });
      if (stopping_) return;
      woken_ = false;
    }
  }

  std::chrono::milliseconds interval_;
  Job job_;
  OnError on_error_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool woken_ = false;
  std::thread thread_;
};

}  // namespace peyvand
