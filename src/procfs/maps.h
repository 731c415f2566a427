// SPDX-License-Identifier: GPL-2.0-only
// /proc/PID/maps: the one parser (pure: text in, mappings out, unit-tested
// with recorded lines) and its readers. Used by the symbolizer (every
// mapping, for unwinding), the checkpoint collector (file mappings) and the
// JVM client (where libjvm.so is).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace sockscope::procfs {

struct Mapping {
  uint64_t start = 0, end = 0;  // [start, end)
  std::string perms;            // "r-xp", "r--s"; empty for mappings built from perf records
  bool exec = false;            // perms[2] == 'x' (or PROT_EXEC of a perf record)
  uint64_t pgoff = 0;           // file offset of start
  uint32_t dev_major = 0, dev_minor = 0;
  uint64_t inode = 0;  // 0: anonymous
  std::string path;    // as the kernel prints it, " (deleted)" removed; "[heap]", "" (anonymous)
  bool deleted = false;
  // The file offset of an address inside this mapping.
  uint64_t file_offset(uint64_t addr) const { return addr - start + pgoff; }
  bool file_backed() const { return inode != 0 && names_file(); }
  // The path is a file's ("/..."), not [heap], [vdso], anon_inode:... or none.
  bool names_file() const { return !path.empty() && path[0] == '/'; }
  bool operator==(const Mapping&) const = default;
};

// Sets m.path from a path as the kernel prints it (d_path(): maps lines, perf
// mmap records), taking off the " (deleted)" of an unlinked file into m.deleted.
void set_path(Mapping& m, std::string path);

// One line, "start-end perms offset maj:min inode   path" (fs/proc/task_mmu.c
// show_map_vma); nullopt if malformed.
std::optional<Mapping> parse_maps_line(std::string_view line);

// Maps text; malformed lines are skipped. Sorted by start (as the kernel lists them).
std::vector<Mapping> parse_maps(std::string_view text);

// The mapping that contains addr, or nullptr.
const Mapping* find_mapping(const std::vector<Mapping>& maps, uint64_t addr);

// "7f12a000-7f12b000": the name of the range in /proc/PID/map_files/.
std::string map_files_name(const Mapping& m);

// The text of ROOT/PID/maps; nullopt if unreadable.
std::optional<std::string> read_maps_text(const std::string& root, int pid);

// ROOT/PID/maps, parsed. Errors: ENOENT (gone), EACCES (not ours to read).
Result<std::vector<Mapping>> read_maps(const std::string& root, int pid);

// Calls `visit` on each mapping of ROOT/PID/maps, read line by line, until
// it returns false: a big JVM's maps runs to megabytes and a caller looking
// for one library stops at it.
Result<> visit_maps(const std::string& root, int pid, const std::function<bool(const Mapping&)>& visit);

}  // namespace sockscope::procfs
