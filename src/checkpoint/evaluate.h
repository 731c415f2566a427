// SPDX-License-Identifier: GPL-2.0-only
// The entry point of the rules: facts of one process tree in, a report out.
#pragma once

#include "checkpoint/facts.h"
#include "checkpoint/finding.h"
#include "checkpoint/options.h"

namespace sockscope::checkpoint {

struct Settings {
  CriuOptions given;   // --criu-opts
  bool force_crac = false;  // --crac: run the JVM check even without CRaC flags
};

Report evaluate(const Facts& facts, const Settings& settings);

// Exit code for a report: kExitOk, kExitFindings (blocked), kExitWarnings.
int exit_code(const Report& r);

}  // namespace sockscope::checkpoint
