// Time source, injectable so tests can move time (lockout expiry, sessions).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace peyvand {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::int64_t NowMillis() const = 0;  // UTC milliseconds since the epoch
};

class SystemClock final : public Clock {
 public:
  std::int64_t NowMillis() const override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

// Real time plus an offset that tests (or PEYVAND_CLOCK_OFFSET_MS) can set.
class OffsetClock final : public Clock {
 public:
  explicit OffsetClock(std::int64_t offset_ms = 0) : offset_ms_(offset_ms) {}
  std::int64_t NowMillis() const override { return base_.NowMillis() + offset_ms_.load(); }
  void Advance(std::int64_t ms) { offset_ms_ += ms; }

 private:
  SystemClock base_;
  std::atomic<std::int64_t> offset_ms_;
};

}  // namespace peyvand
