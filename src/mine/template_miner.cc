#include "mine/template_miner.h"

#include <algorithm>
#include <cmath>

#include <xxhash.h>

#include "mine/template_text.h"

namespace lg {
namespace {

constexpr char kSep = '\x1f';
constexpr size_t kExampleBytes = 1024;
constexpr std::string_view kWildcard = "<*>";
// Marks a soft token in a shape key: the raw text follows (`\x01ssh2`).
constexpr char kSoft = '\x01';

// The shape key of a masked line: each token's masked text, or for a soft
// token (`ssh2`, `ee0`) its raw text after kSoft, each ended by kSep. Soft
// tokens stay raw so that a few distinct values (interfaces, protocols) can
// still name different templates; they do not count as evidence of
// similarity (see IsLiteral), so real identifiers still merge.
void AppendKey(const MaskedLine& line, std::string& key) {
  for (const MaskedToken& t : line.tokens) {
    if (t.soft) {
      key += kSoft;
      key.append(t.raw);
    } else {
      key.append(line.text(t));
    }
    key += kSep;
  }
}

std::string_view Unmarked(std::string_view token) {
  if (!token.empty() && token.front() == kSoft) token.remove_prefix(1);
  return token;
}

bool IsUnitWord(std::string_view w) {
  static constexpr std::string_view kUnits[] = {
      "b", "kb", "mb", "gb", "tb", "kib", "mib", "gib", "bytes", "ns", "us", "ms", "s", "sec",
      "secs", "seconds", "min", "mins", "minutes", "h", "hours", "days", "%"};
  for (auto u : kUnits) {
    if (w.size() != u.size()) continue;
    bool eq = true;
    for (size_t k = 0; k < w.size() && eq; ++k) {
      char c = w[k];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
      eq = c == u[k];
    }
    if (eq) return true;
  }
  return false;
}

uint64_t LeafKey(uint32_t group, size_t length) {
  return (static_cast<uint64_t>(group) << 32) | static_cast<uint32_t>(length);
}

// A token that is nothing but a placeholder carries no evidence that two
// messages say the same thing; literal words do.
bool IsLiteral(std::string_view token) {
  if (!token.empty() && token.front() == kSoft) return false;
  for (size_t i = 0; i < token.size(); ++i) {
    char c = token[i];
    if (c == '<') {
      size_t close = token.find('>', i);
      if (close != std::string_view::npos && IsPlaceholder(token.substr(i, close - i + 1))) {
        i = close;
        continue;
      }
    }
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
        static_cast<unsigned char>(c) >= 0x80) {
      return true;
    }
  }
  return false;
}

// Equal but for the kinds of their placeholders: `rhost=<HOST>` and
// `rhost=<IP>` say the same thing.
bool SameModuloKinds(std::string_view a, std::string_view b) {
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] == '<' && b[j] == '<') {
      size_t ca = a.find('>', i), cb = b.find('>', j);
      if (ca != std::string_view::npos && cb != std::string_view::npos &&
          IsPlaceholder(a.substr(i, ca - i + 1)) && IsPlaceholder(b.substr(j, cb - j + 1))) {
        i = ca + 1;
        j = cb + 1;
        continue;
      }
    }
    if (a[i] != b[j]) return false;
    ++i;
    ++j;
  }
  return i == a.size() && j == b.size();
}

// What a token contributes when deciding whether a wildcard position is really
// a handful of constants (Refine): its literal text without placeholders, if
// that holds a letter and is not a unit of measure; else nothing (a number, an
// address: variables by nature).
bool SplitValue(std::string_view token, std::string& out) {
  out.clear();
  if (!token.empty() && token.front() == kSoft) {
    out.assign(token);
    return true;
  }
  bool letter = false;
  for (size_t i = 0; i < token.size(); ++i) {
    char c = token[i];
    if (c == '<') {
      size_t close = token.find('>', i);
      if (close != std::string_view::npos && IsPlaceholder(token.substr(i, close - i + 1))) {
        i = close;
        continue;
      }
    }
    letter |= (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    out += c;
  }
  if (!letter) return false;
  std::string_view core(out);
  auto punct = [](char c) {
    return c == '"' || c == '\'' || c == '(' || c == ')' || c == '[' || c == ']' || c == '{' ||
           c == '}' || c == ',' || c == ':' || c == ';' || c == '.';
  };
  while (!core.empty() && punct(core.front())) core.remove_prefix(1);
  while (!core.empty() && punct(core.back())) core.remove_suffix(1);
  return !IsUnitWord(core);
}

}  // namespace

