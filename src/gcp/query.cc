#include "gcp/query.h"

#include <re2/re2.h>
#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "core/time.h"
#include "log_gardener/log_entry.h"

namespace lg::gcp {

enum class Op { kEq, kNe, kLt, kLe, kGt, kGe, kHas, kRe, kNotRe };

struct Query::Node {
  enum Kind { kAnd, kOr, kNot, kCompare, kSearch } kind = kCompare;
  std::vector<std::unique_ptr<Node>> children;
  std::vector<std::string> path;
  Op op = Op::kEq;
  std::vector<std::string> values;  // several: PATH = ("a" OR "b")
  std::vector<std::unique_ptr<RE2>> regexes;
};

namespace {

using Node = Query::Node;

struct Token {
  enum Kind { kWord, kString, kOp, kEnd } kind = kEnd;
  std::string text;
  size_t pos = 0;
};

bool WordChar(char c) {
  return !std::isspace(static_cast<unsigned char>(c)) && std::string_view("()\"=<>:!~").find(c) == std::string_view::npos;
}

StatusOr<std::vector<Token>> Tokenize(std::string_view s) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    Token t;
    t.pos = i;
    if (c == '"') {
      t.kind = Token::kString;
      ++i;
      bool closed = false;
      while (i < s.size()) {
        if (s[i] == '\\' && i + 1 < s.size()) {
          // \" and \\ escape; other backslashes stay (regexes keep \d).
          const char n = s[i + 1];
          if (n != '"' && n != '\\') t.text += '\\';
          t.text += n;
          i += 2;
        } else if (s[i] == '"') {
          closed = true;
          ++i;
          break;
        } else {
          t.text += s[i++];
        }
      }
      if (!closed) return Status::InvalidArgument(fmt::format("filter position {}: unterminated string", t.pos + 1));
    } else if (std::string_view("()=<>:!~").find(c) != std::string_view::npos) {
      t.kind = Token::kOp;
      const std::string_view two = s.substr(i, 2);
      if (two == ">=" || two == "<=" || two == "!=" || two == "=~" || two == "!~") {
        t.text = std::string(two);
        i += 2;
      } else if (c == '!' || c == '~') {
        return Status::InvalidArgument(fmt::format("filter position {}: unexpected '{}'", i + 1, c));
      } else {
        t.text = std::string(1, c);
        ++i;
      }
    } else {
      t.kind = Token::kWord;
      while (i < s.size() && WordChar(s[i])) t.text += s[i++];
    }
    out.push_back(std::move(t));
  }
  Token end;
  end.pos = s.size();
  out.push_back(end);
  return out;
}

std::optional<Op> OpOf(const Token& t) {
  if (t.kind != Token::kOp) return std::nullopt;
  static const std::pair<const char*, Op> kOps[] = {{"=", Op::kEq},  {"!=", Op::kNe}, {"<", Op::kLt},
                                                    {"<=", Op::kLe}, {">", Op::kGt},  {">=", Op::kGe},
                                                    {":", Op::kHas}, {"=~", Op::kRe}, {"!~", Op::kNotRe}};
  for (const auto& [text, op] : kOps) {
    if (t.text == text) return op;
  }
  return std::nullopt;
}

