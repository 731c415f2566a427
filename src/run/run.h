// SPDX-License-Identifier: GPL-2.0-only
// `sockscope run -- CMD ARGS...`: runs a command under the tracer and builds
// the report of every socket its process tree made, with the peers named
// (model/run_report.h). The CLI parses and prints; this owns the loop.
//
// Ordering: the child is forked first and blocks on a pipe; the tracer is
// loaded, attached and the child's pid is put in the kernel pid-tree map;
// only then is the child released to exec. So nothing the child does, even
// before its exec completes, escapes the trace.
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "model/run_report.h"
#include "run/stack_glue.h"
#include "tracer/features.h"
#include "tracer/stop.h"

namespace sockscope::run {

struct RunOptions {
  std::vector<std::string> command;
  Backend backend = Backend::kAuto;
  StackOptions stacks;
  // Called once the tracer is attached, just before the child is released.
  std::function<void(pid_t child, std::string_view backend)> on_started;
};

// The report once the child has exited (its exit code in report.exit_code).
// Fails only when the child could not be started or traced; it then never
// ran. A SIGINT/SIGTERM sent to sockscope alone is passed on to the child.
Result<RunReport> run_traced(const RunOptions& o, tracer::StopSignals& stop);

}  // namespace sockscope::run
