// SPDX-License-Identifier: GPL-2.0-only
// sockscope checkpoint PID: will CRIU / CRaC checkpoint this process tree,
// and if not, which descriptor stops it, who is on the other end, and what
// to do. Exit 0 ready, 1 blocked, 2 ready with warnings (docs/checkpoint.md).
#include <fmt/format.h>

#include "base/exit_codes.h"
#include "checkpoint/evaluate.h"
#include "checkpoint/options.h"
#include "cli/app.h"
#include "cli/common.h"
#include "collect/checkpoint_facts.h"
#include "collect/history_origins.h"
#include "procfs/process.h"
#include "render/checkpoint_report.h"
#include "render/escape.h"
#include "render/schema.h"

namespace sockscope::cli {
namespace {

struct CheckpointOptions {
  int pid = 0;
  std::string criu_opts;
  bool crac = false;
  bool json = false;
  bool full_stack = false;
  bool all = false;
  bool quiet = false;
  std::string db;
  std::string color = "auto";
};

// A value CRIU would refuse is a usage error here, not a silent default.
CLI::Validator criu_options() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        auto o = checkpoint::parse_criu_options(s);
        return o.invalid.empty() ? std::string() : o.invalid.front();
      },
      "\"CRIU OPTIONS\"");
}

int run_checkpoint(const CheckpointOptions& o) {
  if (int rc = check_pids({o.pid}); rc != kExitOk) return rc;
  inventory::LiveSource src;
  auto inv = inventory::build(src);
  auto tree = procfs::process_tree(src.proc_root(), o.pid);
  auto facts = collect::checkpoint_facts(inv, src, tree);
  checkpoint::Settings settings{checkpoint::parse_criu_options(o.criu_opts), o.crac};
  auto report = checkpoint::evaluate(facts, settings);
  collect::add_history_origins(report, o.db);
  if (o.json) {
    fmt::print("{}\n", render::dump_document(render::checkpoint_json(report), 2));
    return checkpoint::exit_code(report);
  }
  if (o.quiet) report.diagnostics.clear();
  fmt::print("{}", render::checkpoint_text(report, {stack_detail(o.full_stack), o.all ? 0u : 3u, text_style(o.color)}));
  return checkpoint::exit_code(report);
}

}  // namespace

void add_checkpoint(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand(
      "checkpoint", "Predict whether CRIU / CRaC can checkpoint a process tree, and why not");
  auto o = std::make_shared<CheckpointOptions>();
  cmd->add_option("PID", o->pid, "Process id of the tree's root (a JVM for CRaC)")->required()->check(pid_number());
  cmd->add_option("--criu-opts", o->criu_opts,
                  "CRIU options to judge with, as in CRAC_CRIU_OPTS (the target's own CRAC_CRIU_OPTS is added)")
      ->check(criu_options());
  cmd->add_flag("--crac", o->crac, "Run CRaC's JVM check even when the JVM has no -XX:CRaC* flags");
  cmd->add_flag("--json", o->json, "Print JSON (schema: docs/checkpoint.md)");
  cmd->add_option("--db", o->db, "Recorder history database (default: the running recorder's)");
  add_full_stack_flag(cmd, o->full_stack);
  cmd->add_flag("-q,--quiet", o->quiet, "Do not print what could not be read (JSON keeps it in \"diagnostics\")");
  add_color(cmd, o->color);
  cmd->add_flag("--all", o->all, "Show every finding in full (by default, 3 of each kind and a line for the rest)");
  cmd->callback([&action, o] { action = [o] { return run_checkpoint(*o); }; });
}

}  // namespace sockscope::cli
