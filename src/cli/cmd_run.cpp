// SPDX-License-Identifier: GPL-2.0-only
// sockscope run -- CMD ARGS...: run a command under the tracer and report
// every socket its process tree made, with the peers named.
//
// Ordering: the child is forked first and blocks on a pipe; the tracer is
// loaded, attached and the child's pid is put in the kernel pid-tree map;
// only then is the child released to exec. So nothing the child does, even
// before its exec completes, escapes the trace.
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>

#include "base/exit_codes.h"
#include "base/unique_fd.h"
#include "cli/app.h"
#include "cli/common.h"
#include "cli/stacks.h"
#include "inventory/inventory.h"
#include "tracer/format.h"
#include "tracer/report.h"
#include "tracer/stack.h"
#include "tracer/stop.h"
#include "tracer/tracer.h"

namespace sockscope::cli {
namespace {

using Clock = std::chrono::steady_clock;

struct RunArgs {
  std::vector<std::string> command;
  std::string backend = "auto";
  bool json = false;
  StackArgs stacks;  // --stacks, --folded ... (cli/stacks.h)
};

// Forks the child; it waits for one byte on `release` (EOF: we died or
// gave up, so it exits without running anything), then execs.
pid_t fork_waiting_child(const std::vector<std::string>& cmd, UniqueFd& release_wr) {
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) return -1;
  pid_t pid = ::fork();
  if (pid != 0) {
    ::close(p[0]);
    release_wr.reset(p[1]);
    return pid;
  }
  ::close(p[1]);
  char go = 0;
  if (::read(p[0], &go, 1) != 1) ::_exit(127);
  std::vector<char*> argv;
  for (const auto& a : cmd) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  ::execvp(argv[0], argv.data());
  std::fprintf(stderr, "sockscope: cannot run %s: %s\n", argv[0], std::strerror(errno));
  ::_exit(127);
}

// The events of a socket that carry a stack, creation first (--folded).
std::vector<const tracer::Event*> folded_events(const tracer::SocketRecord& s) {
  std::vector<const tracer::Event*> out;
  if (s.created.stack) out.push_back(&s.created);
  for (const auto& e : s.events)
    if (e.stack) out.push_back(&e);
  return out;
}

int exit_code_of(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// One inventory snapshot; the caller rate-limits (a scan reads all of /proc).
void snapshot_peers(tracer::ReportBuilder& b) {
  inventory::LiveSource src;
  b.resolve_peers(inventory::build(src));
}

// Runs the trace until the child exits; returns its wait status, or why the
// ring buffer could not be read (the child then runs on, untraced).
// Peers are looked up while the sockets are still held: right after the poll
// that delivered new events (then at most every 250 ms), and again, without
// new events, while some socket lacks a peer or has only its listener (the
// server had not accepted yet), at most kPeerRetries times in a row.
Result<int> trace_child(tracer::Tracer& t, pid_t child, tracer::ReportBuilder& b, tracer::StopSignals& stop,
                        StackGlue& glue) {
  constexpr int kPeerRetries = 8;
  auto last_snapshot = Clock::now() - std::chrono::seconds(1);
  bool fresh = false;  // events since the last snapshot
  int retries = 0;     // snapshots since the last events
  auto feed = [&](const tracer::Event& e) {
    tracer::Event ev = e;
    glue.on_event(ev);  // symbolizes ev.raw_stack at once, while the process lives
    b.add(ev);
    fresh = true;
  };
  int status = 0;
  for (;;) {
    if (auto n = t.poll(50, feed); !n)
      return n.error().with_hint("the command runs on, untraced, and sockscope waits for it; rerun it for a report");
    if (stop.signal() && stop.sent_to_us_alone()) ::kill(child, stop.signal());
    stop.clear();
    if ((fresh || retries < kPeerRetries) && b.needs_peers() &&
        Clock::now() - last_snapshot > std::chrono::milliseconds(250)) {
      retries = fresh ? 0 : retries + 1;
      snapshot_peers(b);
      last_snapshot = Clock::now();
      fresh = false;
    }
    pid_t r = ::waitpid(child, &status, WNOHANG);
    if (r == child) break;
    if (r < 0 && errno != EINTR) break;
  }
  // The exit event is queued before the parent is told.
  if (auto n = t.drain(feed); !n) return n.error();
  return status;
}

int run_command(const RunArgs& a) {
  tracer::Options o;
  o.backend = *tracer::parse_backend(a.backend);
  o.ladder = tracer::Ladder::kBounded;  // a run's wall time includes detaching
  // As `trace`: a socket storm at start-up (400,000 events in a second)
  // overran 4 MiB while the reader was descheduled.
  o.ringbuf_bytes = 16u << 20;
  o.pid_tree = true;
  UniqueFd release;
  pid_t child = fork_waiting_child(a.command, release);
  if (child < 0) return fail(kExitFailure, fmt::format("fork: {}", std::strerror(errno)));
  o.pids = {child};
  StackGlue glue(a.stacks);  // outlives the tracer, which calls back into it
  glue.configure(o);
  tracer::StopSignals stop;
  auto t = tracer::Tracer::open(o);
  if (!t) {
    release.reset();  // the child sees EOF and exits without exec
    ::waitpid(child, nullptr, 0);
    return tracer_failure(t.error());
  }
  glue.started(*t);
  fmt::print(stderr, "sockscope: tracing pid {} with backend {}\n", child, tracer::backend_name(t->backend()));
  auto started = Clock::now();
  char go = 1;
  if (::write(release.get(), &go, 1) != 1) return fail(kExitFailure, "cannot release the child");
  release.reset();

  tracer::ReportBuilder builder;
  auto status = trace_child(*t, child, builder, stop, glue);
  if (!status) {
    int code = tracer_failure(status.error());
    while (::waitpid(child, nullptr, 0) < 0 && errno == EINTR) {  // ECHILD once reaped
    }
    return code;
  }
  if (builder.needs_peers()) snapshot_peers(builder);  // servers outlive their clients
  auto report = std::move(builder).finish();
  report.command = a.command;
  report.exit_code = exit_code_of(*status);
  report.backend = tracer::backend_name(t->backend());
  report.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  report.stats = t->stats();
  tracer::Clock clock;
  if (a.stacks.folded)
    for (const auto& s : report.sockets)
      for (const tracer::Event* e : folded_events(s))
        fmt::print("{}\n", tracer::folded_line(*e, *e->stack));
  else if (a.json)
    fmt::print("{}\n", tracer::report_json(report, clock).dump(2));
  else
    fmt::print(stderr, "{}", tracer::report_text(report, clock));
  return report.exit_code;
}

}  // namespace

void add_run(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand("run", "Run a command and report every socket its process tree made");
  auto a = std::make_shared<RunArgs>();
  cmd->add_flag("--json", a->json, "Print the report as JSON on stdout");
  add_stack_options(cmd, a->stacks);
  cmd->add_option("--backend", a->backend, "Force a rung: tracepoint, raw_syscalls, kprobe (default auto)")
      ->check(CLI::IsMember({"auto", "tracepoint", "raw_syscalls", "kprobe"}));
  cmd->add_option("command", a->command, "The command and its arguments (after --)")->required();
  cmd->callback([&action, a] { action = [a] { return run_command(*a); }; });
}

}  // namespace sockscope::cli
