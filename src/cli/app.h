// SPDX-License-Identifier: GPL-2.0-only
// Subcommand registration. Each subcommand lives in its own cmd_*.cpp and
// adds itself to the CLI11 app; main() only dispatches and maps exit codes.
#pragma once

#include <CLI/CLI.hpp>
#include <string_view>

#include "cli/attach_action.h"  // Action, fail
#include "cli/validate.h"

namespace sockscope::cli {

void add_ls(CLI::App& app, Action& action);
void add_fd(CLI::App& app, Action& action);
void add_record(CLI::App& app, Action& action);
void add_doctor(CLI::App& app, Action& action);
void add_watch(CLI::App& app, Action& action);
void add_trace(CLI::App& app, Action& action);
void add_run(CLI::App& app, Action& action);
void add_probes(CLI::App& app, Action& action);
void add_checkpoint(CLI::App& app, Action& action);
void add_recorder(CLI::App& app, Action& action);
void add_history(CLI::App& app, Action& action);
// Only the operation named `next` (e.g. "attach") when it names one; all of
// them otherwise.
void add_jvm(CLI::App& app, Action& action, std::string_view next);
// Hidden: `completion bash|list`, walked from every subcommand added before it.
void add_completion(CLI::App& app, Action& action);

// Adds the subcommand named `first` (the first command-line word), or all of
// them when it names none; `next` is the word after it.
void register_subcommands(CLI::App& app, Action& action, std::string_view first,
                          std::string_view next);


}  // namespace sockscope::cli
