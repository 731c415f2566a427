// SPDX-License-Identifier: GPL-2.0-only
#include "recorder/process_info.h"

#include <string>

#include "base/strings.h"
#include "procfs/cgroup.h"
#include "procfs/process.h"

namespace sockscope::recorder {
namespace {

// Not std::ifstream: libstdc++'s filebuf throws when read() fails, and a
// /proc file of a process that exits meanwhile fails with ESRCH.
std::string slurp(const std::string& path) { return read_small_file(path).value_or(""); }

}  // namespace

std::optional<history::ProcessInfo> read_process_info(const std::string& proc_root, uint32_t pid, int64_t wall_ns) {
  std::string dir = proc_root + "/" + std::to_string(pid);
  history::ProcessInfo p;
  p.pid = pid;
  p.wall_ns = wall_ns;
  auto stat = procfs::read_stat(proc_root, static_cast<int>(pid));
  if (!stat) return std::nullopt;
  p.ppid = static_cast<uint32_t>(stat->ppid);
  p.start_ticks = stat->start_ticks;
  p.comm = procfs::read_comm(proc_root, static_cast<int>(pid));
  p.exe = procfs::read_exe(proc_root, static_cast<int>(pid));
  p.argv = slurp(dir + "/cmdline");
  p.cgroup = procfs::read_cgroup(proc_root, static_cast<int>(pid)).path;
  p.netns = static_cast<uint32_t>(procfs::ns_inode(proc_root, static_cast<int>(pid), "net").value_or(0));
  return p;
}

}  // namespace sockscope::recorder
