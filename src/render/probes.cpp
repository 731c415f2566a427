// SPDX-License-Identifier: GPL-2.0-only
#include "render/probes.h"

#include <fmt/format.h>

namespace sockscope::render {
namespace {

std::string row(const char* name, const FeatureStatus& s) {
  return fmt::format("  {:<17} {:<10} {}\n", name, s.available ? "available" : "absent", s.reason);
}

nlohmann::json status_json(const FeatureStatus& s) { return {{"available", s.available}, {"reason", s.reason}}; }

}  // namespace

std::string probes_text(const ProbesView& p) {
  const Features& f = p.features;
  std::string out = "attach rungs, in the order `trace` and `watch` try them (`run` tries raw_syscalls first):\n";
  out += row("tracepoint", f.tracepoint) + row("raw_syscalls", f.raw_syscalls) + row("kprobe", f.kprobe);
  out += "kernel features:\n";
  out += row("BTF", f.btf) + row("ringbuf", f.ringbuf) + row("raw_tracepoint", f.raw_tracepoint) +
         row("bpf_task_pt_regs", f.task_pt_regs);
  out += fmt::format("tracefs: {}\n", f.tracefs_how);
  out += p.chosen ? fmt::format("selected backend: {} (run: {})\n", backend_name(*p.chosen),
                                p.chosen_run ? backend_name(*p.chosen_run) : "none")
                  : fmt::format("selected backend: none: {}\n", p.missing);
  return out;
}

nlohmann::json probes_json(const ProbesView& p) {
  const Features& f = p.features;
  return {{"backends",
           {{"tracepoint", status_json(f.tracepoint)},
            {"raw_syscalls", status_json(f.raw_syscalls)},
            {"kprobe", status_json(f.kprobe)}}},
          {"kernel",
           {{"btf", status_json(f.btf)},
            {"ringbuf", status_json(f.ringbuf)},
            {"raw_tracepoint", status_json(f.raw_tracepoint)},
            {"bpf_task_pt_regs", status_json(f.task_pt_regs)}}},
          {"tracefs", f.tracefs_how},
          {"selected", p.chosen ? backend_name(*p.chosen) : nullptr},
          {"selected_run", p.chosen_run ? backend_name(*p.chosen_run) : nullptr}};
}

}  // namespace sockscope::render
