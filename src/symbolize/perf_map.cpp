// SPDX-License-Identifier: GPL-2.0-only
#include "symbolize/perf_map.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>

#include "base/strings.h"

namespace sockscope::symbolize {

std::vector<PerfMapEntry> parse_perf_map(std::string_view text) {
  std::vector<PerfMapEntry> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string line(text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos));
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    char* end = nullptr;
    PerfMapEntry e;
    e.start = std::strtoull(line.c_str(), &end, 16);
    if (end == line.c_str() || *end != ' ') continue;
    char* end2 = nullptr;
    e.size = std::strtoull(end + 1, &end2, 16);
    if (end2 == end + 1 || *end2 != ' ' || e.size == 0) continue;
    e.name = std::string(end2 + 1);
    out.push_back(std::move(e));
  }
  // Stable: among equal starts the later line (newer code) comes last and wins.
  std::stable_sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.start < b.start; });
  std::vector<PerfMapEntry> dedup;
  for (auto& e : out) {
    if (!dedup.empty() && dedup.back().start == e.start) dedup.back() = std::move(e);
    else dedup.push_back(std::move(e));
  }
  return dedup;
}

bool PerfMap::refresh() {
  struct stat st {};
  if (::stat(path_.c_str(), &st) != 0) return !entries_.empty();
  if (st.st_size == size_ && st.st_mtim.tv_sec == mtime_.tv_sec && st.st_mtim.tv_nsec == mtime_.tv_nsec)
    return true;
  auto text = read_small_file(path_);
  if (!text) return !entries_.empty();
  entries_ = parse_perf_map(*text);
  mtime_ = st.st_mtim;
  size_ = st.st_size;
  return true;
}

const PerfMapEntry* PerfMap::lookup(uint64_t pc) const {
  auto it = std::upper_bound(entries_.begin(), entries_.end(), pc,
                             [](uint64_t a, const PerfMapEntry& e) { return a < e.start; });
  for (int i = 0; i < 4 && it != entries_.begin(); i++) {
    --it;
    if (pc < it->start + it->size) return &*it;
  }
  return nullptr;
}

}  // namespace sockscope::symbolize
