// SPDX-License-Identifier: GPL-2.0-only
#include "base/strings.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>

#include "base/unique_fd.h"

namespace sockscope {

std::optional<uint64_t> parse_u64(std::string_view s) {
  uint64_t v = 0;
  if (s.empty()) return std::nullopt;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<std::string> read_small_file(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return std::nullopt;
  std::string out;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return std::nullopt;
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

std::vector<std::string> split_nul(const std::string& text) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\0', pos);
    if (end == std::string::npos) end = text.size();
    out.push_back(text.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

std::optional<std::string> read_link(const std::string& path) {
  char buf[4096];
  ssize_t n = ::readlink(path.c_str(), buf, sizeof(buf));
  if (n < 0) return std::nullopt;
  return std::string(buf, static_cast<size_t>(n));
}

std::optional<uint64_t> bracketed_inode(std::string_view link, std::string_view kind) {
  if (link.size() < kind.size() + 3 || link.substr(0, kind.size()) != kind) return std::nullopt;
  link.remove_prefix(kind.size());
  if (link.front() != ':' || link[1] != '[' || link.back() != ']') return std::nullopt;
  return parse_u64(link.substr(2, link.size() - 3));
}

std::string c_string(const char* p, size_t cap) { return std::string(p, ::strnlen(p, cap)); }

std::optional<uint64_t> parse_size(std::string_view s) {
  if (s.empty()) return std::nullopt;
  uint64_t unit = 1;
  switch (s.back()) {
    case 'K':
    case 'k': unit = 1ull << 10; break;
    case 'M':
    case 'm': unit = 1ull << 20; break;
    case 'G':
    case 'g': unit = 1ull << 30; break;
    default: break;
  }
  if (unit != 1) s.remove_suffix(1);
  auto n = parse_u64(s);
  if (!n || *n > UINT64_MAX / unit) return std::nullopt;
  return *n * unit;
}

std::optional<int64_t> parse_duration_ns(std::string_view s) {
  if (s.empty()) return std::nullopt;
  uint64_t unit = 1;
  switch (s.back()) {
    case 's': unit = 1; break;
    case 'm': unit = 60; break;
    case 'h': unit = 3600; break;
    case 'd': unit = 86400; break;
    default: unit = 0; break;
  }
  if (unit) s.remove_suffix(1);
  else unit = 1;
  auto n = parse_u64(s);
  constexpr uint64_t kMaxSeconds = 100ull * 365 * 86400;  // keeps nanoseconds in int64
  if (!n || *n > kMaxSeconds / unit) return std::nullopt;
  return static_cast<int64_t>(*n * unit) * 1'000'000'000;
}

std::string octal_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\\') {
      auto u = static_cast<unsigned char>(c);
      out += '\\';
      out += static_cast<char>('0' + (u >> 6));
      out += static_cast<char>('0' + ((u >> 3) & 7));
      out += static_cast<char>('0' + (u & 7));
    } else {
      out += c;
    }
  }
  return out;
}

std::string octal_unescape(std::string_view s) {
  std::string out;
  auto octal = [&](size_t i) { return i < s.size() && s[i] >= '0' && s[i] <= '7'; };
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && octal(i + 1) && octal(i + 2) && octal(i + 3)) {
      out += static_cast<char>(((s[i + 1] - '0') << 6) | ((s[i + 2] - '0') << 3) | (s[i + 3] - '0'));
      i += 3;
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace sockscope
