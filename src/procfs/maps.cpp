// SPDX-License-Identifier: GPL-2.0-only
#include "procfs/maps.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <fstream>

#include "base/strings.h"

namespace sockscope::procfs {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t'; }

// The next blank-separated word of `rest`, which moves past it.
std::string_view next_word(std::string_view& rest) {
  size_t b = 0;
  while (b < rest.size() && is_blank(rest[b])) ++b;
  size_t e = b;
  while (e < rest.size() && !is_blank(rest[e])) ++e;
  std::string_view w = rest.substr(b, e - b);
  rest.remove_prefix(e);
  return w;
}

// A whole number in `base`; false on anything else (empty, trailing text).
template <typename T>
bool parse_whole(std::string_view s, T& out, int base) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out, base);
  return !s.empty() && ec == std::errc() && p == s.data() + s.size();
}

// "a-b" / "a:b" as two hex numbers.
template <typename T>
bool parse_hex_pair(std::string_view s, char sep, T& a, T& b) {
  size_t at = s.find(sep);
  return at != std::string_view::npos && parse_whole(s.substr(0, at), a, 16) && parse_whole(s.substr(at + 1), b, 16);
}

std::string pid_dir(const std::string& root, int pid) { return root + "/" + std::to_string(pid); }

}  // namespace

void set_path(Mapping& m, std::string path) {
  constexpr std::string_view kDeleted = " (deleted)";
  m.deleted = path.size() > kDeleted.size() && path.ends_with(kDeleted);
  if (m.deleted) path.resize(path.size() - kDeleted.size());
  m.path = std::move(path);
}

std::optional<Mapping> parse_maps_line(std::string_view line) {
  Mapping m;
  std::string_view rest = line;
  if (!parse_hex_pair(next_word(rest), '-', m.start, m.end)) return std::nullopt;
  std::string_view perms = next_word(rest);
  if (perms.empty()) return std::nullopt;
  if (!parse_whole(next_word(rest), m.pgoff, 16)) return std::nullopt;
  if (!parse_hex_pair(next_word(rest), ':', m.dev_major, m.dev_minor)) return std::nullopt;
  if (!parse_whole(next_word(rest), m.inode, 10)) return std::nullopt;
  m.perms = perms;
  m.exec = perms.size() > 2 && perms[2] == 'x';
  while (!rest.empty() && is_blank(rest.front())) rest.remove_prefix(1);  // the padding
  set_path(m, std::string(rest));
  return m;
}

std::vector<Mapping> parse_maps(std::string_view text) {
  std::vector<Mapping> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    if (auto m = parse_maps_line(text.substr(pos, nl - pos))) out.push_back(std::move(*m));
    pos = nl + 1;
  }
  return out;
}

const Mapping* find_mapping(const std::vector<Mapping>& maps, uint64_t addr) {
  auto it = std::upper_bound(maps.begin(), maps.end(), addr, [](uint64_t a, const Mapping& m) { return a < m.start; });
  if (it == maps.begin()) return nullptr;
  --it;
  return addr < it->end ? &*it : nullptr;
}

std::string map_files_name(const Mapping& m) {
  char buf[2 * 16 + 2];
  char* p = std::to_chars(buf, buf + 16, m.start, 16).ptr;
  *p++ = '-';
  p = std::to_chars(p, buf + sizeof(buf), m.end, 16).ptr;
  return std::string(buf, p);
}

std::optional<std::string> read_maps_text(const std::string& root, int pid) {
  return read_small_file(pid_dir(root, pid) + "/maps");
}

Result<std::vector<Mapping>> read_maps(const std::string& root, int pid) {
  std::string path = pid_dir(root, pid) + "/maps";
  auto text = read_small_file(path);
  if (!text) return sys_error("cannot read " + path, errno ? errno : EACCES);
  return parse_maps(*text);
}

Result<> visit_maps(const std::string& root, int pid, const std::function<bool(const Mapping&)>& visit) {
  std::string path = pid_dir(root, pid) + "/maps";
  std::ifstream in(path);
  if (!in) return sys_error("cannot read " + path, errno ? errno : EACCES);
  for (std::string line; std::getline(in, line);)
    if (auto m = parse_maps_line(line); m && !visit(*m)) break;
  return Ok{};
}

}  // namespace sockscope::procfs
