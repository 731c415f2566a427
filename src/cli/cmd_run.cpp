// SPDX-License-Identifier: GPL-2.0-only
// sockscope run -- CMD ARGS...: run a command under the tracer and report
// every socket its process tree made, with the peers named (run/run.h).
#include <fmt/format.h>

#include <cstdio>

#include "base/clock.h"
#include "base/escape.h"
#include "base/exit_codes.h"
#include "cli/app.h"
#include "cli/common.h"
#include "cli/pictures.h"
#include "cli/stacks.h"
#include "render/escape.h"
#include "render/flame.h"
#include "render/run_report.h"
#include "render/schema.h"
#include "run/run.h"
#include "tracer/stop.h"

namespace sockscope::cli {
namespace {

struct RunArgs {
  run::RunOptions run;
  std::string backend = "auto";
  std::string output;
  std::string flamegraph;
  bool json = false;
};

std::string command_title(const std::vector<std::string>& argv) {
  std::string words;
  for (const auto& w : argv) words += (words.empty() ? "" : " ") + shell_quote(w);
  return "Socket stacks of " + words;  // escaped by the renderer
}

// The flame graph of the report's stacks, into the file opened before the run.
int write_flamegraph(File f, const RunArgs& a, const RunReport& report) {
  auto paths = render::report_flame_paths(report);
  render::FlameOptions o{.title = command_title(a.run.command), .unit = "stacks"};
  if (!finish_output(std::move(f), render::flamegraph_svg(paths, o), a.flamegraph)) return kExitCantCreate;
  fmt::print(stderr, "sockscope: flame graph of {} stacks in {}\n", paths.size(), render::printable(a.flamegraph));
  return kExitOk;
}

int run_command(RunArgs& a) {
  a.run.backend = *parse_backend(a.backend);
  // Opened before the command runs (close-on-exec: it never sees it), so
  // that a bad path costs nothing.
  File file, flame;
  if (!a.output.empty() && !(file = open_output(a.output, "-o"))) return kExitCantCreate;
  if (!a.flamegraph.empty() && !(flame = open_output(a.flamegraph, "--flamegraph"))) return kExitCantCreate;
  a.run.stacks.stacks = a.run.stacks.stacks || flame;
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
  else if (a.json) fmt::print(data_to, "{}\n", render::dump_document(render::report_json(*report, clock), 2));
  else fmt::print(text_to, "{}", render::report_text(*report, clock));
  if (flame)
    if (int rc = write_flamegraph(std::move(flame), a, *report); rc != kExitOk) return rc;
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
  cmd->add_option("--flamegraph", a->flamegraph,
                  "Also write a flame graph of the stacks to FILE (an interactive SVG; implies --stacks)");
  cmd->add_option("--backend", a->backend, "Force a rung: tracepoint, raw_syscalls, kprobe (default auto)")
      ->check(one_of({"auto", "tracepoint", "raw_syscalls", "kprobe"}));
  cmd->add_option("command", a->run.command, "The command and its arguments (after --)")->required();
  cmd->callback([&action, a] { action = [a] { return run_command(*a); }; });
}

}  // namespace sockscope::cli
