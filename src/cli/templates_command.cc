// `log-gardener templates`: the template miner as a standalone tool for any
// log text: plain lines, or LogEntries (NDJSON, gcloud arrays), whose
// messages are mined.
#include <algorithm>
#include <chrono>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/specs.h"
#include "core/file_util.h"
#include "core/json_writer.h"
#include "mine/template_miner.h"
#include "sources/file_source.h"
#include "sources/read_entries.h"

namespace lg::cli {
namespace {

struct TemplatesFlags {
  std::vector<std::string> inputs;
  std::string per_line;
  std::string state;
  std::string format = "text";
  size_t top = 0;
  double similarity = MinerOptions{}.similarity;
  size_t max_split = MinerOptions{}.max_split_values;
  bool quiet = false;
};

// Reads one input into the miner; `shapes` gets one shape per line or entry
// when per-line output is wanted.
Status MineInput(const std::string& path, TemplateMiner& miner, std::vector<uint32_t>* shapes,
                 uint64_t& units) {
  auto in = InputFile::Open(path);
  if (!in.ok()) return in.status();
  PeekReader peek(**in);
  auto head = peek.Peek(4096);
  if (!head.ok()) return head.status().WithContext((*in)->name());
  size_t first = head->find_first_not_of(" \t\r\n");
  const bool json = first != std::string_view::npos && ((*head)[first] == '{' || (*head)[first] == '[');
  if (json) {
    SourceStats stats;
    SourceOptions options;
    options.threads = 0;  // one decoder per core; entries still arrive in order
    return ReadEntries(peek, (*in)->name(), options, stats, [&](const SourcedEntry& s) {
      uint32_t group = miner.Group(LogId(s.entry.log_name));
      uint32_t shape = miner.Add(group, s.entry.message);
      if (shapes) shapes->push_back(shape);
      ++units;
      return Status::Ok();
    });
  }
  const uint32_t group = miner.Group("");
  LineReader lines(peek);
  std::string_view line;
  for (;;) {
    auto more = lines.Next(line);
    if (!more.ok()) return more.status().WithContext(fmt::format("{}:{}", (*in)->name(), lines.line_number() + 1));
    if (!*more) break;
    uint32_t shape = miner.Add(group, line);
    if (shapes) shapes->push_back(shape);
    ++units;
  }
  return Status::Ok();
}

std::string OneLine(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\n') {
      out += " ⏎ ";
    } else if (c == '\r' || c == '\t') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

int RunTemplates(const TemplatesFlags& f) {
  const auto t0 = std::chrono::steady_clock::now();
  MinerOptions options;
  options.similarity = f.similarity;
  options.max_split_values = f.max_split;
  if (!(options.similarity > 0.0 && options.similarity <= 1.0)) {
    return ReportError(Status::InvalidArgument(fmt::format(
                           "--similarity {}: must be in (0, 1]", options.similarity)),
                       false);
  }
  TemplateMiner miner(options);

  std::unique_ptr<StateStore> state;
  if (!f.state.empty()) {
    auto s = OpenState(f.state, "");
    if (!s.ok()) return ReportError(s.status(), false);
    state = std::move(*s);
    auto known = state->LoadTemplates({});
    if (!known.ok()) return ReportError(known.status(), false);
    for (const StoredTemplate& t : *known) miner.Seed(miner.Group(t.group), t.text, t.id);
  }
  const size_t seeded = miner.template_count();

  std::vector<uint32_t> shapes;
  uint64_t units = 0;
  std::vector<std::string> inputs = f.inputs.empty() ? std::vector<std::string>{"-"} : f.inputs;
  for (const std::string& path : inputs) {
    Status s = MineInput(path, miner, f.per_line.empty() ? nullptr : &shapes, units);
    if (!s.ok()) return ReportError(s, true);
  }
  miner.Finish();

  std::vector<uint32_t> order;
  for (uint32_t t = 0; t < miner.template_count(); ++t) {
    if (miner.Count(t) > 0) order.push_back(t);
  }
  std::vector<uint64_t> ids(miner.template_count());
  for (uint32_t t : order) ids[t] = miner.Id(t);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    if (miner.Count(a) != miner.Count(b)) return miner.Count(a) > miner.Count(b);
    return ids[a] < ids[b];
  });

