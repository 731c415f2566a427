// SPDX-License-Identifier: GPL-2.0-only
#include "tracer/tracer.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdarg>
#include <cstdlib>
#include <cstring>
#include <unordered_map>
#include <vector>

#include "base/clock.h"
#include "tracer/attach.h"
#include "tracer/hold.h"
#include "tracer/skeleton.h"
#include "tracer/stack.h"
#include "tracer/tracefs.h"

extern "C" {
#include "events.h"
}

namespace sockscope::tracer {
namespace {

// libbpf's logger is process-global. Keep the tail of its output so a
// failed load can show the verifier's last words; print it all only when
// SOCKSCOPE_LIBBPF_DEBUG is set.
std::string& libbpf_log() {
  static std::string log;
  return log;
}

int libbpf_print(enum libbpf_print_level level, const char* fmt, va_list ap) {
  if (std::getenv("SOCKSCOPE_LIBBPF_DEBUG")) return std::vfprintf(stderr, fmt, ap);
  if (level == LIBBPF_DEBUG) return 0;
  char buf[1024];
  int n = std::vsnprintf(buf, sizeof(buf), fmt, ap);
  auto& log = libbpf_log();
  log += buf;
  if (log.size() > 8192) log.erase(0, log.size() - 8192);
  return n;
}

struct SkelDeleter {
  void operator()(sock_lifecycle* s) const { sock_lifecycle__destroy(s); }
};
struct RingDeleter {
  void operator()(ring_buffer* r) const { ring_buffer__free(r); }
};

// Which programs belong to a rung; raw_tp_* (process events) load always,
// but for raw_tp_exec, which only --hold-new needs (Tracer::open).
bool in_rung(std::string_view name, Backend b) {
  if (name.rfind("raw_tp_", 0) == 0) return true;
  switch (b) {
    case Backend::kTracepoint: return name.rfind("tp_", 0) == 0;
    case Backend::kRawSyscalls: return name == "raw_enter" || name == "raw_exit";
    case Backend::kKprobe: return name.rfind("ks_", 0) == 0;
    case Backend::kAuto: break;
  }
  return false;
}

Error load_error(int err) {
  if (err == -EPERM || err == -EACCES)
    return Error{"loading the BPF programs was refused", EPERM,
                 "run as root (or with CAP_BPF, CAP_PERFMON and CAP_SYS_RESOURCE)"};
  std::string tail = libbpf_log();
  if (tail.size() > 1500) tail = "..." + tail.substr(tail.size() - 1500);
  return Error{fmt::format("loading the BPF programs failed: {}\n{}", std::strerror(-err), tail), -err,
               "rerun with SOCKSCOPE_LIBBPF_DEBUG=1 for libbpf's full log and report it"};
}

void set_filters(sock_lifecycle* s, const Options& o) {
  auto* ro = s->rodata;
  ro->cfg_self_tgid = static_cast<__u32>(::getpid());
  ro->cfg_filter_pids = o.pid_tree || !o.pids.empty();
  ro->cfg_cgroup_id = o.cgroup_id;
  ro->cfg_family = static_cast<__u16>(o.family);
  ro->cfg_fd = o.fd;
  ro->cfg_signals = o.signals;
  ro->cfg_stacks = o.stacks;  // stacks: bpf/lib/stack.h
  ro->cfg_stack_close = o.stacks && o.stack_close;
  ro->cfg_stack_create_only = o.stacks && o.stack_create_only;
  ro->cfg_stack_hold = o.stacks && o.stack_hold;
  ro->cfg_stack_pages = std::clamp<__u32>((o.stack_bytes + 4095) / 4096, 1, SOCKSCOPE_STACK_MAX / 4096);
  std::strncpy(const_cast<char*>(ro->cfg_comm), o.comm.c_str(), sizeof(ro->cfg_comm) - 1);
  size_t n = std::min(o.path_prefix.size(), sizeof(ro->cfg_path_prefix));
  std::memcpy(const_cast<char*>(ro->cfg_path_prefix), o.path_prefix.data(), n);
  ro->cfg_path_prefix_len = static_cast<__u32>(n);
}

}  // namespace

struct Tracer::Impl {
  std::unique_ptr<sock_lifecycle, SkelDeleter> skel;
  Links links;  // destroyed before skel (reverse declaration order)
  std::unique_ptr<ring_buffer, RingDeleter> ring;
  Features features;
  Backend backend = Backend::kAuto;
  std::string tracefs_how;
  const EventFn* fn = nullptr;  // set during poll()/drain()
  // libbpf 1.1's ring_buffer__poll()/__consume() read until the ring is
  // empty: under a storm that the handler cannot keep up with they never
  // return, and --duration, Ctrl-C and SIGTERM go unanswered. on_record
  // bails out (after handling its record) once the budget's end is past.
  uint64_t budget_end_ns = 0;  // 0: outside a read
  bool yielded = false;
  int handled = 0;
  uint64_t bad_records = 0;
  std::function<void(uint32_t)> on_stack;
  bool hold = false;  // Options::stack_hold (with stacks)
  Holds holds;        // held records (--hold-new) to answer with SIGCONT
  std::unique_ptr<MapsJournal> journal;
  MapsJournal::Fn on_maps;
  std::string journal_error;
  std::function<void(Options::RawSource, const void*, size_t)> on_raw;
  // Stack records wait here for their event (same tid and ts_ns); a newer
  // record of the same thread replaces one whose event was filtered out.
  std::unordered_map<uint32_t, std::shared_ptr<const RawStack>> stacks;

