#include "gcp/credentials.h"

#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <simdjson.h>

#include <fmt/format.h>

#include "core/file_util.h"
#include "core/json_writer.h"
#include "gcp/http.h"

namespace lg::gcp {
namespace {

int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string Str(simdjson::dom::element e, std::string_view key) {
  std::string_view v;
  return e[key].get(v) == simdjson::SUCCESS ? std::string(v) : std::string();
}

// A token with its expiry; refreshed five minutes early.
struct Cached {
  std::string token;
  int64_t expires = 0;
  bool fresh() const { return !token.empty() && NowSeconds() < expires - 300; }
};

// Exchanges a form body at a token endpoint. Rejections are final.
StatusOr<Cached> Exchange(const std::string& token_uri, const std::string& form, const std::string& what) {
  auto r = Http("POST", token_uri, {"Content-Type: application/x-www-form-urlencoded"}, form, 30);
  if (!r.ok()) return r.status().WithContext(what);
  simdjson::dom::parser p;
  simdjson::dom::element e;
  const bool json = p.parse(r->body).get(e) == simdjson::SUCCESS;
  if (r->status != 200 || !json || Str(e, "access_token").empty()) {
    std::string answer = r->body.substr(0, 300);
    for (char& c : answer) {
      if (c == '\n' || c == '\r') c = ' ';
    }
    return Status::FailedPrecondition(fmt::format("{}: the token endpoint {} refused it (HTTP {}): {}", what, token_uri,
                                                  r->status, answer));
  }
  Cached c;
  c.token = Str(e, "access_token");
  int64_t expires_in = 3600;
  if (e["expires_in"].get(expires_in) != simdjson::SUCCESS) expires_in = 3600;
  c.expires = NowSeconds() + expires_in;
  return c;
}

class FileToken : public TokenSource {
 public:
  explicit FileToken(std::string path, std::string token) : path_(std::move(path)), token_(std::move(token)) {}
  StatusOr<std::string> Token() override { return token_; }
  std::string Describe() const override { return "access token from " + path_; }

 private:
  std::string path_, token_;
};

class ServiceAccount : public TokenSource {
 public:
  ServiceAccount(std::string path, std::string email, std::string key, std::string key_id, std::string token_uri,
                 std::string scope)
      : path_(std::move(path)), email_(std::move(email)), key_(std::move(key)), key_id_(std::move(key_id)),
        token_uri_(std::move(token_uri)), scope_(std::move(scope)) {}
  StatusOr<std::string> Token() override {
    if (cached_.fresh()) return cached_.token;
    auto jwt = SignJwt(key_, key_id_, email_, scope_, token_uri_, NowSeconds());
    if (!jwt.ok()) return jwt.status().WithContext(path_);
    auto c = Exchange(token_uri_, "grant_type=" + FormEncode("urn:ietf:params:oauth:grant-type:jwt-bearer") +
                                      "&assertion=" + *jwt,
                      fmt::format("credentials file {} (service account {})", path_, email_));
    if (!c.ok()) return c.status();
    cached_ = *c;
    return cached_.token;
  }
  std::string Describe() const override { return fmt::format("service account {} ({})", email_, path_); }

 private:
  std::string path_, email_, key_, key_id_, token_uri_, scope_;
  Cached cached_;
};

class AuthorizedUser : public TokenSource {
 public:
  AuthorizedUser(std::string path, std::string client_id, std::string secret, std::string refresh, std::string uri,
                 std::string quota)
      : path_(std::move(path)), client_id_(std::move(client_id)), secret_(std::move(secret)),
        refresh_(std::move(refresh)), uri_(std::move(uri)), quota_(std::move(quota)) {}
  StatusOr<std::string> Token() override {
    if (cached_.fresh()) return cached_.token;
    auto c = Exchange(uri_,
                      fmt::format("grant_type=refresh_token&client_id={}&client_secret={}&refresh_token={}",
                                  FormEncode(client_id_), FormEncode(secret_), FormEncode(refresh_)),
                      fmt::format("credentials file {} (authorized user)", path_));
    if (!c.ok()) return c.status();
    cached_ = *c;
    return cached_.token;
  }
  std::string Describe() const override { return "authorized user (" + path_ + ")"; }
  std::string QuotaProject() const override { return quota_; }

