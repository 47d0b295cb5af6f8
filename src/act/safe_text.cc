#include "act/safe_text.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <memory>

#include <re2/re2.h>

namespace lg {
namespace {

constexpr std::string_view kRedacted = "[REDACTED]";

bool IsTokenChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' ||
         c == '/' || c == '+' || c == '=' || c == '~';
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool IsSecretKey(std::string_view key_lower) {
  static constexpr std::array<std::string_view, 14> kKeys = {
      "password", "passwd", "pwd", "secret", "token", "api_key", "apikey", "api-key",
      "authorization", "cookie", "private_key", "access_key", "client_secret", "credentials"};
  for (auto k : kKeys) {
    if (key_lower.find(k) != std::string_view::npos) return true;
  }
  return false;
}

// Replaces every match of a prefix-introduced token ("ghp_", "AKIA").
void RedactPrefixed(std::string& s, std::string_view prefix, size_t min_tail, std::string_view extra = "") {
  size_t pos = 0;
  while ((pos = s.find(prefix, pos)) != std::string::npos) {
    if (pos > 0 && std::isalnum(static_cast<unsigned char>(s[pos - 1]))) {
      pos += prefix.size();
      continue;
    }
    size_t end = pos + prefix.size();
    while (end < s.size() && (std::isalnum(static_cast<unsigned char>(s[end])) || s[end] == '_' ||
                              extra.find(s[end]) != std::string_view::npos)) {
      ++end;
    }
    if (end - pos - prefix.size() >= min_tail) {
      s.replace(pos, end - pos, kRedacted);
      pos += kRedacted.size();
    } else {
      pos = end;
    }
  }
}

// key=value, key: value, "key": "value" where key names a secret.
void RedactKeyValues(std::string& s) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '=' && s[i] != ':') continue;
    // The key: letters before the separator, optionally quoted.
    size_t kend = i;
    if (kend > 0 && (s[kend - 1] == '"' || s[kend - 1] == '\'')) --kend;
    size_t kstart = kend;
    while (kstart > 0 && (std::isalnum(static_cast<unsigned char>(s[kstart - 1])) || s[kstart - 1] == '_' ||
                          s[kstart - 1] == '-')) {
      --kstart;
    }
    if (kstart == kend || !IsSecretKey(Lower(std::string_view(s).substr(kstart, kend - kstart)))) continue;
    size_t v = i + 1;
    while (v < s.size() && s[v] == ' ') ++v;
    if (v >= s.size()) break;
    char quote = (s[v] == '"' || s[v] == '\'') ? s[v] : 0;
    size_t vstart = quote ? v + 1 : v;
    size_t vend = vstart;
    if (quote) {
      while (vend < s.size() && s[vend] != quote && s[vend] != '\n') ++vend;
    } else {
      // "Authorization: Bearer abc" — take the scheme word and the credential.
      std::string lower_rest = Lower(std::string_view(s).substr(vstart, 7));
      if (lower_rest.starts_with("bearer ") || lower_rest.starts_with("basic ")) {
        vend = s.find(' ', vstart) + 1;
      }
      while (vend < s.size() && !std::isspace(static_cast<unsigned char>(s[vend])) && s[vend] != ',' &&
             s[vend] != ';' && s[vend] != '&' && s[vend] != '}' && s[vend] != ')') {
        ++vend;
      }
    }
    if (vend > vstart && std::string_view(s).substr(vstart, vend - vstart) != kRedacted) {
      s.replace(vstart, vend - vstart, kRedacted);
      i = vstart + kRedacted.size() - 1;
    }
  }
}

void RedactBearer(std::string& s) {
  std::string lower = Lower(s);
  size_t pos = 0;
  while ((pos = lower.find("bearer ", pos)) != std::string::npos) {
    size_t v = pos + 7;
    size_t end = v;
    while (end < s.size() && IsTokenChar(s[end])) ++end;
    if (end - v >= 8 && std::string_view(s).substr(v, end - v) != kRedacted) {
      s.replace(v, end - v, kRedacted);
      lower = Lower(s);
    }
    pos = v;
  }
}

// eyJ<header>.eyJ<payload>.<signature>
void RedactJwts(std::string& s) {
  size_t pos = 0;
  while ((pos = s.find("eyJ", pos)) != std::string::npos) {
    size_t end = pos;
    int dots = 0;
    while (end < s.size() && (std::isalnum(static_cast<unsigned char>(s[end])) || s[end] == '_' ||
                              s[end] == '-' || s[end] == '.')) {
      if (s[end] == '.') ++dots;
      ++end;
    }
    if (dots >= 2 && end - pos >= 20) {
      s.replace(pos, end - pos, kRedacted);
      pos += kRedacted.size();
    } else {
      pos = end;
    }
  }
}

void RedactPem(std::string& s) {
  size_t pos = 0;
  while ((pos = s.find("-----BEGIN", pos)) != std::string::npos) {
    size_t header_end = s.find("-----", pos + 10);
    if (header_end == std::string::npos) break;
    std::string_view header = std::string_view(s).substr(pos, header_end - pos);
    if (header.find("PRIVATE KEY") == std::string_view::npos) {
      pos = header_end;
      continue;
    }
    size_t end = s.find("-----END", header_end);
    size_t stop = end == std::string::npos ? s.size() : s.find("-----", end + 8);
    stop = stop == std::string::npos ? s.size() : stop + 5;
    s.replace(pos, stop - pos, "[REDACTED PRIVATE KEY]");
    pos += 22;
  }
}