  static int on_record(void* ctx, void* data, size_t size) {
    auto* self = static_cast<Impl*>(ctx);
    if (self->on_raw) self->on_raw(Options::RawSource::kRing, data, size);
    if (is_stack_record(data, size)) return self->on_stack_record(data, size);
    auto ev = decode(data, size);
    if (!ev) {
      self->bad_records++;
      return 0;
    }
    if (auto it = self->stacks.find(ev->tid); it != self->stacks.end() && it->second->ts_ns == ev->ts_ns) {
      ev->raw_stack = std::move(it->second);
      self->stacks.erase(it);
    }
    if (ev->raw_stack) self->journal_up_to(ev->ts_ns);
    if (self->fn) (*self->fn)(*ev);
    self->handled++;
    return self->over_budget();
  }

  // A negative return stops libbpf's loop; the record it follows is consumed.
  int over_budget() {
    if (budget_end_ns == 0 || monotonic_ns() < budget_end_ns) return 0;
    yielded = true;
    return -ECANCELED;
  }

  // Runs one libbpf read (`read` returns its result) with kPollBudgetMs for
  // the handler; the number of events handled.
  template <typename Read>
  Result<int> read_ring(const EventFn& f, Read read) {
    fn = &f;
    handled = 0;
    yielded = false;
    budget_end_ns = monotonic_ns() + static_cast<uint64_t>(kPollBudgetMs) * 1'000'000u;
    int n = read();
    fn = nullptr;
    budget_end_ns = 0;
    journal_settle();
    if (yielded || n >= 0 || n == -EINTR) return handled;
    return sys_error("reading the ring buffer", -n);
  }

  // The mmap, exec and fork records of the event's process were written
  // before the event was (program order), so they are in the rings now.
  void journal_up_to(uint64_t ts_ns) {
    if (!journal) return;
    journal->consume();
    journal->deliver(ts_ns, on_maps);
  }

  // Between polls, so that the queue stays short: records a second old.
  // Not held back for a stack still waiting for its event (a blocking
  // accept() is stamped at sys_enter, committed at sys_exit): its files were
  // opened at its stack record, any other stack record moves the journal
  // past it anyway, and holding back let the machine-wide queue grow
  // without bound while a server sat in accept().
  void journal_settle() {
    if (!journal) return;
    uint64_t cut = monotonic_ns();
    journal_up_to(cut > 1'000'000'000u ? cut - 1'000'000'000u : 0);
  }

  ~Impl() { release_holds(); }

  // At teardown, after the last poll: a process stopped by a record still
  // queued would stay stopped. Detach first, so that no new hold begins,
  // then read what is left, answering held records only.
  void release_holds() {
    if (!hold || !ring) return;
    links.reset();
    on_stack = nullptr;
    journal.reset();
    fn = nullptr;
    (void)ring_buffer__consume(ring.get());
    holds.finish();
  }