size_t TemplateMiner::KeyHash::operator()(std::string_view s) const {
  return static_cast<size_t>(XXH3_64bits(s.data(), s.size()));
}

TemplateMiner::TemplateMiner(MinerOptions options) : options_(std::move(options)) {}

uint32_t TemplateMiner::Group(std::string_view name) {
  auto [it, inserted] = group_index_.try_emplace(std::string(name), static_cast<uint32_t>(groups_.size()));
  if (inserted) groups_.emplace_back(name);
  return it->second;
}

std::vector<uint32_t>& TemplateMiner::Leaf(uint32_t group, size_t length) {
  return leaves_[LeafKey(group, length)];
}

void TemplateMiner::ShapeTokens(const Shape& s, std::vector<std::string_view>& out) const {
  out.clear();
  std::string_view k(s.key);
  k.remove_prefix(sizeof(uint32_t));
  while (!k.empty()) {
    size_t end = k.find(kSep);
    out.push_back(k.substr(0, end));
    k.remove_prefix(end + 1);
  }
}

uint32_t TemplateMiner::Add(uint32_t group, std::string_view message, const MaskOptions& mask) {
  MaskTokens(message, line_, mask, options_.max_tokens);
  key_.assign(reinterpret_cast<const char*>(&group), sizeof group);
  AppendKey(line_, key_);
  if (auto it = shape_index_.find(std::string_view(key_)); it != shape_index_.end()) {
    Shape& s = shapes_[it->second];
    if (s.count == 0) s.example.assign(message.substr(0, kExampleBytes));  // a seed's first message
    ++s.count;
    if (s.tmpl != kNone) ++templates_[s.tmpl].count;
    return it->second;
  }
  uint32_t id = NewShape(group, message);
  if (!options_.deferred) Place(id);
  if (shapes_.size() > options_.max_shapes) {
    // Over the cap: the message counts for its template, the shape is not
    // remembered (unless it is the template's only one).
    Place(id);
    Tmpl& tm = templates_[shapes_[id].tmpl];
    if (tm.shapes.size() > 1 && tm.shapes.back() == id) {
      tm.shapes.pop_back();
      const uint32_t first = tm.shapes.front();
      shapes_[first].count += 1;
      shape_index_.erase(shapes_.back().key);
      shapes_.pop_back();
      if (!pending_.empty() && pending_.back() == id) pending_.pop_back();
      return first;
    }
  }
  return id;
}

uint32_t TemplateMiner::NewShape(uint32_t group, std::string_view message) {
  Shape s;
  s.group = group;
  s.count = 1;
  s.key = key_;
  for (size_t p = 0; p < line_.tokens.size(); ++p) {
    const MaskedToken& t = line_.tokens[p];
    if (t.line_start) s.line_starts.push_back(static_cast<uint16_t>(p));
  }
  s.example.assign(message.substr(0, kExampleBytes));
  const uint32_t id = static_cast<uint32_t>(shapes_.size());
  shape_index_.emplace(s.key, id);
  shapes_.push_back(std::move(s));
  if (options_.deferred) pending_.push_back(id);
  return id;
}

uint32_t TemplateMiner::NewTemplate(uint32_t group, const std::vector<std::string_view>& tokens) {
  Tmpl t;
  t.group = group;
  t.tokens.reserve(tokens.size());
  for (std::string_view tok : tokens) {
    t.tokens.push_back({std::string(tok), tok.find(kWildcard) != std::string_view::npos});
  }
  const uint32_t id = static_cast<uint32_t>(templates_.size());
  templates_.push_back(std::move(t));
  Leaf(group, tokens.size()).push_back(id);
  return id;
}