// Splits a path on dots outside quotes: labels."k8s-pod/app" → labels, k8s-pod/app.
std::vector<std::string> SplitPath(std::string_view p) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (char c : p) {
    if (c == '"') {
      quoted = !quoted;
    } else if (c == '.' && !quoted) {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

class Parser {
 public:
  explicit Parser(std::vector<Token> toks) : t_(std::move(toks)) {}

  StatusOr<std::unique_ptr<Node>> Parse() {
    auto e = Expr();
    if (!e.ok()) return e.status();
    if (Peek().kind != Token::kEnd) return Error("unexpected " + Describe(Peek()));
    return e;
  }

 private:
  const Token& Peek() const { return t_[i_]; }
  const Token& Take() { return t_[i_ < t_.size() - 1 ? i_++ : i_]; }
  bool IsWord(const char* w) const { return Peek().kind == Token::kWord && Peek().text == w; }
  static std::string Describe(const Token& t) {
    return t.kind == Token::kEnd ? std::string("end of filter") : "'" + t.text + "'";
  }
  Status Error(const std::string& what) const {
    return Status::InvalidArgument(fmt::format("filter position {}: {}", Peek().pos + 1, what));
  }

  static std::unique_ptr<Node> Join(Node::Kind kind, std::unique_ptr<Node> a, std::unique_ptr<Node> b) {
    auto n = std::make_unique<Node>();
    n->kind = kind;
    n->children.push_back(std::move(a));
    n->children.push_back(std::move(b));
    return n;
  }

  // AND (explicit or by adjacency) binds loosest.
  StatusOr<std::unique_ptr<Node>> Expr() {
    auto left = Disjunction();
    if (!left.ok()) return left;
    for (;;) {
      const Token& t = Peek();
      if (IsWord("AND")) {
        Take();
      } else if (t.kind == Token::kEnd || (t.kind == Token::kOp && t.text == ")")) {
        return left;
      }
      auto right = Disjunction();
      if (!right.ok()) return right;
      left = Join(Node::kAnd, std::move(*left), std::move(*right));
    }
  }

  StatusOr<std::unique_ptr<Node>> Disjunction() {
    auto left = Unary();
    if (!left.ok()) return left;
    while (IsWord("OR")) {
      Take();
      auto right = Unary();
      if (!right.ok()) return right;
      left = Join(Node::kOr, std::move(*left), std::move(*right));
    }
    return left;
  }

  StatusOr<std::unique_ptr<Node>> Unary() {
    const Token& t = Peek();
    if (IsWord("NOT")) {
      Take();
      return Negate(Unary());
    }
    if (t.kind == Token::kWord && (t.text == "and" || t.text == "or" || t.text == "not" || t.text == "And" ||
                                   t.text == "Or" || t.text == "Not")) {
      return Error("'" + t.text + "' must be upper-case to be an operator");
    }
    if (t.kind == Token::kOp && t.text == "(") {
      Take();
      auto e = Expr();
      if (!e.ok()) return e;
      if (Peek().kind != Token::kOp || Peek().text != ")") return Error("expected ')', got " + Describe(Peek()));
      Take();
      return e;
    }
    if (t.kind == Token::kString) {
      auto n = std::make_unique<Node>();
      n->kind = Node::kSearch;
      n->values.push_back(Take().text);
      return n;
    }
    if (t.kind != Token::kWord) return Error("expected a comparison, got " + Describe(t));
    std::string path = Take().text;
    if (path.size() > 1 && path[0] == '-') return Negate(Term(path.substr(1)));
    return Term(path);
  }

  static StatusOr<std::unique_ptr<Node>> Negate(StatusOr<std::unique_ptr<Node>> inner) {
    if (!inner.ok()) return inner;
    auto n = std::make_unique<Node>();
    n->kind = Node::kNot;
    n->children.push_back(std::move(*inner));
    return n;
  }

  StatusOr<std::unique_ptr<Node>> Term(std::string path) {
    // labels."k8s-pod/app": a quoted segment right after a dot.
    while (!path.empty() && path.back() == '.' && Peek().kind == Token::kString) path += "\"" + Take().text + "\"";
    auto n = std::make_unique<Node>();
    const auto op = OpOf(Peek());
    if (!op) {  // a bare word: a search over the whole entry
      n->kind = Node::kSearch;
      n->values.push_back(path);
      return n;
    }
    Take();
    n->kind = Node::kCompare;
    n->path = SplitPath(path);
    n->op = *op;
    if (Peek().kind == Token::kOp && Peek().text == "(") {
      Take();
      for (;;) {
        if (Peek().kind != Token::kString && Peek().kind != Token::kWord) {
          return Error("expected a value, got " + Describe(Peek()));
        }
        n->values.push_back(Take().text);
        if (IsWord("OR")) {
          Take();
          continue;
        }
        if (Peek().kind == Token::kOp && Peek().text == ")") {
          Take();
          break;
        }
        return Error("expected OR or ')', got " + Describe(Peek()));
      }
    } else if (Peek().kind == Token::kString || Peek().kind == Token::kWord) {
      n->values.push_back(Take().text);
    } else {
      return Error("expected a value after '" + path + "', got " + Describe(Peek()));
    }
    if (n->op == Op::kRe || n->op == Op::kNotRe) {
      for (const auto& v : n->values) {
        auto re = std::make_unique<RE2>(v, RE2::Quiet);
        if (!re->ok()) return Error(fmt::format("bad regular expression \"{}\": {}", v, re->error()));
        n->regexes.push_back(std::move(re));
      }
    }
    return n;
  }

  std::vector<Token> t_;
  size_t i_ = 0;
};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string ValueText(simdjson::dom::element e) {
  std::string_view s;
  if (e.get(s) == simdjson::SUCCESS) return std::string(s);
  return simdjson::minify(e);
}

std::optional<double> Number(std::string_view s) {
  double v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

template <typename T>
bool Ordered(const T& a, Op op, const T& b) {
  switch (op) {
    case Op::kEq: return a == b;
    case Op::kNe: return !(a == b);
    case Op::kLt: return a < b;
    case Op::kLe: return !(b < a);
    case Op::kGt: return b < a;
    case Op::kGe: return !(a < b);
    default: return false;
  }
}

bool CompareOne(const Node& n, std::optional<simdjson::dom::element> have, size_t i) {
  const std::string& want = n.values[i];
  const bool is_severity = n.path.size() == 1 && n.path[0] == "severity";
  if (is_severity && n.op != Op::kHas && n.op != Op::kRe && n.op != Op::kNotRe) {
    const auto w = ParseSeverity(want);
    if (!w) return false;
    Severity h = Severity::kDefault;
    if (have) {
      const auto parsed = ParseSeverity(ValueText(*have));
      if (parsed) h = *parsed;
    }
    return Ordered(static_cast<int>(h), n.op, static_cast<int>(*w));
  }
  if (!have) return n.op == Op::kNe || n.op == Op::kNotRe;
  const std::string text = ValueText(*have);
  switch (n.op) {
    case Op::kHas:
      return want == "*" || Lower(text).find(Lower(want)) != std::string::npos;
    case Op::kRe:
      return RE2::PartialMatch(text, *n.regexes[i]);
    case Op::kNotRe:
      return !RE2::PartialMatch(text, *n.regexes[i]);
    default:
      break;
  }
  const std::string& last = n.path.back();
  if (last == "timestamp" || last == "receiveTimestamp") {
    auto a = ParseTimestamp(text), b = ParseTimestamp(want);
    if (a.ok() && b.ok()) return Ordered(*a, n.op, *b);
  }
  const auto a = Number(text), b = Number(want);
  if (a && b) return Ordered(*a, n.op, *b);
  return Ordered(Lower(text), n.op, Lower(want));
}

bool Eval(const Node& n, simdjson::dom::element entry, std::string_view raw) {
  switch (n.kind) {
    case Node::kAnd:
      return Eval(*n.children[0], entry, raw) && Eval(*n.children[1], entry, raw);
    case Node::kOr:
      return Eval(*n.children[0], entry, raw) || Eval(*n.children[1], entry, raw);
    case Node::kNot:
      return !Eval(*n.children[0], entry, raw);
    case Node::kSearch:
      return Lower(raw).find(Lower(n.values[0])) != std::string::npos;
    case Node::kCompare:
      break;
  }
  std::optional<simdjson::dom::element> have = entry;
  for (const auto& seg : n.path) {
    simdjson::dom::element next;
    if (!have || have->at_key(seg).get(next) != simdjson::SUCCESS) {
      have.reset();
      break;
    }
    have = next;
  }
  for (size_t i = 0; i < n.values.size(); ++i) {
    if (CompareOne(n, have, i)) return true;
  }
  return false;
}

}  // namespace

Query::Query(std::unique_ptr<Node> root) : root_(std::move(root)) {}
Query::Query(Query&&) noexcept = default;
Query& Query::operator=(Query&&) noexcept = default;
Query::~Query() = default;

StatusOr<Query> Query::Parse(std::string_view text) {
  auto toks = Tokenize(text);
  if (!toks.ok()) return toks.status();
  if (toks->size() == 1) return Status::InvalidArgument("filter is empty");
  auto root = Parser(std::move(*toks)).Parse();
  if (!root.ok()) return root.status();
  return Query(std::move(*root));
}

bool Query::Matches(std::string_view entry_json) const {
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element e;
  if (parser.parse(entry_json.data(), entry_json.size()).get(e) != simdjson::SUCCESS) return false;
  return Eval(*root_, e, entry_json);
}

Status FilteredSource::Read(const EntryVisitor& visit, const EntryPreparer& prepare) {
  return inner_->Read(
      [&](const SourcedEntry& s) -> Status {
        if (!query_->Matches(s.raw)) return Status::Ok();
        return visit(s);
      },
      prepare);
}

}  // namespace lg::gcp
