#include "match/lexicon.h"

#include <algorithm>
#include <cctype>
#include <unordered_map>

#include "correlate/words.h"

namespace lg {
namespace {

// Concepts, each named by its first word. Words as a person writes them and
// as logs and libraries print them; stems work too ("connections" →
// "connect"). General engineering vocabulary only: no product, project or
// issue names.
const std::unordered_map<std::string_view, std::string_view>& Concepts() {
  static const auto* table = [] {
    auto* m = new std::unordered_map<std::string_view, std::string_view>;
    const std::vector<std::vector<std::string_view>> groups = {
        {"auth", "authentication", "authenticated", "authenticate", "authorization", "unauthorized",
         "unauthenticated", "authorized", "jwt", "token", "tokens", "login", "logged", "credential",
         "credentials", "secret", "signature", "signing"},
        {"db", "database", "postgres", "postgresql", "sql", "cloudsql", "psycopg2", "asyncpg", "sqlalchemy",
         "query", "mysql", "store", "storage", "table", "rows", "insert", "select"},
        {"oom", "memory", "heap", "rss", "mib", "gib"},
        {"redis", "cache", "memorystore"},
        {"connect", "connection", "connecting", "reconnect", "reconnecting", "reconnection", "dial", "refused",
         "unreachable", "reach", "reachable"},
        {"timeout", "timeouts", "timed", "deadline"},
        {"ratelimit", "ratelimited", "throttle", "throttled", "throttling", "quota"},
        {"fail", "failed", "failure", "failures", "failing", "fails"},
        {"slow", "latency", "p95", "p99", "slo", "sluggish", "lag", "took", "duration", "elapsed"},
        {"exception", "unhandled", "uncaught", "panic", "panicked", "traceback", "stacktrace"},
        {"scanner", "scan", "scanning", "bot", "bots", "crawler", "probe", "probing", "vulnerability"},
        {"startup", "boot", "booting", "start", "starting", "init", "initialization", "initialize", "spawn",
         "cold"},
        {"crash", "crashloop", "crashing", "exit", "exited", "exits", "restart", "restarted", "restarting"},
        {"deploy", "deployment", "deployed", "release", "rollout", "revision"},
        {"import", "module", "package", "packaging", "dependency", "dependencies", "requirements", "install",
         "installed"},
        {"websocket", "socket", "ws"},
        {"llm", "openai", "anthropic", "gpt", "claude", "model", "provider"},
        {"config", "configuration", "configured", "env", "environment", "setting", "settings", "variable"},
        {"deprecated", "deprecation", "obsolete", "legacy"},
        {"missing", "absent", "unavailable", "unset"},
        {"whitespace", "newline", "trailing", "sanitize", "sanitized"},
        {"duplicate", "duplicated", "duplicates", "multiple", "twice"},
    };
    for (const auto& g : groups) {
      for (auto w : g) (*m)[w] = g.front();
    }
    return m;
  }();
  return *table;
}

bool WordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
         static_cast<unsigned char>(c) >= 0x80;
}

}  // namespace

std::vector<std::string> MatchTokens(std::string_view text) {
  const auto& concepts = Concepts();
  std::vector<std::string> out;
  ForEachWord(text, [&](std::string_view w) {
    std::string stem = StemWord(w);
    auto it = concepts.find(w);
    if (it == concepts.end()) it = concepts.find(stem);
    const bool concept_word = it != concepts.end() && it->second != stem;
    out.push_back(std::move(stem));
    if (concept_word) out.push_back("~" + std::string(it->second));
  });
  // 4xx/5xx status codes standing alone ("returns 401", "→ 500").
  for (size_t i = 0; i + 3 <= text.size(); ++i) {
    const char c = text[i];
    if ((c != '4' && c != '5') || (i > 0 && WordChar(text[i - 1]))) continue;
    if (!std::isdigit(static_cast<unsigned char>(text[i + 1])) || !std::isdigit(static_cast<unsigned char>(text[i + 2]))) {
      continue;
    }
    if (i + 3 < text.size() && WordChar(text[i + 3])) continue;
    out.push_back("http" + std::string(text.substr(i, 3)));
  }
  return out;
}

std::vector<std::string> MatchWords(std::string_view text) {
  std::vector<std::string> out = MatchTokens(text);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace lg
