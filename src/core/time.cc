#include "core/time.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <ctime>

#include <fmt/format.h>

namespace lg {
namespace {

bool ReadDigits(std::string_view s, size_t& pos, size_t n, int64_t& out) {
  if (pos + n > s.size()) return false;
  int64_t v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  pos += n;
  out = v;
  return true;
}

bool Expect(std::string_view s, size_t& pos, char c) {
  if (pos < s.size() && s[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned DaysInMonth(int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

struct Civil {
  int64_t y;
  unsigned m, d;
};

Civil CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), m, d};
}

Status BadTime(std::string_view text, std::string_view why) {
  return Status::DataLoss(fmt::format("invalid timestamp \"{}\": {}", text, why));
}

}  // namespace

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

StatusOr<Timestamp> ParseTimestamp(std::string_view s) {
  size_t pos = 0;
  int64_t year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!ReadDigits(s, pos, 4, year) || !Expect(s, pos, '-') || !ReadDigits(s, pos, 2, month) ||
      !Expect(s, pos, '-') || !ReadDigits(s, pos, 2, day)) {
    return BadTime(s, "expected YYYY-MM-DD");
  }
  if (pos >= s.size() || (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ')) {
    return BadTime(s, "expected 'T' after the date");
  }
  ++pos;
  if (!ReadDigits(s, pos, 2, hour) || !Expect(s, pos, ':') || !ReadDigits(s, pos, 2, minute) ||
      !Expect(s, pos, ':') || !ReadDigits(s, pos, 2, second)) {
    return BadTime(s, "expected HH:MM:SS");
  }
  if (month < 1 || month > 12) return BadTime(s, "month out of range");
  if (day < 1 || day > DaysInMonth(year, static_cast<unsigned>(month))) {
    return BadTime(s, "day out of range");
  }
  // 60 is a leap second; Cloud Logging smears them, but accept and fold it.
  if (hour > 23 || minute > 59 || second > 60) return BadTime(s, "time of day out of range");
  int64_t nanos = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
      if (digits == 9) return BadTime(s, "more than 9 fraction digits");
      nanos = nanos * 10 + (s[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return BadTime(s, "no digits after '.'");
    for (int i = digits; i < 9; ++i) nanos *= 10;
  }
  int64_t offset_seconds = 0;
  if (pos < s.size()) {
    char z = s[pos];
    if (z == 'Z' || z == 'z') {
      ++pos;
    } else if (z == '+' || z == '-') {
      ++pos;
      int64_t oh = 0, om = 0;
      if (!ReadDigits(s, pos, 2, oh) || !Expect(s, pos, ':') || !ReadDigits(s, pos, 2, om) ||
          oh > 23 || om > 59) {
        return BadTime(s, "expected a zone offset like +02:00");
      }
      offset_seconds = (oh * 3600 + om * 60) * (z == '-' ? -1 : 1);
    } else {
      return BadTime(s, "unexpected text after the time");
    }
  }
  if (pos != s.size()) return BadTime(s, "unexpected text after the zone");
  int64_t days = DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  Timestamp t;
  t.seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset_seconds;
  t.nanos = static_cast<int32_t>(nanos);
  return t;
}

std::string FormatTimestamp(Timestamp t) {
  int64_t days = t.seconds >= 0 ? t.seconds / 86400 : (t.seconds - 86399) / 86400;
  int64_t secs = t.seconds - days * 86400;
  Civil c = CivilFromDays(days);
  std::string out = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", c.y, c.m, c.d, secs / 3600,
                                (secs / 60) % 60, secs % 60);
  if (t.nanos != 0) {
    std::string frac = fmt::format("{:09}", t.nanos);
    while (!frac.empty() && frac.back() == '0') frac.pop_back();
    out += '.';
    out += frac;
  }
  out += 'Z';
  return out;
}

std::string FormatLocalTimestamp(Timestamp t) {
  std::time_t tt = static_cast<std::time_t>(t.seconds);
  std::tm tm{};
  localtime_r(&tt, &tm);
  char buf[64];
  size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S %Z (%z)", &tm);
  return std::string(buf, n);
}

std::string FormatCompactUtc(Timestamp t) {
  std::string iso = FormatTimestamp(Timestamp{t.seconds, 0});  // YYYY-MM-DDTHH:MM:SSZ
  return iso.substr(0, 4) + iso.substr(5, 2) + iso.substr(8, 2) + "-" + iso.substr(11, 2) +
         iso.substr(14, 2);
}

Timestamp AddSeconds(Timestamp t, int64_t seconds) { return {t.seconds + seconds, t.nanos}; }

double SecondsBetween(Timestamp from, Timestamp to) {
  return static_cast<double>(to.seconds - from.seconds) +
         static_cast<double>(to.nanos - from.nanos) / 1e9;
}

StatusOr<int64_t> ParseDurationSeconds(std::string_view text) {
  std::string s;
  for (char c : text) s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto bad = [&](std::string_view why) {
    return Status::InvalidArgument(fmt::format(
        "invalid period \"{}\": {} (examples: \"last 1 hour\", \"90m\", \"1h30m\", \"2d\")", text,
        why));
  };
  std::string_view v = s;
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
  if (v.starts_with("last")) {
    v.remove_prefix(4);
    while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
    if (v.empty()) return bad("nothing after \"last\"");
    if (!std::isdigit(static_cast<unsigned char>(v.front()))) {
      // "last hour", "last day"
      std::string with_one = "1 " + std::string(v);
      return ParseDurationSeconds(with_one);
    }
  }
  if (v.empty()) return bad("empty");
  int64_t total = 0;
  while (!v.empty()) {
    int64_t n = 0;
    auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc() || n < 0) return bad("expected a number");
    v.remove_prefix(static_cast<size_t>(ptr - v.data()));
    while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
    size_t unit_len = 0;
    while (unit_len < v.size() && std::isalpha(static_cast<unsigned char>(v[unit_len]))) {
      ++unit_len;
    }
    std::string_view unit = v.substr(0, unit_len);
    v.remove_prefix(unit_len);
    while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
    int64_t mult;
    if (unit == "s" || unit == "sec" || unit == "secs" || unit == "second" || unit == "seconds") {
      mult = 1;
    } else if (unit == "m" || unit == "min" || unit == "mins" || unit == "minute" ||
               unit == "minutes") {
      mult = 60;
    } else if (unit == "h" || unit == "hr" || unit == "hrs" || unit == "hour" || unit == "hours") {
      mult = 3600;
    } else if (unit == "d" || unit == "day" || unit == "days") {
      mult = 86400;
    } else if (unit == "w" || unit == "week" || unit == "weeks") {
      mult = 7 * 86400;
    } else {
      return bad(unit.empty() ? "missing a unit (s, m, h, d, w)" : "unknown unit");
    }
    // Nothing is gardened over more than a century; checking here also keeps
    // the arithmetic from overflowing (found by the time fuzzer).
    constexpr int64_t kMaxSeconds = int64_t{100} * 366 * 86400;
    if (n > kMaxSeconds / mult || total + n * mult > kMaxSeconds) return bad("too long (more than 100 years)");
    total += n * mult;
  }
  if (total <= 0) return bad("must be longer than zero");
  return total;
}

std::optional<double> ParseProtoDuration(std::string_view text) {
  if (text.empty() || text.back() != 's') return std::nullopt;
  text.remove_suffix(1);
  double v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size() || !std::isfinite(v)) {
    return std::nullopt;
  }
  return v;
}

