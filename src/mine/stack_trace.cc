#include "mine/stack_trace.h"

#include <algorithm>
#include <cstdlib>

#include <xxhash.h>

#include <fmt/format.h>

#include "mine/masker.h"

namespace lg {
namespace {

constexpr size_t kMaxLines = 4096;
constexpr size_t kFingerprintFrames = 3;

bool IsIdentChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$';
}
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> out;
  while (!text.empty() && out.size() < kMaxLines) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out.push_back(line);
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return out;
}

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool Contains(std::string_view s, std::string_view p) { return s.find(p) != std::string_view::npos; }

// `a.b.CamelType` followed by ':' or the end: an exception line. The last
// dotted component must start with a capital (`ValueError`, `SQLException`).
bool ParseExceptionLine(std::string_view line, std::string& type, std::string& message) {
  line = Trim(line);
  size_t i = 0;
  while (i < line.size() && (IsIdentChar(line[i]) || line[i] == '.')) ++i;
  if (i == 0 || (i < line.size() && line[i] != ':')) return false;
  std::string_view t = line.substr(0, i);
  if (t.back() == '.' || t.front() == '.') return false;
  size_t last = t.rfind('.');
  std::string_view name = last == std::string_view::npos ? t : t.substr(last + 1);
  if (name.empty() || !IsUpper(name.front())) return false;
  type.assign(t);
  message.assign(i < line.size() ? Trim(line.substr(i + 1)) : std::string_view());
  return true;
}

std::string Basename(std::string_view path) {
  size_t slash = path.find_last_of("/\\");
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

// Function names without what changes between builds: lambda and closure
// counters (`lambda$main$0`, `.func1`), argument lists, addresses.
std::string NormalizeFunction(std::string_view f) {
  std::string out;
  int depth = 0;
  for (size_t i = 0; i < f.size(); ++i) {
    char c = f[i];
    if (c == '(') {
      // Go's `(*T)` receiver stays; argument lists go.
      if (i + 1 < f.size() && f[i + 1] == '*') {
        out += c;
        continue;
      }
      ++depth;
      continue;
    }
    if (c == ')') {
      if (depth > 0) {
        --depth;
      } else {
        out += c;
      }
      continue;
    }
    if (depth > 0) continue;
    if (c >= '0' && c <= '9' && !out.empty() && (out.back() == '$' || out.back() == 'c' || IsIdentChar(out.back()))) {
      // Drop digit runs that follow `$` (lambdas) or end a `funcN` closure.
      bool after_dollar = out.back() == '$';
      bool after_func = out.size() >= 4 && out.compare(out.size() - 4, 4, "func") == 0;
      if (after_dollar || after_func) continue;
    }
    out += c;
  }
  return out;
}

void Finish(StackTrace& st) {
  std::string key = st.language;
  key += '\x1f';
  key += st.exception_type;
  if (st.language == "go") {
    // Go panics have no type: the masked message says which panic it is.
    key += '\x1f';
    key += MaskMessage(st.message.substr(0, 120));
  }
  size_t used = 0;
  bool any_app = std::any_of(st.frames.begin(), st.frames.end(), [](const StackFrame& f) { return f.in_app; });
  for (const StackFrame& f : st.frames) {
    if (any_app && !f.in_app) continue;
    key += '\x1f';
    key += NormalizeFunction(f.function);
    key += '@';
    key += Basename(f.file);
    if (++used == kFingerprintFrames) break;
  }
  st.fingerprint = XXH3_64bits(key.data(), key.size());
}

bool PythonInApp(std::string_view file) {
  return !(Contains(file, "site-packages") || Contains(file, "dist-packages") || Contains(file, "/lib/python") ||
           StartsWith(file, "<frozen") || StartsWith(file, "<string>"));
}

std::optional<StackTrace> ParsePython(const std::vector<std::string_view>& lines) {
  StackTrace st;
  st.language = "python";
  std::vector<StackFrame> section;  // outermost first, as printed
  bool in_trace = false;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view raw = lines[i];
    std::string_view line = Trim(raw);
    if (StartsWith(line, "Traceback (most recent call last)")) {
      in_trace = true;
      section.clear();
      continue;
    }
    if (!in_trace) continue;
    if (StartsWith(line, "File \"")) {
      StackFrame f;
      size_t close = line.find('"', 6);
      if (close == std::string_view::npos) continue;
      f.file.assign(line.substr(6, close - 6));
      std::string_view rest = line.substr(close + 1);
      if (size_t l = rest.find("line "); l != std::string_view::npos) f.line = std::atoi(std::string(rest.substr(l + 5, 12)).c_str());
      if (size_t in = rest.find(", in "); in != std::string_view::npos) f.function.assign(Trim(rest.substr(in + 5)));
      f.in_app = PythonInApp(f.file);
      section.push_back(std::move(f));
      continue;
    }
    // The exception ends the section: a line at column 0 (or, if the text
    // lost its indentation, any line) that reads like `Type: message`.
    if (!section.empty() || in_trace) {
      std::string type, message;
      const bool indented = !raw.empty() && (raw.front() == ' ' || raw.front() == '\t');
      if ((!indented || raw.size() == line.size()) && ParseExceptionLine(line, type, message)) {
        st.chain.push_back(type);
        st.exception_type = type;
        st.message = message;
        st.frames.assign(section.rbegin(), section.rend());
        in_trace = false;
      }
    }
  }
  if (st.exception_type.empty()) return std::nullopt;
  return st;
}

