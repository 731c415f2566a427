// SPDX-License-Identifier: GPL-2.0-only
// The process table behind every "who did this": pids, their namespaces'
// pids, argv, exe, cgroup and parent, seeded from /proc and kept current by
// the tracer's exec/fork/exit events, so ancestry survives the processes.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/event.h"

namespace sockscope::lineage {

struct ProcNode {
  int pid = 0;                    // host pid
  int nspid = 0;                  // pid in its own pid namespace
  int ppid = 0;                   // host pid of the parent
  std::string comm;
  std::string exe;
  std::vector<std::string> argv;  // empty when the process left before we could read it
  std::string cgroup;             // cgroup v2 path
  std::string container;          // container id found in the cgroup path, if any
  bool exited = false;
  bool operator==(const ProcNode&) const = default;
};

class ProcessTable {
 public:
  explicit ProcessTable(std::string proc_root = "/proc") : root_(std::move(proc_root)) {}

  // Reads every process now running.
  void seed();
  // Keeps the table current: exec re-reads the process, fork copies the
  // parent, exit marks it exited (it stays, for ancestry).
  void on_event(const Event& e);
  // The process, read from /proc on first sight; nullptr if never seen and gone.
  const ProcNode* get(int pid);
  // pid, its parent, ... up to pid 1 or the first process that is pid 1 in
  // its own namespace (a container's init), oldest last.
  std::vector<ProcNode> ancestry(int pid);
  // Bumped by every exec, fork and exit: an ancestry computed at the same
  // generation is still right (callers cache by it).
  uint64_t generation() const { return generation_; }

 private:
  std::optional<ProcNode> read(int pid) const;
  std::string root_;
  std::map<int, ProcNode> procs_;
  uint64_t generation_ = 0;
};

// `argv[0] arg1 ...`, quoted where needed, for one-line display.
std::string command_line(const ProcNode& p);

}  // namespace sockscope::lineage
