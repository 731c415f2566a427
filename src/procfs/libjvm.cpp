// SPDX-License-Identifier: GPL-2.0-only
#include "procfs/libjvm.h"

#include "procfs/maps.h"

namespace sockscope::procfs {

namespace {
constexpr std::string_view kLibjvm = "/libjvm.so";
}  // namespace

bool is_libjvm(std::string_view path) { return path.ends_with(kLibjvm); }

std::string find_libjvm(std::string_view maps) {
  for (const auto& m : parse_maps(maps))
    if (is_libjvm(m.path)) return m.path;
  return {};
}

// A big JVM's maps runs to megabytes: read line by line, stop at libjvm.
Result<std::string> mapped_libjvm(const std::string& root, int pid) {
  std::string path;
  auto read = visit_maps(root, pid, [&path](const Mapping& m) {
    if (is_libjvm(m.path)) path = m.path;
    return path.empty();
  });
  if (!read) return read.error();
  return path;
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