  if (!f.per_line.empty()) {
    std::vector<std::string> wild(miner.template_count());
    for (uint32_t t : order) wild[t] = miner.WildcardText(t);
    std::string out;
    out.reserve(shapes.size() * 48);
    for (uint32_t s : shapes) {
      uint32_t t = miner.TemplateOf(s);
      fmt::format_to(std::back_inserter(out), "{:016x}\t{}\n", ids[t], wild[t]);
    }
    Status s = WriteFileAtomic(f.per_line, out);
    if (!s.ok()) return ReportError(s.WithContext("--per-line"), false);
  }
  if (state) {
    std::vector<StoredTemplate> save;
    for (uint32_t t : order) {
      save.push_back({ids[t], miner.GroupName(miner.TemplateGroup(t)), miner.Text(t), miner.Count(t)});
    }
    Status s = state->SaveTemplates(save);
    if (!s.ok()) return ReportError(s, false);
  }

  const size_t shown = f.top > 0 ? std::min(f.top, order.size()) : order.size();
  if (f.format == "json") {
    JsonWriter w;
    w.BeginObject().Field("lines", units).Field("templates", static_cast<uint64_t>(order.size()));
    w.Key("items").BeginArray();
    for (size_t k = 0; k < shown; ++k) {
      uint32_t t = order[k];
      w.BeginObject()
          .Field("id", fmt::format("{:016x}", ids[t]))
          .Field("count", miner.Count(t))
          .Field("group", miner.GroupName(miner.TemplateGroup(t)))
          .Field("template", miner.Text(t))
          .Field("wildcard", miner.WildcardText(t))
          .Field("example", miner.Example(t))
          .EndObject();
    }
    w.EndArray().EndObject();
    std::cout << w.str() << "\n";
  } else {
    std::string out;
    for (size_t k = 0; k < shown; ++k) {
      uint32_t t = order[k];
      fmt::format_to(std::back_inserter(out), "{:>9}  {:016x}  {}\n", miner.Count(t), ids[t],
                     OneLine(miner.Text(t)));
      fmt::format_to(std::back_inserter(out), "{:>9}  {:16}  e.g. {}\n", "", "", OneLine(miner.Example(t)));
    }
    std::cout << out;
  }
  if (!f.quiet) {
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    size_t known = 0;
    for (uint32_t t : order) known += miner.Seeded(t) ? 1 : 0;
    std::cerr << fmt::format("{} lines, {} templates ({} known from state, {} remembered) in {:.2f} s\n",
                             units, order.size(), known, seeded, secs);
  }
  return kExitOk;
}

}  // namespace

void RegisterTemplates(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<TemplatesFlags>();
  CLI::App* cmd = app.add_subcommand(
      "templates",
      "Mine message templates from any log text and print them with counts.\n"
      "Input is plain text (one message per line) or LogEntries (NDJSON or a gcloud JSON array),\n"
      "detected from the first bytes.\n\n"
      "Examples:\n"
      "  log-gardener templates app.log\n"
      "  gcloud logging read ... --format=json | log-gardener templates -\n"
      "  log-gardener templates --per-line pred.tsv content.txt   # <id>\\t<template> per line");
  cmd->add_option("inputs", flags->inputs, "files to read, '-' for standard input (default)");
  cmd->add_option("--per-line", flags->per_line,
                  "also write one `<template-id>\\t<template>` line per input line, in input order "
                  "(variables as <*>)");
  cmd->add_option("--state", flags->state,
                  "keep template ids stable across runs in this state store (sqlite:PATH or PATH)");
  cmd->add_option("--format", flags->format, "text (default) or json")->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--top", flags->top, "print only the N most frequent templates");
  cmd->add_option("--similarity", flags->similarity,
                  "share of literal tokens a message must share with a template to join it");
  cmd->add_option("--max-split", flags->max_split,
                  "split a template by a position holding at most N distinct words (0: never)");
  cmd->add_flag("-q,--quiet", flags->quiet, "no summary line on stderr");
  cmd->callback([flags, &exit_code] { exit_code = RunTemplates(*flags); });
}

}  // namespace lg::cli
