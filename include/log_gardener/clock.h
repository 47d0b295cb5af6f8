// Clock: the only way library code learns the time, so runs are reproducible
// (--now pins it; tests inject a fixed clock).
#ifndef LOG_GARDENER_CLOCK_H_
#define LOG_GARDENER_CLOCK_H_

#include "log_gardener/log_entry.h"

namespace lg {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp Now() = 0;
};

// Wall-clock time (CLOCK_REALTIME).
class SystemClock : public Clock {
 public:
  Timestamp Now() override;
};

// Always returns the time it was given. For --now and tests.
class FixedClock : public Clock {
 public:
  explicit FixedClock(Timestamp t) : t_(t) {}
  Timestamp Now() override { return t_; }
  void Set(Timestamp t) { t_ = t; }

 private:
  Timestamp t_;
};

}  // namespace lg

#endif  // LOG_GARDENER_CLOCK_H_
