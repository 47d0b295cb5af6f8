// GitHubClient: the REST calls the GitHub tracker makes, over libcurl.
//
// Every request sends Authorization (`<scheme> <token>`), Accept and a
// User-Agent (GitHub rejects requests without one); bodies are compact JSON
// with `Content-Type: application/json; charset=utf-8`. It follows `Link:
// rel="next"` pages and redirects (never carrying Authorization to another
// host), keeps TLS verification on, and copes with limits:
//   - primary limit (`x-ratelimit-remaining: 0`): waits for
//     `x-ratelimit-reset`, if that is within `max_wait_s`;
//   - secondary limit (403/429 with `retry-after`, or a 403 saying so):
//     waits `retry-after` (else 60 s, doubling), and sends no mutating
//     request before that time has passed;
//   - 5xx and timeouts: GETs are retried with backoff; a POST is not (the
//     server may have acted), the caller looks before re-posting;
//   - at most one mutating request per `min_mutation_interval_s`.
#ifndef LOG_GARDENER_TRACKERS_GITHUB_CLIENT_H_
#define LOG_GARDENER_TRACKERS_GITHUB_CLIENT_H_

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "log_gardener/status.h"

namespace lg {

struct GitHubOptions {
  std::string api = "https://api.github.com";  // base URL; may carry a path prefix
  std::string token;
  std::string auth_scheme = "Bearer";
  std::string accept = "application/vnd.github+json";
  std::string user_agent = "log-gardener/0.1 (+https://github.com/log-gardener)";
  double min_mutation_interval_s = 1.0;
  int max_retries = 4;        // for GETs failing with 5xx, timeouts or limits
  double max_wait_s = 900;    // longest wait for a limit to reset
  double timeout_s = 60;
  // How the client waits (tests pass a fake that records and returns).
  std::function<void(double seconds)> sleep;
  // What time it is, in seconds (tests pass a fake).
  std::function<double()> now;
};

struct HttpResponse {
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string Header(std::string_view name) const;
};

class GitHubClient {
 public:
  explicit GitHubClient(GitHubOptions options);

  // One request. `target` is a path ("/repos/o/r/issues?x=1", appended to
  // the base URL) or an absolute URL (from a Link header). Errors:
  // kUnavailable for 5xx/timeouts after retries (for a POST: without
  // retrying; the request may have taken effect), kFailedPrecondition for
  // 401/403 (token, permissions), kNotFound for 404, kInvalidArgument for 422
  // with GitHub's message, kResourceExhausted when a limit would need too
  // long a wait. Messages never contain the token.
  StatusOr<HttpResponse> Request(std::string_view method, std::string_view target, std::string_view json_body = {});

  // GETs `path` and every `rel="next"` page after it; returns each page's body.
  StatusOr<std::vector<std::string>> GetAllPages(std::string_view path);

  // Requests made so far (method and URL), for dry runs and tests.
  const std::vector<std::string>& log() const { return log_; }

 private:
  StatusOr<HttpResponse> Perform(std::string_view method, const std::string& url, std::string_view body,
                                 bool with_auth);
  void Wait(double seconds);
  double Now() const;

  GitHubOptions o_;
  double next_mutation_at_ = 0;
  double blocked_until_ = 0;  // after a secondary limit: no mutating request before this
  std::vector<std::string> log_;
};

// "a b/c" → "a%20b%2Fc" (encodeURIComponent).
std::string UrlEncode(std::string_view s);

// The URL of `rel="next"` in a Link header, or "".
std::string NextLink(std::string_view link_header);

}  // namespace lg

#endif  // LOG_GARDENER_TRACKERS_GITHUB_CLIENT_H_
