// SPDX-License-Identifier: GPL-2.0-only
#include "tracer/maps_journal.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <fmt/format.h>
#include <linux/perf_event.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>

#include "base/strings.h"
#include "base/unique_fd.h"

namespace sockscope::tracer {
namespace {

// The sample_id_all trailer of every record: PERF_SAMPLE_TID, PERF_SAMPLE_TIME.
struct SampleId {
  uint32_t pid, tid;
  uint64_t time;
};

// The fixed part of PERF_RECORD_MMAP2 (without PERF_RECORD_MISC_MMAP_BUILD_ID).
struct Mmap2 {
  uint32_t pid, tid;
  uint64_t addr, len, pgoff;
  uint32_t maj, min;
  uint64_t ino, ino_generation;
  uint32_t prot, flags;
};

// PERF_RECORD_FORK and PERF_RECORD_EXIT.
struct Task {
  uint32_t pid, ppid, tid, ptid;
  uint64_t time;
};

template <typename T>
T load(const uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}

perf_event_attr journal_attr(size_t ring_bytes) {
  perf_event_attr a{};
  a.size = sizeof(a);
  a.type = PERF_TYPE_SOFTWARE;
  a.config = PERF_COUNT_SW_DUMMY;  // counts nothing: only the side-band records
  a.sample_type = PERF_SAMPLE_TID | PERF_SAMPLE_TIME;
  a.sample_id_all = 1;
  a.mmap = 1;
  a.mmap2 = 1;  // device, inode and protection, not only the path
  a.comm = 1;
  a.comm_exec = 1;  // PERF_RECORD_MISC_COMM_EXEC marks an exec's comm record
  a.task = 1;       // PERF_RECORD_FORK and PERF_RECORD_EXIT
  a.use_clockid = 1;
  a.clockid = CLOCK_MONOTONIC;  // bpf_ktime_get_ns()'s clock (Linux 4.1+)
  // Nobody sleeps on these rings (they are read before each stacked event),
  // so wake as rarely as the kernel allows.
  a.watermark = 1;
  a.wakeup_watermark = static_cast<uint32_t>(ring_bytes / 2);
  a.disabled = 1;  // libbpf enables each CPU's event once its ring is mapped
  return a;
}

}  // namespace

std::optional<MapsRecord> decode_maps_record(const void* data, size_t size) {
  const auto* p = static_cast<const uint8_t*>(data);
  if (size < sizeof(perf_event_header)) return std::nullopt;
  auto h = load<perf_event_header>(p);
  if (h.size > size || h.size < sizeof(h) + sizeof(SampleId)) return std::nullopt;
  const uint8_t* body = p + sizeof(h);
  size_t body_len = h.size - sizeof(h) - sizeof(SampleId);
  MapsRecord r;
  r.ts_ns = load<SampleId>(p + h.size - sizeof(SampleId)).time;
  switch (h.type) {
    case PERF_RECORD_MMAP2: {
      if (body_len < sizeof(Mmap2)) return std::nullopt;
      auto m = load<Mmap2>(body);
      r.kind = MapsRecord::Kind::kMmap;
      r.pid = m.pid;
      r.tid = m.tid;
      r.start = m.addr;
      r.len = m.len;
      r.pgoff = m.pgoff;
      if (!(h.misc & PERF_RECORD_MISC_MMAP_BUILD_ID)) {  // not asked for: never set
        r.dev_major = m.maj;
        r.dev_minor = m.min;
        r.inode = m.ino;
      }
      r.prot = m.prot;
      r.path = c_string(reinterpret_cast<const char*>(body + sizeof(Mmap2)), body_len - sizeof(Mmap2));
      return r;
    }
    case PERF_RECORD_COMM: {
      if (!(h.misc & PERF_RECORD_MISC_COMM_EXEC) || body_len < 8) return std::nullopt;
      r.kind = MapsRecord::Kind::kExec;
      r.pid = load<uint32_t>(body);
      r.tid = load<uint32_t>(body + 4);
      return r;
    }
    case PERF_RECORD_FORK:
    case PERF_RECORD_EXIT: {
      if (body_len < sizeof(Task)) return std::nullopt;
      auto t = load<Task>(body);
      bool fork = h.type == PERF_RECORD_FORK;
      // A new thread shares its process's mappings; a thread's exit ends
      // nothing (the leader's exit is the process's, as in /proc).
      if (fork ? t.pid == t.ppid : t.pid != t.tid) return std::nullopt;
      r.kind = fork ? MapsRecord::Kind::kFork : MapsRecord::Kind::kExit;
      r.pid = t.pid;
      r.tid = t.tid;
      r.parent = t.ppid;
      return r;
    }
    default: return std::nullopt;
  }
}

struct MapsJournal::Rings {
  UniqueFd map;  // the PERF_EVENT_ARRAY libbpf stores each CPU's event in
  perf_buffer* buffers = nullptr;
  ~Rings() {
    if (buffers) perf_buffer__free(buffers);
  }
  static bpf_perf_event_ret on_record(void* ctx, int /*cpu*/, perf_event_header* h) {
    static_cast<MapsJournal*>(ctx)->add(h, h->size);
    return LIBBPF_PERF_EVENT_CONT;
  }
};

Result<std::unique_ptr<MapsJournal>> MapsJournal::open(size_t pages_per_cpu) {
  std::unique_ptr<MapsJournal> j(new MapsJournal);
  j->rings_ = std::make_unique<Rings>();
  int ncpu = libbpf_num_possible_cpus();
  if (ncpu <= 0) return sys_error("counting CPUs", -ncpu);
  int map = bpf_map_create(BPF_MAP_TYPE_PERF_EVENT_ARRAY, "ss_maps_journal", sizeof(int), sizeof(int),
                           static_cast<__u32>(ncpu), nullptr);
  if (map < 0) return sys_error("creating the module-map journal's perf event array", errno);
  j->rings_->map.reset(map);
  perf_event_attr attr = journal_attr(pages_per_cpu * static_cast<size_t>(::getpagesize()));
  perf_buffer_raw_opts opts{};
  opts.sz = sizeof(opts);
  j->rings_->buffers = perf_buffer__new_raw(map, pages_per_cpu, &attr, Rings::on_record, j.get(), &opts);
  if (!j->rings_->buffers) {
    int err = errno;
    return Error{fmt::format("opening machine-wide perf side-band records (mmap, exec, fork): {}",
                             std::strerror(err)),
                 err, "needs root or CAP_PERFMON (perf_event_open on every CPU)"};
  }
  return j;
}

MapsJournal::~MapsJournal() = default;

void MapsJournal::add(const void* data, size_t size) {
  if (raw_) raw_(data, size);
  auto h = load<perf_event_header>(static_cast<const uint8_t*>(data));
  if (h.type == PERF_RECORD_LOST && size >= sizeof(h) + 16) {
    lost_ += load<uint64_t>(static_cast<const uint8_t*>(data) + sizeof(h) + 8);
    return;
  }
  if (auto r = decode_maps_record(data, size)) queue_.push_back(std::move(*r));
}

void MapsJournal::consume() {
  (void)perf_buffer__consume(rings_->buffers);
  if (sorted_ == queue_.size()) return;
  auto by_time = [](const MapsRecord& a, const MapsRecord& b) { return a.ts_ns < b.ts_ns; };
  // Each CPU's ring is in time order; the rings are read one after another.
  auto mid = queue_.begin() + static_cast<ptrdiff_t>(sorted_);
  std::stable_sort(mid, queue_.end(), by_time);
  std::inplace_merge(queue_.begin(), mid, queue_.end(), by_time);
  sorted_ = queue_.size();
}

void MapsJournal::deliver(uint64_t up_to_ns, const Fn& fn) {
  auto end = std::upper_bound(queue_.begin(), queue_.end(), up_to_ns,
                              [](uint64_t t, const MapsRecord& r) { return t < r.ts_ns; });
  for (auto it = queue_.begin(); it != end; ++it) fn(*it);
  sorted_ -= static_cast<size_t>(end - queue_.begin());
  queue_.erase(queue_.begin(), end);
}

}  // namespace sockscope::tracer
