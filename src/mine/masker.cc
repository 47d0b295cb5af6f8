#include "mine/masker.h"

#include <array>

namespace lg {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAlnum(char c) { return IsDigit(c) || IsAlpha(c); }
bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
// Letters, digits and UTF-8 continue a word; '_', '.', '-' separate segments,
// so `core.1234` masks to `core.<NUM>` and `node-17` to `node-<NUM>`.
bool IsWordChar(char c) { return IsAlnum(c) || static_cast<unsigned char>(c) >= 0x80; }
bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}
// Characters that end a file path (Loghub-2.0's path-like string rule).
bool IsPathDelim(char c) {
  switch (c) {
    case ',': case '!': case ';': case ':': case '=': case '|': case '"': case '\'':
    case '[': case ']': case '(': case ')': case '{': case '}': case '<': case '>':
      return true;
    default:
      return IsSpace(c);
  }
}

template <typename Pred>
size_t Run(std::string_view s, size_t i, Pred pred) {
  size_t n = 0;
  while (i + n < s.size() && pred(s[i + n])) ++n;
  return n;
}

bool DigitsAt(std::string_view s, size_t i, size_t n) {
  if (i + n > s.size()) return false;
  for (size_t k = 0; k < n; ++k) {
    if (!IsDigit(s[i + k])) return false;
  }
  return true;
}

// HH:MM:SS(.frac)? at i; returns length or 0.
size_t MatchTime(std::string_view s, size_t i) {
  if (!DigitsAt(s, i, 2) || i + 8 > s.size() || s[i + 2] != ':' || !DigitsAt(s, i + 3, 2) ||
      s[i + 5] != ':' || !DigitsAt(s, i + 6, 2)) {
    return 0;
  }
  size_t n = 8;
  if (i + n + 1 < s.size() && (s[i + n] == '.' || s[i + n] == ',') && IsDigit(s[i + n + 1])) {
    n += 1 + Run(s, i + n + 1, IsDigit);
  }
  return n;
}

// YYYY-MM-DD or YYYY/MM/DD at i; returns length or 0.
size_t MatchDate(std::string_view s, size_t i) {
  if (!DigitsAt(s, i, 4) || i + 10 > s.size()) return 0;
  char sep = s[i + 4];
  if ((sep != '-' && sep != '/') || !DigitsAt(s, i + 5, 2) || s[i + 7] != sep ||
      !DigitsAt(s, i + 8, 2)) {
    return 0;
  }
  return 10;
}

// Date, optional Ttime, optional zone. (A date and a time separated by a
// space are two tokens: <DATE> <TIME>.)
size_t MatchTimestamp(std::string_view s, size_t i, MaskKind& kind) {
  size_t d = MatchDate(s, i);
  if (d == 0) return 0;
  kind = MaskKind::kDate;
  if (i + d < s.size() && s[i + d] == 'T') {
    size_t t = MatchTime(s, i + d + 1);
    if (t > 0) {
      kind = MaskKind::kTimestamp;
      size_t n = d + 1 + t;
      if (i + n < s.size() && s[i + n] == 'Z') {
        ++n;
      } else if (i + n < s.size() && (s[i + n] == '+' || s[i + n] == '-') &&
                 DigitsAt(s, i + n + 1, 2)) {
        size_t z = 3;
        if (i + n + z < s.size() && s[i + n + z] == ':') ++z;
        if (DigitsAt(s, i + n + z, 2)) n += z + 2;
      }
      return n;
    }
  }
  return d;
}

size_t MatchUuid(std::string_view s, size_t i) {
  static constexpr std::array<size_t, 5> kGroups = {8, 4, 4, 4, 12};
  size_t p = i;
  for (size_t g = 0; g < kGroups.size(); ++g) {
    if (g > 0) {
      if (p >= s.size() || s[p] != '-') return 0;
      ++p;
    }
    if (Run(s, p, IsHex) < kGroups[g]) return 0;
    p += kGroups[g];
  }
  if (p < s.size() && IsHex(s[p])) return 0;
  return p - i;
}

