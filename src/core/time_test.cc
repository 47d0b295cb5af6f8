#include "core/time.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace lg {
namespace {

Timestamp T(std::string_view s) {
  auto t = ParseTimestamp(s);
  EXPECT_TRUE(t.ok()) << s << ": " << t.status().message();
  return t.ok() ? *t : Timestamp{};
}

TEST(ParseTimestamp, AcceptsZeroToNineFractionDigits) {
  EXPECT_EQ(T("2025-09-15T15:00:00Z"), (Timestamp{1757948400, 0}));
  EXPECT_EQ(T("2025-09-15T15:00:00.5Z").nanos, 500000000);
  EXPECT_EQ(T("2025-09-15T15:00:00.80581Z").nanos, 805810000);
  EXPECT_EQ(T("2025-09-15T15:00:00.123456789Z").nanos, 123456789);
  EXPECT_FALSE(ParseTimestamp("2025-09-15T15:00:00.1234567891Z").ok());
  EXPECT_FALSE(ParseTimestamp("2025-09-15T15:00:00.Z").ok());
}

TEST(ParseTimestamp, ComparesInstantsNotStrings) {
  // As text "…28.333007Z" sorts before "…28.333Z"; as time it is later.
  EXPECT_LT(T("2025-09-15T15:00:28.333Z"), T("2025-09-15T15:00:28.333007Z"));
}

TEST(ParseTimestamp, HonorsOffsets) {
  EXPECT_EQ(T("2025-09-15T17:00:00+02:00"), T("2025-09-15T15:00:00Z"));
  EXPECT_EQ(T("2025-09-15T08:00:00.25-07:00"), T("2025-09-15T15:00:00.25Z"));
  EXPECT_EQ(T("2025-09-15t15:00:00z"), T("2025-09-15T15:00:00Z"));
}

TEST(ParseTimestamp, NoZoneMeansUtcAndSpaceSeparatorWorks) {
  EXPECT_EQ(T("2023-03-08 18:52:52.114"), T("2023-03-08T18:52:52.114Z"));
}

TEST(ParseTimestamp, RejectsOutOfRangeAndGarbage) {
  EXPECT_FALSE(ParseTimestamp("2025-02-29T00:00:00Z").ok());  // not a leap year
  EXPECT_TRUE(ParseTimestamp("2024-02-29T00:00:00Z").ok());
  EXPECT_FALSE(ParseTimestamp("2025-13-01T00:00:00Z").ok());
  EXPECT_FALSE(ParseTimestamp("2025-09-15T24:00:00Z").ok());
  EXPECT_FALSE(ParseTimestamp("2025-09-15").ok());
  EXPECT_FALSE(ParseTimestamp("yesterday").ok());
  EXPECT_FALSE(ParseTimestamp("2025-09-15T15:00:00Zjunk").ok());
  EXPECT_FALSE(ParseTimestamp("2025-09-15T15:00:00+25:00").ok());
}

TEST(FormatTimestamp, RoundTripsAndTrimsZeros) {
  EXPECT_EQ(FormatTimestamp(T("2025-09-15T15:00:00Z")), "2025-09-15T15:00:00Z");
  EXPECT_EQ(FormatTimestamp(T("2025-09-15T15:00:00.120Z")), "2025-09-15T15:00:00.12Z");
  EXPECT_EQ(FormatTimestamp(T("1969-12-31T23:59:59Z")), "1969-12-31T23:59:59Z");
  EXPECT_EQ(FormatCompactUtc(T("2025-09-15T15:07:59Z")), "20250915-1507");
}

TEST(ParseDuration, AcceptsPeriodsPeopleWrite) {
  EXPECT_EQ(*ParseDurationSeconds("last 1 hour"), 3600);
  EXPECT_EQ(*ParseDurationSeconds("last 24 hours"), 86400);
  EXPECT_EQ(*ParseDurationSeconds("last hour"), 3600);
  EXPECT_EQ(*ParseDurationSeconds("90m"), 5400);
  EXPECT_EQ(*ParseDurationSeconds("1h30m"), 5400);
  EXPECT_EQ(*ParseDurationSeconds("2d"), 172800);
  EXPECT_EQ(*ParseDurationSeconds("15 minutes"), 900);
  EXPECT_FALSE(ParseDurationSeconds("0m").ok());
  EXPECT_FALSE(ParseDurationSeconds("10").ok());
  EXPECT_FALSE(ParseDurationSeconds("5 fortnights").ok());
  EXPECT_FALSE(ParseDurationSeconds("").ok());
  EXPECT_EQ(*ParseDurationSeconds("36600d"), int64_t{36600} * 86400);
}

// fuzz/regressions/time/crash-44689fa7…: a duration whose seconds overflow int64.
TEST(ParseDuration, HugeDurationsAreErrorsNotOverflows) {
  EXPECT_EQ(ParseDurationSeconds("0303000003000000000minutes").status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(ParseDurationSeconds("9223372036854775807w").status().message().find("too long"), std::string::npos);
  EXPECT_FALSE(ParseDurationSeconds("36700d").ok());
  EXPECT_FALSE(ParseDurationSeconds("36000d 36000d").ok()) << "the sum is checked too";
}

TEST(Window, IsHalfOpen) {
  Window w{T("2025-09-15T15:00:00Z"), T("2025-09-15T16:00:00Z")};
  EXPECT_TRUE(w.Contains(T("2025-09-15T15:00:00Z")));
  EXPECT_TRUE(w.Contains(T("2025-09-15T15:59:59.999999999Z")));
  EXPECT_FALSE(w.Contains(T("2025-09-15T16:00:00Z")));
  EXPECT_FALSE(w.Contains(T("2025-09-15T14:59:59.999999999Z")));
}

TEST(ParseTimeArg, RelativeToInjectedNow) {
  Timestamp now = T("2025-09-15T16:00:00Z");
  EXPECT_EQ(*ParseTimeArg("now", now), now);
  EXPECT_EQ(*ParseTimeArg("-90m", now), T("2025-09-15T14:30:00Z"));
  EXPECT_EQ(*ParseTimeArg("2h ago", now), T("2025-09-15T14:00:00Z"));
  EXPECT_EQ(ParseTimeArg("tomorrow", now).status().code(), StatusCode::kInvalidArgument);
  auto w = WindowFromPeriod("last 1 hour", now);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->start, T("2025-09-15T15:00:00Z"));
  EXPECT_EQ(PeriodSlug("last 1 hour"), "last-1-hour");
}

TEST(Period, OffsetsAreInstants) {
  // The same instant written in three zones.
  EXPECT_EQ(T("2025-09-15T17:30:00+02:00"), T("2025-09-15T15:30:00Z"));
  EXPECT_EQ(T("2025-09-15T10:00:00-05:30"), T("2025-09-15T15:30:00Z"));
  Timestamp now = T("2025-09-15T16:00:00Z");
  EXPECT_EQ(*ParseTimeArg("2025-09-15T17:00:00+02:00", now), T("2025-09-15T15:00:00Z"));
}

TEST(Period, DaylightSavingChangesDoNotStretchAWindow) {
  // Europe/Berlin springs forward at 2026-03-29 01:00Z (02:00 → 03:00 local):
  // "last 24 hours" is still 86,400 s, and an offset-written range across the
  // change is its real length.
  Timestamp now = T("2026-03-29T12:00:00+02:00");
  auto w = WindowFromPeriod("last 24 hours", now);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->start, T("2026-03-28T11:00:00+01:00"));
  EXPECT_EQ(SecondsBetween(w->start, w->end), 86400);
  EXPECT_EQ(SecondsBetween(T("2026-03-29T01:30:00+01:00"), T("2026-03-29T03:30:00+02:00")), 3600);
  // Falling back (2026-10-25 01:00Z, 03:00 → 02:00 local): 90m is 90m.
  auto back = WindowFromPeriod("90m", T("2026-10-25T02:30:00+01:00"));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->start, T("2026-10-25T02:00:00+02:00"));
  // The worklog's local times follow the zone's rules.
  const char* old_tz = std::getenv("TZ");
  const std::string saved = old_tz ? old_tz : "";
  ::setenv("TZ", "Europe/Berlin", 1);
  ::tzset();
  EXPECT_EQ(FormatLocalTimestamp(T("2026-03-29T00:59:59Z")), "2026-03-29 01:59:59 CET (+0100)");
  EXPECT_EQ(FormatLocalTimestamp(T("2026-03-29T01:00:00Z")), "2026-03-29 03:00:00 CEST (+0200)");
  if (old_tz) {
    ::setenv("TZ", saved.c_str(), 1);
  } else {
    ::unsetenv("TZ");
  }
  ::tzset();
}

