// Google credentials in Application Default Credentials order, for a client
// that is not Google's:
//   1. --access-token-file (explicit);
//   2. GOOGLE_APPLICATION_CREDENTIALS: a service-account key (an RS256 JWT
//      signed with OpenSSL, exchanged at the key's own token_uri) or an
//      authorized_user file (refresh-token grant);
//   3. the well-known gcloud ADC file ($CLOUDSDK_CONFIG or
//      ~/.config/gcloud/application_default_credentials.json);
//   4. the metadata server (GCE_METADATA_HOST overrides its address), not
//      tried when a key file is set;
//   5. `gcloud auth print-access-token`, if gcloud is on PATH.
// Tokens are cached and refreshed five minutes before they expire. A token is
// never printed or logged; errors name the credentials file and quote the
// token endpoint's answer.
#ifndef LOG_GARDENER_GCP_CREDENTIALS_H_
#define LOG_GARDENER_GCP_CREDENTIALS_H_

#include <memory>
#include <string>

#include "log_gardener/status.h"

namespace lg::gcp {

class TokenSource {
 public:
  virtual ~TokenSource() = default;
  // A valid access token. kFailedPrecondition when the credentials are
  // rejected (final), kUnavailable when the endpoint cannot be reached.
  virtual StatusOr<std::string> Token() = 0;
  virtual std::string Describe() const = 0;  // "service account x@y (key.json)"
  // A quota project to bill (x-goog-user-project), if the credentials name one.
  virtual std::string QuotaProject() const { return ""; }
};

struct CredentialOptions {
  std::string access_token_file;
  std::string scope = "https://www.googleapis.com/auth/logging.read";
};

StatusOr<std::unique_ptr<TokenSource>> ResolveCredentials(const CredentialOptions& options);

// A service-account or authorized_user key file (what GOOGLE_APPLICATION_CREDENTIALS names).
StatusOr<std::unique_ptr<TokenSource>> FromKeyFile(const std::string& path, const std::string& scope);

// "a.b.c": the RS256 JWT a service account signs (exposed for tests).
StatusOr<std::string> SignJwt(const std::string& private_key_pem, const std::string& key_id,
                              const std::string& issuer, const std::string& scope, const std::string& audience,
                              int64_t now);

std::string Base64Url(std::string_view bytes);

}  // namespace lg::gcp

#endif  // LOG_GARDENER_GCP_CREDENTIALS_H_
