// SPDX-License-Identifier: GPL-2.0-only
// sockscope recorder [--foreground]: the always-on recorder (src/recorder);
// sockscope recorder status: whether one runs, and what its database holds.
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/exit_codes.h"
#include "base/strings.h"
#include "cli/app.h"
#include "cli/common.h"
#include "history/locate.h"
#include "history/reader.h"
#include "recorder/recorder.h"
#include "render/escape.h"
#include "render/event.h"
#include "render/history.h"
#include "render/schema.h"

namespace sockscope::cli {
namespace {

struct RecorderArgs {
  bool foreground = false;
  bool no_stacks = false;
  std::string db;
  std::string max_size = "256M";
  std::string max_age = "7d";
  std::string backend = "auto";
  std::string run_dir = history::kRunDir;
  bool status = false;
  bool json = false;
};

// Detaches into the background; the parent returns once the child is ready
// (exit 0) or has failed (its exit code; it printed why on our stderr).
// Returns -1 in the child, with `ready_fd` to write one byte to when ready.
int daemonize(int& ready_fd) {
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) return fail(kExitFailure, "pipe: " + std::string(std::strerror(errno)), "");
  pid_t child = ::fork();
  if (child < 0) return fail(kExitFailure, "fork: " + std::string(std::strerror(errno)), "check ulimit -u");
  if (child == 0) {
    ::close(p[0]);
    ::setsid();
    ready_fd = p[1];
    return -1;
  }
  ::close(p[1]);
  char b = 0;
  ssize_t n = ::read(p[0], &b, 1);
  ::close(p[0]);
  if (n == 1) {
    fmt::print(stderr, "sockscope recorder: running as pid {} (`sockscope recorder status` tells more)\n", child);
    return kExitOk;
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : kExitFailure;
}

// Once ready, a background recorder leaves the terminal.
void leave_terminal(int ready_fd) {
  char b = 1;
  (void)!::write(ready_fd, &b, 1);
  ::close(ready_fd);
  int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  for (int fd : {0, 1, 2}) ::dup2(null, fd);
  if (null > 2) ::close(null);
}

int run_recorder(const RecorderArgs& a) {
  recorder::Options o;
  o.store.path = a.db.empty() ? history::kDefaultDb : a.db;
  auto size = parse_size(a.max_size);
  if (!size || *size < (1u << 20))
    return fail(kExitUsage, "bad --max-size " + a.max_size, "give a size of 1M or more, e.g. 256M or 2G");
  auto age = parse_duration_ns(a.max_age);
  if (!age || *age <= 0) return fail(kExitUsage, "bad --max-age " + a.max_age, "give a duration such as 12h or 7d");
  o.store.max_bytes = *size;
  o.store.max_age_ns = *age;
  o.stacks.stacks = !a.no_stacks;
  o.backend = *parse_backend(a.backend);
  o.run_dir = a.run_dir;
  int ready_fd = -1;
  if (!a.foreground)
    if (int rc = daemonize(ready_fd); rc >= 0) return rc;
  o.on_ready = [&](const std::string& db) {
    fmt::print(stderr, "sockscope recorder: ready, pid {}, writing {}\n", ::getpid(), db);
    if (ready_fd >= 0) leave_terminal(ready_fd);
  };
  tracer::StopSignals stop;
  auto sum = recorder::run(o, stop);
  if (!sum) return tracer_failure(sum.error());
  fmt::print(stderr, "sockscope recorder: stopped; {} events ({} stored, {} not stored), {} sockets at start; {}\n",
             sum->events, sum->store.stored, sum->store.not_stored, sum->snapshot, render::stats_text(sum->trace));
  return kExitOk;
}

int run_status(const RecorderArgs& a) {
  auto where = history::locate(a.db, a.run_dir);
  if (where.path.empty())
    return fail(kExitNotFound, "no recorder runs and there is no history database",
                fmt::format("start one: sockscope recorder (it writes {})", history::kDefaultDb));
  auto reader = history::Reader::open(where.path);
  if (!reader) return fail(kExitFailure, reader.error().what, reader.error().hint);
  auto st = (*reader)->status();
  if (!st) return fail(kExitFailure, st.error().what, st.error().hint);
  if (a.json) fmt::print("{}\n", render::dump_document(render::status_json(*st, where), 2));
  else fmt::print("{}", render::status_text(*st, where));
  return kExitOk;
}

}  // namespace

void add_recorder(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand("recorder", "Record every socket's birth (with its stack) for later questions");
  auto a = std::make_shared<RecorderArgs>();
  cmd->add_flag("--foreground", a->foreground, "Stay in the foreground (systemd, tests)");
  cmd->add_option("--db", a->db, fmt::format("History database (default {})", history::kDefaultDb));
  cmd->add_option("--max-size", a->max_size, "Bound the database's size (default 256M)");
  cmd->add_option("--max-age", a->max_age, "Forget what is older (default 7d)");
  cmd->add_flag("--no-stacks", a->no_stacks, "Do not capture creation stacks");
  cmd->add_option("--backend", a->backend, "Force a rung: tracepoint, raw_syscalls, kprobe (default auto)")
      ->check(one_of({"auto", "tracepoint", "raw_syscalls", "kprobe"}));
  cmd->add_option("--run-dir", a->run_dir, "Where the recorder says it runs (default /run/sockscope)");
  auto* status = cmd->add_subcommand("status", "Whether a recorder runs, since when, and what its database holds");
  status->add_option("--db", a->db, "History database (default: the running recorder's)");
  status->add_option("--run-dir", a->run_dir, "Where the recorder says it runs (default /run/sockscope)");
  status->add_flag("--json", a->json, "Print JSON");
  cmd->require_subcommand(0, 1);
  status->callback([&action, a] { action = [a] { return run_status(*a); }; });
  cmd->callback([&action, a, status] {
    if (!status->parsed()) action = [a] { return run_recorder(*a); };
  });
}

}  // namespace sockscope::cli
