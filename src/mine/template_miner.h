// TemplateMiner: online log template mining in two layers. Pure: no I/O, no
// clock; not thread-safe (one miner per thread, or one owner).
//
// 1. Shapes. A message is masked token by token (masker.h); messages of one
//    group (a log, a service) with the same masked token sequence are one
//    shape, found with one hash lookup. In a busy log almost every message is
//    a shape seen before, so the hot path is: mask, hash, count.
// 2. Templates. A new shape is placed by a Drain-style search (He et al.,
//    ICWS 2017) without Drain's prefix tree: among the templates of its group
//    with the same token count, the one with the most equal literal tokens,
//    position by position, wins if they make up at least `similarity` of the
//    tokens; the positions where they differ become wildcards. Otherwise the
//    shape starts a new template. Templates never split or merge afterwards,
//    so a shape's template is fixed once placed.
//
// Why this design rather than Drain's tree: Drain descends by the first
// tokens, so a variable first word (a user, a program name) splits one
// template into many; comparing against every template of the same length
// costs nothing on the hot path because only new shapes search. The choice and
// the similarity threshold were measured on Loghub-2k (docs/benchmarks.md,
// "Template miner").
//
// Display: a template shows each position as its masked token (`<NUM>`,
// `core.<NUM>`), the raw token where the masker was unsure (a soft word with
// digits such as `ssh2`), and where its shapes disagree their common
// punctuation-bounded prefix and suffix around `<*>` (`rhost=<*>`).
//
// Refinement (Finish): a wildcard position that holds only a few distinct
// words, each seen no more than sqrt(count) ways and none of them varying in
// another template too (users, hosts), is a handful of constants naming
// different events (`VM Paused`/`VM Resumed`, `GET`/`POST`): the template is
// split by it.
//
// Memory is bounded by templates, not messages: at most `max_shapes` shapes
// are remembered (after that a new shape is placed and counted but not
// kept, and its messages report the template's first shape), and at most
// `max_templates` templates (after that an unmatched shape joins its group's
// catch-all template of that length, every position a wildcard).
//
// Stable ids: a template's id is the XXH3 hash of its group name and its
// displayed text when first asked for, unless seeded (Seed) with the id a
// state store remembered; a seeded template keeps its id however it grows.
#ifndef LOG_GARDENER_MINE_TEMPLATE_MINER_H_
#define LOG_GARDENER_MINE_TEMPLATE_MINER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "mine/masker.h"

namespace lg {

struct MinerOptions {
  // Share of a template's positions that must hold the same literal token.
  double similarity = 0.7;
  size_t max_shapes = size_t{1} << 18;
  size_t max_templates = 50000;
  size_t max_tokens = 256;
  // Place new shapes as they arrive (online), or only in Finish(), most
  // frequent first: then the result does not depend on input order.
  bool deferred = false;
  // Finish() splits a template by a wildcard position holding at most this
  // many distinct words (and at most sqrt(count)): `VM <*>` → `VM Paused`,
  // `VM Resumed`...
  size_t max_split_values = 4;
  MaskOptions mask;
};

class TemplateMiner {
 public:
  static constexpr uint32_t kNone = 0xffffffffu;

  explicit TemplateMiner(MinerOptions options = {});

  // Interns a group name ("" is a group too); templates never cross groups.
  uint32_t Group(std::string_view name);
  const std::string& GroupName(uint32_t group) const { return groups_[group]; }

  // Mines one message; returns its shape. In deferred mode the shape's
  // template is known only after Finish().
  uint32_t Add(uint32_t group, std::string_view message) { return Add(group, message, options_.mask); }
  // The same with other masking (request routes keep their paths). Use one
  // masking per group: shapes are only compared within a group.
  uint32_t Add(uint32_t group, std::string_view message, const MaskOptions& mask);
  // Places shapes not yet placed (deferred mode), most frequent first, ties
  // by masked text. Idempotent.
  void Finish();

  // A template known from an earlier run, as typed text (tokens separated by
  // spaces) with the id it had. Call before adding messages.
  void Seed(uint32_t group, std::string_view text, uint64_t id);

  size_t shape_count() const { return shapes_.size(); }
  size_t template_count() const { return templates_.size(); }
  uint32_t TemplateOf(uint32_t shape) const { return shapes_[shape].tmpl; }
  uint64_t ShapeCount(uint32_t shape) const { return shapes_[shape].count; }

  uint32_t TemplateGroup(uint32_t t) const { return templates_[t].group; }
  uint64_t Count(uint32_t t) const { return templates_[t].count; }
  bool Seeded(uint32_t t) const { return templates_[t].seeded; }
  // "Redis error <NUM> at <IP>:<NUM>"; lines of a multi-line message are
  // kept apart by '\n'.
  std::string Text(uint32_t t) const;
  // The same with every variable as `<*>`, following the Loghub-2.0
  // conventions (template_text.h), as the benchmark scores it.
  std::string WildcardText(uint32_t t) const;
  // Stable id (see above); fixed the first time it is asked for.
  uint64_t Id(uint32_t t);
  // The first message seen of the template (capped at 1 KiB).
  const std::string& Example(uint32_t t) const;
  // Values of the template's wildcard positions in `message`, in order;
  // empty if the message does not fit the template.
  std::vector<std::string> Parameters(uint32_t t, std::string_view message) const;

 private:
  struct Shape {
    uint32_t group = 0;
    uint32_t tmpl = kNone;
    uint64_t count = 0;
    std::string key;                  // group bytes, then tokens each ended by '\x1f'
    std::vector<uint16_t> line_starts;  // token positions that begin a new line
    std::string example;
  };
  struct Token {
    std::string text;
    bool wildcard = false;
  };
  struct Tmpl {
    uint32_t group = 0;
    uint64_t count = 0;
    uint64_t id = 0;
    bool id_fixed = false;
    bool seeded = false;
    std::vector<Token> tokens;
    std::vector<uint32_t> shapes;  // member shapes (the first is the example)
  };
  struct KeyHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const;
  };

  uint32_t NewShape(uint32_t group, std::string_view message);
  void Place(uint32_t shape);
  // The masked tokens of a shape, from its key.
  void ShapeTokens(const Shape& s, std::vector<std::string_view>& out) const;
  uint32_t NewTemplate(uint32_t group, const std::vector<std::string_view>& tokens);
  // Splits templates by a wildcard position that holds few distinct words.
  void Refine();
  // Recomputes a template's tokens and count from `members`, which it takes.
  void Rebuild(uint32_t t, const std::vector<uint32_t>& members);
  std::vector<uint32_t>& Leaf(uint32_t group, size_t length);

  MinerOptions options_;
  std::vector<std::string> groups_;
  std::unordered_map<std::string, uint32_t> group_index_;
  std::vector<Shape> shapes_;
  std::unordered_map<std::string, uint32_t, KeyHash, std::equal_to<>> shape_index_;
  std::vector<Tmpl> templates_;
  std::unordered_map<uint64_t, std::vector<uint32_t>> leaves_;  // (group, length) → templates
  std::unordered_map<uint64_t, uint32_t> catch_all_;            // (group, length) → template
  std::vector<uint32_t> pending_;                               // deferred shapes
  // Scratch, reused across calls.
  MaskedLine line_;
  std::string key_;
  std::vector<std::string_view> toks_;
};

}  // namespace lg

#endif  // LOG_GARDENER_MINE_TEMPLATE_MINER_H_