// Generalizes a template token to also cover `token`: the longest common
// prefix and suffix that end at punctuation stay, the middle becomes <*>
// (`rhost=<*>`, `(<*>)`, `<*>:<NUM>`), so a token keeps its visible structure.
static std::string Generalize(std::string_view pattern, std::string_view token) {
  pattern = Unmarked(pattern);
  token = Unmarked(token);
  auto boundary = [](char c) {
    switch (c) {
      case '=': case ':': case '(': case ')': case '[': case ']': case '{': case '}': case ',':
      case '\'': case '"': case '/': case '@': case ';': case '|': case '<': case '>':
        return true;
      default:
        return false;
    }
  };
  const size_t star = pattern.find(kWildcard);
  const size_t limit_front = star == std::string_view::npos ? pattern.size() : star;
  size_t pre = 0;
  size_t k = 0;
  while (k < limit_front && k < token.size() && pattern[k] == token[k]) {
    ++k;
    if (boundary(pattern[k - 1])) pre = k;
  }
  if (k == pattern.size() && k == token.size()) return std::string(pattern);
  const size_t rstar = pattern.rfind(kWildcard);
  const size_t limit_back = rstar == std::string_view::npos ? pattern.size() : pattern.size() - rstar - 3;
  size_t suf = 0;
  k = 0;
  while (k < limit_back && k < token.size() && pre + k < pattern.size() && pre + k < token.size() &&
         pattern[pattern.size() - 1 - k] == token[token.size() - 1 - k]) {
    ++k;
    if (boundary(pattern[pattern.size() - k])) suf = k;
  }
  // A placeholder is never cut in half.
  std::string out(pattern.substr(0, pre));
  if (!out.empty() && out.back() == '<') out.pop_back(), --pre;
  std::string_view tail = pattern.substr(pattern.size() - suf);
  if (!tail.empty() && tail.front() == '>') tail.remove_prefix(1);
  out += kWildcard;
  out += tail;
  return out;
}

void TemplateMiner::Place(uint32_t shape_id) {
  Shape& s = shapes_[shape_id];
  if (s.tmpl != kNone) return;
  ShapeTokens(s, toks_);
  const size_t n = toks_.size();
  std::vector<uint32_t>& leaf = Leaf(s.group, n);
  uint32_t best = kNone;
  size_t best_same = 0, best_literal = 0;
  for (uint32_t cand : leaf) {
    const Tmpl& t = templates_[cand];
    size_t same = 0, literal = 0;
    for (size_t p = 0; p < n; ++p) {
      const Token& tok = t.tokens[p];
      if (tok.wildcard || !IsLiteral(tok.text)) continue;
      ++literal;
      if (tok.text == toks_[p] || SameModuloKinds(tok.text, toks_[p])) ++same;
    }
    if (best == kNone || same * std::max<size_t>(best_literal, 1) > best_same * std::max<size_t>(literal, 1) ||
        (same * std::max<size_t>(best_literal, 1) == best_same * std::max<size_t>(literal, 1) &&
         literal > best_literal)) {
      best = cand;
      best_same = same;
      best_literal = literal;
    }
  }
  bool fits = false;
  if (best != kNone) {
    const Tmpl& t = templates_[best];
    if (best_literal == 0) {
      // A template of variables only takes messages of the same variables.
      fits = true;
      for (size_t p = 0; p < n && fits; ++p) {
        fits = t.tokens[p].wildcard || t.tokens[p].text == toks_[p];
      }
    } else {
      fits = static_cast<double>(best_same) >= options_.similarity * static_cast<double>(best_literal);
    }
  }
  uint32_t target;
  if (fits) {
    target = best;
    Tmpl& t = templates_[target];
    for (size_t p = 0; p < n; ++p) {
      Token& tok = t.tokens[p];
      if (tok.text != toks_[p]) {
        tok.text = Generalize(tok.text, toks_[p]);
        tok.wildcard = true;
      }
    }
  } else if (templates_.size() >= options_.max_templates) {
    auto [it, inserted] = catch_all_.try_emplace(LeafKey(s.group, n), kNone);
    if (inserted) {
      std::vector<std::string_view> all(n, kWildcard);
      it->second = NewTemplate(s.group, all);
    }
    target = it->second;
  } else {
    target = NewTemplate(s.group, toks_);
  }
  Shape& placed = shapes_[shape_id];  // NewTemplate does not move shapes
  placed.tmpl = target;
  templates_[target].shapes.push_back(shape_id);
  templates_[target].count += placed.count;
}

void TemplateMiner::Finish() {
  if (!pending_.empty()) {
    std::vector<uint32_t> order;
    order.reserve(pending_.size());
    for (uint32_t s : pending_) {
      if (shapes_[s].tmpl == kNone) order.push_back(s);
    }
    pending_.clear();
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
      if (shapes_[a].count != shapes_[b].count) return shapes_[a].count > shapes_[b].count;
      return shapes_[a].key < shapes_[b].key;
    });
    for (uint32_t s : order) Place(s);
  }
  Refine();
}

