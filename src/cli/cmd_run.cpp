// SPDX-License-Identifier: GPL-2.0-only
// sockscope run -- CMD ARGS...: run a command under the tracer and report
// every socket its process tree made, with the peers named (run/run.h).
#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "base/clock.h"
#include "base/exit_codes.h"
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
  std::string output;
  bool json = false;
};

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

int run_command(RunArgs& a) {
  a.run.backend = *parse_backend(a.backend);
  // Opened before the command runs (close-on-exec: it never sees it), so
  // that a bad path costs nothing.
  std::unique_ptr<std::FILE, FileCloser> file;
  if (!a.output.empty()) {
    file.reset(std::fopen(a.output.c_str(), "we"));
    if (!file)
      return fail(kExitCantCreate,
                  fmt::format("cannot write the report to {}: {}", render::printable(a.output), std::strerror(errno)),
                  "give -o a path in a directory you can write to");
  }
  a.run.on_started = [](pid_t child, std::string_view backend) {
    fmt::print(stderr, "sockscope: tracing pid {} with backend {}\n", child, backend);
  };
  tracer::StopSignals stop;
  auto report = run::run_traced(a.run, stop);
  if (!report) return tracer_failure(report.error());
  Clock clock;
  std::FILE* text_to = file ? file.get() : stderr;
  std::FILE* data_to = file ? file.get() : stdout;
  if (a.run.stacks.folded) fmt::print(data_to, "{}", render::report_folded(*report));
  else if (a.json) fmt::print(data_to, "{}\n", render::dump(render::report_json(*report, clock), 2));
  else fmt::print(text_to, "{}", render::report_text(*report, clock));
  return report->exit_code;
}

}  // namespace

void add_run(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand("run", "Run a command and report every socket its process tree made");
  auto a = std::make_shared<RunArgs>();
  cmd->add_flag("--json", a->json, "Print the report as JSON on stdout");
  cmd->add_option("-o,--output", a->output,
                  "Write the report to FILE instead (apart from the command's own stdout and stderr)");
  add_stack_options(cmd, a->run.stacks);
  cmd->add_option("--backend", a->backend, "Force a rung: tracepoint, raw_syscalls, kprobe (default auto)")
      ->check(one_of({"auto", "tracepoint", "raw_syscalls", "kprobe"}));
  cmd->add_option("command", a->run.command, "The command and its arguments (after --)")->required();
  cmd->callback([&action, a] { action = [a] { return run_command(*a); }; });
}

}  // namespace sockscope::cli
