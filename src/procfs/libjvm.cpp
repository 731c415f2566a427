// SPDX-License-Identifier: GPL-2.0-only
#include "procfs/libjvm.h"

#include <cerrno>
#include <fstream>

namespace sockscope::procfs {

namespace {
constexpr std::string_view kLibjvm = "/libjvm.so";
constexpr std::string_view kDeleted = " (deleted)";
}  // namespace

bool is_libjvm(std::string_view path) { return path.ends_with(kLibjvm); }

std::string find_libjvm(std::string_view maps) {
  for (size_t pos = 0; (pos = maps.find(kLibjvm, pos)) != std::string_view::npos; pos += kLibjvm.size()) {
    size_t start = maps.rfind(' ', pos);  // the path is the line's last field
    size_t end = maps.find('\n', pos);
    if (start == std::string_view::npos) continue;
    std::string_view path = maps.substr(start + 1, (end == std::string_view::npos ? maps.size() : end) - start - 1);
    if (path.size() > kDeleted.size() && path.ends_with(kDeleted)) path.remove_suffix(kDeleted.size());
    if (is_libjvm(path)) return std::string(path);
  }
  return {};
}

Result<std::string> mapped_libjvm(const std::string& root, int pid) {
  std::string path = root + "/" + std::to_string(pid) + "/maps";
  std::ifstream in(path);
  if (!in) return sys_error("cannot read " + path, errno ? errno : EACCES);
  std::string line;
  while (std::getline(in, line))
    if (auto p = find_libjvm(line); !p.empty()) return p;
  return std::string();
}

std::string java_home_of(const std::string& libjvm) {
  // Strip ".../server/libjvm.so" (or client/, zero/), then "lib" or "lib/<arch>".
  std::string d = libjvm;
  for (int i = 0; i < 2; ++i) {
    size_t s = d.rfind('/');
    if (s == std::string::npos || s == 0) return {};
    d.resize(s);
  }
  if (d.ends_with("/lib")) return d.substr(0, d.size() - 4);
  size_t s = d.rfind('/');
  if (s != std::string::npos && d.substr(0, s).ends_with("/lib")) return d.substr(0, s - 4);
  return {};
}

}  // namespace sockscope::procfs
