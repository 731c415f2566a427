// SPDX-License-Identifier: GPL-2.0-only
#include "tracer/features.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <fmt/format.h>
#include <linux/bpf.h>
#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>

#include "tracer/tracefs.h"

namespace sockscope::tracer {
namespace {

constexpr const char* kSyscallTp = "events/syscalls/sys_enter_bind/id";
constexpr const char* kRawTp = "events/raw_syscalls/sys_enter/id";
constexpr const char* kKprobeEvents = "kprobe_events";
// The kprobe PMU (v4.17) lets libbpf create kprobes without tracefs; without
// CONFIG_KPROBES neither it nor tracefs' kprobe_events exists.
constexpr const char* kKprobePmu = "/sys/bus/event_source/devices/kprobe/type";

FeatureStatus yes(std::string why) { return {true, std::move(why)}; }
FeatureStatus no(std::string why) { return {false, std::move(why)}; }

constexpr const char* kNeedPrivilege = "cannot be probed without privilege: run as root or with CAP_BPF+CAP_PERFMON";

// Whether this process has `cap` in its effective set.
bool has_capability(int cap) {
  __user_cap_header_struct hdr{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2]{};
  if (::syscall(SYS_capget, &hdr, data) != 0) return ::geteuid() == 0;
  return (data[cap / 32].effective >> (cap % 32)) & 1;
}

// Whether BPF programs and maps may be created at all: CAP_BPF (5.8+) or
// CAP_SYS_ADMIN in the effective set. Without it libbpf 1.1's probes answer
// "no" rather than "could not tell" (the load fails with EPERM), which would
// blame the kernel for what is the caller's missing privilege.
bool may_use_bpf() { return has_capability(CAP_SYS_ADMIN) || has_capability(CAP_BPF); }

// libbpf_probe_*() return 1 yes, 0 no, <0 could not tell (usually EPERM).
FeatureStatus from_probe(int rc, const char* what, const char* absent_why) {
  if (rc != 1 && !may_use_bpf()) return no(kNeedPrivilege);
  if (rc == 1) return yes(what);
  if (rc == 0) return no(absent_why);
  return no(fmt::format("could not probe ({}): run as root or with CAP_BPF+CAP_PERFMON", std::strerror(-rc)));
}

// libbpf creates kprobes through the PMU; tracefs' kprobe_events, when it
// could be read, only adds to the reason.
FeatureStatus kprobe_rung(bool kprobe_events) {
  if (::access(kKprobePmu, F_OK) == 0) return yes("kprobe PMU present (/sys/bus/event_source/devices/kprobe)");
  return no(fmt::format("no kprobe PMU ({}){}: kernel built without CONFIG_KPROBES",
                        "/sys/bus/event_source/devices/kprobe",
                        kprobe_events ? "" : " and no kprobe_events in tracefs"));
}

void probe_tracefs(Features& f) {
  auto files = read_tracefs({kSyscallTp, kRawTp, kKprobeEvents});
  if (!files) {
    f.tracefs_how = files.error().what;
    f.tracepoint = no("tracefs unavailable: " + files.error().what);
    // Rung b attaches raw tracepoints, which need no tracefs.
    f.raw_syscalls = yes("raw tracepoints sys_enter/sys_exit (tracefs not needed)");
    f.kprobe = kprobe_rung(false);
    return;
  }
  f.tracefs_how = files->how;
  auto has = [&](const char* p) { return files->files[p].has_value(); };
  f.tracepoint = has(kSyscallTp) ? yes("syscalls:sys_enter_*/sys_exit_* present")
                                 : no("no events/syscalls/ in tracefs: kernel built without CONFIG_FTRACE_SYSCALLS");
  f.raw_syscalls = has(kRawTp) ? yes("raw tracepoints sys_enter/sys_exit (raw_syscalls present)")
                               : no("no events/raw_syscalls/ in tracefs: kernel without syscall tracepoints");
  f.kprobe = kprobe_rung(has(kKprobeEvents));
}

// Rung b needs raw tracepoints and bpf_task_pt_regs() (raw_exit reads the
// syscall number from the task's pt_regs); tracefs, when readable, only
// confirms that the kernel has the raw_syscalls tracepoints.
FeatureStatus raw_syscalls_rung(const Features& f, FeatureStatus from_tracefs) {
  if (!f.raw_tracepoint.available) return no(f.raw_tracepoint.reason);
  if (!f.task_pt_regs.available) return no("raw_exit needs bpf_task_pt_regs() (Linux 5.15+)");
  return from_tracefs;
}

}  // namespace

Features probe_features() {
  Features f;
  probe_tracefs(f);
  f.btf = ::access("/sys/kernel/btf/vmlinux", R_OK) == 0
              ? yes("/sys/kernel/btf/vmlinux")
              : no("no /sys/kernel/btf/vmlinux: kernel built without CONFIG_DEBUG_INFO_BTF; CO-RE "
                   "relocations cannot be resolved");
  // BPF ring buffer: v5.8, commit 457f44363a88 ("bpf: Implement BPF ring
  // buffer and verifier support for it").
  f.ringbuf = from_probe(libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, nullptr), "BPF_MAP_TYPE_RINGBUF",
                         "no BPF ring buffer (needs Linux 5.8+)");
  // Raw tracepoints (v4.17) carry the fork/exit process events on every rung.
  f.raw_tracepoint = from_probe(libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_RAW_TRACEPOINT, nullptr),
                                "BPF_PROG_TYPE_RAW_TRACEPOINT", "no raw tracepoints (needs Linux 4.17+)");
  // bpf_task_pt_regs(): v5.15; for --stacks and the raw_syscalls rung.
  f.task_pt_regs = from_probe(libbpf_probe_bpf_helper(BPF_PROG_TYPE_TRACEPOINT, BPF_FUNC_task_pt_regs, nullptr),
                              "bpf_task_pt_regs()", "no bpf_task_pt_regs() helper (needs Linux 5.15+)");
  f.raw_syscalls = raw_syscalls_rung(f, f.raw_syscalls);
  return f;
}

