// SPDX-License-Identifier: GPL-2.0-only
// Tasks of the tree (rulebook section 2: CRIU dumps the target and every
// descendant). T1 is ours, not the rulebook's: a kernel thread.
#include "checkpoint/context.h"

namespace sockscope::checkpoint {

// The kernel refuses to ptrace a kernel thread (kernel/ptrace.c
// ptrace_attach(): PF_KTHREAD -> EPERM), and CRIU seizes every task it
// dumps; compel's compel_stop_task() then logs "Unable to interrupt task"
// and the dump fails. Options cannot change that.
void tree_rules(const Context& ctx, std::vector<Finding>& out) {
  std::vector<const TaskFact*> kthreads;
  for (const auto& t : ctx.facts.tree)
    if (t.kernel_thread) kthreads.push_back(&t);
  if (kthreads.empty()) return;
  // One finding: kthreadd's tree is every kernel thread of the machine.
  const TaskFact& first = *kthreads.front();
  Finding f;
  f.rule = "T1";
  f.title = kthreads.size() == 1 ? "kernel thread in the tree" : "kernel threads in the tree";
  f.pid = first.pid;
  f.comm = first.comm;
  f.object = "pid";
  for (size_t i = 0; i < kthreads.size() && i < 5; ++i) f.object += (i ? ", " : " ") + std::to_string(kthreads[i]->pid);
  if (kthreads.size() > 5) f.object += " and " + std::to_string(kthreads.size() - 5) + " more";
  f.criu = f.criu_opts = {Verdict::kBlock,
                          "Unable to interrupt task: " + std::to_string(first.pid) + " (Operation not permitted)"};
  add_step(f, "criu", f.criu);
  f.plain = "a kernel thread has no user memory to save and the kernel lets no one ptrace it, so CRIU "
            "cannot seize it; only user-space process trees can be checkpointed";
  f.remedy = {"checkpoint a user-space process (the service's main pid), not a kernel thread or kthreadd"};
  out.push_back(std::move(f));
}

}  // namespace sockscope::checkpoint
