#include "gcp/logging_source.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <stop_token>
#include <thread>

#include <simdjson.h>

#include <fmt/format.h>

#include "core/json_writer.h"
#include "core/time.h"
#include "decode/entry_decoder.h"
#include "gcp/http.h"

namespace lg::gcp {
namespace {

std::string ErrorText(const std::string& body) {
  simdjson::dom::parser p;
  simdjson::dom::element e;
  std::string_view m;
  if (p.parse(body).get(e) == simdjson::SUCCESS && e["error"]["message"].get(m) == simdjson::SUCCESS) {
    return std::string(m);
  }
  return body.substr(0, 300);
}

// What a 429 or 5xx says about waiting: google.rpc.RetryInfo's retryDelay,
// a Retry-After header, and the quota's requests-per-minute limit.
struct RetryHints {
  double delay_s = 0;
  double per_minute = 0;
};

RetryHints ParseRetryHints(const HttpReply& reply) {
  RetryHints h;
  if (auto it = reply.headers.find("retry-after"); it != reply.headers.end()) {
    h.delay_s = std::atof(it->second.c_str());
  }
  simdjson::dom::parser p;
  simdjson::dom::element e;
  simdjson::dom::array details;
  if (p.parse(reply.body).get(e) != simdjson::SUCCESS || e["error"]["details"].get(details) != simdjson::SUCCESS) {
    return h;
  }
  for (simdjson::dom::element d : details) {
    std::string_view text;
    if (d["retryDelay"].get(text) == simdjson::SUCCESS) {
      if (auto s = ParseProtoDuration(text)) h.delay_s = std::max(h.delay_s, *s);
    }
    if (d["metadata"]["quota_limit_value"].get(text) == simdjson::SUCCESS) {
      h.per_minute = std::atof(std::string(text).c_str());
    }
  }
  return h;
}

}  // namespace

GcpLoggingSource::GcpLoggingSource(LoggingOptions options, std::shared_ptr<TokenSource> token,
                                   SourceOptions source_options)
    : o_(std::move(options)), token_(std::move(token)), source_options_(source_options) {
  while (!o_.api.empty() && o_.api.back() == '/') o_.api.pop_back();
}

Status GcpLoggingSource::Read(const EntryVisitor& visit, const EntryPreparer& prepare) {
  LG_RETURN_IF_ERROR(ReadQuery(BuildFilter(o_.scope), false, visit, prepare));
  if (o_.context == LiveContext::kSignals) {
    const std::string context = BuildContextFilter(o_.scope, o_.project);
    if (!context.empty()) LG_RETURN_IF_ERROR(ReadQuery(context, true, visit, prepare));
  }
  return Status::Ok();
}

StatusOr<std::string> GcpLoggingSource::FetchPage(const std::string& filter, const std::string& page_token,
                                                  Clock::time_point& last, const std::function<bool(double)>& wait) {
  const std::string url = o_.api + "/v2/entries:list";
  std::string body = "{\"resourceNames\":[";
  AppendJsonString(body, "projects/" + o_.project);
  body += "],\"filter\":";
  AppendJsonString(body, filter);
  body += fmt::format(",\"orderBy\":\"timestamp asc\",\"pageSize\":{}", o_.page_size);
  if (!page_token.empty()) {
    body += ",\"pageToken\":";
    AppendJsonString(body, page_token);
  }
  body += "}";
  double backoff = 1.0;
  bool refreshed = false;
  for (int attempt = 0;; ++attempt) {
    // Pace: at most one request per interval.
    const double since = std::chrono::duration<double>(Clock::now() - last).count();
    if (since < o_.min_interval_s && !wait(o_.min_interval_s - since)) return Status::Internal("read stopped");
    last = Clock::now();
    auto token = token_->Token();
    if (!token.ok()) return token.status();
    std::vector<std::string> headers = {"Authorization: Bearer " + *token, "Content-Type: application/json"};
    if (!token_->QuotaProject().empty()) headers.push_back("x-goog-user-project: " + token_->QuotaProject());
    StatusOr<HttpReply> reply = Http("POST", url, headers, body);
    const bool network = !reply.ok();
    if (network && reply.status().code() != StatusCode::kUnavailable) return reply.status();
    const long s = network ? 0 : reply->status;
    if (!network && s == 200) return std::move(reply->body);
    if (!network && s == 401 && !refreshed) {
      refreshed = true;  // a token that expired under us: ask once more
      continue;
    }
    const bool retry = network || s == 429 || s == 500 || s == 503 || s == 504;
    if (!retry || attempt >= o_.max_retries) {
      if (network) return reply.status();
      const std::string msg = ErrorText(reply->body);
      if (s == 400) {
        return Status::InvalidArgument(fmt::format("Cloud Logging rejected the request for project {}: {} (filter: {})",
                                                   o_.project, msg, filter));
      }
      if (s == 401 || s == 403) {
        return Status::FailedPrecondition(fmt::format(
            "Cloud Logging refused project {} (HTTP {}): {}. Check the project id and that {} has "
            "logging.logEntries.list (roles/logging.viewer)",
            o_.project, s, msg, token_->Describe()));
      }
      return Status::Unavailable(fmt::format("Cloud Logging, project {}: HTTP {} after {} tries: {}", o_.project, s,
                                             attempt + 1, msg));
    }
    ++retries_;
    double delay = backoff;
    if (!network) {
      const RetryHints hints = ParseRetryHints(*reply);
      delay = std::max(delay, std::min(hints.delay_s, 300.0));
      // Pace under the quota the server named (60 a minute → one a second).
      if (hints.per_minute > 0) o_.min_interval_s = std::max(o_.min_interval_s, 60.0 / hints.per_minute);
    }
    // A little jitter, so workers that hit the quota together spread out.
    delay *= 1.0 + 0.1 * (static_cast<double>(std::rand() % 1000) / 1000.0);
    // The identical body again, no sooner than a second later.
    if (!wait(delay)) return Status::Internal("read stopped");
    last = Clock::now();
    backoff = std::min(backoff * 2, 60.0);
  }
}

// Pages are fetched on a thread of their own, one page ahead of the page
// being decoded and handed over (the request needs only the previous page's
// nextPageToken), so a live read decodes and gardens while the API paces and
// answers instead of after. Entries still reach the visitor on the calling
// thread, in order; an error is returned after the pages before it.
Status GcpLoggingSource::ReadQuery(const std::string& filter, bool context_only, const EntryVisitor& visit,
                                   const EntryPreparer& prepare) {
  const char* what = context_only ? "context page" : "page";
  struct Page {
    Status status;
    std::string body;
    bool last = false;
  };
  constexpr size_t kAhead = 1;  // pages fetched and not yet decoded
  std::mutex mu;
  std::condition_variable_any cv;
  std::deque<Page> ready;
  std::jthread fetcher([&](std::stop_token stop) {
    Clock::time_point last = Clock::now() - std::chrono::hours(1);
    // Pacing and back-off waits; false when the read was stopped meanwhile.
    auto wait = [&](double seconds) {
      if (o_.sleep) {
        o_.sleep(seconds);
        return !stop.stop_requested();
      }
      std::unique_lock lock(mu);
      return !cv.wait_for(lock, stop, std::chrono::duration<double>(seconds), [] { return false; });
    };
    simdjson::dom::parser parser;
    std::string page_token;
    for (uint64_t page_no = 1;; ++page_no) {
      {
        std::unique_lock lock(mu);
        if (!cv.wait(lock, stop, [&] { return ready.size() < kAhead; })) return;
      }
      Page page;
      auto body = FetchPage(filter, page_token, last, wait);
      if (stop.stop_requested()) return;
      simdjson::dom::element doc;
      std::string_view next;
      if (!body.ok()) {
        page.status = body.status();
      } else if (parser.parse(*body).get(doc) != simdjson::SUCCESS) {
        page.status = Status::DataLoss(fmt::format("gcp:{} {} {}: not JSON", o_.project, what, page_no));
      } else {
        if (doc["nextPageToken"].get(next) != simdjson::SUCCESS) next = {};
        page_token.assign(next);
        page.body = std::move(*body);
      }
      if (body.ok()) ++(context_only ? context_pages_ : pages_);
      const bool last = page.last = !page.status.ok() || page_token.empty();
      {
        std::lock_guard lock(mu);
        ready.push_back(std::move(page));
      }
      cv.notify_all();
      if (last) return;
    }
  });

  EntryDecoder decoder;
  decoder.set_detail_from(source_options_.detail_from);
  LogEntry entry;
  simdjson::dom::parser parser;
  for (uint64_t page_no = 1;; ++page_no) {
    Page page;
    {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return !ready.empty(); });
      page = std::move(ready.front());
      ready.pop_front();
    }
    cv.notify_all();
    if (!page.status.ok()) return page.status;
    simdjson::dom::element doc;
    if (parser.parse(page.body).get(doc) != simdjson::SUCCESS) {  // parsed once already
      return Status::DataLoss(fmt::format("gcp:{} {} {}: not JSON", o_.project, what, page_no));
    }
    simdjson::dom::array entries;
    if (doc["entries"].get(entries) != simdjson::SUCCESS || entries.size() == 0) ++empty_pages_;
    if (doc["entries"].get(entries) == simdjson::SUCCESS) {
      size_t k = 0;
      for (simdjson::dom::element e : entries) {
        ++k;
        const std::string raw = simdjson::minify(e);
        Status s = decoder.Decode(raw, entry);
        if (!s.ok()) {
          Status located = s.WithContext(fmt::format("gcp:{} {} {} entry {}", o_.project, what, page_no, k));
          if (!source_options_.skip_bad_entries) return located;
          ++stats_.skipped;
          if (stats_.skip_messages.size() < source_options_.max_skip_messages) {
            stats_.skip_messages.push_back(located.message());
          }
          continue;
        }
        ++(context_only ? context_entries_ : stats_.entries_read);
        stats_.bytes_read += raw.size();
        SourcedEntry sourced{entry, raw, context_only};
        if (prepare) prepare(entry, raw, sourced.note);
        LG_RETURN_IF_ERROR(visit(sourced));
      }
    }
    if (page.last) break;
  }
  return Status::Ok();
}

std::string GcpLoggingSource::Summary() const {
  std::string out = fmt::format("{}: {} entries in {} page{}", Describe(), stats_.entries_read, pages_,
                                pages_ == 1 ? "" : "s");
  if (context_pages_ > 0) {
    out += fmt::format(", and {} context entries below the minimum in {} page{}", context_entries_, context_pages_,
                       context_pages_ == 1 ? "" : "s");
  }
  if (empty_pages_ > 0) out += fmt::format(" ({} empty)", empty_pages_);
  if (retries_ > 0) out += fmt::format(", {} retr{}", retries_, retries_ == 1 ? "y" : "ies");
  return out;
}

}  // namespace lg::gcp
