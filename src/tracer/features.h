// SPDX-License-Identifier: GPL-2.0-only
// What this kernel offers the tracer, and which attach rung to use.
// Unsupported is not an error: every check yields a FeatureStatus with the
// reason, and `sockscope probes` prints them all.
#pragma once

#include <optional>
#include <string>

namespace sockscope::tracer {

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

// Probes everything; needs root (or CAP_BPF + CAP_PERFMON) for the BPF
// checks, and says so in the reasons otherwise.
Features probe_features();

// The order in which `auto` tries the rungs. kStreaming (trace, watch): the
// syscall tracepoints first, which cost nothing for syscalls they do not
// trace. kBounded (run): raw_syscalls first, because a run's wall time
// includes detaching, and perf-event tracepoint links detach one tasks-trace
// RCU grace period at a time under a kernel mutex (up to ~1.5 s for the 36
// links on a loaded host) while raw tracepoints detach in milliseconds.
enum class Ladder { kStreaming, kBounded };

// The rung to load: `wanted` if available, else the first available one in
// `ladder` order when `wanted` is kAuto. nullopt when nothing fits.
std::optional<Backend> choose_backend(const Features& f, Backend wanted,
                                      Ladder ladder = Ladder::kStreaming);

// One line naming what is missing, for when choose_backend() gives nothing.
std::string missing_summary(const Features& f, Backend wanted);

}  // namespace sockscope::tracer
