// SPDX-License-Identifier: GPL-2.0-only
// /proc/PID/maps lines, parsed. Pure (text in, mappings out): unit-tested
// with recorded text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sockscope::symbolize {

struct Mapping {
  uint64_t start = 0, end = 0;  // [start, end)
  uint64_t pgoff = 0;           // file offset of start
  uint32_t dev_major = 0, dev_minor = 0;
  uint64_t inode = 0;           // 0: anonymous
  bool exec = false;
  std::string path;             // as the kernel prints it, " (deleted)" removed
  bool deleted = false;
  // The file offset of an address inside this mapping.
  uint64_t file_offset(uint64_t addr) const { return addr - start + pgoff; }
  bool file_backed() const { return inode != 0 && !path.empty() && path[0] == '/'; }
  bool operator==(const Mapping&) const = default;
};

// Sets m.path from a path as the kernel prints it (d_path(): maps lines, perf
// mmap records), taking off the " (deleted)" of an unlinked file into m.deleted.
void set_path(Mapping& m, std::string path);

// Parses maps text; malformed lines are skipped. Sorted by start (as the kernel lists them).
std::vector<Mapping> parse_maps(std::string_view text);

// The mapping that contains addr, or nullptr.
const Mapping* find_mapping(const std::vector<Mapping>& maps, uint64_t addr);

// "7f12a000-7f12b000": the name of the range in /proc/PID/map_files/.
std::string map_files_name(const Mapping& m);

}  // namespace sockscope::symbolize