// a.b.c.d with each part 0-255. A port stays outside (<IP>:<NUM>).
size_t MatchIpv4(std::string_view s, size_t i) {
  size_t p = i;
  for (int part = 0; part < 4; ++part) {
    if (part > 0) {
      if (p >= s.size() || s[p] != '.') return 0;
      ++p;
    }
    size_t n = Run(s, p, IsDigit);
    if (n == 0 || n > 3) return 0;
    int v = 0;
    for (size_t k = 0; k < n; ++k) v = v * 10 + (s[p + k] - '0');
    if (v > 255) return 0;
    p += n;
  }
  if (p < s.size() && (IsWordChar(s[p]) || (s[p] == '.' && p + 1 < s.size() && IsDigit(s[p + 1])))) {
    return 0;
  }
  return p - i;
}

// Hex groups of at most 4 joined by ':' with a "::" or exactly 8 groups.
size_t MatchIpv6(std::string_view s, size_t i) {
  size_t p = i;
  int groups = 0, colons = 0;
  bool dbl = false;
  while (p < s.size()) {
    if (IsHex(s[p])) {
      size_t r = Run(s, p, IsHex);
      if (r > 4) return 0;
      ++groups;
      p += r;
    } else if (s[p] == ':') {
      if (p + 1 < s.size() && s[p + 1] == ':') {
        if (dbl) break;
        dbl = true;
        colons += 2;
        p += 2;
      } else if (p + 1 < s.size() && IsHex(s[p + 1])) {
        ++colons;
        ++p;
      } else {
        break;  // a trailing ':' is punctuation
      }
    } else {
      break;
    }
  }
  if (p < s.size() && IsWordChar(s[p])) return 0;
  if (groups == 0 || !(dbl || (groups == 8 && colons == 7))) return 0;
  if (colons < 2) return 0;
  return p - i;
}

size_t MatchEmail(std::string_view s, size_t i) {
  auto local = [](char c) { return IsAlnum(c) || c == '.' || c == '_' || c == '-' || c == '+'; };
  size_t n = Run(s, i, local);
  if (n == 0 || i + n >= s.size() || s[i + n] != '@') return 0;
  auto domain = [](char c) { return IsAlnum(c) || c == '.' || c == '-'; };
  size_t d = Run(s, i + n + 1, domain);
  std::string_view dom = s.substr(i + n + 1, d);
  while (!dom.empty() && dom.back() == '.') dom.remove_suffix(1);
  if (dom.find('.') == std::string_view::npos) return 0;
  return n + 1 + dom.size();
}

bool EqualsLower(std::string_view word, std::string_view lower);

bool IsHostChar(char c) { return IsAlnum(c) || c == '.' || c == '-'; }

// Source file extensions: `sweep.c:42` is a file and line, not host and port.
bool IsSourceExtension(std::string_view ext) {
  static constexpr std::string_view kExt[] = {"c",  "h",  "cc", "cpp", "hpp", "cxx", "py", "java",
                                              "go", "js", "ts", "rb",  "rs",  "kt",  "scala", "cs",
                                              "php", "pl", "sh", "swift", "m", "mm", "lua", "ex"};
  for (auto e : kExt) {
    if (EqualsLower(ext, e)) return true;
  }
  return false;
}

bool IsCommonTld(std::string_view tld) {
  static constexpr std::string_view kTld[] = {
      "com", "net", "org", "edu", "gov", "mil", "int", "io",  "co",  "uk",  "de",  "fr", "jp",
      "cn",  "hk",  "ru",  "br",  "in",  "au",  "ca",  "nl",  "se",  "ch",  "it",  "es", "kr",
      "tw",  "internal", "local", "lan", "arpa", "dev", "cloud", "info", "biz", "us", "eu"};
  for (auto t : kTld) {
    if (EqualsLower(tld, t)) return true;
  }
  return false;
}

