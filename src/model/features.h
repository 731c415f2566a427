// SPDX-License-Identifier: GPL-2.0-only
// What this kernel offers the tracer: the attach rungs and the kernel
// features they need, each with the reason it is absent (tracer/features.h
// probes them and picks a rung; render/probes.h shows them). Passive data.
#pragma once

#include <optional>
#include <string>

namespace sockscope {

// The fallback ladder, in order of preference (docs/tracer.md).
enum class Backend {
  kAuto,
  kTracepoint,   // syscalls:sys_enter_X/sys_exit_X (CONFIG_FTRACE_SYSCALLS)
  kRawSyscalls,  // raw_syscalls:sys_enter/sys_exit, syscall number checked in BPF
  kKprobe,       // kprobes on __x64_sys_X through the kprobe PMU (CONFIG_KPROBES)
};

const char* backend_name(Backend b);  // "tracepoint", "raw_syscalls", "kprobe", "auto"
std::optional<Backend> parse_backend(const std::string& s);

struct FeatureStatus {
  bool available = false;
  std::string reason;  // why absent, or what was found
};

struct Features {
  std::string tracefs_how;  // how tracefs was read
  FeatureStatus tracepoint;
  FeatureStatus raw_syscalls;
  FeatureStatus kprobe;
  FeatureStatus btf;
  FeatureStatus ringbuf;
  FeatureStatus raw_tracepoint;
  FeatureStatus task_pt_regs;

  const FeatureStatus& rung(Backend b) const;
};

// The order in which `auto` tries the rungs. kStreaming (trace, watch): the
// syscall tracepoints first, which cost nothing for syscalls they do not
// trace. kBounded (run): raw_syscalls first, because a run's wall time
// includes detaching, and perf-event tracepoint links detach one tasks-trace
// RCU grace period at a time under a kernel mutex (up to ~1.5 s for the 36
// links on a loaded host) while raw tracepoints detach in milliseconds.
enum class Ladder { kStreaming, kBounded };

}  // namespace sockscope
