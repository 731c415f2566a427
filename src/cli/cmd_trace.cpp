// SPDX-License-Identifier: GPL-2.0-only
// sockscope trace: stream socket lifecycle events, system-wide or filtered
// in the kernel (pid tree, comm, cgroup, family, path prefix, fd).
#include <fmt/format.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <optional>

#include "base/exit_codes.h"
#include "base/strings.h"
#include "cli/app.h"
#include "cli/common.h"
#include "cli/stacks.h"
#include "inventory/inventory.h"
#include "inventory/source.h"
#include "render/escape.h"
#include "render/event.h"
#include "render/schema.h"
#include "render/stack.h"
#include "tracer/stop.h"
#include "tracer/tracer.h"
#include "watch/socket_paths.h"

namespace sockscope::cli {
namespace {

struct TraceArgs {
  std::vector<int> pids;
  std::string comm, cgroup, family, path_prefix, backend = "auto";
  int fd = -1;
  bool unix_only = false, json = false;
  bool exec = false, signals = false;  // show process events / signals too
  bool all_unlinks = false;            // text: unlinks and renames of any file, not only socket paths
  double duration = -1;  // < 0: until Ctrl-C
  run::StackOptions stacks;  // --stacks, --folded ... (cli/stacks.h)
};

// --cgroup takes a cgroup v2 directory (its inode is the cgroup id) or the id.
std::optional<uint64_t> cgroup_id(const std::string& s) {
  if (auto id = parse_u64(s)) return id;
  struct stat st {};
  std::string path = s.rfind("/sys/fs/cgroup", 0) == 0 ? s : "/sys/fs/cgroup/" + s;
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return st.st_ino;
}

std::optional<int> family(const std::string& s) {
  if (s.empty()) return 0;
  if (s == "unix") return AF_UNIX;
  if (s == "inet") return AF_INET;
  if (s == "inet6") return AF_INET6;
  return std::nullopt;
}

// Process events (exec/fork/exit) are the lineage behind socket events; they
// are shown on request, as are signals.
bool shown(const Event& e, const TraceArgs& a) {
  using K = EventKind;
  if (e.kind == K::kExec || e.kind == K::kFork || e.kind == K::kExit) return a.exec;
  if (e.kind == K::kSignal) return a.signals;
  return true;
}

// The paths of the unix sockets bound now, in every network namespace: what
// the text view's unlink filter starts from (watch/socket_paths.h).
std::vector<std::string> bound_socket_paths() {
  inventory::LiveSource src;
  inventory::Options opts;
  opts.inet_sockets = false;
  std::vector<std::string> out;
  for (const auto& s : inventory::build(src, opts).sockets)
    if (!s.abstract && !s.local.empty()) out.push_back(s.resolved_path.empty() ? s.local : s.resolved_path);
  return out;
}

bool is_path_event(const Event& e) { return e.kind == EventKind::kUnlink || e.kind == EventKind::kRename; }

int run_trace(const TraceArgs& a) {
  // Before the tracer opens: a pid that does not exist is an answer (66), not an empty trace.
  if (int rc = check_pids(a.pids); rc != kExitOk) return rc;
  tracer::Options o;
  o.pids = a.pids;
  o.comm = a.comm;
  o.path_prefix = a.path_prefix;
  o.fd = a.fd;
  // 16 MiB: ~35,000 events, i.e. ~0.15 s at 200,000 events/s while the
  // reader is descheduled (docs/benchmarks.md, Tracer: RSS stays < 64 MiB).
  o.ringbuf_bytes = 16u << 20;
  o.signals = a.signals;
  auto fam = family(a.unix_only ? "unix" : a.family);
  if (!fam) return fail(kExitUsage, "unknown --family " + a.family, "use unix, inet or inet6");
  o.family = *fam;
  if (!a.cgroup.empty()) {
    auto id = cgroup_id(a.cgroup);
    if (!id) return fail(kExitUsage, "no cgroup " + a.cgroup, "give a directory under /sys/fs/cgroup or an id");
    o.cgroup_id = *id;
  }
  o.backend = *parse_backend(a.backend);
  run::StackGlue glue(a.stacks);  // outlives the tracer, which calls back into it
  glue.configure(o);

  tracer::StopSignals stop;
  auto t = tracer::Tracer::open(o);
  if (!t) return tracer_failure(t.error());
  glue.started(*t);
  fmt::print(stderr, "sockscope: tracing with backend {} ({} programs attached; tracefs {}); {}\n",
             backend_name(t->backend()), t->attached_links(), t->tracefs_how(),
             a.duration == 0 ? "exiting (--duration 0)" : "Ctrl-C to stop");
  Clock clock;
  // Text shows the unlinks and renames of socket paths only (every `rm` on
  // the machine is an unlink); JSON and --all-unlinks show them all.
  bool filter_paths = !a.json && !a.all_unlinks && a.path_prefix.empty();
  std::optional<watch::SocketPaths> socket_paths;
  if (filter_paths) socket_paths.emplace(bound_socket_paths());
  uint64_t hidden = 0;
  auto print = [&](Event& e) {
    glue.on_event(e);  // process lifecycle; symbolizes e.raw_stack at once
    if (!shown(e, a)) return;
    if (socket_paths) {
      socket_paths->note(e);
      if (is_path_event(e) && !socket_paths->touches_socket_path(e)) {
        hidden++;
        return;
      }
    }
    if (a.stacks.folded) {
      if (e.stack) fmt::print("{}\n", render::folded_line(e, *e.stack));
      return;
    }
    if (!a.json && e.stack) fmt::print("{}\n{}", render::event_line(e, clock), render::stack_text(*e.stack, "    "));
    else if (a.json) fmt::print("{}\n", render::dump_document(render::event_json(e, clock)));
    else fmt::print("{}\n", render::event_line(e, clock));
  };
  if (a.duration == 0) {
    fmt::print("ready\n");
    std::fflush(stdout);
  }
  int rc = stream_events(*t, stop, a.duration, a.json, print);
  if (hidden)
    fmt::print(stderr,
               "sockscope: {} unlink(s) and rename(s) of paths that are no socket's were not shown "
               "(--all-unlinks shows them)\n",
               hidden);
  return rc;
}

}  // namespace

void add_trace(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand("trace", "Stream socket lifecycle events (BPF; needs root)");
  auto a = std::make_shared<TraceArgs>();
  cmd->add_option("--pid", a->pids, "Only these processes and their descendants")->check(pid_number());
  cmd->add_option("--comm", a->comm, "Only tasks with this exact comm (15 bytes max)")->check(at_most_bytes(15));
  cmd->add_option("--cgroup", a->cgroup, "Only this cgroup v2 (path under /sys/fs/cgroup, or id)");
  cmd->add_option("--family", a->family, "Only unix, inet or inet6 sockets")->check(one_of({"unix", "inet", "inet6"}));
  cmd->add_flag("--unix", a->unix_only, "Same as --family unix");
  cmd->add_option("--path-prefix", a->path_prefix, "Only paths starting with this (events with a path)");
  cmd->add_option("--fd", a->fd, "Only this descriptor number (events about an fd)")
      ->check(whole_number(0, INT32_MAX, "a descriptor number"));
  cmd->add_flag("--json", a->json, "JSON Lines, one event per line, stats last");
  add_stack_options(cmd, a->stacks);
  cmd->add_flag("--exec", a->exec, "Also show exec, fork and exit events (the process lineage)");
  cmd->add_flag("--signals", a->signals, "Also show signals: who sent which signal to whom");
  cmd->add_flag("--all-unlinks", a->all_unlinks,
                "Text: show unlinks and renames of every file, not only of socket paths (JSON has them all)");
  cmd->add_option("--duration", a->duration, "Stop after SECONDS; 0: attach, print \"ready\", exit")
      ->check(seconds(kDurationMax));
  cmd->add_option("--backend", a->backend, "Force a rung: tracepoint, raw_syscalls, kprobe (default auto)")
      ->check(one_of({"auto", "tracepoint", "raw_syscalls", "kprobe"}));
  cmd->callback([&action, a] { action = [a] { return run_trace(*a); }; });
}

}  // namespace sockscope::cli