// A host name at i: labels of letters, digits and '-' joined by '.', with a
// letter somewhere, that is either followed by ":port" (and has a '.', '-' or
// digit, so `batch:1` stays a word) or ends in a common top-level domain
// after at least two dots. Returns its length or 0.
size_t MatchHost(std::string_view s, size_t i) {
  size_t n = Run(s, i, IsHostChar);
  while (n > 0 && (s[i + n - 1] == '.' || s[i + n - 1] == '-')) --n;
  if (n < 3) return 0;
  std::string_view h = s.substr(i, n);
  bool letter = false, marks = false;
  size_t dots = 0;
  for (char c : h) {
    letter |= IsAlpha(c);
    marks |= c == '-' || IsDigit(c);
    dots += c == '.' ? 1 : 0;
  }
  if (!letter || h.find("..") != std::string_view::npos) return 0;
  const size_t last_dot = h.rfind('.');
  std::string_view last = last_dot == std::string_view::npos ? h : h.substr(last_dot + 1);
  const bool port = i + n + 1 < s.size() && s[i + n] == ':' && IsDigit(s[i + n + 1]) &&
                    i + n + 1 + Run(s, i + n + 1, IsDigit) == s.size();
  const bool port_like = i + n + 1 < s.size() && s[i + n] == ':' && IsDigit(s[i + n + 1]) &&
                         (i + n + 1 + Run(s, i + n + 1, IsDigit) == s.size() ||
                          !IsWordChar(s[i + n + 1 + Run(s, i + n + 1, IsDigit)]));
  (void)port;
  if (port_like && (dots > 0 || marks) && !(last_dot != std::string_view::npos && IsSourceExtension(last))) {
    return n;
  }
  if (dots >= 2 && IsCommonTld(last)) return n;
  return 0;
}

bool EqualsLower(std::string_view word, std::string_view lower) {
  if (word.size() != lower.size()) return false;
  for (size_t k = 0; k < word.size(); ++k) {
    char c = word[k];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    if (c != lower[k]) return false;
  }
  return true;
}

bool IsDurationUnit(std::string_view u) {
  static constexpr std::string_view kUnits[] = {
      "ns", "us", "µs", "ms", "s", "sec", "secs", "m", "min", "mins", "h", "hr", "hrs", "d",
      "seconds", "minutes", "hours", "days", "milliseconds"};
  for (auto k : kUnits) {
    if (EqualsLower(u, k)) return true;
  }
  return false;
}

bool IsSizeUnit(std::string_view u) {
  static constexpr std::string_view kUnits[] = {"b",   "kb",  "mb",  "gb", "tb", "kib", "mib",
                                                "gib", "tib", "k",   "g",  "bytes", "byte"};
  for (auto k : kUnits) {
    if (EqualsLower(u, k)) return true;
  }
  return false;
}

bool IsBoolWord(std::string_view w) {
  return EqualsLower(w, "true") || EqualsLower(w, "false") || EqualsLower(w, "null");
}

// Classifies a word (a sign, then letters/digits with '.'-joined digit runs)
// that contains a digit.
MaskKind ClassifyWord(std::string_view w) {
  size_t p = (w[0] == '-' || w[0] == '+') ? 1 : 0;
  size_t digits = Run(w, p, IsDigit);
  if (digits > 0) {
    size_t q = p + digits;
    while (q + 1 < w.size() && w[q] == '.' && IsDigit(w[q + 1])) q += 1 + Run(w, q + 1, IsDigit);
    if (q == w.size()) return MaskKind::kNum;
    std::string_view unit = w.substr(q);
    if (Run(unit, 0, IsAlpha) == unit.size() || unit == "µs") {
      if (IsDurationUnit(unit)) return MaskKind::kDuration;
      if (IsSizeUnit(unit)) return MaskKind::kSize;
    }
  }
  if (w.size() > 2 && w[0] == '0' && (w[1] == 'x' || w[1] == 'X') &&
      Run(w, 2, IsHex) == w.size() - 2) {
    return MaskKind::kHex;
  }
  if (w.size() >= 7 && Run(w, 0, IsHex) == w.size()) return MaskKind::kHex;
  return MaskKind::kId;
}

// Length of a URL's scheme ending at `colon` (the ':' of "://"), or 0.
size_t SchemeBefore(std::string_view s, size_t colon) {
  size_t b = colon;
  while (b > 0 && (IsAlnum(s[b - 1]) || s[b - 1] == '+' || s[b - 1] == '.' || s[b - 1] == '-')) --b;
  while (b < colon && !IsAlpha(s[b])) ++b;
  return colon - b;
}

bool IsTrailingPunct(char c) {
  switch (c) {
    case '.': case ',': case ';': case ':': case ')': case ']': case '}': case '\'': case '"':
    case '>': case '!': case '?':
      return true;
    default:
      return false;
  }
}

bool IsMonthName(std::string_view w) {
  static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (auto m : kMonths) {
    if (w == m) return true;
  }
  return false;
}

