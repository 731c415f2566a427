// SPDX-License-Identifier: GPL-2.0-only
// The socket lifecycle tracer: loads bpf/sock_lifecycle.bpf.c on the best
// available rung (features.h), attaches it and delivers decoded events.
//
// This module is the only owner of libbpf (like falco's libpman): nothing in
// this header names a libbpf type. Not thread-safe; one Tracer per thread.
// Everything it attaches is held by fds and goes away with the Tracer (or
// with the process, even on SIGKILL); nothing is pinned.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/result.h"
#include "tracer/event.h"
#include "tracer/features.h"
#include "tracer/maps_journal.h"

namespace sockscope::tracer {

struct Options {
  Backend backend = Backend::kAuto;
  Ladder ladder = Ladder::kStreaming;  // the order `auto` tries the rungs in
  // Only these processes and their descendants (kernel pid-tree filter);
  // more can be added with add_pid(). Empty + !pid_tree: system-wide.
  bool pid_tree = false;
  std::vector<int> pids;
  std::string comm;                   // exact task comm
  uint64_t cgroup_id = 0;             // cgroup v2 id (inode of the cgroup directory)
  int family = 0;                     // AF_UNIX, AF_INET, AF_INET6; 0 = all
  std::string path_prefix;            // for events that carry a path
  int fd = -1;                        // for events about one fd number
  bool signals = false;               // also emit signal_generate events (kSignal)
  uint32_t ringbuf_bytes = 4u << 20;  // power of two, >= page size
  // User stacks (docs/stacks.md): socket, socketpair, bind, listen, connect,
  // accept events get Event::raw_stack; close too with stack_close.
  bool stacks = false;
  bool stack_close = false;
  // Only socket, socketpair and accept (one stack per socket: the recorder).
  bool stack_create_only = false;
  // Stop each process at its first stacked syscall (of each exec) until
  // on_stack has run for that record; the tracer then resumes it (hold.h).
  bool stack_hold = false;
  uint32_t stack_bytes = 32768;  // most stack copied (4 KiB pages, never past its top), at most 64 KiB
  // Called as soon as a stack record arrives, before its event: the moment
  // to snapshot the process's mappings while it is still alive.
  std::function<void(uint32_t tgid)> on_stack;
  // With stacks: the module-map journal (maps_journal.h). Every record
  // stamped before a stacked event is handed to on_maps before that event,
  // so the event's process can be symbolized even after it has exited.
  // Records are machine-wide, not filtered. If the journal cannot be opened
  // the tracer runs without it (maps_journal_error() says why).
  MapsJournal::Fn on_maps;
  // Every record exactly as the kernel wrote it, before decoding: ring
  // records (events, stacks) and, with on_maps, journal records. Only the
  // fixture recorder sets it (tests/tools/record_events.cpp).
  enum class RawSource { kRing, kJournal };
  std::function<void(RawSource, const void* data, size_t size)> on_raw;
};

// The event is the callback's to change (e.g. to attach a symbolized stack)
// or move from: the tracer decodes each record into a fresh one.
using EventFn = std::function<void(Event&)>;

class Tracer {
 public:
  // Probes the kernel, loads, attaches. Errors carry sys_errno EPERM when
  // privilege is missing and EOPNOTSUPP when the kernel lacks what is needed.
  static Result<Tracer> open(const Options& opts);

  Tracer(Tracer&&) noexcept;
  Tracer& operator=(Tracer&&) noexcept;
  ~Tracer();

  Backend backend() const;
  const Features& features() const;
  // How tracepoints were resolved ("mounted at ..." / private mount).
  const std::string& tracefs_how() const;
  size_t attached_links() const;
  // Why Options::on_maps gets nothing; empty when the journal runs (or was not asked for).
  const std::string& maps_journal_error() const;

  // Adds a process (and, from now on, its children) to the pid tree.
  Result<Ok> add_pid(int tgid);

  // Handling of one poll() or drain() ends after this long, even if events
  // keep coming: the caller's loop must see its stop signals and deadline.
  // What is left stays queued; what overflows the ring is counted lost.
  static constexpr int kPollBudgetMs = 200;

  // Waits up to timeout_ms for data, then hands queued events to fn (for at
  // most kPollBudgetMs). Returns how many were handled; an interrupted wait
  // returns 0.
  Result<int> poll(int timeout_ms, const EventFn& fn);
  // Stops the programs: no new event is queued; what is queued stays to drain.
  void detach();
  // Handles what is queued without waiting: all of it once detached, else
  // for at most kPollBudgetMs.
  Result<int> drain(const EventFn& fn);

  TraceStats stats() const;

 private:
  struct Impl;
  explicit Tracer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace sockscope::tracer
