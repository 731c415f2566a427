// SPDX-License-Identifier: GPL-2.0-only
// sockscope probes: what the kernel offers the tracer, rung by rung, and why
// a rung is absent.
#include <fmt/format.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "base/exit_codes.h"
#include "cli/app.h"
#include "tracer/features.h"

namespace sockscope::cli {
namespace {

using tracer::Backend;
using tracer::FeatureStatus;

std::string row(const char* name, const FeatureStatus& s) {
  return fmt::format("  {:<17} {:<10} {}\n", name, s.available ? "available" : "absent", s.reason);
}

nlohmann::json status_json(const FeatureStatus& s) {
  return {{"available", s.available}, {"reason", s.reason}};
}

int run_probes(bool json) {
  auto f = tracer::probe_features();
  auto chosen = tracer::choose_backend(f, Backend::kAuto);
  auto chosen_run = tracer::choose_backend(f, Backend::kAuto, tracer::Ladder::kBounded);
  if (json) {
    nlohmann::json j = {
        {"backends", {{"tracepoint", status_json(f.tracepoint)},
                      {"raw_syscalls", status_json(f.raw_syscalls)},
                      {"kprobe", status_json(f.kprobe)}}},
        {"kernel", {{"btf", status_json(f.btf)},
                    {"ringbuf", status_json(f.ringbuf)},
                    {"raw_tracepoint", status_json(f.raw_tracepoint)},
                    {"bpf_task_pt_regs", status_json(f.task_pt_regs)}}},
        {"tracefs", f.tracefs_how},
        {"selected", chosen ? tracer::backend_name(*chosen) : nullptr},
        {"selected_run", chosen_run ? tracer::backend_name(*chosen_run) : nullptr}};
    fmt::print("{}\n", j.dump(2));
  } else {
    std::string out = "attach rungs, in the order `trace` and `watch` try them (`run` tries raw_syscalls first):\n";
    out += row("tracepoint", f.tracepoint) + row("raw_syscalls", f.raw_syscalls) + row("kprobe", f.kprobe);
    out += "kernel features:\n";
    out += row("BTF", f.btf) + row("ringbuf", f.ringbuf) + row("raw_tracepoint", f.raw_tracepoint) +
           row("bpf_task_pt_regs", f.task_pt_regs);
    out += fmt::format("tracefs: {}\n", f.tracefs_how);
    out += chosen ? fmt::format("selected backend: {} (run: {})\n", tracer::backend_name(*chosen),
                                chosen_run ? tracer::backend_name(*chosen_run) : "none")
                  : fmt::format("selected backend: none: {}\n", tracer::missing_summary(f, Backend::kAuto));
    fmt::print("{}", out);
  }
  if (chosen) return kExitOk;
  return ::geteuid() == 0 ? kExitUnsupported : kExitNoPrivilege;
}

}  // namespace

void add_probes(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand("probes", "Show which tracing methods this kernel offers, and why not");
  auto json = std::make_shared<bool>(false);
  cmd->add_flag("--json", *json, "Print JSON");
  cmd->callback([&action, json] { action = [json] { return run_probes(*json); }; });
}

}  // namespace sockscope::cli
