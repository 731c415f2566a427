// SPDX-License-Identifier: GPL-2.0-only
#include "run/run.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>

#include "base/unique_fd.h"
#include "inventory/inventory.h"
#include "run/report_builder.h"
#include "tracer/tracer.h"

namespace sockscope::run {
namespace {

using Steady = std::chrono::steady_clock;

// Forks the child; it waits for one byte on `release` (EOF: we died or
// gave up, so it exits without running anything), then execs.
pid_t fork_waiting_child(const std::vector<std::string>& cmd, UniqueFd& release_wr) {
  // Built before fork: the child only reads, execs or exits.
  std::vector<char*> argv;
  argv.reserve(cmd.size() + 1);
  for (const auto& a : cmd) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) return -1;
  pid_t pid = ::fork();
  if (pid != 0) {
    ::close(p[0]);
    release_wr.reset(p[1]);
    return pid;
  }
  ::close(p[1]);
  // The parent's stop handlers were inherited; until exec resets them, a
  // forwarded SIGTERM would only set a flag here and be lost (seen in CI:
  // `sleep 60` ran its full minute). Default action: it ends the child.
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) ::signal(sig, SIG_DFL);
  char go = 0;
  if (::read(p[0], &go, 1) != 1) ::_exit(127);
  ::execvp(argv[0], argv.data());
  int err = errno;
  std::fprintf(stderr, "sockscope: cannot run %s: %s\n", argv[0], std::strerror(err));
  // The shell's codes (POSIX 2.8.2): 127 not found, 126 found but not runnable.
  ::_exit(err == ENOENT ? 127 : 126);
}

int exit_code_of(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status); }

// One inventory snapshot; the caller rate-limits (a scan reads all of /proc).
void snapshot_peers(ReportBuilder& b) {
  inventory::LiveSource src;
  b.resolve_peers(inventory::build(src));
}

// Runs the trace until the child exits; returns its wait status, or why the
// ring buffer could not be read (the child then runs on, untraced).
// Peers are looked up while the sockets are still held: right after the poll
// that delivered new events (then at most every 250 ms), and again, without
// new events, while some socket lacks a peer or has only its listener (the
// server had not accepted yet), at most kPeerRetries times in a row.
Result<int> trace_child(tracer::Tracer& t, pid_t child, ReportBuilder& b, tracer::StopSignals& stop, StackGlue& glue) {
  constexpr int kPeerRetries = 8;
  auto last_snapshot = Steady::now() - std::chrono::seconds(1);
  bool fresh = false;  // events since the last snapshot
  int retries = 0;     // snapshots since the last events
  auto feed = [&](Event& e) {
    glue.on_event(e);  // symbolizes e.raw_stack at once, while the process lives
    b.add(e);
    fresh = true;
  };
  int status = 0;
  for (;;) {
    if (auto n = t.poll(50, feed); !n)
      return n.error().with_hint("the command runs on, untraced, and sockscope waits for it; rerun it for a report");
    if (int sig = stop.take_sent_to_us_alone()) ::kill(child, sig);
    if ((fresh || retries < kPeerRetries) && b.needs_peers() &&
        Steady::now() - last_snapshot > std::chrono::milliseconds(250)) {
      retries = fresh ? 0 : retries + 1;
      snapshot_peers(b);
      last_snapshot = Steady::now();
      fresh = false;
    }
    pid_t r = ::waitpid(child, &status, WNOHANG);
    if (r == child) break;
    if (r < 0 && errno != EINTR) break;
  }
  // The exit event is queued before the parent is told.
  t.detach();
  if (auto n = t.drain(feed); !n) return n.error();
  return status;
}

}  // namespace

Result<RunReport> run_traced(const RunOptions& a, tracer::StopSignals& stop) {
  tracer::Options o;
  o.backend = a.backend;
  o.ladder = Ladder::kBounded;  // a run's wall time includes detaching
  // As `trace`: a socket storm at start-up (400,000 events in a second)
  // overran 4 MiB while the reader was descheduled.
  o.ringbuf_bytes = 16u << 20;
  o.pid_tree = true;
  UniqueFd release;
  pid_t child = fork_waiting_child(a.command, release);
  if (child < 0) return Error{fmt::format("fork: {}", std::strerror(errno)), 0, "check the process limits (ulimit -u)"};
  o.pids = {child};
  StackGlue glue(a.stacks);  // outlives the tracer, which calls back into it
  glue.configure(o);
  auto t = tracer::Tracer::open(o);
  if (!t) {
    release.reset();  // the child sees EOF and exits without exec
    ::waitpid(child, nullptr, 0);
    return t.error();
  }
  glue.started(*t);
  if (a.on_started) a.on_started(child, backend_name(t->backend()));
  auto started = Steady::now();
  char go = 1;
  if (::write(release.get(), &go, 1) != 1) {
    int err = errno;
    ::kill(child, SIGKILL);
    ::waitpid(child, nullptr, 0);
    return Error{fmt::format("cannot release the child: {}", std::strerror(err)), 0, "report it"};
  }
  release.reset();

  ReportBuilder builder;
  auto status = trace_child(*t, child, builder, stop, glue);
  if (!status) {
    while (::waitpid(child, nullptr, 0) < 0 && errno == EINTR) {  // ECHILD once reaped
    }
    return status.error();
  }
  if (builder.needs_peers()) snapshot_peers(builder);  // servers outlive their clients
  auto report = std::move(builder).finish();
  report.command = a.command;
  report.exit_code = exit_code_of(*status);
  report.backend = backend_name(t->backend());
  report.seconds = std::chrono::duration<double>(Steady::now() - started).count();
  report.stats = t->stats();
  return report;
}

}  // namespace sockscope::run
