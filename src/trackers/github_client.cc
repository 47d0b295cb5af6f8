#include "trackers/github_client.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <thread>

#include <curl/curl.h>

#include <fmt/format.h>

namespace lg {
namespace {

size_t WriteBody(char* data, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

size_t WriteHeader(char* data, size_t size, size_t n, void* user) {
  auto* headers = static_cast<std::map<std::string, std::string>*>(user);
  std::string_view line(data, size * n);
  if (line.starts_with("HTTP/")) headers->clear();  // a new response (after 100-continue)
  size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string name(line.substr(0, colon));
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) value.remove_suffix(1);
    (*headers)[name] = std::string(value);
  }
  return size * n;
}

std::string HostOf(std::string_view url) {
  size_t p = url.find("://");
  if (p == std::string_view::npos) return "";
  url.remove_prefix(p + 3);
  return std::string(url.substr(0, url.find_first_of("/?#")));
}

bool Mutating(std::string_view method) { return method != "GET" && method != "HEAD"; }

// GitHub's error message from a JSON body ({"message": ..., "errors": [...]}),
// without parsing JSON fully: good enough for a human-readable line.
std::string ErrorMessage(const HttpResponse& r) {
  std::string_view b = r.body;
  size_t m = b.find("\"message\"");
  if (m == std::string_view::npos) return fmt::format("HTTP {}", r.status);
  size_t q1 = b.find('"', b.find(':', m) + 1);
  size_t q2 = q1 == std::string_view::npos ? q1 : b.find('"', q1 + 1);
  std::string msg = q2 == std::string_view::npos ? std::string(b.substr(m, 80)) : std::string(b.substr(q1 + 1, q2 - q1 - 1));
  if (size_t e = b.find("\"errors\""); e != std::string_view::npos) {
    std::string_view rest = b.substr(e, 300);
    msg += fmt::format(" ({})", rest.substr(0, rest.find(']') + 1));
  }
  return msg;
}

}  // namespace

std::string HttpResponse::Header(std::string_view name) const {
  auto it = headers.find(std::string(name));
  return it == headers.end() ? std::string() : it->second;
}

std::string UrlEncode(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '!' || c == '~' || c == '*' || c == '\'' || c == '(' || c == ')') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

std::string NextLink(std::string_view link) {
  // <url>; rel="next", <url>; rel="last"
  size_t pos = 0;
  while (pos < link.size()) {
    size_t lt = link.find('<', pos);
    if (lt == std::string_view::npos) break;
    size_t gt = link.find('>', lt);
    if (gt == std::string_view::npos) break;
    size_t end = link.find(',', gt);
    std::string_view params = link.substr(gt + 1, end == std::string_view::npos ? std::string_view::npos : end - gt - 1);
    if (params.find("rel=\"next\"") != std::string_view::npos) return std::string(link.substr(lt + 1, gt - lt - 1));
    if (end == std::string_view::npos) break;
    pos = end + 1;
  }
  return "";
}

GitHubClient::GitHubClient(GitHubOptions options) : o_(std::move(options)) {
  static const bool init = [] { return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK; }();
  (void)init;
  while (!o_.api.empty() && o_.api.back() == '/') o_.api.pop_back();
  if (!o_.sleep) {
    o_.sleep = [](double s) { std::this_thread::sleep_for(std::chrono::duration<double>(s)); };
  }
  if (!o_.now) {
    o_.now = [] {
      return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    };
  }
}

void GitHubClient::Wait(double seconds) {
  if (seconds > 0) o_.sleep(seconds);
}

double GitHubClient::Now() const { return o_.now(); }

StatusOr<HttpResponse> GitHubClient::Perform(std::string_view method, const std::string& url, std::string_view body,
                                             bool with_auth) {
  CURL* curl = curl_easy_init();
  if (!curl) return Status::Internal("curl_easy_init failed");
  HttpResponse r;
  struct curl_slist* headers = nullptr;
  std::string auth = fmt::format("Authorization: {} {}", o_.auth_scheme, o_.token);
  if (with_auth && !o_.token.empty()) headers = curl_slist_append(headers, auth.c_str());
  std::string accept = "Accept: " + o_.accept;
  headers = curl_slist_append(headers, accept.c_str());
  headers = curl_slist_append(headers, "Expect:");
  if (!body.empty()) headers = curl_slist_append(headers, "Content-Type: application/json; charset=utf-8");
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, std::string(method).c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, o_.user_agent.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, WriteBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &r.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, WriteHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &r.headers);
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);  // redirects are ours to follow
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(o_.timeout_s * 1000));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  if (!body.empty() || Mutating(method)) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  CURLcode rc = curl_easy_perform(curl);
  if (rc == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r.status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  log_.push_back(fmt::format("{} {}", method, url));
  if (rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CERTPROBLEM || rc == CURLE_SSL_CACERT_BADFILE ||
      rc == CURLE_SSL_ISSUER_ERROR || rc == CURLE_SSL_PINNEDPUBKEYNOTMATCH) {
    // A certificate that does not verify is not a passing fault: no retry.
    return Status::FailedPrecondition(
        fmt::format("{} {}: {} (TLS certificates are always verified)", method, url, curl_easy_strerror(rc)));
  }
  if (rc != CURLE_OK) {
    return Status::Unavailable(fmt::format("{} {}: {}", method, url, curl_easy_strerror(rc)));
  }
  return r;
}

