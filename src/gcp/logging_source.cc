#include "gcp/logging_source.h"

#include <chrono>
#include <thread>

#include <simdjson.h>

#include <fmt/format.h>

#include "core/json_writer.h"
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

}  // namespace

GcpLoggingSource::GcpLoggingSource(LoggingOptions options, std::shared_ptr<TokenSource> token,
                                   SourceOptions source_options)
    : o_(std::move(options)), token_(std::move(token)), source_options_(source_options) {
  while (!o_.api.empty() && o_.api.back() == '/') o_.api.pop_back();
  if (!o_.sleep) o_.sleep = [](double s) { std::this_thread::sleep_for(std::chrono::duration<double>(s)); };
}

Status GcpLoggingSource::Read(const EntryVisitor& visit) {
  const std::string url = o_.api + "/v2/entries:list";
  const std::string filter = BuildFilter(o_.scope);
  std::string page_token;
  EntryDecoder decoder;
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
      o_.sleep(backoff);  // the identical body again, no sooner than a second later
      backoff = std::min(backoff * 2, 60.0);
    }
    ++pages_;
    simdjson::dom::element page;
    if (parser.parse(reply->body).get(page) != simdjson::SUCCESS) {
      return Status::DataLoss(fmt::format("gcp:{} page {}: not JSON", o_.project, pages_));
    }
    simdjson::dom::array entries;
    if (page["entries"].get(entries) == simdjson::SUCCESS) {
      size_t k = 0;
      for (simdjson::dom::element e : entries) {
        ++k;
        const std::string raw = simdjson::minify(e);
        Status s = decoder.Decode(raw, entry);
        if (!s.ok()) {
          Status located = s.WithContext(fmt::format("gcp:{} page {} entry {}", o_.project, pages_, k));
          if (!source_options_.skip_bad_entries) return located;
          ++stats_.skipped;
          if (stats_.skip_messages.size() < source_options_.max_skip_messages) {
            stats_.skip_messages.push_back(located.message());
          }
          continue;
        }
        ++stats_.entries_read;
        stats_.bytes_read += raw.size();
        LG_RETURN_IF_ERROR(visit(SourcedEntry{entry, raw}));
      }
    }
    std::string_view next;
    if (page["nextPageToken"].get(next) != simdjson::SUCCESS || next.empty()) break;
    page_token.assign(next);
  }
  return Status::Ok();
}

}  // namespace lg::gcp
