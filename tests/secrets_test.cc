// No secret ever out: a whole pass with a token in the environment and
// secrets in the log entries, against the GitHub-like server on loopback
// (tests/fake_github/server.py); every output is searched for them: stdout
// and stderr, the worklog, the JSON and HTML reports, the state file, and what
// was posted. Also: state files are private (0600), and a redirect to another
// host never carries the Authorization header.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "fake_github.h"
#include "test_util.h"
#include "trackers/github_client.h"

namespace lg::test {
namespace {

constexpr const char* kEnvToken = "ghp_EnvTokenShouldNeverLeak0123456789abcd";

// Each appears in the log entries below; none may appear in any output.
const std::vector<std::string> kSecrets = {
    kEnvToken,
    "Hunter2-SuperSecret!",
    "ya29.a0AfH6SMBleakleak",
    "ghp_LogTokenShouldNeverLeak",
    "wJalrXUtnFEMI/K7MDENG",
    "AKIAIOSFODNN7EXAMPLE",
    "dozjgNryP4J3jVmNHl0w5N",
    "S3cr3tDbPass",
    "MIIEowIBAAKCAQEAleak",
    "4111 1111 1111 1111",
    "AIzaSyLeakLeakLeakLeak",
};

std::string Logs() {
  const char* messages[] = {
      R"("textPayload":"Login failed for user bob password=Hunter2-SuperSecret! from 10.0.0.1")",
      R"("textPayload":"Calling billing with Authorization: Bearer ya29.a0AfH6SMBleakleakleakleak0123456789")",
      R"("jsonPayload":{"message":"GitHub sync failed","token":"ghp_LogTokenShouldNeverLeak0123456789abcd"})",
      R"("textPayload":"S3 upload failed with AKIAIOSFODNN7EXAMPLE and aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")",
      R"("textPayload":"Invalid session eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U")",
      R"("textPayload":"DB connect failed: postgres://app:S3cr3tDbPass@10.0.0.5:5432/app")",
      R"("textPayload":"Key load failed:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAleakleakleak\n-----END RSA PRIVATE KEY-----")",
      R"("textPayload":"Payment declined for card 4111 1111 1111 1111")",
      R"("jsonPayload":{"message":"Maps quota exceeded","api_key":"AIzaSyLeakLeakLeakLeakLeakLeakLeak12345"})",
  };
  std::string out;
  int n = 0;
  for (int round = 0; round < 3; ++round) {
    for (const char* m : messages) {
      ++n;
      out += "{\"insertId\":\"s" + std::to_string(n) + "\",\"timestamp\":\"2025-09-15T15:" +
             std::to_string(10 + n) + ":00Z\",\"severity\":\"ERROR\",\"logName\":\"projects/p/logs/run.googleapis.com%2Fstderr\","
             "\"resource\":{\"type\":\"cloud_run_revision\",\"labels\":{\"service_name\":\"api\"}}," +
             m + "}\n";
    }
  }
  return out;
}

class Secrets : public ::testing::Test {
 protected:
  void SetUp() override {
    github_ = std::make_unique<FakeGitHub>(dir_, std::string("--token ") + kEnvToken);
    ASSERT_TRUE(github_->ok()) << "the loopback server did not start";
    api_ = github_->api();
    ASSERT_TRUE(Control("/_seed", R"({"issues":[]})"));
    WriteText(dir_ / "logs.ndjson", Logs());
  }
  bool Control(const std::string& path, const std::string& json) { return github_->Control(path, json); }
  std::string ServerState() { return github_->State(); }
  CommandResult Garden(const std::string& extra = "") {
    return RunCommand(std::string("GITHUB_TOKEN=") + kEnvToken + " " + Binary() + " run --source " +
                      Quote(dir_ / "logs.ndjson") +
                      " --service api --since 2025-09-15T15:00:00Z --until 2025-09-15T16:00:00Z" +
                      " --tracker github:acme/shop --github-api " + api_ + " --state sqlite:" +
                      Quote(dir_ / "state/state.db") + " --json " + Quote(dir_ / "out/r.json") + " --html " +
                      Quote(dir_ / "out/r.html") + " --worklog " + Quote(dir_ / "out/worklog") + extra);
  }

