// log-gardener: the command-line entry point. Thin by design: parsing and
// dispatch only; every subcommand lives in the library.
#include <iostream>

#include <malloc.h>

#include <CLI/CLI.hpp>

#include "cli/commands.h"

int main(int argc, char** argv) {
  // A pass grows large tables (the duplicate-key set, per-entry facts) by
  // doubling, and frees each old one. By default glibc gives big blocks back
  // to the kernel at once, so every doubling faults in fresh zeroed pages,
  // which under this project's VMs costs more than the work on them. Keep
  // freed memory for reuse instead (docs/benchmarks.md: 4-7 % of a run).
  mallopt(M_MMAP_THRESHOLD, 32 << 20);  // the largest glibc takes: bigger blocks come from the heap
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  mallopt(M_TOP_PAD, 64 << 20);
  CLI::App app{
      "log-gardener: turns an hour of Cloud Logging warnings and errors into a tidy issue "
      "tracker.\n"
      "Reads entries, groups them into incident clusters, prioritizes and names them, then "
      "comments on, reopens as regressions, or files issues. Writes a Markdown worklog and a "
      "JSON report.",
      "log-gardener"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("log-gardener 0.1.0"));
  int exit_code = 0;
  lg::cli::RegisterRun(app, exit_code);
  lg::cli::RegisterIssues(app, exit_code);
  lg::cli::RegisterTemplates(app, exit_code);
  lg::cli::RegisterConfig(app, exit_code);
  lg::cli::RegisterWatch(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return lg::cli::kExitUsage;
  }
  return exit_code;
}
