// SPDX-License-Identifier: GPL-2.0-only
#include "base/escape.h"

namespace sockscope {
namespace {

constexpr char kHex[] = "0123456789abcdef";

// The length of the well-formed UTF-8 sequence at s[i] (RFC 3629: no
// overlong forms, no surrogates, at most U+10FFFF), 0 if there is none; the
// code point in `cp`.
size_t utf8_at(std::string_view s, size_t i, uint32_t& cp) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  unsigned char c = b(0);
  size_t n = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  cp = n == 1 ? c : n == 2 ? c & 0x1f : n == 3 ? c & 0x0f : c & 0x07;
  for (size_t k = 1; k < n; ++k) {
    if ((b(k) & 0xc0) != 0x80) return 0;
    cp = cp << 6 | (b(k) & 0x3f);
  }
  static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return n;
}

// Characters that move the cursor, end a line or reorder the text around
// them on a terminal, although well-formed.
bool unsafe_char(uint32_t cp) {
  return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x200e || cp == 0x200f || (cp >= 0x2028 && cp <= 0x202e) ||
         (cp >= 0x2066 && cp <= 0x2069);
}

void hex_byte(std::string& out, unsigned char c) {
  out += kHex[c >> 4];
  out += kHex[c & 0xf];
}

// Appends s[i..] either as it is (n bytes, a safe character) or as \xNN
// escapes; returns the bytes consumed.
size_t text_step(std::string& out, std::string_view s, size_t i) {
  uint32_t cp = 0;
  size_t n = utf8_at(s, i, cp);
  if (n && !unsafe_char(cp) && cp != '\\') {
    out.append(s.substr(i, n));
    return n;
  }
  for (size_t k = 0; k < (n ? n : 1); ++k) {
    out += "\\x";
    hex_byte(out, static_cast<unsigned char>(s[i + k]));
  }
  return n ? n : 1;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool shell_safe(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("_@%+=:,./-").find(c) != std::string_view::npos;
}

}  // namespace

bool valid_utf8(std::string_view s) {
  uint32_t cp = 0;
  for (size_t i = 0; i < s.size();) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    size_t n = utf8_at(s, i, cp);
    if (!n) return false;
    i += n;
  }
  return true;
}

std::string utf8_replaced(std::string_view s) {
  std::string out;
  uint32_t cp = 0;
  for (size_t i = 0; i < s.size();) {
    size_t n = utf8_at(s, i, cp);
    if (n) out.append(s.substr(i, n));
    else out += "\xef\xbf\xbd";
    i += n ? n : 1;
  }
  return out;
}

std::string to_hex(std::string_view s) {
  std::string out;
  out.reserve(s.size() * 2);
  for (char c : s) hex_byte(out, static_cast<unsigned char>(c));
  return out;
}

std::string from_hex(std::string_view hex) {
  if (hex.size() % 2) return {};
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    int hi = hex_value(hex[i]), lo = hex_value(hex[i + 1]);
    if (hi < 0 || lo < 0) return {};
    out += static_cast<char>(hi << 4 | lo);
  }
  return out;
}

std::string escape_text(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) i += text_step(out, s, i);
  return out;
}

std::string unescape_text(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size() && s[i + 1] == 'x' && hex_value(s[i + 2]) >= 0 && hex_value(s[i + 3]) >= 0) {
      out += static_cast<char>(hex_value(s[i + 2]) << 4 | hex_value(s[i + 3]));
      i += 3;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string shell_quote(std::string_view s) {
  bool plain = !s.empty(), needs_escape = false;
  for (char c : s) plain = plain && shell_safe(c);
  if (plain) return std::string(s);
  for (size_t i = 0; i < s.size() && !needs_escape;) {
    std::string one;
    size_t n = text_step(one, s, i);
    needs_escape = one.starts_with("\\x") && s[i] != '\\';
    i += n;
  }
  if (!needs_escape) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
  }
  // $'...': text_step's \xNN is also ANSI-C quoting's; ' must be \'.
  std::string out = "$'";
  for (size_t i = 0; i < s.size();) {
    if (s[i] == '\'') {
      out += "\\'";
      ++i;
    } else {
      i += text_step(out, s, i);
    }
  }
  return out + "'";
}

}  // namespace sockscope