void TemplateMiner::Refine() {
  // Values seen at a wildcard position, with the template holding them (kNone
  // when several do): a word that varies in several templates names a thing
  // (a user, a host), not an event, and never splits a template.
  std::unordered_map<std::string, uint32_t> holder;
  std::vector<std::string_view> v;
  std::string value;
  for (uint32_t t = 0; t < templates_.size(); ++t) {
    const Tmpl& tm = templates_[t];
    for (uint32_t sid : tm.shapes) {
      ShapeTokens(shapes_[sid], v);
      for (size_t p = 0; p < v.size(); ++p) {
        if (!tm.tokens[p].wildcard || !SplitValue(v[p], value)) continue;
        auto [it, inserted] = holder.try_emplace(value, t);
        if (!inserted && it->second != t) it->second = kNone;
      }
    }
  }
  std::vector<uint32_t> work;
  for (uint32_t t = 0; t < templates_.size(); ++t) work.push_back(t);
  std::vector<std::vector<std::string_view>> toks;
  std::vector<std::string> vals;  // per member shape, at the position looked at
  std::vector<std::pair<std::string, uint64_t>> values;
  while (!work.empty()) {
    const uint32_t t = work.back();
    work.pop_back();
    const std::vector<uint32_t> members = templates_[t].shapes;
    if (members.size() < 2 || templates_[t].count < 2) continue;
    toks.resize(members.size());
    for (size_t k = 0; k < members.size(); ++k) ShapeTokens(shapes_[members[k]], toks[k]);
    const size_t n = templates_[t].tokens.size();
    const double limit = std::min(static_cast<double>(options_.max_split_values),
                                  std::sqrt(static_cast<double>(templates_[t].count)));
    // The position whose values are fewest, if few enough.
    size_t best_pos = n, best_v = 0;
    for (size_t p = 0; p < n; ++p) {
      if (!templates_[t].tokens[p].wildcard) continue;
      values.clear();
      bool ok = true;
      for (size_t k = 0; k < members.size() && ok; ++k) {
        const Shape& sh = shapes_[members[k]];
        if (sh.count == 0) continue;  // a seeded template's own text
        if (!SplitValue(toks[k][p], value)) {
          ok = false;
          break;
        }
        auto it = std::find_if(values.begin(), values.end(), [&](const auto& e) { return e.first == value; });
        if (it == values.end()) {
          values.emplace_back(value, sh.count);
        } else {
          it->second += sh.count;
        }
        ok = static_cast<double>(values.size()) <= limit;
      }
      if (!ok || values.size() < 2) continue;
      size_t shared = 0;
      for (const auto& e : values) {
        auto it = holder.find(e.first);
        shared += (it != holder.end() && it->second == kNone) ? 1 : 0;
      }
      if (2 * shared >= values.size()) continue;
      if (best_pos == n || values.size() < best_v) {
        best_pos = p;
        best_v = values.size();
      }
    }
    if (best_pos == n) continue;
    // Split by that position: the part holding the first shape keeps the
    // template (and its id); a seeded shape stays with it.
    std::vector<std::pair<std::string, std::vector<uint32_t>>> parts;
    for (size_t k = 0; k < members.size(); ++k) {
      if (shapes_[members[k]].count == 0 && !parts.empty()) {
        value = parts.front().first;
      } else if (!SplitValue(toks[k][best_pos], value)) {
        value.clear();
      }
      auto it = std::find_if(parts.begin(), parts.end(), [&](const auto& e) { return e.first == value; });
      if (it == parts.end()) {
        parts.push_back({value, {members[k]}});
      } else {
        it->second.push_back(members[k]);
      }
    }
    for (size_t i = 0; i < parts.size(); ++i) {
      uint32_t target = t;
      if (i > 0) {
        std::vector<std::string_view> first;
        ShapeTokens(shapes_[parts[i].second.front()], first);
        target = NewTemplate(templates_[t].group, first);
        work.push_back(target);
      }
      Rebuild(target, parts[i].second);
    }
    work.push_back(t);
  }
}

