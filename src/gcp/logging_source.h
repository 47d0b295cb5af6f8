// GcpLoggingSource: entries straight from Cloud Logging's entries.list, page
// by page as they arrive (nothing waits for the whole window to download).
//
// POST {api}/v2/entries:list with resourceNames, the scope's filter
// (filter.h; then, by default, the context query for the correlation signals
// below the minimum), orderBy "timestamp asc", pageSize 1000 and pageToken until there
// is none (an empty page with a token is normal: keep going). Paced to one
// request a second per source. 429: the identical body again no sooner than
// 1 s, backing off exponentially to 60 s; 500/503/504 and network errors: the
// same with backoff; 401: the token is refreshed once; 400/403: stop with the
// server's message and what to check.
#ifndef LOG_GARDENER_GCP_LOGGING_SOURCE_H_
#define LOG_GARDENER_GCP_LOGGING_SOURCE_H_

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "gcp/credentials.h"
#include "gcp/filter.h"
#include "log_gardener/source.h"

namespace lg::gcp {

// Below-minimum entries fetched for correlation signals (see BuildContextFilter).
enum class LiveContext { kNone, kSignals };

struct LoggingOptions {
  std::string project;
  std::string api = "https://logging.googleapis.com";
  LogScope scope;
  int page_size = 1000;
  double min_interval_s = 1.0;  // between requests
  int max_retries = 6;
  LiveContext context = LiveContext::kSignals;
  // Tests may replace the pacing and back-off waits (default: real waits
  // that end early when the read stops).
  std::function<void(double)> sleep;
};

class GcpLoggingSource : public Source {
 public:
  GcpLoggingSource(LoggingOptions options, std::shared_ptr<TokenSource> token, SourceOptions source_options);
  using Source::Read;
  Status Read(const EntryVisitor& visit, const EntryPreparer& prepare) override;
  const SourceStats& stats() const override { return stats_; }
  std::string Describe() const override { return "gcp:" + o_.project; }
  uint64_t pages() const { return pages_ + context_pages_; }
  // "gcp:P: 842 entries in 4 pages (1 empty), 2 retries".
  std::string Summary() const;

 private:
  using Clock = std::chrono::steady_clock;
  Status ReadQuery(const std::string& filter, bool context_only, const EntryVisitor& visit,
                   const EntryPreparer& prepare);
  // One page's body, with pacing, retries and back-off; `wait` returns false
  // when the read stopped meanwhile. Runs on the fetching thread.
  StatusOr<std::string> FetchPage(const std::string& filter, const std::string& page_token, Clock::time_point& last,
                                  const std::function<bool(double)>& wait);

  LoggingOptions o_;
  std::shared_ptr<TokenSource> token_;
  SourceOptions source_options_;
  SourceStats stats_;
  uint64_t pages_ = 0;
  uint64_t empty_pages_ = 0;
  uint64_t context_pages_ = 0;
  uint64_t context_entries_ = 0;
  uint64_t retries_ = 0;
};

}  // namespace lg::gcp

#endif  // LOG_GARDENER_GCP_LOGGING_SOURCE_H_