bool IsWeekdayName(std::string_view w) {
  static constexpr std::string_view kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  for (auto d : kDays) {
    if (w == d) return true;
  }
  return false;
}

// The next whitespace-separated token at or after `i`.
std::string_view NextToken(std::string_view s, size_t& i) {
  while (i < s.size() && IsSpace(s[i])) ++i;
  size_t b = i;
  while (i < s.size() && !IsSpace(s[i])) ++i;
  return s.substr(b, i - b);
}

// After a month name ending at `i`: "D HH:MM..." follows (syslog and ctime dates).
bool DayTimeFollows(std::string_view s, size_t i) {
  std::string_view day = NextToken(s, i);
  if (day.empty() || day.size() > 2 || Run(day, 0, IsDigit) != day.size()) return false;
  std::string_view time = NextToken(s, i);
  size_t h = Run(time, 0, IsDigit);
  return h >= 1 && h <= 2 && time.size() >= h + 3 && time[h] == ':' && DigitsAt(time, h + 1, 2);
}

// Is the token text[b, e) the weekday or month name of a written-out date
// ("Fri Jun 17 07:07:00 2005", "Jun 17 07:07:00")?
bool IsDateWord(std::string_view text, size_t b, size_t e) {
  std::string_view w = text.substr(b, e - b);
  if (IsMonthName(w)) return DayTimeFollows(text, e);
  if (IsWeekdayName(w)) {
    size_t i = e;
    std::string_view month = NextToken(text, i);
    return IsMonthName(month) && DayTimeFollows(text, i);
  }
  return false;
}

// Character classes for MaskToken's first look at a token.
constexpr unsigned kClsDigit = 1, kClsSlash = 2, kClsAt = 4, kClsQuote = 8, kClsColon = 16, kClsDot = 32;
constexpr std::array<uint8_t, 256> MakeCharClass() {
  std::array<uint8_t, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[c] = kClsDigit;
  t['/'] = kClsSlash;
  t['@'] = kClsAt;
  t['\''] = kClsQuote;
  t['"'] = kClsQuote;
  t[':'] = kClsColon;
  t['.'] = kClsDot;
  return t;
}
constexpr std::array<uint8_t, 256> kCharClass = MakeCharClass();

}  // namespace

std::string_view MaskPlaceholder(MaskKind kind) {
  switch (kind) {
    case MaskKind::kTimestamp: return "<TS>";
    case MaskKind::kDate: return "<DATE>";
    case MaskKind::kTime: return "<TIME>";
    case MaskKind::kUuid: return "<UUID>";
    case MaskKind::kIp: return "<IP>";
    case MaskKind::kEmail: return "<EMAIL>";
    case MaskKind::kUrl: return "<URL>";
    case MaskKind::kHost: return "<HOST>";
    case MaskKind::kPath: return "<PATH>";
    case MaskKind::kHex: return "<HEX>";
    case MaskKind::kDuration: return "<DURATION>";
    case MaskKind::kSize: return "<SIZE>";
    case MaskKind::kNum: return "<NUM>";
    case MaskKind::kBool: return "<BOOL>";
    case MaskKind::kId: return "<ID>";
    case MaskKind::kStr: return "<STR>";
    case MaskKind::kValue: return "<VALUE>";
  }
  return "<*>";
}

bool IsPlaceholder(std::string_view token) {
  static constexpr std::string_view kAll[] = {
      "<TS>",  "<DATE>",     "<TIME>", "<UUID>", "<IP>",  "<EMAIL>", "<URL>", "<HOST>", "<PATH>", "<HEX>",
      "<DURATION>", "<SIZE>", "<NUM>", "<BOOL>", "<ID>", "<STR>", "<VALUE>", "<*>"};
  if (token.size() < 3 || token.front() != '<' || token.back() != '>') return false;
  for (auto p : kAll) {
    if (token == p) return true;
  }
  return false;
}

