// SPDX-License-Identifier: GPL-2.0-only
// Where `ls` spends its time, piece by piece, on the live machine: the /proc
// fd walk, the unix_diag dump, its decoding, and the whole join. Run it while
// bench/sockfarm holds many sockets (bench/ls_vs_ss.sh does).
#include <benchmark/benchmark.h>

#include "inventory/inventory.h"
#include "procfs/process.h"
#include "sockdiag/sockdiag.h"

namespace sockscope {
namespace {

void BM_ProcScan(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(procfs::scan("/proc"));
}

void BM_UnixDump(benchmark::State& state) {
  auto fd = sockdiag::open_in_netns("");
  for (auto _ : state) benchmark::DoNotOptimize(sockdiag::dump_unix(fd->get()));
}

void BM_UnixDecode(benchmark::State& state) {
  auto fd = sockdiag::open_in_netns("");
  auto dump = sockdiag::dump_unix(fd->get());
  for (auto _ : state) benchmark::DoNotOptimize(sockdiag::decode_unix(dump.value()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * dump->size()));
}

void BM_InventoryBuild(benchmark::State& state) {
  for (auto _ : state) {
    inventory::LiveSource src;
    benchmark::DoNotOptimize(inventory::build(src));
  }
}

BENCHMARK(BM_ProcScan)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_UnixDump)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_UnixDecode)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_InventoryBuild)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace sockscope

BENCHMARK_MAIN();
