// SPDX-License-Identifier: GPL-2.0-only
// JIT symbol maps, /tmp/perf-<pid>.map (perf's format; HotSpot's
// Compiler.perfmap and -XX:+DumpPerfMapAtExit, JDK 17 JDK-8254723, write
// "0x%016lx 0x%016lx name"): read through /proc/PID/root, with <pid> the
// process's pid in its own namespace (NStgid, not NSpid: BCC's old bug).
#pragma once

#include <cstdint>
#include <ctime>
#include <string>
#include <string_view>
#include <vector>

namespace sockscope::symbolize {

struct PerfMapEntry {
  uint64_t start = 0, size = 0;
  std::string name;
};

// Hex fields with or without 0x; a later entry for the same range wins.
std::vector<PerfMapEntry> parse_perf_map(std::string_view text);

class PerfMap {
 public:
  explicit PerfMap(std::string path) : path_(std::move(path)) {}
  // Rereads the file if its mtime or size changed. False if there is none.
  bool refresh();
  const PerfMapEntry* lookup(uint64_t pc) const;
  bool empty() const { return entries_.empty(); }

 private:
  std::string path_;
  timespec mtime_{};
  long long size_ = -1;
  std::vector<PerfMapEntry> entries_;  // sorted by start
};

}  // namespace sockscope::symbolize