TEST(Period, MonthAndYearEnds) {
  EXPECT_EQ(*ParseTimeArg("-90m", T("2026-03-01T00:30:00Z")), T("2026-02-28T23:00:00Z"));
  EXPECT_EQ(*ParseTimeArg("-90m", T("2024-03-01T00:30:00Z")), T("2024-02-29T23:00:00Z"));  // leap day
  EXPECT_EQ(WindowFromPeriod("last 24 hours", T("2026-01-01T00:00:00Z"))->start, T("2025-12-31T00:00:00Z"));
  EXPECT_EQ(WindowFromPeriod("last 1 hour", T("2025-05-01T00:20:00+02:00"))->start, T("2025-04-30T21:20:00Z"));
  EXPECT_EQ(FormatTimestamp(T("2024-02-29T23:59:59.5+00:00")), "2024-02-29T23:59:59.5Z");
  EXPECT_FALSE(ParseTimestamp("2025-02-29T00:00:00Z").ok()) << "not a leap year";
  EXPECT_FALSE(ParseTimestamp("2025-04-31T00:00:00Z").ok());
}

TEST(Severity, ParsesNamesAndNumbers) {
  EXPECT_EQ(ParseSeverity("WARNING"), Severity::kWarning);
  EXPECT_EQ(ParseSeverity("warning"), Severity::kWarning);
  EXPECT_EQ(ParseSeverity("500"), Severity::kError);
  EXPECT_EQ(ParseSeverity("500.0"), Severity::kError);
  EXPECT_EQ(ParseSeverity("450"), Severity::kWarning);  // nearest listed value below
  EXPECT_FALSE(ParseSeverity("LOUD").has_value());
  EXPECT_EQ(ParseSeverity("emergency"), Severity::kEmergency);  // the longest name, any case
  EXPECT_EQ(ParseSeverity("Warn"), Severity::kWarning);
  EXPECT_EQ(ParseSeverity("fatal"), Severity::kCritical);
  EXPECT_FALSE(ParseSeverity("EMERGENCYX").has_value());
  EXPECT_FALSE(ParseSeverity("INFO ").has_value());
  EXPECT_FALSE(ParseSeverity("5x").has_value());
}

TEST(LogId, DecodesAndToleratesMalformedNames) {
  EXPECT_EQ(LogId("projects/p/logs/run.googleapis.com%2Fstderr"), "run.googleapis.com/stderr");
  EXPECT_EQ(LogId("projects/project"), "projects/project");
  EXPECT_EQ(LogId("projects/p/logs/bad%2"), "bad%2");
}

}  // namespace
}  // namespace lg
