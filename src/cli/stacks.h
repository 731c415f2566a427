// SPDX-License-Identifier: GPL-2.0-only
// The --stacks options of `run` and `trace` (run/stack_glue.h does the work).
#pragma once

#include <CLI/CLI.hpp>

#include "run/stack_glue.h"

namespace sockscope::cli {

void add_stack_options(CLI::App* cmd, run::StackOptions& a);

}  // namespace sockscope::cli
