// The loopback Cloud Logging + OAuth server (tests/fake_gcp/server.py) for
// live-source tests: starts it over a log file, makes a service-account key it
// trusts, and reads back what it saw. Nothing leaves the machine.
#ifndef LOG_GARDENER_TESTS_FAKE_GCP_H_
#define LOG_GARDENER_TESTS_FAKE_GCP_H_

#include <signal.h>

#include <chrono>
#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <simdjson.h>

#include "gcp/http.h"
#include "test_util.h"

namespace lg::test {

constexpr const char* kServiceAccount = "gardener@netra-staging.iam.gserviceaccount.com";

class FakeGcp {
 public:
  // `flags`: the server's fault switches (--max-page N --empty-page --fail-429 N --fail-503 N).
  FakeGcp(const TempDir& dir, const std::string& logs, const std::string& flags = "") : dir_(dir.path()) {
    if (std::system(("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out " + Quote(dir / "key.pem") +
                     " 2>/dev/null && openssl pkey -in " + Quote(dir / "key.pem") + " -pubout -out " +
                     Quote(dir / "pub.pem") + " 2>/dev/null")
                        .c_str()) != 0) {
      return;
    }
    const std::string port_file = dir / "gcp-port";
    std::system(("python3 " + Quote(SourceDir() + "/tests/fake_gcp/server.py") + " --port 0 --port-file " +
                 Quote(port_file) + " --logs " + Quote(logs) + " --public-key " + Quote(dir / "pub.pem") + " " + flags +
                 " >" + Quote(dir / "gcp-server.log") + " 2>&1 & echo $! > " + Quote(dir / "gcp-pid"))
                    .c_str());
    for (int i = 0; i < 200 && !std::filesystem::exists(port_file); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    pid_ = std::atoi(Slurp(dir / "gcp-pid").c_str());
    if (!std::filesystem::exists(port_file)) return;
    port_ = Slurp(port_file);
    key_file_ = WriteKey(dir / "sa.json", dir / "key.pem");
  }
  ~FakeGcp() {
    if (pid_ > 0) ::kill(pid_, SIGTERM);
  }
  FakeGcp(const FakeGcp&) = delete;
  FakeGcp& operator=(const FakeGcp&) = delete;

  bool ok() const { return !key_file_.empty(); }
  std::string api() const { return "http://127.0.0.1:" + port_; }
  std::string host() const { return "127.0.0.1:" + port_; }
  const std::string& key_file() const { return key_file_; }

  // A service-account key file naming this server's token endpoint, signed by `pem`.
  std::string WriteKey(const std::string& path, const std::string& pem) const {
    std::string key;
    for (char c : Slurp(pem)) key += c == '\n' ? std::string("\\n") : std::string(1, c);
    WriteText(path, std::string("{\"type\":\"service_account\",\"project_id\":\"netra-staging\",") +
                        "\"private_key_id\":\"test-key-1\",\"private_key\":\"" + key + "\",\"client_email\":\"" +
                        kServiceAccount + "\",\"token_uri\":\"" + api() + "/token\"}");
    return path;
  }

  // The same account, signed with a key the server has never seen.
  std::string WriteForeignKey() const {
    const std::string pem = dir_ + "/foreign.pem";
    std::system(("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out " + Quote(pem) + " 2>/dev/null")
                    .c_str());
    return WriteKey(dir_ + "/foreign-sa.json", pem);
  }

  // What the server saw: GET /_state, parsed into `doc`.
  simdjson::dom::element State(simdjson::dom::parser& parser) const {
    auto r = gcp::Http("GET", api() + "/_state", {}, "");
    state_ = r.ok() ? r->body : "{}";
    simdjson::dom::element e;
    if (parser.parse(state_).get(e) != simdjson::SUCCESS) return e;
    return e;
  }

  // The environment a live run needs: this key, and no other credentials.
  std::string Env() const {
    return "env -u GCE_METADATA_HOST GOOGLE_APPLICATION_CREDENTIALS=" + Quote(key_file_) +
           " CLOUDSDK_CONFIG=" + Quote(dir_ + "/no-gcloud") + " ";
  }

 private:
  std::string dir_;
  std::string port_;
  std::string key_file_;
  mutable std::string state_;
  int pid_ = 0;
};

// What must agree between a live run and a file run: every cluster (title,
// priority, count, entries) and the counts of the fetched severities.
struct Comparable {
  std::vector<std::string> clusters;
  std::map<std::string, int64_t> fetched_severities;
  int64_t clustered = -1;
  bool in_scope_null = false;
};

inline Comparable LoadComparable(const std::string& path) {
  Comparable c;
  simdjson::dom::parser p;
  simdjson::dom::element r;
  const std::string text = Slurp(path);
  if (p.parse(text).get(r) != simdjson::SUCCESS) return c;
  for (simdjson::dom::element cl : r["clusters"].get_array()) {
    std::string line = std::string(cl["title"].get_string().value()) + " | " +
                       std::string(cl["priority"].get_string().value()) + " | " +
                       std::to_string(cl["count"].get_int64().value());
    std::vector<std::string> ids;
    for (simdjson::dom::element id : cl["entry_ids"].get_array()) ids.emplace_back(id.get_string().value());
    std::sort(ids.begin(), ids.end());
    for (const auto& id : ids) line += " " + id;
    c.clusters.push_back(line);
  }
  for (auto [k, v] : r["totals"]["by_severity"].get_object()) {
    const std::string sev(k);
    if (sev == "WARNING" || sev == "ERROR" || sev == "CRITICAL" || sev == "ALERT" || sev == "EMERGENCY") {
      c.fetched_severities[sev] = v.get_int64().value();
    }
  }
  c.clustered = r["totals"]["clustered"].get_int64().value();
  c.in_scope_null = r["totals"]["in_scope"].is_null();
  return c;
}

inline int64_t Int(simdjson::dom::element e, const char* key) {
  int64_t v = -1;
  if (e[key].get(v) != simdjson::SUCCESS) return -1;
  return v;
}

}  // namespace lg::test

#endif  // LOG_GARDENER_TESTS_FAKE_GCP_H_
