#include <ctime>

#include "log_gardener/clock.h"

namespace lg {

Timestamp SystemClock::Now() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return Timestamp{static_cast<int64_t>(ts.tv_sec), static_cast<int32_t>(ts.tv_nsec)};
}

}  // namespace lg
