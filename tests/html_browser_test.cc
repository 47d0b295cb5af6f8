// The HTML report in a real browser: Debian's chromium, headless, loads the
// page from disk, runs its script (which marks <body data-ready="1"> when it
// finished without an exception) and must show every cluster. Screenshots at
// laptop and phone sizes are kept in the build folder as test artifacts.
// Without chromium the browser test skips visibly (scripts/install-deps.sh
// installs it).
#include <gtest/gtest.h>

#include <filesystem>

#include "test_util.h"

namespace lg::test {
namespace {

std::string Chromium() {
  for (const char* p : {"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"}) {
    if (std::filesystem::exists(p)) return p;
  }
  return "";
}

std::string MakeReport(const TempDir& dir, const std::string& source) {
  const std::string html = dir / "report.html";
  CommandResult r = RunCommand(Binary() + " run --source " + Quote(source) +
                               " --service checkout-api --period 'last 1 hour' --now 2025-09-15T16:00:00Z" +
                               " --tracker local:" + Quote(dir / "t.db") + " --dry-run -q --html " + Quote(html) +
                               " --json " + Quote(dir / "r.json"));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  return html;
}

TEST(HtmlReport, IsSelfContainedAndEscapesLogText) {
  TempDir dir;
  WriteText(dir / "evil.ndjson",
            R"({"insertId":"e1","logName":"projects/p/logs/run.googleapis.com%2Fstderr","resource":{"type":"cloud_run_revision","labels":{"service_name":"checkout-api","revision_name":"r-1"}},"severity":"ERROR","textPayload":"<script>alert(1)</script> <img src=x onerror=alert(2)> token=ghp_16C7e42F292c6912E7710c838347Ae178B4a","timestamp":"2025-09-15T15:10:00Z"})"
            "\n");
  const std::string html = Slurp(MakeReport(dir, dir / "evil.ndjson"));
  EXPECT_EQ(html.find("<script>alert"), std::string::npos);
  EXPECT_EQ(html.find("<img src=x"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;"), std::string::npos);
  EXPECT_EQ(html.find("ghp_16C7e42F292c6912E7710c838347Ae178B4a"), std::string::npos) << "secrets are scrubbed";
  // Self-contained: no external resources.
  EXPECT_EQ(html.find("src=\"http"), std::string::npos);
  EXPECT_EQ(html.find("href=\"//"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
}

TEST(HtmlReport, RendersEveryClusterInChromium) {
  const std::string chromium = Chromium();
  if (chromium.empty()) GTEST_SKIP() << "chromium is not installed (scripts/install-deps.sh installs it)";
  TempDir dir;
  const std::string html = MakeReport(dir, SourceDir() + "/examples/cloud-run-export.json");
  const std::string flags = " --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --hide-scrollbars"
                            " --user-data-dir=" + Quote(dir / "profile");
  CommandResult dom = RunCommand(chromium + flags + " --enable-logging=stderr --v=0 --dump-dom " +
                                 Quote("file://" + html) + " 2>" + Quote(dir / "console.txt"));
  ASSERT_EQ(dom.exit_code, 0) << dom.output;
  EXPECT_NE(dom.output.find("data-ready=\"1\""), std::string::npos) << "the page's script did not finish";
  const std::string console = Slurp(dir / "console.txt");
  EXPECT_EQ(console.find("Uncaught"), std::string::npos) << console;
  const std::string report = Slurp(dir / "r.json");
  size_t clusters = 0;
  for (size_t pos = 0; (pos = report.find("\"id\": \"c", pos)) != std::string::npos; ++pos) ++clusters;
  ASSERT_GT(clusters, 0u);
  for (size_t k = 1; k <= clusters; ++k) {
    EXPECT_NE(dom.output.find("id=\"c" + std::to_string(k) + "\""), std::string::npos) << "cluster c" << k;
  }
  EXPECT_NE(dom.output.find("<svg"), std::string::npos);
  // Artifacts: how it looks on a laptop and on a phone.
  for (const auto& [name, size] : {std::pair<std::string, std::string>{"html-report-laptop.png", "1280,2400"},
                                   std::pair<std::string, std::string>{"html-report-phone.png", "390,2400"}}) {
    // Beside the test binary (the build folder), whatever the working directory.
    const std::string png = (std::filesystem::read_symlink("/proc/self/exe").parent_path() / name).string();
    CommandResult shot = RunCommand(chromium + flags + " --window-size=" + size + " --screenshot=" + Quote(png) + " " +
                                    Quote("file://" + html));
    EXPECT_EQ(shot.exit_code, 0) << shot.output;
    EXPECT_TRUE(std::filesystem::exists(png)) << png;
  }
}

}  // namespace
}  // namespace lg::test
