#include "mine/template_text.h"

#include "mine/masker.h"

namespace lg {
namespace {

bool IsWordDelim(char c) {
  switch (c) {
    case ' ': case '\t': case '\n': case '\r': case ',': case '!': case ';': case ':': case '=':
    case '|': case '"': case '\'': case '[': case ']': case '(': case ')': case '{': case '}':
    case '.': case '-': case '+': case '@': case '#': case '$': case '%': case '&': case '/':
      return true;
    default:
      return false;
  }
}

void ReplaceAll(std::string& s, std::string_view from, std::string_view to) {
  for (;;) {
    size_t p = s.find(from);
    if (p == std::string::npos) return;
    while (p != std::string::npos) {
      s.replace(p, from.size(), to);
      p = s.find(from, p);
    }
  }
}

}  // namespace

std::string WildcardTemplate(std::string_view typed) {
  // 1. Placeholders to <*>, whitespace runs to one space.
  std::string a;
  a.reserve(typed.size());
  for (size_t i = 0; i < typed.size();) {
    char c = typed[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (!a.empty() && a.back() != ' ') a += ' ';
      ++i;
      continue;
    }
    if (c == '<') {
      size_t close = typed.find('>', i);
      if (close != std::string_view::npos && close - i <= 11 &&
          IsPlaceholder(typed.substr(i, close - i + 1))) {
        a += "<*>";
        i = close + 1;
        continue;
      }
    }
    a += c;
    ++i;
  }
  while (!a.empty() && a.back() == ' ') a.pop_back();
  // 2. A word holding a variable is a variable.
  std::string b;
  b.reserve(a.size());
  for (size_t i = 0; i < a.size();) {
    if (IsWordDelim(a[i])) {
      b += a[i++];
      continue;
    }
    size_t j = i;
    while (j < a.size() && !IsWordDelim(a[j])) ++j;
    std::string_view word = std::string_view(a).substr(i, j - i);
    if (word.find("<*>") != std::string_view::npos) {
      b += "<*>";
    } else {
      b += word;
    }
    i = j;
  }
  // 3. Adjacent variables are one.
  ReplaceAll(b, "<*>.<*>", "<*>");
  ReplaceAll(b, "<*><*>", "<*>");
  return b;
}

}  // namespace lg
