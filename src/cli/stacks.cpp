// SPDX-License-Identifier: GPL-2.0-only
#include "cli/stacks.h"

#include <fmt/format.h>

#include "cli/validate.h"
#include "tracer/stack.h"

namespace sockscope::cli {

void add_stack_options(CLI::App* cmd, run::StackOptions& a) {
  cmd->add_flag("--stacks", a.stacks, "User stacks for socket, socketpair, bind, listen, connect, accept");
  cmd->add_flag("--close-stacks", a.close, "Stacks for close() too (with --stacks)");
  cmd->add_option("--stack-size", a.bytes,
                  fmt::format("Most bytes of user stack copied per event, never past the stack's top (4096..{}, "
                              "default 32768)",
                              tracer::kStackCopyMax))
      ->check(whole_number(4096, tracer::kStackCopyMax, "a number of bytes"));
  cmd->add_flag("--folded", a.folded, "Print folded stacks (flame graph input) instead of events");
  cmd->add_flag("--hold-new", a.hold,
                "Pause each program (again after exec) at its first stacked syscall until its mappings "
                "are read (SIGSTOP/SIGCONT; only needed where perf side-band records are not allowed)");
  cmd->add_flag("--java-perfmap", a.java_perfmap,
                "Ask JVMs for Compiler.perfmap (jcmd) when a JIT frame has no name (only processes mapping libjvm)");
}

}  // namespace sockscope::cli
