#pragma once
/// Injectable wall clock: production reads the system clock, tests move a manual one.

#include <atomic>
#include <chrono>

namespace ferr::core {

using TimePoint = std::chrono::system_clock::time_point;

/// Source of the current UTC time.
class Clock {
 public:
  virtual ~Clock() = default;
  /// The current time.
  virtual TimePoint now() const = 0;
};

/// The real clock.
class SystemClock final : public Clock {
 public:
  TimePoint now() const override { return std::chrono::system_clock::now(); }
};

/// A clock that only moves when told to; safe to read from several threads.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start) : now_(start.time_since_epoch().count()) {}
  TimePoint now() const override { return TimePoint(TimePoint::duration(now_.load())); }
  /// Moves the clock forward by `d`.
  void advance(std::chrono::nanoseconds d) {
    now_ += std::chrono::duration_cast<TimePoint::duration>(d).count();
  }
  /// Sets the clock to `t`.
  void set(TimePoint t) { now_ = t.time_since_epoch().count(); }

 private:
  std::atomic<TimePoint::rep> now_;
};

}  // namespace ferr::core
