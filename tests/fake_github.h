// The GitHub-like issue API on loopback (tests/fake_github/server.py): starts
// it, drives its control endpoints (/_seed, /_inject, /_config) and reads what
// it holds (/_state). Nothing leaves the machine.
#ifndef LOG_GARDENER_TESTS_FAKE_GITHUB_H_
#define LOG_GARDENER_TESTS_FAKE_GITHUB_H_

#include <signal.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "test_util.h"
#include "trackers/github_client.h"

namespace lg::test {

class FakeGitHub {
 public:
  // `flags`: the server's own (--token T, --tls-cert C --tls-key K). Its port
  // and pid files go into `dir`.
  explicit FakeGitHub(const TempDir& dir, const std::string& flags = "") {
    const std::string port_file = dir / "github-port";
    std::system(("python3 " + Quote(SourceDir() + "/tests/fake_github/server.py") + " --port 0 --port-file " +
                 Quote(port_file) + " " + flags + " >/dev/null 2>&1 & echo $! > " + Quote(dir / "github-pid"))
                    .c_str());
    for (int i = 0; i < 100 && !std::filesystem::exists(port_file); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    pid_ = std::atoi(Slurp(dir / "github-pid").c_str());
    if (std::filesystem::exists(port_file)) port_ = Slurp(port_file);
  }
  ~FakeGitHub() {
    if (pid_ > 0) ::kill(pid_, SIGTERM);
  }
  FakeGitHub(const FakeGitHub&) = delete;
  FakeGitHub& operator=(const FakeGitHub&) = delete;

  bool ok() const { return !port_.empty(); }
  std::string api(const std::string& scheme = "http") const { return scheme + "://127.0.0.1:" + port_; }

  // POST to a control endpoint; false when the server refused it.
  bool Control(const std::string& path, const std::string& json) const {
    GitHubOptions o;
    o.api = api();
    o.min_mutation_interval_s = 0;
    GitHubClient c(o);
    return c.Request("POST", path, json).ok();
  }
  // The bundled example's issues as the tracker's content.
  bool SeedExample() const {
    return Control("/_seed", "{\"issues\":" + Slurp(SourceDir() + "/examples/issues.json") + "}");
  }
  // Everything the server holds: issues, comments, the request log, config.
  std::string State() const {
    GitHubOptions o;
    o.api = api();
    GitHubClient c(o);
    auto r = c.Request("GET", "/_state");
    return r.ok() ? r->body : "";
  }

 private:
  std::string port_;
  int pid_ = 0;
};

}  // namespace lg::test

#endif  // LOG_GARDENER_TESTS_FAKE_GITHUB_H_
