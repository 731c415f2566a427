// SPDX-License-Identifier: GPL-2.0-only
// Process exit codes, documented in docs/cli.md; keep both in sync.
// 0-2 carry a verdict (doctor, checkpoint); failures use sysexits.h values so
// that they never collide with a verdict.
#pragma once

namespace sockscope {

enum ExitCode : int {
  kExitOk = 0,
  kExitFindings = 1,      // doctor: findings; checkpoint: blocked
  kExitWarnings = 2,      // checkpoint: ready, but something will be lost
  kExitUsage = 64,        // EX_USAGE: bad command line
  kExitNotFound = 66,     // EX_NOINPUT: no such process or descriptor
  kExitUnsupported = 69,  // EX_UNAVAILABLE: the kernel (or a program run, e.g. dot) lacks
  kExitFailure = 70,      // EX_SOFTWARE: anything else that went wrong
  kExitCantCreate = 73,   // EX_CANTCREAT: an output file cannot be written
  kExitNoPrivilege = 77,  // EX_NOPERM: needs root / CAP_SYS_PTRACE / CAP_BPF
};

}  // namespace sockscope