std::optional<Backend> choose_backend(const Features& f, Backend wanted, Ladder ladder) {
  if (!f.btf.available || !f.ringbuf.available || !f.raw_tracepoint.available) return std::nullopt;
  if (wanted != Backend::kAuto) return f.rung(wanted).available ? std::optional(wanted) : std::nullopt;
  constexpr Backend kStreamingOrder[] = {Backend::kTracepoint, Backend::kRawSyscalls, Backend::kKprobe};
  constexpr Backend kBoundedOrder[] = {Backend::kRawSyscalls, Backend::kTracepoint, Backend::kKprobe};
  for (Backend b : ladder == Ladder::kBounded ? kBoundedOrder : kStreamingOrder)
    if (f.rung(b).available) return b;
  return std::nullopt;
}

std::string missing_summary(const Features& f, Backend wanted) {
  for (const auto* s : {&f.btf, &f.ringbuf, &f.raw_tracepoint})
    if (!s->available) return s->reason;
  if (wanted != Backend::kAuto)
    return fmt::format("backend {} is absent: {}", backend_name(wanted), f.rung(wanted).reason);
  return fmt::format("no attach method works: tracepoint: {}; raw_syscalls: {}; kprobe: {}", f.tracepoint.reason,
                     f.raw_syscalls.reason, f.kprobe.reason);
}

std::vector<std::string> missing_capabilities() {
  if (has_capability(CAP_SYS_ADMIN)) return {};
  std::vector<std::string> missing;
  if (!has_capability(CAP_BPF)) missing.emplace_back("CAP_BPF");
  if (!has_capability(CAP_PERFMON)) missing.emplace_back("CAP_PERFMON");
  return missing;
}

}  // namespace sockscope::tracer
