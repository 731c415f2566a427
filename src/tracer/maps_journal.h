// SPDX-License-Identifier: GPL-2.0-only
// The module-map journal: every executable mapping, exec, fork and process
// exit on the machine, from perf's side-band records (MMAP2, COMM flagged
// PERF_RECORD_MISC_COMM_EXEC, FORK, EXIT) of one dummy software event per
// CPU, the records `perf record` keeps to symbolize its samples later.
//
// Why: /proc/PID/maps is gone once a process has exited, and a process that
// creates a socket and exits at once is gone before its event is read. Its
// mappings are in the journal. Records are stamped with CLOCK_MONOTONIC,
// the clock of bpf_ktime_get_ns(), so the tracer can hand over every record
// older than a stacked event before that event (tracer.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"

namespace sockscope::tracer {

struct MapsRecord {
  enum class Kind { kMmap, kExec, kFork, kExit };
  Kind kind = Kind::kMmap;
  uint64_t ts_ns = 0;  // CLOCK_MONOTONIC
  uint32_t pid = 0;    // host tgid
  uint32_t tid = 0;
  uint32_t parent = 0;  // kFork: the parent's tgid
  // kMmap: an executable mapping, as /proc/PID/maps would list it.
  uint64_t start = 0, len = 0, pgoff = 0;
  uint32_t dev_major = 0, dev_minor = 0;
  uint64_t inode = 0;
  uint32_t prot = 0;  // PROT_*
  std::string path;   // in the process's mount namespace; "//anon", "[vdso]" ...
};

// Decodes one record as the kernel writes it for the journal's event
// (sample_id_all with PERF_SAMPLE_TID | PERF_SAMPLE_TIME). nullopt for a
// record of another type, a thread's fork or exit, or a malformed record.
std::optional<MapsRecord> decode_maps_record(const void* data, size_t size);

class MapsJournal {
 public:
  using Fn = std::function<void(const MapsRecord&)>;
  // One ring of pages_per_cpu pages (a power of two) per CPU. Needs
  // CAP_PERFMON (or kernel.perf_event_paranoid <= 0) for per-CPU events.
  static Result<std::unique_ptr<MapsJournal>> open(size_t pages_per_cpu);
  ~MapsJournal();
  MapsJournal(const MapsJournal&) = delete;
  MapsJournal& operator=(const MapsJournal&) = delete;

  // Moves what the kernel has written into the time-ordered queue.
  void consume();
  // Hands every queued record stamped up_to_ns or earlier to fn, oldest first.
  void deliver(uint64_t up_to_ns, const Fn& fn);
  // Records the kernel dropped because a ring was full.
  uint64_t lost() const { return lost_; }
  // Sees every record as the kernel wrote it, before decoding (fixture recorder).
  void set_raw(std::function<void(const void*, size_t)> fn) { raw_ = std::move(fn); }

 private:
  struct Rings;
  MapsJournal() = default;
  void add(const void* data, size_t size);
  std::unique_ptr<Rings> rings_;
  std::vector<MapsRecord> queue_;  // sorted by ts_ns
  size_t sorted_ = 0;              // queue_[0, sorted_) is in order
  uint64_t lost_ = 0;
  std::function<void(const void*, size_t)> raw_;
};

}  // namespace sockscope::tracer