  int on_stack_record(void* data, size_t size) {
    auto st = decode_stack(data, size);
    if (!st) {
      bad_records++;
      return 0;
    }
    // The stack record carries its event's time: bring the process's image
    // up to it now, while the process is most likely alive, so that
    // on_stack can open its files (the event itself may come much later).
    journal_up_to(st->ts_ns);
    if (on_stack) on_stack(st->tgid);
    if (st->held) holds.answer(st->tgid, st->tid);
    uint32_t tid = st->tid;
    stacks[tid] = std::make_shared<const RawStack>(std::move(*st));
    return over_budget();
  }
};

Tracer::Tracer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Tracer::Tracer(Tracer&&) noexcept = default;
Tracer& Tracer::operator=(Tracer&&) noexcept = default;
Tracer::~Tracer() = default;

Result<Tracer> Tracer::open(const Options& opts) {
  libbpf_set_print(libbpf_print);
  // Privilege first: without it every rung looks absent, and the kernel
  // would be blamed for what the caller lacks (issue #19).
  if (auto missing = missing_capabilities(); !missing.empty())
    return Error{"tracing needs CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN); this process lacks " +
                     (missing.size() == 2 ? missing[0] + " and " + missing[1] : missing[0]),
                 EPERM, "run as root (sudo sockscope ...)"};
  auto impl = std::make_unique<Impl>();
  impl->features = probe_features();
  auto rung = choose_backend(impl->features, opts.backend, opts.ladder);
  if (!rung)
    return Error{missing_summary(impl->features, opts.backend), EOPNOTSUPP,
                 "`sockscope probes` lists what this kernel offers"};
  impl->backend = *rung;

  impl->skel.reset(sock_lifecycle__open());
  if (!impl->skel) return sys_error("opening the BPF object", errno);
  set_filters(impl->skel.get(), opts);
  impl->on_stack = opts.on_stack;
  impl->on_raw = opts.on_raw;
  if (opts.stacks && opts.on_maps) {
    // Before anything is attached: a traced child execs only after open().
    auto journal = MapsJournal::open(64);
    if (journal) {
      impl->journal = std::move(*journal);
      if (opts.on_raw)
        impl->journal->set_raw(
            [raw = opts.on_raw](const void* d, size_t n) { raw(Options::RawSource::kJournal, d, n); });
    } else impl->journal_error = journal.error().what + " (" + journal.error().hint + ")";
    impl->on_maps = opts.on_maps;
  }
  if (opts.stacks && libbpf_num_possible_cpus() > 0)  // one scratch record per CPU
    bpf_map__set_max_entries(impl->skel->maps.stack_scratch, static_cast<__u32>(libbpf_num_possible_cpus()));
  if (int err = bpf_map__set_max_entries(impl->skel->maps.events, opts.ringbuf_bytes); err)
    return sys_error("sizing the ring buffer", -err).with_hint("use a power of two >= 4096");
  bpf_program* p;
  bpf_object__for_each_program(p, impl->skel->obj) {
    bpf_program__set_autoload(p, in_rung(bpf_program__name(p), *rung));
  }
  // Runs at every exec of the machine: only when a hold can need a reset.
  impl->hold = opts.stacks && opts.stack_hold;
  bpf_program__set_autoload(impl->skel->progs.raw_tp_exec, impl->hold);
  if (int err = sock_lifecycle__load(impl->skel.get()); err) return load_error(err);

  Tracer t(std::move(impl));
  for (int pid : opts.pids)
    if (auto ok = t.add_pid(pid); !ok) return ok.error();
  auto links = attach_all(t.impl_->skel->obj, t.impl_->tracefs_how);
  if (!links) return links.error();
  t.impl_->links = std::move(*links);
  t.impl_->ring.reset(
      ring_buffer__new(bpf_map__fd(t.impl_->skel->maps.events), Impl::on_record, t.impl_.get(), nullptr));
  if (!t.impl_->ring) return sys_error("opening the ring buffer", errno);
  return t;
}

Backend Tracer::backend() const { return impl_->backend; }
const Features& Tracer::features() const { return impl_->features; }
const std::string& Tracer::tracefs_how() const { return impl_->tracefs_how; }
size_t Tracer::attached_links() const { return impl_->links.size(); }
const std::string& Tracer::maps_journal_error() const { return impl_->journal_error; }

Result<Ok> Tracer::add_pid(int tgid) {
  __u32 key = static_cast<__u32>(tgid);
  __u8 one = 1;
  if (bpf_map__update_elem(impl_->skel->maps.traced_tgids, &key, sizeof(key), &one, sizeof(one), BPF_ANY) != 0)
    return sys_error(fmt::format("adding pid {} to the traced set", tgid), errno);
  return Ok{};
}

Result<int> Tracer::poll(int timeout_ms, const EventFn& fn) {
  auto n = impl_->read_ring(fn, [&] {
    int r = ring_buffer__poll(impl_->ring.get(), timeout_ms);
    // Records are submitted with BPF_RB_NO_WAKEUP below cfg_wakeup_bytes, and
    // ring_buffer__poll() reads only rings that epoll reported, i.e. that were
    // woken: after a timeout, take what is queued anyway.
    return r == 0 && !impl_->yielded ? ring_buffer__consume(impl_->ring.get()) : r;
  });
  impl_->holds.recheck();
  return n;
}

void Tracer::detach() { impl_->links.reset(); }

Result<int> Tracer::drain(const EventFn& fn) {
  // Attached, the ring refills as fast as it is read: one budget. Detached,
  // what is queued is all there is: read it to the end.
  int total = 0;
  do {
    auto n = impl_->read_ring(fn, [&] { return ring_buffer__consume(impl_->ring.get()); });
    if (!n) return n;
    total += *n;
  } while (impl_->yielded && impl_->links.size() == 0);
  return total;
}

TraceStats Tracer::stats() const {
  TraceStats s;
  s.bad_records = impl_->bad_records;
  if (impl_->journal) s.maps_lost = impl_->journal->lost();
  int ncpu = libbpf_num_possible_cpus();
  if (ncpu <= 0) return s;
  std::vector<__u64> values(static_cast<size_t>(ncpu));
  uint64_t* slots[] = {&s.ringbuf_full, &s.args_full};
  static_assert(std::size(slots) == SOCKSCOPE_STAT_MAX, "abi/events.h: one slot per counter");
  for (__u32 k = 0; k < SOCKSCOPE_STAT_MAX; k++) {
    if (bpf_map__lookup_elem(impl_->skel->maps.stats, &k, sizeof(k), values.data(), values.size() * sizeof(__u64), 0) !=
        0)
      continue;
    for (auto v : values) *slots[k] += v;
  }
  return s;
}

}  // namespace sockscope::tracer
