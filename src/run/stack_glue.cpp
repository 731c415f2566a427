// SPDX-License-Identifier: GPL-2.0-only
#include "run/stack_glue.h"

#include <fmt/format.h>
#include <sys/mman.h>

#include "jvm/attach.h"
#include "model/stack.h"
#include "tracer/stack.h"

namespace sockscope::run {
namespace {

symbolize::Sample to_sample(const Event& e, const RawStack& r) {
  symbolize::Sample s;
  s.pid = static_cast<int>(r.tgid);
  s.tid = static_cast<int>(r.tid);
  s.nspid = static_cast<int>(e.nspid);
  s.regs = r.has_regs ? r.regs.data() : nullptr;
  s.fp = r.fp;
  s.copy_base = r.copy_base;
  s.copy = r.copy;
  s.holes = r.holes;
  s.stack_top = r.stack_top;
  s.copy_max = tracer::kStackCopyMax;
  s.fp_max = tracer::kFpChainMax;
  return s;
}

// A journal record's mapping as /proc/PID/maps would show it.
procfs::Mapping to_mapping(const tracer::MapsRecord& r) {
  procfs::Mapping m;
  m.start = r.start;
  m.end = r.start + r.len;
  m.pgoff = r.pgoff;
  m.dev_major = r.dev_major;
  m.dev_minor = r.dev_minor;
  m.inode = r.inode;
  m.exec = (r.prot & PROT_EXEC) != 0;
  procfs::set_path(m, r.path);
  return m;
}

}  // namespace

void StackGlue::configure(tracer::Options& o) {
  o.stacks = args_.stacks || args_.folded;
  o.stack_close = args_.close;
  o.stack_create_only = args_.create_only;
  o.stack_bytes = args_.bytes;
  o.stack_hold = args_.hold;
  if (!o.stacks) return;
  // Stack records hold up to 64 KiB each: give the ring buffer room for many.
  o.ringbuf_bytes = std::max<uint32_t>(o.ringbuf_bytes, 16u << 20);
  // A stack record arrives (woken at once) before its event: snapshot the
  // process's mappings now, while it is most likely still alive.
  o.on_stack = [this](uint32_t tgid) {
    seen_.insert(tgid);
    sym_.observe(static_cast<int>(tgid));
    // --hold-new: a process stopped by this record is resumed by the
    // tracer when this returns.
  };
  o.on_maps = [this](const tracer::MapsRecord& r) { on_maps(r); };
}

void StackGlue::started(const tracer::Tracer& t) {
  if (!args_.stacks && !args_.folded) return;
  journal_ = t.maps_journal_error().empty();
  if (!journal_)
    fmt::print(stderr,
               "sockscope: warning: no module-map journal ({}); a process that exits before its "
               "events are read gets only its top frames (use --hold-new)\n",
               t.maps_journal_error());
}

void StackGlue::on_maps(const tracer::MapsRecord& r) {
  int pid = static_cast<int>(r.pid);
  switch (r.kind) {
    case tracer::MapsRecord::Kind::kExec: sym_.journal_exec(pid); break;
    case tracer::MapsRecord::Kind::kFork: sym_.journal_fork(static_cast<int>(r.parent), pid); break;
    case tracer::MapsRecord::Kind::kMmap: sym_.journal_map(pid, to_mapping(r)); break;
    case tracer::MapsRecord::Kind::kExit: sym_.exited(pid); break;
  }
}

void StackGlue::on_event(Event& e) {
  int pid = static_cast<int>(e.tgid);
  // With the journal, exec and exit reach the symbolizer from it, in order.
  if (e.kind == EventKind::kExec && !e.failed()) {
    if (!journal_) sym_.exec(pid);
  } else if (seen_.insert(e.tgid).second) {
    sym_.observe(pid);
  }
  if (e.raw_stack) {
    auto s = sym_.symbolize(to_sample(e, *e.raw_stack));
    if (args_.java_perfmap && !perfmap_asked_.count(e.tgid)) {
      maybe_perfmap(e, s);
      if (perfmap_asked_.count(e.tgid)) s = sym_.symbolize(to_sample(e, *e.raw_stack));
    }
    e.stack = std::make_shared<const Stack>(std::move(s));
  }
  if (e.kind == EventKind::kExit && !journal_) sym_.exited(pid);
}

// Compiler.perfmap writes the JIT's symbols to /tmp/perf-<nspid>.map. Only
// asked once per JVM, only when a frame outside any file is unnamed, and
// only of a process mapping libjvm (jvm::perfmap checks again: SIGQUIT
// kills anything that is not a JVM).
void StackGlue::maybe_perfmap(const Event& e, const Stack& s) {
  bool unnamed = false;
  for (const auto& f : s.frames) unnamed |= f.kind == FrameKind::kUnknown && f.module.empty();
  if (!unnamed || !sym_.is_jvm(static_cast<int>(e.tgid))) return;
  perfmap_asked_.insert(e.tgid);
  auto r = jvm::perfmap(static_cast<int>(e.tgid));
  if (!r) fmt::print(stderr, "sockscope: Compiler.perfmap in pid {}: {}\n", e.tgid, r.error().what);
}

}  // namespace sockscope::run
