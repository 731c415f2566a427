// SPDX-License-Identifier: GPL-2.0-only
#include "lineage/process_table.h"

#include "base/strings.h"
#include "procfs/cgroup.h"
#include "procfs/process.h"

namespace sockscope::lineage {

std::string command_line(const ProcNode& p) {
  if (p.argv.empty()) return p.exe.empty() ? "[" + p.comm + "]" : p.exe;
  std::string out;
  for (const auto& a : p.argv) {
    if (!out.empty()) out += ' ';
    bool plain = !a.empty() && a.find_first_of(" \t'\"\\$") == std::string::npos;
    out += plain ? a : "'" + a + "'";
  }
  return out;
}

std::optional<ProcNode> ProcessTable::read(int pid) const {
  std::string dir = root_ + "/" + std::to_string(pid);
  auto status = read_small_file(dir + "/status");
  if (!status) return std::nullopt;
  ProcNode n;
  n.pid = pid;
  n.comm = procfs::read_comm(root_, pid);
  n.ppid = static_cast<int>(parse_u64(procfs::status_field(root_, pid, "PPid").value_or("")).value_or(0));
  std::string nspids = procfs::status_field(root_, pid, "NSpid").value_or("");
  auto last = nspids.find_last_of(" \t");
  n.nspid = static_cast<int>(parse_u64(last == std::string::npos ? nspids : nspids.substr(last + 1)).value_or(pid));
  n.exe = read_link(dir + "/exe").value_or("");
  n.argv = procfs::read_cmdline(root_, pid);
  auto cg = procfs::read_cgroup(root_, pid);
  n.cgroup = std::move(cg.path);
  n.container = std::move(cg.container);
  return n;
}

void ProcessTable::seed() {
  for (int pid : procfs::list_pids(root_))
    if (auto n = read(pid)) procs_[pid] = std::move(*n);
}

void ProcessTable::on_event(const Event& e) {
  int pid = static_cast<int>(e.tgid);
  if (e.kind == EventKind::kExec || e.kind == EventKind::kFork || e.kind == EventKind::kExit) ++generation_;
  switch (e.kind) {
    case EventKind::kExec:
      if (e.failed()) return;
      if (auto n = read(pid)) {
        procs_[pid] = std::move(*n);
      } else {  // already gone: keep what the event says
        ProcNode& p = procs_[pid];
        p.pid = pid;
        p.ppid = static_cast<int>(e.ppid);
        p.nspid = static_cast<int>(e.nspid);
        p.comm = e.comm;
        p.exe = e.path;
        p.argv.clear();
      }
      return;
    case EventKind::kFork: {
      int child = static_cast<int>(e.child_tgid);
      std::optional<ProcNode> n = read(child);
      if (!n) {  // gone already: it was a copy of its parent
        const ProcNode* parent = get(pid);
        n = parent ? *parent : ProcNode{};
        n->pid = child;
        n->ppid = pid;
        n->exited = false;
      }
      procs_[child] = std::move(*n);
      return;
    }
    case EventKind::kExit:
      if (auto it = procs_.find(pid); it != procs_.end()) it->second.exited = true;
      return;
    default:
      if (!procs_.count(pid)) get(pid);
      return;
  }
}

const ProcNode* ProcessTable::get(int pid) {
  auto it = procs_.find(pid);
  if (it != procs_.end()) return &it->second;
  auto n = read(pid);
  if (!n) return nullptr;
  return &(procs_[pid] = std::move(*n));
}

std::vector<ProcNode> ProcessTable::ancestry(int pid) {
  std::vector<ProcNode> chain;
  for (int p = pid, guard = 0; p > 0 && guard < 64; ++guard) {
    const ProcNode* n = get(p);
    if (!n) break;
    chain.push_back(*n);
    if (n->pid == 1 || (n->nspid == 1 && n->pid != 1)) break;  // init, or a container's init
    p = n->ppid;
  }
  return chain;
}

}  // namespace sockscope::lineage
