// SPDX-License-Identifier: GPL-2.0-only
#include "recorder/recorder.h"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <set>

#include "base/clock.h"
#include "history/locate.h"
#include "history/reader.h"
#include "inventory/inventory.h"
#include "inventory/source.h"
#include "recorder/process_info.h"
#include "recorder/snapshot.h"
#include "tracer/tracer.h"

namespace sockscope::recorder {
namespace {

using Steady = std::chrono::steady_clock;

// Lost events become gaps with their time range: the interval since the
// last check in which the kernel side counted them.
class LossWatch {
 public:
  explicit LossWatch(history::Store& store) : store_(store), since_(clock_ns(CLOCK_REALTIME)) {}
  void check(const TraceStats& now) {
    int64_t t = clock_ns(CLOCK_REALTIME);
    uint64_t ring = now.ringbuf_full - last_.ringbuf_full;
    uint64_t args = now.args_full - last_.args_full;
    uint64_t bad = now.bad_records - last_.bad_records;
    if (ring) store_.add_gap({since_, t, ring, "ring buffer full"});
    if (args) store_.add_gap({since_, t, args, "no room for a pending syscall (BPF task storage)"});
    if (bad) store_.add_gap({since_, t, bad, "records user space could not decode"});
    last_ = now;
    since_ = t;
  }

 private:
  history::Store& store_;
  TraceStats last_;
  int64_t since_;
};

// Feeds the store: each event with its symbolized stack, and a process row
// at each exec and at the first event of a process not seen before.
class Feeder {
 public:
  Feeder(history::Store& store, run::StackGlue& glue) : store_(store), glue_(glue) {}
  void operator()(Event& e) {
    glue_.on_event(e);  // symbolizes e.raw_stack at once, while the process lives
    e.raw_stack.reset();
    int64_t wall = clock_.wall_ns(e.ts_ns);
    bool exec = e.kind == EventKind::kExec && !e.failed();
    if (e.kind == EventKind::kExit) {
      seen_.erase(e.tgid);
    } else if (exec || seen_.insert(e.tgid).second) {
      if (exec) seen_.insert(e.tgid);
      if (auto p = read_process_info("/proc", e.tgid, wall)) store_.add_process(std::move(*p));
    }
    store_.add(history::Recorded{std::move(e), wall});
    ++events_;
  }
  uint64_t events() const { return events_; }

 private:
  history::Store& store_;
  run::StackGlue& glue_;
  Clock clock_;
  std::set<uint32_t> seen_;
  uint64_t events_ = 0;
};

uint64_t take_snapshot(history::Store& store) {
  int64_t now = clock_ns(CLOCK_REALTIME);
  for (int pid : procfs::list_pids("/proc"))
    if (auto p = read_process_info("/proc", static_cast<uint32_t>(pid), now)) store.add_process(std::move(*p));
  inventory::LiveSource src;
  auto rows = snapshot_sockets(inventory::build(src), now);
  for (auto& r : rows) store.add_snapshot(std::move(r));
  return rows.size();
}

}  // namespace

Result<Summary> run(const Options& o, tracer::StopSignals& stop) {
  auto boot = history::current_boot_id();
  auto store = history::Store::open(o.store, boot);
  if (!store) return store.error();
  if (!(*store)->moved_aside().empty())
    fmt::print(stderr, "sockscope recorder: {} was damaged; moved aside to {}, starting a new database\n", o.store.path,
               (*store)->moved_aside());

  tracer::Options t_opts;
  t_opts.backend = o.backend;
  t_opts.ringbuf_bytes = 16u << 20;
  run::StackGlue glue(o.stacks);  // outlives the tracer, which calls back into it
  glue.configure(t_opts);
  auto t = tracer::Tracer::open(t_opts);
  if (!t) return t.error();
  glue.started(*t);

  // Attached first, then the snapshot: a socket made in between is both
  // traced and in the snapshot, never in neither.
  Summary sum;
  sum.db = (*store)->path();
  sum.snapshot = take_snapshot(**store);
  (*store)->flush();  // "ready" promises that a query finds the snapshot
  if (auto r = history::write_run_files(o.run_dir, sum.db, static_cast<uint32_t>(::getpid())); !r)
    return r.error().with_hint("run as root, or give --run-dir");
  if (o.on_ready) o.on_ready(sum.db);

  Feeder feed(**store, glue);
  LossWatch losses(**store);
  // An always-on daemon must not die of one odd event: a bug that throws
  // (symbolizing a strange binary, say) costs that event, counted as a gap.
  uint64_t failed = 0;
  auto fn = [&](Event& e) {
    try {
      feed(e);
    } catch (const std::exception& ex) {
      if (failed++ == 0) fmt::print(stderr, "sockscope recorder: an event could not be processed: {}\n", ex.what());
      int64_t now = clock_ns(CLOCK_REALTIME);
      (*store)->add_gap({now, now, 1, std::string("event not processed: ") + ex.what()});
    }
  };
  auto last_check = Steady::now();
  Result<int> polled = 0;
  while (!stop.requested()) {
    polled = t->poll(100, fn);
    if (!polled) break;
    if (Steady::now() - last_check > std::chrono::seconds(1)) {
      losses.check(t->stats());
      last_check = Steady::now();
    }
  }
  t->detach();
  if (polled) polled = t->drain(fn);
  losses.check(t->stats());
  (*store)->flush();
  history::remove_run_files(o.run_dir, static_cast<uint32_t>(::getpid()));
  if (!polled) return polled.error();
  sum.events = feed.events();
  sum.store = (*store)->stats();
  sum.trace = t->stats();
  return sum;
}

}  // namespace sockscope::recorder