bool MaskToken(std::string_view s, std::string& out, bool& soft, const MaskOptions& options) {
  // One look at the bytes decides which recognizers can match at all; most
  // tokens of a log line are plain words and are copied as they are.
  unsigned seen = 0;
  int dots = 0;
  for (char c : s) {
    const unsigned cls = kCharClass[static_cast<unsigned char>(c)];
    seen |= cls;
    dots += static_cast<int>(cls >> 5);
  }
  const bool digit = seen & kClsDigit, slash = seen & kClsSlash, at = seen & kClsAt,
             quote = seen & kClsQuote, colon = seen & kClsColon;
  const bool maybe_host = options.mask_hosts && (colon || dots >= 2);
  if (!digit && !slash && !at && !quote && !maybe_host && !(colon && s.find("::") != std::string_view::npos)) {
    // Only booleans and written values can still be variables.
    bool maybe_bool = false;
    for (size_t k = 0; k + 3 <= s.size() && !maybe_bool; ++k) {
      auto lower = [&](size_t j) { return static_cast<char>(s[j] | 0x20); };
      const char a = lower(k), b = lower(k + 1), c = lower(k + 2);
      maybe_bool = (a == 'r' && b == 'u' && c == 'e') || (a == 'a' && b == 'l' && c == 's') ||
                   (a == 'u' && b == 'l' && c == 'l');
    }
    const bool maybe_value = options.mask_key_values && s.find('=') != std::string_view::npos;
    if (!maybe_bool && !maybe_value) {
      out.append(s);
      soft = false;
      return false;
    }
  }
  bool any = false;
  bool all_soft = true;
  auto emit = [&](MaskKind kind) {
    any = true;
    all_soft = all_soft && kind == MaskKind::kId;
    out += MaskPlaceholder(kind);
  };
  size_t i = 0;
  const size_t n = s.size();
  // A URL keeps its scheme; the rest, up to trailing punctuation, is the variable.
  if (size_t sep = colon && slash ? s.find("://") : std::string_view::npos;
      sep != std::string_view::npos && SchemeBefore(s, sep) > 0) {
    size_t end = n;
    while (end > sep + 3 && IsTrailingPunct(s[end - 1])) --end;
    if (end > sep + 3) {
      size_t scheme = sep - SchemeBefore(s, sep);
      // The text before the scheme (`url=`, `(`) is masked like any other.
      bool prefix_soft = true;
      bool prefix_any = scheme > 0 && MaskToken(s.substr(0, scheme), out, prefix_soft, options);
      out.append(s.substr(scheme, sep + 3 - scheme));
      std::string_view rest = s.substr(sep + 3, end - sep - 3);
      if (rest.find_first_of("/?#") == std::string_view::npos) {
        // Only an authority: host and port are two variables.
        size_t colon = rest.rfind(':');
        emit(MaskKind::kHost);
        if (colon != std::string_view::npos && colon + 1 < rest.size() &&
            Run(rest, colon + 1, IsDigit) == rest.size() - colon - 1) {
          out += ':';
          emit(MaskKind::kNum);
        }
      } else {
        emit(MaskKind::kUrl);
      }
      out.append(s.substr(end));
      soft = false;
      (void)prefix_any;
      return true;
    }
  }
  while (i < n) {
    const char c = s[i];
    const char prev = i > 0 ? s[i - 1] : ' ';
    const bool boundary = i == 0 || !IsWordChar(prev);
    if (options.mask_quoted_values && (c == '\'' || c == '"') && (prev == '=' || prev == ':') && i > 0) {
      size_t close = s.find(c, i + 1);
      if (close != std::string_view::npos && close > i + 1) {
        out += c;
        emit(MaskKind::kStr);
        out += c;
        i = close + 1;
        continue;
      }
    }
    if (options.mask_paths && slash && c == '/' && (i == 0 || IsPathDelim(prev)) && i + 1 < n &&
        s[i + 1] != '/' && !IsPathDelim(s[i + 1])) {
      size_t j = i;
      while (j < n && !IsPathDelim(s[j])) ++j;
      while (j > i + 1 && s[j - 1] == '.') --j;
      std::string_view piece = s.substr(i, j - i);
      if (piece.size() >= 2 && piece.find("//") == std::string_view::npos) {
        emit(MaskKind::kPath);
        i = j;
        continue;
      }
    }
    if (boundary && (digit || colon) && (IsHex(c) || c == ':')) {
      MaskKind kind = MaskKind::kNum;
      size_t m = 0;
      if (IsDigit(c)) {
        if ((m = MatchTimestamp(s, i, kind)) == 0) {
          if ((m = MatchTime(s, i)) > 0) {
            kind = MaskKind::kTime;
          } else if ((m = MatchIpv4(s, i)) > 0) {
            kind = MaskKind::kIp;
          }
        }
      }
      if (m == 0 && c != ':' && (m = MatchUuid(s, i)) > 0) kind = MaskKind::kUuid;
      if (m == 0 && (c == ':' || IsHex(c)) && (m = MatchIpv6(s, i)) > 0) kind = MaskKind::kIp;
      if (m > 0) {
        emit(kind);
        i += m;
        continue;
      }
    }
    if (boundary && IsAlnum(c) && (at || maybe_host)) {
      if (size_t m = at ? MatchEmail(s, i) : 0; m > 0) {
        emit(MaskKind::kEmail);
        i += m;
        continue;
      }
      if (size_t m = maybe_host ? MatchHost(s, i) : 0; m > 0) {
        emit(MaskKind::kHost);
        i += m;
        continue;
      }
    }
    // A sign belongs to the number when nothing alphanumeric precedes it
    // (`blk_-42`, `(-7)`), not in `a-7`.
    const bool signed_num = (c == '-' || c == '+') && i + 1 < n && IsDigit(s[i + 1]) &&
                            (i == 0 || !IsAlnum(prev));
    if (signed_num || (boundary && IsWordChar(c))) {
      size_t j = i + (signed_num ? 1 : 0);
      const bool numeric_start = IsDigit(s[j]);
      j += Run(s, j, IsWordChar);
      if (numeric_start) {
        // Decimals and dotted versions are one number: 3.14, 1.2.3.
        while (j + 1 < n && s[j] == '.' && IsDigit(s[j + 1])) j += 1 + Run(s, j + 1, IsWordChar);
      }
      std::string_view word = s.substr(i, j - i);
      bool has_digit = numeric_start;
      for (size_t k = 0; k < word.size() && !has_digit; ++k) has_digit = IsDigit(word[k]);
      if (has_digit) {
        emit(ClassifyWord(word));
      } else if (IsBoolWord(word)) {
        emit(MaskKind::kBool);
      } else if (options.mask_key_values && prev == '=' && i > 0) {
        emit(MaskKind::kValue);
      } else {
        out.append(word);
      }
      i = j;
      continue;
    }
    out += c;
    ++i;
  }
  soft = any && all_soft;
  return any;
}