void TemplateMiner::Rebuild(uint32_t t, const std::vector<uint32_t>& members) {
  std::vector<std::string_view> first, other;
  ShapeTokens(shapes_[members.front()], first);
  std::vector<Token> tokens;
  tokens.reserve(first.size());
  for (std::string_view tok : first) tokens.push_back({std::string(tok), tok.find(kWildcard) != std::string_view::npos});
  uint64_t count = 0;
  for (uint32_t sid : members) {
    ShapeTokens(shapes_[sid], other);
    for (size_t p = 0; p < tokens.size(); ++p) {
      if (tokens[p].text != other[p]) {
        tokens[p].text = Generalize(tokens[p].text, other[p]);
        tokens[p].wildcard = true;
      }
    }
    shapes_[sid].tmpl = t;
    count += shapes_[sid].count;
  }
  Tmpl& tm = templates_[t];
  tm.tokens = std::move(tokens);
  tm.shapes = members;
  tm.count = count;
}

void TemplateMiner::Seed(uint32_t group, std::string_view text, uint64_t id) {
  // The text is what Text() showed; masking it again gives the key form
  // (placeholders stay as they are, soft words get their mark back).
  MaskTokens(text, line_, options_.mask, options_.max_tokens);
  key_.assign(reinterpret_cast<const char*>(&group), sizeof group);
  AppendKey(line_, key_);
  Shape s;
  s.group = group;
  s.count = 0;
  s.key = key_;
  for (size_t p = 0; p < line_.tokens.size(); ++p) {
    if (line_.tokens[p].line_start) s.line_starts.push_back(static_cast<uint16_t>(p));
  }
  s.example.assign(text.substr(0, kExampleBytes));
  std::vector<std::string_view> tokens;
  ShapeTokens(s, tokens);
  const uint32_t t = NewTemplate(group, tokens);
  Tmpl& tm = templates_[t];
  tm.id = id;
  tm.id_fixed = true;
  tm.seeded = true;
  const uint32_t sid = static_cast<uint32_t>(shapes_.size());
  s.tmpl = t;
  shape_index_.emplace(s.key, sid);  // a real shape of the same key finds it
  shapes_.push_back(std::move(s));
  tm.shapes.push_back(sid);
}

std::string TemplateMiner::Text(uint32_t t) const {
  const Tmpl& tm = templates_[t];
  const Shape& first = shapes_[tm.shapes.front()];
  std::string out;
  size_t next_line = 0;
  for (size_t p = 0; p < tm.tokens.size(); ++p) {
    if (p > 0) {
      bool nl = next_line < first.line_starts.size() && first.line_starts[next_line] == p;
      if (nl) ++next_line;
      out += nl ? '\n' : ' ';
    }
    const Token& tok = tm.tokens[p];
    if (tok.wildcard) {
      out += tok.text;
      continue;
    }
    out += Unmarked(tok.text);
  }
  return out;
}

const std::string& TemplateMiner::Example(uint32_t t) const {
  for (uint32_t sid : templates_[t].shapes) {
    if (shapes_[sid].count > 0) return shapes_[sid].example;
  }
  return shapes_[templates_[t].shapes.front()].example;
}

std::string TemplateMiner::WildcardText(uint32_t t) const { return WildcardTemplate(Text(t)); }

uint64_t TemplateMiner::Id(uint32_t t) {
  Tmpl& tm = templates_[t];
  if (!tm.id_fixed) {
    std::string key = groups_[tm.group];
    key += kSep;
    key += Text(t);
    tm.id = XXH3_64bits(key.data(), key.size());
    tm.id_fixed = true;
  }
  return tm.id;
}

std::vector<std::string> TemplateMiner::Parameters(uint32_t t, std::string_view message) const {
  const Tmpl& tm = templates_[t];
  MaskedLine line;
  MaskTokens(message, line, options_.mask, options_.max_tokens);
  std::vector<std::string> out;
  if (line.tokens.size() != tm.tokens.size()) return out;
  std::string key;
  for (size_t p = 0; p < tm.tokens.size(); ++p) {
    const Token& tok = tm.tokens[p];
    const MaskedToken& m = line.tokens[p];
    key.clear();
    if (m.soft) {
      key += kSoft;
      key.append(m.raw);
    } else {
      key.append(line.text(m));
    }
    if (tok.wildcard || m.masked) {
      out.emplace_back(m.raw);
    } else if (key != tok.text) {
      return {};
    }
  }
  return out;
}

}  // namespace lg
