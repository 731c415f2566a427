// SPDX-License-Identifier: GPL-2.0-only
// Subcommand registration. Each subcommand lives in its own cmd_*.cpp and
// adds itself to the CLI11 app; main() only dispatches and maps exit codes.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace sockscope::cli {

// The action a parsed subcommand runs; returns the process exit code.
using Action = std::function<int()>;

void add_ls(CLI::App& app, Action& action);
void add_fd(CLI::App& app, Action& action);
void add_record(CLI::App& app, Action& action);
void add_doctor(CLI::App& app, Action& action);
void add_watch(CLI::App& app, Action& action);
void add_trace(CLI::App& app, Action& action);
void add_run(CLI::App& app, Action& action);
void add_probes(CLI::App& app, Action& action);
void add_checkpoint(CLI::App& app, Action& action);
void add_jvm(CLI::App& app, Action& action);

// Prints an error the user can act on to stderr and returns `code`.
int fail(int code, const std::string& what, const std::string& hint = {});

}  // namespace sockscope::cli
