// SPDX-License-Identifier: GPL-2.0-only
// Symbolized user stacks from raw captures (docs/stacks.md): unwinds the
// stack copy with libdw, names native frames from a per-module symbol index,
// JIT frames from /tmp/perf-<nspid>.map, HotSpot interpreter frames through
// the JVM's exported vmstructs. Knows nothing of BPF: callers hand it
// Samples (src/run/stack_glue.cpp converts the tracer's records).
//
// Lifecycle: observe(pid) when a process is first seen and again when a
// stack of it arrives (a cheap no-op when its maps did not change), exec(pid)
// after an exec, exited(pid) once its events are drained.
//
// With a module-map journal (perf's mmap/exec/fork records, in time order
// and before the events that follow them), journal_exec, journal_fork and
// journal_map describe processes that began while it ran, without /proc:
// such a process is symbolized even after it has exited, and exec(pid) is
// not needed. Not thread-safe (one Dwfl per process; libdwfl is not).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "model/stack.h"
#include "symbolize/maps.h"

namespace sockscope::symbolize {

struct Sample {
  int pid = 0;     // host tgid
  int tid = 0;
  int nspid = 0;   // tgid in its own pid namespace (names /tmp/perf-<nspid>.map)
  const uint64_t* regs = nullptr;  // kDwarfRegs registers (model/stack.h); nullptr: none
  std::span<const uint64_t> fp;    // frame-pointer chain, leaf first
  uint64_t copy_base = 0;
  std::span<const uint8_t> copy;
  uint32_t holes = 0;              // bit i: page i of the copy could not be read
  uint64_t stack_top = 0;          // end of the mapping holding sp; 0: unknown
  // The capture's limits, which the notes name: the largest copy it can
  // make (--stack-size's maximum) and the frame-pointer chain's length.
  uint64_t copy_max = 0;
  size_t fp_max = 0;
};

struct Options {
  std::string proc = "/proc";
  bool java = true;  // perf maps and HotSpot interpreter frames
};

class Image;
class JavaNames;
class SymbolIndex;

class Symbolizer {
 public:
  // Process-wide: unsets DEBUGINFOD_URLS (no network fetches) and raises
  // the soft RLIMIT_NOFILE to the hard one (it keeps one fd per module).
  explicit Symbolizer(Options o = {});
  ~Symbolizer();
  Symbolizer(Symbolizer&&) noexcept;
  Symbolizer& operator=(Symbolizer&&) noexcept;

  void observe(int pid);
  void exec(int pid);
  void exited(int pid);
  void journal_exec(int pid);
  void journal_fork(int parent, int child);
  void journal_map(int pid, const Mapping& m);
  Stack symbolize(const Sample& s);
  // True if pid maps libjvm.so (for an opt-in Compiler.perfmap request).
  bool is_jvm(int pid);

 private:
  struct ProcState;
  ProcState& state(int pid);
  void forget(int pid);
  Frame native_frame(ProcState& p, uint64_t pc, bool activation);
  const SymbolIndex& index_for(ProcState& p, const Mapping& m);
  Options opts_;
  std::map<int, std::unique_ptr<ProcState>> procs_;
  std::map<std::string, std::unique_ptr<SymbolIndex>> indexes_;  // by build-id (or path:dev:ino)
  std::vector<int> exited_;  // evicted oldest first beyond a bound
};

}  // namespace sockscope::symbolize
