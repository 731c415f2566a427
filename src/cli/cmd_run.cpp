// SPDX-License-Identifier: GPL-2.0-only
// sockscope run -- CMD ARGS...: run a command under the tracer and report
// every socket its process tree made, with the peers named (run/run.h).
#include <fmt/format.h>

#include "base/clock.h"
#include "cli/app.h"
#include "cli/common.h"
#include "cli/stacks.h"
#include "render/escape.h"
#include "render/run_report.h"
#include "run/run.h"
#include "tracer/stop.h"

namespace sockscope::cli {
namespace {

struct RunArgs {
  run::RunOptions run;
  std::string backend = "auto";
  bool json = false;
};

int run_command(RunArgs& a) {
  a.run.backend = *parse_backend(a.backend);
  a.run.on_started = [](pid_t child, std::string_view backend) {
    fmt::print(stderr, "sockscope: tracing pid {} with backend {}\n", child, backend);
  };
  tracer::StopSignals stop;
  auto report = run::run_traced(a.run, stop);
  if (!report) return tracer_failure(report.error());
  Clock clock;
  if (a.run.stacks.folded) fmt::print("{}", render::report_folded(*report));
  else if (a.json) fmt::print("{}\n", render::dump(render::report_json(*report, clock), 2));
  else fmt::print(stderr, "{}", render::report_text(*report, clock));
  return report->exit_code;
}

}  // namespace

void add_run(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand("run", "Run a command and report every socket its process tree made");
  auto a = std::make_shared<RunArgs>();
  cmd->add_flag("--json", a->json, "Print the report as JSON on stdout");
  add_stack_options(cmd, a->run.stacks);
  cmd->add_option("--backend", a->backend, "Force a rung: tracepoint, raw_syscalls, kprobe (default auto)")
      ->check(one_of({"auto", "tracepoint", "raw_syscalls", "kprobe"}));
  cmd->add_option("command", a->run.command, "The command and its arguments (after --)")->required();
  cmd->callback([&action, a] { action = [a] { return run_command(*a); }; });
}

}  // namespace sockscope::cli