StatusOr<Timestamp> ParseTimeArg(std::string_view text, Timestamp now) {
  if (text == "now") return now;
  if (!text.empty() && text.front() == '-') {
    auto d = ParseDurationSeconds(text.substr(1));
    if (!d.ok()) return d.status();
    return AddSeconds(now, -*d);
  }
  if (text.ends_with(" ago")) {
    auto d = ParseDurationSeconds(text.substr(0, text.size() - 4));
    if (!d.ok()) return d.status();
    return AddSeconds(now, -*d);
  }
  auto t = ParseTimestamp(text);
  if (!t.ok()) {
    return Status::InvalidArgument(fmt::format(
        "{} (give RFC 3339 like 2025-09-15T15:00:00Z, \"now\", or relative like -90m)",
        t.status().message()));
  }
  return t;
}

StatusOr<Window> WindowFromPeriod(std::string_view period, Timestamp now) {
  auto d = ParseDurationSeconds(period);
  if (!d.ok()) return d.status();
  return Window{AddSeconds(now, -*d), now};
}

std::string PeriodSlug(std::string_view period) {
  std::string out;
  bool dash = false;
  for (char c : period) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      if (dash && !out.empty()) out += '-';
      dash = false;
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      dash = true;
    }
  }
  return out.empty() ? "window" : out;
}

}  // namespace lg