  TempDir dir_;
  std::unique_ptr<FakeGitHub> github_;
  std::string api_;
};

TEST_F(Secrets, NoSecretInAnyOutputOfAWholePass) {
  CommandResult r = Garden();
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::vector<std::pair<std::string, std::string>> outputs = {{"stdout and stderr", r.output}};
  for (const auto& f : std::filesystem::recursive_directory_iterator(dir_ / "out")) {
    if (f.is_regular_file()) outputs.emplace_back(f.path().string(), Slurp(f.path()));
  }
  for (const auto& f : std::filesystem::directory_iterator(dir_ / "state")) {
    outputs.emplace_back(f.path().string(), Slurp(f.path()));  // the SQLite file, byte for byte
  }
  // What was posted: the issues and comments the server holds (not its own
  // request log, which records the Authorization header on purpose).
  std::string state = ServerState();
  const size_t requests = state.find("\"requests\"");
  ASSERT_NE(requests, std::string::npos);
  outputs.emplace_back("posted issues and comments", state.substr(0, requests));
  EXPECT_NE(state.find("GCP-new-"), std::string::npos) << "the pass filed issues";
  EXPECT_GE(outputs.size(), 5u);
  for (const auto& [what, text] : outputs) {
    for (const auto& secret : kSecrets) {
      EXPECT_EQ(text.find(secret), std::string::npos) << secret << " leaked into " << what;
    }
  }
  EXPECT_NE(Slurp(dir_ / "out/r.json").find("[REDACTED]"), std::string::npos) << "secrets are replaced, not dropped";
}

TEST_F(Secrets, StateFilesArePrivate) {
  ASSERT_EQ(Garden(" -q").exit_code, 0);
  struct stat st {};
  ASSERT_EQ(::stat((dir_ / "state/state.db").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // The local tracker's file too.
  CommandResult local = RunCommand(Binary() + " run --source " + Quote(dir_ / "logs.ndjson") +
                                   " --service api --since 2025-09-15T15:00:00Z --until 2025-09-15T16:00:00Z"
                                   " --tracker local:" + Quote(dir_ / "local/tracker.db") + " -q");
  ASSERT_EQ(local.exit_code, 0) << local.output;
  ASSERT_EQ(::stat((dir_ / "local/tracker.db").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(Secrets, RedirectToAnotherHostDoesNotCarryTheToken) {
  ASSERT_TRUE(Control("/_inject", R"({"kind":"redirect-other-host","count":1,"method":"GET","path_contains":"/issues"})"));
  CommandResult r = Garden(" -q");
  // The request at the other host is answered 401 (no token): the run stops, and says so.
  EXPECT_NE(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output.find(kEnvToken), std::string::npos);
  const std::string state = ServerState();
  const size_t at = state.find("\"host\": \"localhost:");
  ASSERT_NE(at, std::string::npos) << "the client followed the redirect: " << state.substr(0, 2000);
  const size_t end = state.find('}', at);
  const std::string record = state.substr(state.rfind('{', at), end - state.rfind('{', at));
  EXPECT_NE(record.find("\"auth\": null"), std::string::npos) << record;
}

// https is always verified: a server with a self-signed certificate is
// refused, by the GitHub tracker and by the Cloud Logging source alike, and
// no token is sent to it.
TEST(Tls, SelfSignedCertificatesAreRefused) {
  TempDir dir;
  ASSERT_EQ(std::system(("openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -keyout " +
                         Quote(dir / "key.pem") + " -out " + Quote(dir / "cert.pem") + " >/dev/null 2>&1")
                            .c_str()),
            0);
  FakeGitHub server(dir, "--tls-cert " + Quote(dir / "cert.pem") + " --tls-key " + Quote(dir / "key.pem"));
  ASSERT_TRUE(server.ok());
  const std::string https = server.api("https");
  WriteText(dir / "logs.ndjson", Logs());
  const std::string window = " --service api --since 2025-09-15T15:00:00Z --until 2025-09-15T16:00:00Z -q";
  CommandResult github = RunCommand(std::string("GITHUB_TOKEN=") + kEnvToken + " " + Binary() + " run --source " +
                                    Quote(dir / "logs.ndjson") + window + " --tracker github:acme/shop --github-api " +
                                    https + " --state sqlite:" + Quote(dir / "s.db"));
  EXPECT_NE(github.exit_code, 0) << github.output;
  EXPECT_NE(github.output.find("certificate"), std::string::npos) << github.output;
  WriteText(dir / "token", "ya29.not-a-real-token\n");
  CommandResult gcp = RunCommand(Binary() + " run --source gcp:p --gcp-logging-api " + https +
                                 " --access-token-file " + Quote(dir / "token") + window + " --tracker local:" +
                                 Quote(dir / "t.db"));
  EXPECT_NE(gcp.exit_code, 0) << gcp.output;
  EXPECT_NE(gcp.output.find("certificate"), std::string::npos) << gcp.output;
}

}  // namespace
}  // namespace lg::test