bool JavaInApp(std::string_view function) {
  static constexpr std::string_view kLibraries[] = {
      "java.",           "javax.",        "jdk.",         "sun.",          "com.sun.",     "kotlin.",
      "kotlinx.",        "scala.",        "org.springframework.", "org.apache.", "org.hibernate.",
      "com.fasterxml.",  "io.netty.",     "reactor.",     "io.grpc.",      "okhttp3.",     "com.google.",
      "org.junit.",      "org.eclipse.",  "io.micrometer.", "com.zaxxer."};
  for (auto p : kLibraries) {
    if (StartsWith(function, p)) return false;
  }
  return true;
}

std::optional<StackTrace> ParseJava(const std::vector<std::string_view>& lines) {
  StackTrace st;
  st.language = "java";
  std::vector<std::vector<StackFrame>> sections;
  std::vector<std::pair<std::string, std::string>> types;
  for (std::string_view raw : lines) {
    std::string_view line = Trim(raw);
    if (StartsWith(line, "at ") && line.find('(') != std::string_view::npos && line.back() == ')') {
      if (sections.empty()) continue;
      StackFrame f;
      size_t open = line.find('(');
      f.function.assign(Trim(line.substr(3, open - 3)));
      std::string_view loc = line.substr(open + 1, line.size() - open - 2);
      size_t colon = loc.rfind(':');
      f.file.assign(colon == std::string_view::npos ? loc : loc.substr(0, colon));
      if (colon != std::string_view::npos) f.line = std::atoi(std::string(loc.substr(colon + 1)).c_str());
      f.in_app = JavaInApp(f.function);
      sections.back().push_back(std::move(f));
      continue;
    }
    if (StartsWith(line, "...") || StartsWith(line, "Suppressed:")) continue;
    std::string_view head = line;
    if (StartsWith(head, "Caused by: ")) head.remove_prefix(11);
    if (StartsWith(head, "Exception in thread \"")) {
      size_t q = head.find('"', 21);
      if (q == std::string_view::npos) continue;
      head = Trim(head.substr(q + 1));
    }
    std::string type, message;
    if ((StartsWith(line, "Caused by: ") || sections.empty()) && ParseExceptionLine(head, type, message) &&
        type.find('.') != std::string::npos) {
      types.emplace_back(type, message);
      sections.emplace_back();
    }
  }
  if (types.empty() || std::all_of(sections.begin(), sections.end(), [](const auto& s) { return s.empty(); })) {
    return std::nullopt;
  }
  for (const auto& [t, m] : types) st.chain.push_back(t);
  // The root cause names the problem; its frames if printed, else the first's.
  st.exception_type = types.back().first;
  st.message = types.back().second;
  st.frames = sections.back().empty() ? sections.front() : sections.back();
  return st;
}

