#include "mine/masker.h"

#include <array>

namespace lg {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool IsWordChar(char c) {
  return IsAlpha(c) || IsDigit(c) || c == '_' || c == '-' || c == '.' ||
         (static_cast<unsigned char>(c) >= 0x80);  // UTF-8 continues a word
}

// Counts a run of characters satisfying `pred` starting at `i`.
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
  if (i + n < s.size() && (s[i + n] == '.' || s[i + n] == ',') && i + n + 1 < s.size() &&
      IsDigit(s[i + n + 1])) {
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

// Date, optional [T ]time, optional zone.
size_t MatchTimestamp(std::string_view s, size_t i, MaskKind& kind) {
  size_t d = MatchDate(s, i);
  if (d == 0) return 0;
  kind = MaskKind::kDate;
  if (i + d < s.size() && (s[i + d] == 'T' || s[i + d] == ' ')) {
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

// a.b.c.d with each part 0-255, optional :port.
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
  if (p < s.size() && (IsDigit(s[p]) || (s[p] == '.' && p + 1 < s.size() && IsDigit(s[p + 1])))) {
    return 0;
  }
  if (p + 1 < s.size() && s[p] == ':' && IsDigit(s[p + 1])) p += 1 + Run(s, p + 1, IsDigit);
  return p - i;
}

size_t MatchEmail(std::string_view s, size_t i) {
  auto local = [](char c) { return IsAlpha(c) || IsDigit(c) || c == '.' || c == '_' || c == '-' || c == '+'; };
  size_t n = Run(s, i, local);
  if (n == 0 || i + n >= s.size() || s[i + n] != '@') return 0;
  auto domain = [](char c) { return IsAlpha(c) || IsDigit(c) || c == '.' || c == '-'; };
  size_t d = Run(s, i + n + 1, domain);
  std::string_view dom = s.substr(i + n + 1, d);
  while (!dom.empty() && dom.back() == '.') dom.remove_suffix(1);
  if (dom.find('.') == std::string_view::npos) return 0;
  return n + 1 + dom.size();
}

bool IsDurationUnit(std::string_view u) {
  return u == "ns" || u == "us" || u == "µs" || u == "ms" || u == "s" || u == "sec" ||
         u == "secs" || u == "m" || u == "min" || u == "mins" || u == "h" || u == "hr" ||
         u == "hrs" || u == "d" || u == "seconds" || u == "minutes" || u == "hours" ||
         u == "days" || u == "milliseconds";
}

bool IsSizeUnit(std::string_view u) {
  static constexpr std::string_view kUnits[] = {"b",   "kb",  "mb",  "gb",  "tb",    "kib",
                                                "mib", "gib", "tib", "k",   "m",     "g",
                                                "bytes", "byte"};
  std::string lower;
  for (char c : u) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  for (auto k : kUnits) {
    if (lower == k) return true;
  }
  return false;
}

// Classifies a word made of IsWordChar characters that contains a digit.
MaskKind ClassifyWord(std::string_view w) {
  // Pure number: -?digits(.digits)*
  size_t p = 0;
  if (w[0] == '-' || w[0] == '+') p = 1;
  size_t digits = Run(w, p, IsDigit);
  if (digits > 0) {
    size_t q = p + digits;
    while (q + 1 < w.size() && (w[q] == '.' || w[q] == ',') && IsDigit(w[q + 1])) {
      q += 1 + Run(w, q + 1, IsDigit);
    }
    if (q == w.size()) return MaskKind::kNum;
    std::string_view unit = w.substr(q);
    if (IsDurationUnit(unit)) return MaskKind::kDuration;
    if (IsSizeUnit(unit)) return MaskKind::kSize;
  }
  if (w.size() >= 2 && w[0] == '0' && (w[1] == 'x' || w[1] == 'X') &&
      Run(w, 2, IsHex) == w.size() - 2 && w.size() > 2) {
    return MaskKind::kHex;
  }
  if (w.size() >= 6 && Run(w, 0, IsHex) == w.size()) return MaskKind::kHex;
  return MaskKind::kId;
}

void Emit(std::string& out, MaskKind kind) {
  std::string_view ph = MaskPlaceholder(kind);
  // Collapse "<NUM> <NUM>" style repeats? No: counts of variables are
  // structure. But avoid "<ID><ID>" from adjacent masks.
  if (out.size() >= ph.size() && std::string_view(out).substr(out.size() - ph.size()) == ph) return;
  out += ph;
}

}  // namespace

std::string_view MaskPlaceholder(MaskKind kind) {
  switch (kind) {
    case MaskKind::kTimestamp: return "<TS>";
    case MaskKind::kDate: return "<DATE>";
    case MaskKind::kTime: return "<TIME>";
    case MaskKind::kUuid: return "<UUID>";
    case MaskKind::kIp: return "<IP>";
    case MaskKind::kEmail: return "<EMAIL>";
    case MaskKind::kHex: return "<HEX>";
    case MaskKind::kDuration: return "<DURATION>";
    case MaskKind::kSize: return "<SIZE>";
    case MaskKind::kNum: return "<NUM>";
    case MaskKind::kId: return "<ID>";
    case MaskKind::kStr: return "<STR>";
    case MaskKind::kValue: return "<VALUE>";
  }
  return "<*>";
}

bool IsPlaceholder(std::string_view token) {
  static constexpr std::string_view kAll[] = {"<TS>",  "<DATE>",     "<TIME>", "<UUID>", "<IP>",
                                              "<EMAIL>", "<HEX>",    "<DURATION>", "<SIZE>",
                                              "<NUM>", "<ID>",       "<STR>",  "<VALUE>", "<*>"};
  for (auto p : kAll) {
    if (token == p) return true;
  }
  return false;
}

std::string MaskMessage(std::string_view s, const MaskOptions& options) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    const bool at_boundary = i == 0 || !IsWordChar(s[i - 1]);
    // Quoted value after '=' or ': '.
    if (options.mask_quoted_values && (c == '\'' || c == '"') && i > 0) {
      size_t b = i;
      while (b > 0 && s[b - 1] == ' ') --b;
      if (b > 0 && (s[b - 1] == '=' || (s[b - 1] == ':' && b < i))) {
        size_t close = s.find(c, i + 1);
        size_t nl = s.find('\n', i + 1);
        if (close != std::string_view::npos && (nl == std::string_view::npos || close < nl)) {
          out += c;
          Emit(out, MaskKind::kStr);
          out += c;
          i = close + 1;
          continue;
        }
      }
    }
    if (at_boundary && (IsDigit(c) || IsAlpha(c))) {
      MaskKind kind = MaskKind::kNum;
      size_t n = 0;
      if (IsDigit(c)) {
        if ((n = MatchTimestamp(s, i, kind)) == 0) {
          if ((n = MatchTime(s, i)) > 0) {
            kind = MaskKind::kTime;
          } else if ((n = MatchIpv4(s, i)) > 0) {
            kind = MaskKind::kIp;
          }
        }
      }
      if (n == 0 && IsHex(c) && (n = MatchUuid(s, i)) > 0) kind = MaskKind::kUuid;
      if (n == 0 && (n = MatchEmail(s, i)) > 0) kind = MaskKind::kEmail;
      if (n > 0) {
        Emit(out, kind);
        i += n;
        continue;
      }
    }
    if (at_boundary && IsWordChar(c)) {
      size_t n = Run(s, i, IsWordChar);
      std::string_view word = s.substr(i, n);
      // A sentence-ending '.' is punctuation, not part of the word.
      while (word.size() > 1 && word.back() == '.') word.remove_suffix(1);
      bool has_digit = false;
      for (char w : word) has_digit |= IsDigit(w);
      bool after_eq = options.mask_key_values && i > 0 && s[i - 1] == '=';
      if (has_digit || (after_eq && word != "-")) {
        Emit(out, has_digit ? ClassifyWord(word) : MaskKind::kValue);
      } else {
        out += word;
      }
      i += word.size();
      continue;
    }
    out += c;
    ++i;
  }
  return out;
}

}  // namespace lg
