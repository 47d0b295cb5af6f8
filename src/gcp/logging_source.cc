#include "gcp/logging_source.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
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
  if (!o_.sleep) o_.sleep = [](double s) { std::this_thread::sleep_for(std::chrono::duration<double>(s)); };
}

Status GcpLoggingSource::Read(const EntryVisitor& visit) {
  LG_RETURN_IF_ERROR(ReadQuery(BuildFilter(o_.scope), false, visit));
  if (o_.context == LiveContext::kSignals) {
    const std::string context = BuildContextFilter(o_.scope, o_.project);
    if (!context.empty()) LG_RETURN_IF_ERROR(ReadQuery(context, true, visit));
  }
  return Status::Ok();
}

Status GcpLoggingSource::ReadQuery(const std::string& filter, bool context_only, const EntryVisitor& visit) {
  const std::string url = o_.api + "/v2/entries:list";
  const char* what = context_only ? "context page" : "page";
  uint64_t page_no = 0;
  std::string page_token;
  EntryDecoder decoder;
  decoder.set_detail_from(source_options_.detail_from);
  LogEntry entry;
  simdjson::dom::parser parser;
  auto last = std::chrono::steady_clock::now() - std::chrono::hours(1);
  for (;;) {
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
    StatusOr<HttpReply> reply = Status::Internal("no request");
    for (int attempt = 0;; ++attempt) {
      // Pace: at most one request per interval.
      const double since = std::chrono::duration<double>(std::chrono::steady_clock::now() - last).count();
      if (since < o_.min_interval_s) o_.sleep(o_.min_interval_s - since);
      last = std::chrono::steady_clock::now();
      auto token = token_->Token();
      if (!token.ok()) return token.status();
      std::vector<std::string> headers = {"Authorization: Bearer " + *token, "Content-Type: application/json"};
      if (!token_->QuotaProject().empty()) headers.push_back("x-goog-user-project: " + token_->QuotaProject());
      reply = Http("POST", url, headers, body);
      const bool network = !reply.ok();
      if (network && reply.status().code() != StatusCode::kUnavailable) return reply.status();
      const long s = network ? 0 : reply->status;
      if (!network && s == 200) break;
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
      double wait = backoff;
      if (!network) {
        const RetryHints hints = ParseRetryHints(*reply);
        wait = std::max(wait, std::min(hints.delay_s, 300.0));
        // Pace under the quota the server named (60 a minute → one a second).
        if (hints.per_minute > 0) o_.min_interval_s = std::max(o_.min_interval_s, 60.0 / hints.per_minute);
      }
      // A little jitter, so workers that hit the quota together spread out.
      wait *= 1.0 + 0.1 * (static_cast<double>(std::rand() % 1000) / 1000.0);
      o_.sleep(wait);  // the identical body again, no sooner than a second later
      last = std::chrono::steady_clock::now();
      backoff = std::min(backoff * 2, 60.0);
    }
    ++(context_only ? context_pages_ : pages_);
    ++page_no;
    simdjson::dom::element page;
    if (parser.parse(reply->body).get(page) != simdjson::SUCCESS) {
      return Status::DataLoss(fmt::format("gcp:{} {} {}: not JSON", o_.project, what, page_no));
    }
    simdjson::dom::array entries;
    if (page["entries"].get(entries) != simdjson::SUCCESS || entries.size() == 0) ++empty_pages_;
    if (page["entries"].get(entries) == simdjson::SUCCESS) {
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
        LG_RETURN_IF_ERROR(visit(SourcedEntry{entry, raw, context_only}));
      }
    }
    std::string_view next;
    if (page["nextPageToken"].get(next) != simdjson::SUCCESS || next.empty()) break;
    page_token.assign(next);
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