bool GoInApp(const StackFrame& f) {
  return !(StartsWith(f.function, "runtime.") || StartsWith(f.function, "net/http.") ||
           StartsWith(f.function, "sync.") || StartsWith(f.function, "reflect.") ||
           Contains(f.file, "/usr/local/go/src/") || Contains(f.file, "/go/pkg/mod/") || Contains(f.file, "/vendor/"));
}

std::optional<StackTrace> ParseGo(const std::vector<std::string_view>& lines) {
  StackTrace st;
  st.language = "go";
  bool in_goroutine = false;
  StackFrame pending;
  bool have_pending = false;
  for (std::string_view raw : lines) {
    std::string_view line = Trim(raw);
    if (st.exception_type.empty()) {
      for (std::string_view kind : {std::string_view("panic: "), std::string_view("fatal error: ")}) {
        if (size_t p = line.find(kind); p != std::string_view::npos && st.exception_type.empty()) {
          st.exception_type.assign(kind.substr(0, kind.size() - 2));
          std::string_view msg = line.substr(p + kind.size());
          if (size_t r = msg.find(" [recovered]"); r != std::string_view::npos) msg = msg.substr(0, r);
          st.message.assign(msg);
        }
      }
    }
    if (StartsWith(line, "goroutine ") && Contains(line, "[")) {
      if (in_goroutine && !st.frames.empty()) break;  // only the first (panicking) goroutine
      in_goroutine = true;
      continue;
    }
    if (!in_goroutine || line.empty()) continue;
    if (!raw.empty() && raw.front() == '\t' && have_pending) {
      // "\t/app/handler.go:42 +0x1d"
      std::string_view loc = line.substr(0, line.find(' '));
      size_t colon = loc.rfind(':');
      pending.file.assign(colon == std::string_view::npos ? loc : loc.substr(0, colon));
      if (colon != std::string_view::npos) pending.line = std::atoi(std::string(loc.substr(colon + 1)).c_str());
      pending.in_app = GoInApp(pending);
      st.frames.push_back(std::move(pending));
      pending = {};
      have_pending = false;
      continue;
    }
    if (StartsWith(line, "created by ")) continue;
    pending = {};
    pending.function.assign(line.substr(0, line.rfind('(') == std::string_view::npos ? line.size() : line.rfind('(')));
    have_pending = true;
  }
  if (st.exception_type.empty() || st.frames.empty()) return std::nullopt;
  st.chain.push_back(st.exception_type);
  return st;
}

bool NodeInApp(std::string_view file) {
  return !(Contains(file, "node_modules") || StartsWith(file, "node:") || StartsWith(file, "internal/") ||
           file == "<anonymous>" || file.empty());
}

// "    at fn (file:line:col)" or "    at file:line:col"
bool ParseNodeFrame(std::string_view line, StackFrame& f) {
  if (!StartsWith(line, "at ")) return false;
  std::string_view rest = line.substr(3);
  std::string_view loc = rest;
  if (rest.back() == ')' && rest.find(" (") != std::string_view::npos) {
    size_t open = rest.rfind(" (");
    f.function.assign(rest.substr(0, open));
    loc = rest.substr(open + 2, rest.size() - open - 3);
  }
  size_t c2 = loc.rfind(':');
  if (c2 == std::string_view::npos) return false;
  size_t c1 = loc.rfind(':', c2 - 1);
  if (c1 == std::string_view::npos) return false;
  f.file.assign(loc.substr(0, c1));
  f.line = std::atoi(std::string(loc.substr(c1 + 1, c2 - c1 - 1)).c_str());
  f.in_app = NodeInApp(f.file);
  return true;
}