// scheme://user:password@host
void RedactUrlPasswords(std::string& s) {
  size_t pos = 0;
  while ((pos = s.find("://", pos)) != std::string::npos) {
    size_t start = pos + 3;
    size_t at = start;
    while (at < s.size() && s[at] != '@' && s[at] != '/' && !std::isspace(static_cast<unsigned char>(s[at]))) ++at;
    if (at < s.size() && s[at] == '@') {
      size_t colon = s.find(':', start);
      if (colon != std::string::npos && colon < at && colon + 1 < at) {
        s.replace(colon + 1, at - colon - 1, kRedacted);
        at = colon + 1 + kRedacted.size();
      }
    }
    pos = at;
  }
}

// Payment card numbers: 13-19 digits (spaces or dashes between groups
// allowed) that pass the Luhn check.
void RedactCards(std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    if (!(s[i] >= '0' && s[i] <= '9') || (i > 0 && ((s[i - 1] >= '0' && s[i - 1] <= '9') || std::isalpha(static_cast<unsigned char>(s[i - 1]))))) {
      ++i;
      continue;
    }
    std::string digits;
    size_t j = i, last_digit = i;
    while (j < s.size() && digits.size() < 20) {
      if (s[j] >= '0' && s[j] <= '9') {
        digits += s[j];
        last_digit = j;
      } else if (!((s[j] == ' ' || s[j] == '-') && j + 1 < s.size() && s[j + 1] >= '0' && s[j + 1] <= '9')) {
        break;
      }
      ++j;
    }
    const bool ends_clean = last_digit + 1 >= s.size() || !std::isalnum(static_cast<unsigned char>(s[last_digit + 1]));
    if (digits.size() >= 13 && digits.size() <= 19 && ends_clean) {
      int sum = 0;
      for (size_t k = 0; k < digits.size(); ++k) {
        int d = digits[digits.size() - 1 - k] - '0';
        if (k % 2 == 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
        sum += d;
      }
      if (sum % 10 == 0) {
        s.replace(i, last_digit + 1 - i, "[REDACTED]");
        i += 10;
        continue;
      }
    }
    i = last_digit + 1;
  }
}

std::vector<std::unique_ptr<re2::RE2>>& ExtraPatterns() {
  static std::vector<std::unique_ptr<re2::RE2>> patterns;
  return patterns;
}

}  // namespace

void SetExtraScrubPatterns(const std::vector<std::string>& patterns) {
  auto& out = ExtraPatterns();
  out.clear();
  for (const auto& p : patterns) {
    auto re = std::make_unique<re2::RE2>(p, re2::RE2::Quiet);
    if (re->ok()) out.push_back(std::move(re));
  }
}

std::string ScrubSecrets(std::string_view text) {
  std::string s(text);
  RedactPem(s);
  RedactUrlPasswords(s);
  RedactJwts(s);
  for (std::string_view p : {"github_pat_", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "xoxb-", "xoxp-"}) {
    RedactPrefixed(s, p, 16);
  }
  RedactPrefixed(s, "AKIA", 16);
  RedactPrefixed(s, "ASIA", 16);
  RedactPrefixed(s, "AIza", 30);
  RedactPrefixed(s, "ya29.", 20, "-.");  // Google OAuth access tokens
  RedactPrefixed(s, "sk_live_", 16);   // Stripe
  RedactPrefixed(s, "glpat-", 16);     // GitLab
  RedactBearer(s);
  RedactKeyValues(s);
  RedactCards(s);
  for (const auto& re : ExtraPatterns()) re2::RE2::GlobalReplace(&s, *re, "[REDACTED]");
  return s;
}

std::string NeutralizeMarkdown(std::string_view text) {
  static constexpr std::string_view kZwj = "\xE2\x80\x8D";
  std::string out;
  out.reserve(text.size() + text.size() / 16);
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) continue;
    // Bidi controls U+202A..U+202E, U+2066..U+2069, and U+200E/U+200F marks.
    if (c == 0xE2 && i + 2 < text.size()) {
      unsigned char b1 = static_cast<unsigned char>(text[i + 1]);
      unsigned char b2 = static_cast<unsigned char>(text[i + 2]);
      if ((b1 == 0x80 && (b2 >= 0xAA && b2 <= 0xAE)) || (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9) ||
          (b1 == 0x80 && (b2 == 0x8E || b2 == 0x8F))) {
        i += 2;
        continue;
      }
    }
    out += static_cast<char>(c);
    if (c == '@' && i + 1 < text.size() &&
        (std::isalnum(static_cast<unsigned char>(text[i + 1])) || text[i + 1] == '-')) {
      out += kZwj;
    } else if (c == '#' && i + 1 < text.size() && std::isdigit(static_cast<unsigned char>(text[i + 1]))) {
      out += kZwj;
    }
  }
  return out;
}

std::string SafeText(std::string_view text, size_t max_line) {
  std::string neutral = NeutralizeMarkdown(ScrubSecrets(text));
  std::string out;
  out.reserve(neutral.size());
  size_t start = 0;
  while (start <= neutral.size()) {
    size_t nl = neutral.find('\n', start);
    std::string_view line = std::string_view(neutral).substr(
        start, nl == std::string::npos ? std::string::npos : nl - start);
    if (line.size() > max_line) {
      size_t cut = max_line;
      while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
      out.append(line.substr(0, cut));
      out += "…";
    } else {
      out.append(line);
    }
    if (nl == std::string::npos) break;
    out += '\n';
    start = nl + 1;
  }
  return out;
}

std::string FenceFor(std::string_view content) {
  size_t longest = 0, run = 0;
  for (char c : content) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  return std::string(std::max<size_t>(3, longest + 1), '`');
}

std::string CapBytes(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  constexpr std::string_view kNote = "\n\n…(truncated)\n";
  size_t cut = max_bytes > kNote.size() ? max_bytes - kNote.size() : 0;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  std::string out(text.substr(0, cut));
  out += kNote;
  return out;
}

}  // namespace lg
