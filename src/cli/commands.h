// The subcommands. Each returns the process exit code (see DESIGN: 0 done,
// 1 failed while running, 2 usage or configuration, 3 unreadable input).
#ifndef LOG_GARDENER_CLI_COMMANDS_H_
#define LOG_GARDENER_CLI_COMMANDS_H_

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "log_gardener/status.h"

namespace lg::cli {

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;
constexpr int kExitBadInput = 3;

// Prints "log-gardener: <message>" to stderr and returns the exit code that
// fits the status (kDataLoss/kIoError on input → 3, configuration → 2, else 1).
int ReportError(const Status& status, bool input_phase);

// Each Register* adds a subcommand and returns a callback that runs it after
// parsing; `exit_code` receives the result.
void RegisterRun(CLI::App& app, int& exit_code);
void RegisterIssues(CLI::App& app, int& exit_code);
void RegisterTemplates(CLI::App& app, int& exit_code);
void RegisterConfig(CLI::App& app, int& exit_code);
void RegisterWatch(CLI::App& app, int& exit_code);

}  // namespace lg::cli

#endif  // LOG_GARDENER_CLI_COMMANDS_H_
