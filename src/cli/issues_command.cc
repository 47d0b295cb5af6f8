// `log-gardener issues`: look at and seed the local tracker.
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/specs.h"
#include "core/file_util.h"
#include "core/time.h"

namespace lg::cli {

int ReportError(const Status& status, bool input_phase) {
  std::cerr << "log-gardener: " << status.message() << "\n";
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kFailedPrecondition:
      return kExitUsage;
    case StatusCode::kDataLoss:
      return kExitBadInput;
    case StatusCode::kIoError:
      return input_phase ? kExitBadInput : kExitFailed;
    default:
      return kExitFailed;
  }
}

namespace {

struct IssuesFlags {
  std::string tracker;
  std::string file;
  int64_t number = 0;
  std::string out = "-";
};

int List(const IssuesFlags& f) {
  SystemClock clock;
  auto t = OpenLocalTracker(f.tracker, clock);
  if (!t.ok()) return ReportError(t.status(), false);
  auto issues = (*t)->ListIssues();
  if (!issues.ok()) return ReportError(issues.status(), false);
  for (const Issue& i : *issues) {
    std::string labels;
    for (const auto& l : i.labels) labels += (labels.empty() ? "" : ",") + l;
    std::cout << fmt::format("#{:<6} {:<6} {}{}\n", i.number, i.state, i.title,
                             labels.empty() ? "" : "  [" + labels + "]");
  }
  std::cerr << fmt::format("{} issues in {}\n", issues->size(), (*t)->Describe());
  return kExitOk;
}

int Show(const IssuesFlags& f) {
  SystemClock clock;
  auto t = OpenLocalTracker(f.tracker, clock);
  if (!t.ok()) return ReportError(t.status(), false);
  auto issue = (*t)->GetIssue(f.number);
  if (!issue.ok()) return ReportError(issue.status(), false);
  if (!issue->has_value()) {
    return ReportError(Status::InvalidArgument(fmt::format("no issue #{} in {}", f.number, (*t)->Describe())), false);
  }
  const Issue& i = **issue;
  std::string labels;
  for (const auto& l : i.labels) labels += (labels.empty() ? "" : ", ") + l;
  std::cout << fmt::format("#{} [{}] {}\nlabels: {}\ncreated: {}{}\n\n{}\n", i.number, i.state,
                           i.title, labels.empty() ? "(none)" : labels, i.created_at,
                           i.closed_at ? "  closed: " + *i.closed_at : "", i.body);
  auto comments = (*t)->ListComments(i.number);
  if (!comments.ok()) return ReportError(comments.status(), false);
  for (const Comment& c : *comments) {
    std::cout << fmt::format("\n--- comment {} at {}\n{}\n", c.id, c.created_at, c.body);
  }
  return kExitOk;
}

int Import(const IssuesFlags& f) {
  auto text = ReadFile(f.file);
  if (!text.ok()) return ReportError(text.status(), true);
  std::vector<Comment> comments;
  auto issues = ParseIssuesJson(*text, f.file == "-" ? "<stdin>" : f.file, &comments);
  if (!issues.ok()) return ReportError(issues.status(), true);
  SystemClock clock;
  auto t = OpenLocalTracker(f.tracker, clock);
  if (!t.ok()) return ReportError(t.status(), false);
  if (Status s = (*t)->Import(*issues, comments); !s.ok()) return ReportError(s, false);
  std::cout << fmt::format("imported {} issues into {}\n", issues->size(), (*t)->Describe());
  return kExitOk;
}

int Export(const IssuesFlags& f) {
  SystemClock clock;
  auto t = OpenLocalTracker(f.tracker, clock);
  if (!t.ok()) return ReportError(t.status(), false);
  auto issues = (*t)->ListIssues();
  if (!issues.ok()) return ReportError(issues.status(), false);
  std::vector<std::vector<Comment>> comments;
  for (const Issue& i : *issues) {
    auto c = (*t)->ListComments(i.number);
    if (!c.ok()) return ReportError(c.status(), false);
    comments.push_back(std::move(*c));
  }
  std::string json = IssuesToJson(*issues, comments);
  if (f.out == "-") {
    std::cout << json;
    return kExitOk;
  }
  if (Status s = WriteFileAtomic(f.out, json); !s.ok()) return ReportError(s, false);
  return kExitOk;
}

}  // namespace

void RegisterIssues(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<IssuesFlags>();
  CLI::App* issues = app.add_subcommand("issues", "Look at or seed the local issue tracker");
  issues->require_subcommand(1);
  issues->add_option("--tracker", flags->tracker,
                     "local:PATH (default local:.log-gardener/gardener.db)")
      ->type_name("SPEC");
  issues->footer(
      "Examples:\n"
      "  log-gardener issues import examples/issues.json\n"
      "  log-gardener issues list\n"
      "  log-gardener issues show 3\n"
      "  log-gardener issues export > issues.json");

  CLI::App* list = issues->add_subcommand("list", "One line per issue");
  list->fallthrough();
  list->callback([flags, &exit_code] { exit_code = List(*flags); });

  CLI::App* show = issues->add_subcommand("show", "One issue with its comments");
  show->add_option("number", flags->number, "Issue number")->required();
  show->fallthrough();
  show->callback([flags, &exit_code] { exit_code = Show(*flags); });

  CLI::App* import = issues->add_subcommand(
      "import", "Add or replace issues from a JSON list [{number,title,body,state,labels,created_at,closed_at?}]");
  import->add_option("file", flags->file, "The JSON file (- for stdin)")->required();
  import->fallthrough();
  import->callback([flags, &exit_code] { exit_code = Import(*flags); });

  CLI::App* exp = issues->add_subcommand("export", "Write every issue (with comments) as JSON");
  exp->add_option("-o,--output", flags->out, "Output file (default stdout)");
  exp->fallthrough();
  exp->callback([flags, &exit_code] { exit_code = Export(*flags); });
}

}  // namespace lg::cli