 private:
  std::string path_, client_id_, secret_, refresh_, uri_, quota_;
  Cached cached_;
};

class Metadata : public TokenSource {
 public:
  explicit Metadata(std::string host) : host_(std::move(host)) {}
  StatusOr<std::string> Token() override {
    if (cached_.fresh()) return cached_.token;
    const std::string url =
        fmt::format("http://{}/computeMetadata/v1/instance/service-accounts/default/token", host_);
    auto r = Http("GET", url, {"Metadata-Flavor: Google"}, "", 5);
    if (!r.ok()) return r.status().WithContext("metadata server");
    simdjson::dom::parser p;
    simdjson::dom::element e;
    if (r->status != 200 || p.parse(r->body).get(e) != simdjson::SUCCESS || Str(e, "access_token").empty()) {
      return Status::FailedPrecondition(fmt::format("metadata server {}: no token (HTTP {})", host_, r->status));
    }
    cached_.token = Str(e, "access_token");
    int64_t expires_in = 3600;
    if (e["expires_in"].get(expires_in) != simdjson::SUCCESS) expires_in = 3600;
    cached_.expires = NowSeconds() + expires_in;
    return cached_.token;
  }
  std::string Describe() const override { return "metadata server " + host_; }

 private:
  std::string host_;
  Cached cached_;
};

class Gcloud : public TokenSource {
 public:
  StatusOr<std::string> Token() override {
    if (cached_.fresh()) return cached_.token;
    FILE* p = ::popen("gcloud auth print-access-token 2>/dev/null", "r");
    if (!p) return Status::Unavailable("could not run gcloud");
    std::string out;
    char buf[512];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    const int rc = ::pclose(p);
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
    if (rc != 0 || out.empty()) {
      return Status::FailedPrecondition("`gcloud auth print-access-token` gave no token; run `gcloud auth login`");
    }
    cached_.token = out;
    cached_.expires = NowSeconds() + 3000;  // gcloud tokens last an hour
    return cached_.token;
  }
  std::string Describe() const override { return "gcloud auth print-access-token"; }