StatusOr<HttpResponse> GitHubClient::Request(std::string_view method, std::string_view target, std::string_view body) {
  std::string url = target.starts_with("http://") || target.starts_with("https://") ? std::string(target)
                                                                                     : o_.api + std::string(target);
  const bool mutating = Mutating(method);
  const std::string api_host = HostOf(o_.api);
  double backoff = 1.0, secondary = 60.0;
  for (int attempt = 0;; ++attempt) {
    if (mutating) {
      // Pace mutations, and none while a secondary limit is in force.
      const double t = std::max(next_mutation_at_, blocked_until_);
      if (t > Now()) Wait(t - Now());
      next_mutation_at_ = Now() + o_.min_mutation_interval_s;
    }
    StatusOr<HttpResponse> got = Status::Internal("no request");
    std::string where = url;
    bool auth = HostOf(url) == api_host;
    for (int hops = 0;; ++hops) {
      got = Perform(method, where, body, auth);
      if (!got.ok()) break;
      const long s = got->status;
      if ((s == 301 || s == 302 || s == 303 || s == 307 || s == 308) && hops < 3 && !got->Header("location").empty()) {
        std::string next = got->Header("location");
        if (next.starts_with("/")) next = where.substr(0, where.find('/', where.find("://") + 3)) + next;
        auth = auth && HostOf(next) == HostOf(where);  // never carry the token to another host
        where = next;
        continue;
      }
      break;
    }
    if (!got.ok()) {
      if (mutating || attempt >= o_.max_retries || got.status().code() != StatusCode::kUnavailable) {
        return got.status();
      }
      Wait(backoff);
      backoff *= 2;
      continue;
    }
    HttpResponse& r = *got;
    const long s = r.status;
    if (s >= 200 && s < 300) return r;
    const std::string retry_after = r.Header("retry-after");
    const bool primary = r.Header("x-ratelimit-remaining") == "0" && (s == 403 || s == 429);
    const bool secondary_hit = (s == 403 || s == 429) && !primary &&
                               (!retry_after.empty() || r.body.find("secondary rate limit") != std::string::npos ||
                                s == 429);
    if (primary) {
      const double reset = std::atof(r.Header("x-ratelimit-reset").c_str());
      const double wait = std::max(1.0, reset - Now());
      if (wait > o_.max_wait_s || attempt >= o_.max_retries) {
        return Status::ResourceExhausted(fmt::format(
            "{} {}: GitHub API rate limit exhausted; it resets in {:.0f} s", method, url, wait));
      }
      Wait(wait);
      continue;
    }
    if (secondary_hit) {
      const double wait = retry_after.empty() ? secondary : std::max(1.0, std::atof(retry_after.c_str()));
      secondary *= 2;
      blocked_until_ = Now() + wait;
      if (wait > o_.max_wait_s || attempt >= o_.max_retries) {
        return Status::ResourceExhausted(fmt::format("{} {}: GitHub secondary rate limit; retry after {:.0f} s",
                                                     method, url, wait));
      }
      Wait(wait);
      continue;
    }
    if (s >= 500) {
      if (mutating) {
        return Status::Unavailable(fmt::format("{} {}: HTTP {} (the request may have taken effect)", method, url, s));
      }
      if (attempt >= o_.max_retries) return Status::Unavailable(fmt::format("{} {}: HTTP {}", method, url, s));
      Wait(backoff);
      backoff *= 2;
      continue;
    }
    const std::string msg = ErrorMessage(r);
    if (s == 401 || s == 403) {
      return Status::FailedPrecondition(fmt::format(
          "{} {}: HTTP {}: {} (check the token in GITHUB_TOKEN or --github-token-file and that it may read and "
          "write issues of the repository)",
          method, url, s, msg));
    }
    if (s == 404) return Status::NotFound(fmt::format("{} {}: not found: {}", method, url, msg));
    if (s == 422) return Status::InvalidArgument(fmt::format("{} {}: rejected by GitHub: {}", method, url, msg));
    return Status::Internal(fmt::format("{} {}: HTTP {}: {}", method, url, s, msg));
  }
}

StatusOr<std::vector<std::string>> GitHubClient::GetAllPages(std::string_view path) {
  std::vector<std::string> pages;
  std::string next(path);
  for (int guard = 0; !next.empty() && guard < 1000; ++guard) {
    auto r = Request("GET", next);
    if (!r.ok()) return r.status();
    pages.push_back(std::move(r->body));
    next = NextLink(r->Header("link"));
  }
  return pages;
}

}  // namespace lg
