// `log-gardener config`: print the example configuration, or check a file.
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "cli/commands.h"
#include "config/config.h"

namespace lg::cli {

void RegisterConfig(CLI::App& app, int& exit_code) {
  CLI::App* cmd = app.add_subcommand(
      "config",
      "Show or check the configuration (TOML: triage rules, correlation thresholds).\n\n"
      "Examples:\n"
      "  log-gardener config --example > log-gardener.toml\n"
      "  log-gardener config validate log-gardener.toml");
  auto example = std::make_shared<bool>(false);
  cmd->add_flag("--example", *example, "print every key with its default and meaning");
  auto file = std::make_shared<std::string>();
  CLI::App* validate = cmd->add_subcommand("validate", "check a config file; every problem with file:line:column");
  validate->add_option("file", *file, "the file (default: the one `run` would use)");
  cmd->require_subcommand(0, 1);
  validate->callback([file, &exit_code] {
    auto c = FindConfig(*file);
    if (!c.ok()) {
      exit_code = ReportError(c.status(), false);
      return;
    }
    std::cout << (c->path.empty() ? std::string("no config file found: the defaults apply\n")
                                  : fmt::format("{}: OK\n", c->path));
    exit_code = kExitOk;
  });
  cmd->callback([cmd, validate, example, &exit_code] {
    if (validate->parsed()) return;
    if (*example) {
      std::cout << ExampleConfig();
      exit_code = kExitOk;
      return;
    }
    std::cerr << cmd->help();
    exit_code = kExitUsage;
  });
}

}  // namespace lg::cli
