// Time: RFC 3339 parsing and formatting, durations, periods and windows.
#ifndef LOG_GARDENER_CORE_TIME_H_
#define LOG_GARDENER_CORE_TIME_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "log_gardener/log_entry.h"
#include "log_gardener/status.h"

namespace lg {

// Parses "YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|±HH:MM)". Also accepts a space for the
// 'T', lower-case 't'/'z', and no zone at all (read as UTC: SIEM-normalized
// exports write "2023-03-08 18:52:52.114"). Rejects out-of-range fields.
StatusOr<Timestamp> ParseTimestamp(std::string_view text);

// "2025-09-15T15:00:00Z"; fraction digits trimmed of trailing zeros (0..9).
std::string FormatTimestamp(Timestamp t);
// "2025-09-15 17:00:00 CEST (+0200)" in the process's local time zone (TZ).
std::string FormatLocalTimestamp(Timestamp t);
// "20250915-1500" (UTC), for file names.
std::string FormatCompactUtc(Timestamp t);

// Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's algorithm).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d);

// Parses a duration: "90m", "1h", "30s", "2d", "1h30m", "last 1 hour",
// "last 24 hours", "15 minutes". Returns whole seconds (> 0).
StatusOr<int64_t> ParseDurationSeconds(std::string_view text);

// Parses a Cloud Logging Duration ("3.786648988s") into seconds.
std::optional<double> ParseProtoDuration(std::string_view text);

Timestamp AddSeconds(Timestamp t, int64_t seconds);
double SecondsBetween(Timestamp from, Timestamp to);

// The analysed window [start, end).
struct Window {
  Timestamp start;
  Timestamp end;
  bool Contains(Timestamp t) const { return start <= t && t < end; }
};

// A time given on the command line: RFC 3339, "now", or relative to now as
// "-90m" / "90m ago". `now` is injected (the --now flag or the clock).
StatusOr<Timestamp> ParseTimeArg(std::string_view text, Timestamp now);

// Turns a --period ("last 1 hour", "90m") ending at `now` into a window.
StatusOr<Window> WindowFromPeriod(std::string_view period, Timestamp now);

// "last-1-hour" from "last 1 hour": lower-case, runs of non-alphanumerics → '-'.
std::string PeriodSlug(std::string_view period);

}  // namespace lg

#endif  // LOG_GARDENER_CORE_TIME_H_