 private:
  Cached cached_;
};

bool OnPath(const std::string& program) {
  const char* path = std::getenv("PATH");
  if (!path) return false;
  std::string_view p(path);
  while (!p.empty()) {
    size_t colon = p.find(':');
    std::string dir(p.substr(0, colon));
    std::error_code ec;
    if (!dir.empty() && std::filesystem::exists(std::filesystem::path(dir) / program, ec)) return true;
    if (colon == std::string_view::npos) break;
    p.remove_prefix(colon + 1);
  }
  return false;
}

}  // namespace

std::string Base64Url(std::string_view in) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const uint32_t v = (static_cast<uint8_t>(in[i]) << 16) | (static_cast<uint8_t>(in[i + 1]) << 8) |
                       static_cast<uint8_t>(in[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (i + 1 == in.size()) {
    const uint32_t v = static_cast<uint8_t>(in[i]) << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
  } else if (i + 2 == in.size()) {
    const uint32_t v = (static_cast<uint8_t>(in[i]) << 16) | (static_cast<uint8_t>(in[i + 1]) << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
  }
  return out;
}

StatusOr<std::string> SignJwt(const std::string& pem, const std::string& key_id, const std::string& issuer,
                              const std::string& scope, const std::string& audience, int64_t now) {
  std::string header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"";
  if (!key_id.empty()) {
    header += ",\"kid\":";
    AppendJsonString(header, key_id);
  }
  header += "}";
  std::string claims = "{\"iss\":";
  AppendJsonString(claims, issuer);
  claims += ",\"scope\":";
  AppendJsonString(claims, scope);
  claims += ",\"aud\":";
  AppendJsonString(claims, audience);
  claims += fmt::format(",\"iat\":{},\"exp\":{}}}", now, now + 3600);
  const std::string input = Base64Url(header) + "." + Base64Url(claims);

  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* key = bio ? PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr) : nullptr;
  if (bio) BIO_free(bio);
  if (!key) return Status::FailedPrecondition("the service-account key's private_key is not a PEM private key");
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  size_t len = 0;
  std::string sig;
  bool ok = ctx && EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
            EVP_DigestSignUpdate(ctx, input.data(), input.size()) == 1 &&
            EVP_DigestSignFinal(ctx, nullptr, &len) == 1;
  if (ok) {
    sig.resize(len);
    ok = EVP_DigestSignFinal(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len) == 1;
    sig.resize(len);
  }
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(key);
  if (!ok) return Status::Internal("signing the JWT failed");
  return input + "." + Base64Url(sig);
}

StatusOr<std::unique_ptr<TokenSource>> FromKeyFile(const std::string& path, const std::string& scope) {
  auto text = ReadFile(path);
  if (!text.ok()) return Status::FailedPrecondition(fmt::format("credentials file {}: {}", path, text.status().message()));
  simdjson::dom::parser p;
  simdjson::dom::element e;
  if (p.parse(*text).get(e) != simdjson::SUCCESS) {
    return Status::FailedPrecondition(fmt::format("credentials file {}: not JSON", path));
  }
  const std::string type = Str(e, "type");
  if (type == "service_account") {
    std::string token_uri = Str(e, "token_uri");
    if (token_uri.empty()) token_uri = "https://oauth2.googleapis.com/token";
    if (Str(e, "client_email").empty() || Str(e, "private_key").empty()) {
      return Status::FailedPrecondition(fmt::format("credentials file {}: a service-account key needs client_email "
                                                    "and private_key",
                                                    path));
    }
    return std::unique_ptr<TokenSource>(new ServiceAccount(path, Str(e, "client_email"), Str(e, "private_key"),
                                                           Str(e, "private_key_id"), token_uri, scope));
  }
  if (type == "authorized_user") {
    std::string uri = Str(e, "token_uri");
    if (uri.empty()) uri = "https://oauth2.googleapis.com/token";
    return std::unique_ptr<TokenSource>(new AuthorizedUser(path, Str(e, "client_id"), Str(e, "client_secret"),
                                                           Str(e, "refresh_token"), uri, Str(e, "quota_project_id")));
  }
  return Status::FailedPrecondition(fmt::format(
      "credentials file {}: type '{}' is not supported (service_account or authorized_user)", path, type));
}

StatusOr<std::unique_ptr<TokenSource>> ResolveCredentials(const CredentialOptions& o) {
  if (!o.access_token_file.empty()) {
    auto token = ReadFile(o.access_token_file);
    if (!token.ok()) return token.status().WithContext("--access-token-file");
    std::string t = *token;
    while (!t.empty() && (t.back() == '\n' || t.back() == '\r' || t.back() == ' ')) t.pop_back();
    return std::unique_ptr<TokenSource>(new FileToken(o.access_token_file, t));
  }
  if (const char* key = std::getenv("GOOGLE_APPLICATION_CREDENTIALS"); key && *key) return FromKeyFile(key, o.scope);
  std::string adc;
  if (const char* dir = std::getenv("CLOUDSDK_CONFIG"); dir && *dir) {
    adc = std::string(dir) + "/application_default_credentials.json";
  } else if (const char* home = std::getenv("HOME"); home && *home) {
    adc = std::string(home) + "/.config/gcloud/application_default_credentials.json";
  }
  std::error_code ec;
  if (!adc.empty() && std::filesystem::exists(adc, ec)) return FromKeyFile(adc, o.scope);
  // The metadata server: probe quickly.
  std::string host = "metadata.google.internal";
  if (const char* h = std::getenv("GCE_METADATA_HOST"); h && *h) host = h;
  auto probe = Http("GET", fmt::format("http://{}/computeMetadata/v1/project/project-id", host),
                    {"Metadata-Flavor: Google"}, "", 1);
  if (probe.ok() && probe->status == 200 && probe->headers["metadata-flavor"] == "Google") {
    return std::unique_ptr<TokenSource>(new Metadata(host));
  }
  if (OnPath("gcloud")) return std::unique_ptr<TokenSource>(new Gcloud());
  return Status::FailedPrecondition(
      "no Google credentials: set GOOGLE_APPLICATION_CREDENTIALS to a key file, run `gcloud auth "
      "application-default login`, run on Google Cloud, or pass --access-token-file");
}

}  // namespace lg::gcp
