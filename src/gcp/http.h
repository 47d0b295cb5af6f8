// A plain HTTP(S) request over libcurl, for the Google APIs (entries.list,
// the OAuth token endpoint, the metadata server). TLS verification is always
// on; redirects are not followed (Google's endpoints do not redirect, and a
// redirect must never carry a bearer token elsewhere).
#ifndef LOG_GARDENER_GCP_HTTP_H_
#define LOG_GARDENER_GCP_HTTP_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "log_gardener/status.h"

namespace lg::gcp {

struct HttpReply {
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
};

// Errors: kUnavailable for connection failures and timeouts (with curl's reason).
StatusOr<HttpReply> Http(std::string_view method, const std::string& url, const std::vector<std::string>& headers,
                         std::string_view body, double timeout_s = 60);

// application/x-www-form-urlencoded value.
std::string FormEncode(std::string_view s);

}  // namespace lg::gcp

#endif  // LOG_GARDENER_GCP_HTTP_H_