std::optional<StackTrace> ParseNode(const std::vector<std::string_view>& lines) {
  StackTrace st;
  st.language = "node";
  for (std::string_view raw : lines) {
    std::string_view line = Trim(raw);
    StackFrame f;
    if (!st.exception_type.empty() && ParseNodeFrame(line, f)) {
      st.frames.push_back(std::move(f));
      continue;
    }
    if (st.frames.empty()) {
      std::string_view head = line;
      if (StartsWith(head, "Uncaught ")) head.remove_prefix(9);
      // The error line may follow a prefix such as "Unhandled error rendering /x: ".
      for (size_t p = 0; p < head.size(); ++p) {
        if (p > 0 && head[p - 1] != ' ') continue;
        std::string type, message;
        std::string_view cand = head.substr(p);
        if (ParseExceptionLine(cand, type, message) &&
            (type.ends_with("Error") || type.ends_with("Exception") || type == "Error")) {
          st.exception_type = type;
          st.message = message;
          break;
        }
      }
    }
  }
  if (st.exception_type.empty() || st.frames.empty()) return std::nullopt;
  st.chain.push_back(st.exception_type);
  return st;
}

std::optional<StackTrace> ParseDotnet(const std::vector<std::string_view>& lines) {
  StackTrace st;
  st.language = "dotnet";
  for (std::string_view raw : lines) {
    std::string_view line = Trim(raw);
    if (StartsWith(line, "at ") && (Contains(line, ":line ") || line.back() == ')')) {
      if (st.exception_type.empty()) continue;
      StackFrame f;
      std::string_view rest = line.substr(3);
      if (size_t in = rest.find(" in "); in != std::string_view::npos) {
        std::string_view loc = rest.substr(in + 4);
        rest = rest.substr(0, in);
        size_t l = loc.rfind(":line ");
        f.file.assign(l == std::string_view::npos ? loc : loc.substr(0, l));
        if (l != std::string_view::npos) f.line = std::atoi(std::string(loc.substr(l + 6)).c_str());
      }
      f.function.assign(rest.substr(0, rest.find('(')));
      f.in_app = !(StartsWith(f.function, "System.") || StartsWith(f.function, "Microsoft."));
      st.frames.push_back(std::move(f));
      continue;
    }
    std::string_view head = line;
    if (StartsWith(head, "---> ")) head.remove_prefix(5);
    if (StartsWith(head, "Unhandled exception. ")) head.remove_prefix(21);
    std::string type, message;
    if ((st.exception_type.empty() || StartsWith(line, "---> ")) && ParseExceptionLine(head, type, message) &&
        type.ends_with("Exception")) {
      st.chain.push_back(type);
      if (st.exception_type.empty()) {
        st.exception_type = type;
        st.message = message;
      }
    }
  }
  if (st.exception_type.empty() || st.frames.empty()) return std::nullopt;
  return st;
}

}  // namespace

std::string StackTrace::FingerprintText() const { return fmt::format("st1-{:016x}", fingerprint); }

const StackFrame* StackTrace::TopAppFrame() const {
  for (const StackFrame& f : frames) {
    if (f.in_app) return &f;
  }
  return frames.empty() ? nullptr : &frames.front();
}

bool MayHoldStackTrace(std::string_view text) {
  return Contains(text, "Traceback (most recent call last)") || Contains(text, "\tat ") ||
         Contains(text, "\n    at ") || Contains(text, "\n  at ") || Contains(text, "goroutine ") ||
         Contains(text, "\n   at ");
}

std::optional<StackTrace> ParseStackTrace(std::string_view text) {
  if (!MayHoldStackTrace(text)) return std::nullopt;
  const std::vector<std::string_view> lines = Lines(text);
  std::optional<StackTrace> st;
  if (Contains(text, "Traceback (most recent call last)")) {
    st = ParsePython(lines);
  } else if (Contains(text, "goroutine ") && (Contains(text, "panic: ") || Contains(text, "fatal error: "))) {
    st = ParseGo(lines);
  } else if (Contains(text, ".java:") || Contains(text, ".kt:") || Contains(text, "(Native Method)") ||
             Contains(text, "(Unknown Source)")) {
    st = ParseJava(lines);
  } else if (Contains(text, ":line ") || Contains(text, "---> ")) {
    st = ParseDotnet(lines);
  } else {
    st = ParseNode(lines);
    if (!st) st = ParseDotnet(lines);
  }
  if (st) Finish(*st);
  return st;
}

}  // namespace lg
