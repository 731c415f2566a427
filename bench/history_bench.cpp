// SPDX-License-Identifier: GPL-2.0-only
// The recorder's database under a socket storm (issue #14, item 5): socket +
// connect + close lifecycles, each socket() with the same 20-frame stack, as
// fast as one writer thread stores them. Reports events/s (events_per_s: until the last commit)
// and bytes on disk per event (main file + -wal, after a checkpoint). The
// goals: 40k events/s (10k lifecycles/s) and under 64 bytes per event.
#include <benchmark/benchmark.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "base/clock.h"
#include "history/store.h"

namespace sockscope {
namespace {

using history::Recorded;

std::shared_ptr<const Stack> java_stack() {
  auto s = std::make_shared<Stack>();
  for (int i = 0; i < 20; i++) {
    Frame f;
    f.kind = i < 4 ? FrameKind::kNative : FrameKind::kJit;
    f.pc = 0x7f3a00000000ull + static_cast<uint64_t>(i) * 0x1234;
    f.symbol = i < 4 ? "socket_frame_" + std::to_string(i) : "com.example.Pool.connect" + std::to_string(i) + "()V";
    f.module = i < 4 ? "libc.so.6" : "";
    f.build_id = i < 4 ? "4f1b2a9c0d3e5f60718293a4b5c6d7e8f9012345" : "";
    s->frames.push_back(std::move(f));
  }
  s->end = "copy_ended";
  return s;
}

uint64_t file_bytes(const std::string& p) {
  uint64_t n = 0;
  struct stat st {};
  for (const std::string& f : {p, p + "-wal"})
    if (::stat(f.c_str(), &st) == 0) n += static_cast<uint64_t>(st.st_size);
  return n;
}

void BM_StoreLifecycles(benchmark::State& state) {
  char tmpl[] = "/tmp/sockscope-history-bench.XXXXXX";
  std::string dir = ::mkdtemp(tmpl);
  history::StoreOptions o;
  o.path = dir + "/history.db";
  o.check_owner = false;
  o.queue_max = 1 << 20;
  auto store = history::Store::open(o, "bench-boot");
  if (!store) {
    state.SkipWithError(store.error().what.c_str());
    return;
  }
  auto stack = java_stack();
  Clock clock;
  Event base;
  base.tgid = 4242, base.tid = 4250, base.nspid = 1, base.ppid = 4200, base.uid = 1000;
  base.cgroup_id = 9876, base.netns = 4026532001u, base.mntns = 4026532002u, base.comm = "pool-worker-7";
  base.family = AF_UNIX, base.type = SOCK_STREAM;
  uint64_t ino = 3'000'000'000ull;
  uint64_t t0 = monotonic_ns();
  for (auto _ : state) {  // NOLINT(clang-analyzer-deadcode.DeadStores): Google Benchmark's loop idiom
    uint64_t ts = monotonic_ns();
    Event e = base;
    e.kind = EventKind::kSocket, e.ts_ns = ts, e.sock_ino = ++ino, e.fd = 42, e.ret = 42, e.stack = stack;
    (*store)->add(Recorded{e, clock.wall_ns(ts)});
    e.kind = EventKind::kConnect, e.ts_ns = ts + 1000, e.ret = 0, e.stack = nullptr;
    e.address = "/var/lib/sss/pipes/nss";
    (*store)->add(Recorded{e, clock.wall_ns(ts + 1000)});
    e.kind = EventKind::kClose, e.ts_ns = ts + 2000, e.flags = Event::kCloseLast, e.address.clear();
    (*store)->add(Recorded{e, clock.wall_ns(ts + 2000)});
  }
  (*store)->flush();
  double secs = static_cast<double>(monotonic_ns() - t0) / 1e9;  // adding and storing, to the last commit
  auto st = (*store)->stats();
  store->reset();
  state.counters["events_per_s"] = static_cast<double>(st.stored) / secs;
  state.counters["not_stored"] = static_cast<double>(st.not_stored);
  state.counters["bytes_per_event"] = st.stored ? static_cast<double>(file_bytes(o.path)) / st.stored : 0;
  for (const char* f : {"/history.db", "/history.db-wal", "/history.db-shm", "/history.db.lock"})
    ::unlink((dir + f).c_str());
  ::rmdir(dir.c_str());
}

// 30k lifecycles (90k events) per run: enough to fill pages and batches.
BENCHMARK(BM_StoreLifecycles)->Iterations(30000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace sockscope

BENCHMARK_MAIN();