void MaskTokens(std::string_view text, MaskedLine& out, const MaskOptions& options,
                size_t max_tokens) {
  out.clear();
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    bool newline = false;
    while (i < n && IsSpace(text[i])) newline |= text[i++] == '\n';
    if (i >= n) break;
    MaskedToken t;
    t.line_start = newline && !out.tokens.empty();
    t.begin = static_cast<uint32_t>(out.buf.size());
    if (max_tokens > 0 && out.tokens.size() + 1 == max_tokens) {
      // The tail is one variable token.
      size_t end = n;
      while (end > i && IsSpace(text[end - 1])) --end;
      t.raw = text.substr(i, end - i);
      out.buf += "<*>";
      t.masked = true;
      t.size = 3;
      out.tokens.push_back(t);
      break;
    }
    size_t j = i;
    while (j < n && !IsSpace(text[j])) ++j;
    t.raw = text.substr(i, j - i);
    bool soft = false;
    if (t.raw.size() == 3 && IsDateWord(text, i, j)) {
      out.buf += MaskPlaceholder(MaskKind::kDate);
      t.masked = true;
    } else {
      t.masked = MaskToken(t.raw, out.buf, soft, options);
    }
    t.soft = soft;
    t.size = static_cast<uint32_t>(out.buf.size() - t.begin);
    out.tokens.push_back(t);
    i = j;
  }
}

std::string MaskMessage(std::string_view text, const MaskOptions& options) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  bool soft = false;
  while (i < text.size()) {
    if (IsSpace(text[i])) {
      out += text[i++];
      continue;
    }
    size_t j = i;
    while (j < text.size() && !IsSpace(text[j])) ++j;
    if (j - i == 3 && IsDateWord(text, i, j)) {
      out += MaskPlaceholder(MaskKind::kDate);
    } else {
      MaskToken(text.substr(i, j - i), out, soft, options);
    }
    i = j;
  }
  return out;
}

}  // namespace lg
