// SPDX-License-Identifier: GPL-2.0-only
// sockscope watch PATH...: every bind, listen, connect, accept, unlink and
// rename touching these socket paths, with inodes and exec lineage.
#include <fmt/format.h>

#include <chrono>
#include <cstdio>

#include "base/exit_codes.h"
#include "cli/app.h"
#include "cli/common.h"
#include "procfs/process.h"
#include "render/escape.h"
#include "render/event.h"
#include "render/watch.h"
#include "tracer/stop.h"
#include "tracer/tracer.h"
#include "watch/watcher.h"

namespace sockscope::cli {
namespace {

struct WatchArgs {
  std::vector<std::string> patterns;
  int ns_of = 0;
  bool all_ns = false, json = false;
  double duration = -1;
  std::string backend = "auto";
};

// The banner's "in ...": sockscope's own pid names nothing the user chose.
std::string where_text(const WatchArgs& a, uint64_t mntns) {
  if (a.all_ns) return "every mount namespace";
  if (a.ns_of) return fmt::format("the mount namespace of pid {} (mnt:[{}])", a.ns_of, mntns);
  return fmt::format("the mount namespace sockscope runs in (mnt:[{}]; --ns-of PID for another, --all-ns for all)",
                     mntns);
}

int run_watch(const WatchArgs& a) {
  watch::Options wo;
  wo.patterns = a.patterns;
  int ns_pid = a.ns_of ? a.ns_of : ::getpid();
  if (a.ns_of) {
    if (int rc = check_pids({a.ns_of}); rc != kExitOk) return rc;
    wo.ns_pid = a.ns_of;
  }
  if (!a.all_ns) wo.mntns = procfs::ns_inode("/proc", ns_pid, "mnt").value_or(0);
  tracer::Options to;
  to.backend = *parse_backend(a.backend);
  // Every touch costs a lineage and a stat in user space: a larger buffer
  // rides out storms (lost events are still counted and printed).
  to.ringbuf_bytes = 64u << 20;
  tracer::StopSignals stop;
  auto t = tracer::Tracer::open(to);
  if (!t) return tracer_failure(t.error());
  lineage::ProcessTable procs;
  procs.seed();
  watch::Watcher w(wo);
  w.prime();
  fmt::print(stderr, "sockscope: watching {} path pattern(s) in {} (backend {}); {}\n", a.patterns.size(),
             where_text(a, wo.mntns), backend_name(t->backend()),
             a.duration >= 0 ? "until --duration ends" : "Ctrl-C to stop");
  Clock clock;
  // A process's lineage (~5 KB of argv) is shown with its first touch and
  // again only when it changed (watch::Touch::lineage_new).
  auto handle = [&](const Event& e) {
    auto touch = w.on_event(e, procs);
    if (!touch) return;
    if (a.json) {
      std::string lineage = touch->lineage_new ? render::dump(render::lineage_json(touch->lineage)) : "";
      fmt::print("{}\n", render::touch_json_line(*touch, clock, lineage));
    } else {
      fmt::print("{}{}", render::touch_head_text(*touch, clock),
                 touch->lineage_new ? render::lineage_text(touch->lineage) : render::lineage_seen_text(*touch));
    }
  };
  return stream_events(*t, stop, a.duration, a.json, handle);
}

}  // namespace

void add_watch(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand("watch", "Watch who binds, connects to, unlinks or replaces socket paths (BPF; root)");
  auto a = std::make_shared<WatchArgs>();
  cmd->add_option("PATH", a->patterns, "Socket paths or globs; @name for abstract names")->required();
  cmd->add_option("--ns-of", a->ns_of, "Read the paths as this process sees them (its mount namespace)")
      ->check(pid_number());
  cmd->add_flag("--all-ns", a->all_ns, "Match the paths in every mount namespace");
  cmd->add_flag("--json", a->json, "JSON Lines, one touch per line, stats last");
  cmd->add_option("--duration", a->duration, "Stop after SECONDS")->check(seconds(kDurationMax));
  cmd->add_option("--backend", a->backend, "Force a rung: tracepoint, raw_syscalls, kprobe (default auto)")
      ->check(one_of({"auto", "tracepoint", "raw_syscalls", "kprobe"}));
  cmd->callback([&action, a] { action = [a] { return run_watch(*a); }; });
}

}  // namespace sockscope::cli
