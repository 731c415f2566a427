// SPDX-License-Identifier: GPL-2.0-only
#include "symbolize/maps.h"

#include <fmt/format.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>

namespace sockscope::symbolize {

void set_path(Mapping& m, std::string path) {
  constexpr std::string_view kDeleted = " (deleted)";
  m.deleted = path.size() > kDeleted.size() && path.ends_with(kDeleted);
  if (m.deleted) path.resize(path.size() - kDeleted.size());
  m.path = std::move(path);
}

std::vector<Mapping> parse_maps(std::string_view text) {
  std::vector<Mapping> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string line(text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos));
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    // "start-end perms offset maj:min inode   path" (fs/proc/task_mmu.c show_map_vma)
    Mapping m;
    char perms[8] = {};
    int path_at = -1;
    if (std::sscanf(line.c_str(), "%" SCNx64 "-%" SCNx64 " %7s %" SCNx64 " %x:%x %" SCNu64 " %n", &m.start,
                    &m.end, perms, &m.pgoff, &m.dev_major, &m.dev_minor, &m.inode, &path_at) < 7)
      continue;
    m.exec = perms[2] == 'x';
    if (path_at > 0 && static_cast<size_t>(path_at) < line.size())
      set_path(m, line.substr(static_cast<size_t>(path_at)));
    out.push_back(std::move(m));
  }
  return out;
}

const Mapping* find_mapping(const std::vector<Mapping>& maps, uint64_t addr) {
  auto it = std::upper_bound(maps.begin(), maps.end(), addr,
                             [](uint64_t a, const Mapping& m) { return a < m.start; });
  if (it == maps.begin()) return nullptr;
  --it;
  return addr < it->end ? &*it : nullptr;
}

std::string map_files_name(const Mapping& m) { return fmt::format("{:x}-{:x}", m.start, m.end); }

}  // namespace sockscope::symbolize
