// SPDX-License-Identifier: GPL-2.0-only
#include "symbolize/symbolizer.h"

#include <elfutils/libdwfl.h>
#include <fmt/format.h>
#include <sys/resource.h>

#include <cstdlib>

#include "procfs/libjvm.h"
#include "symbolize/proc_state.h"
#include "symbolize/symtab.h"
#include "symbolize/unwind.h"

namespace sockscope::symbolize {

Symbolizer::Symbolizer(Options o) : opts_(std::move(o)) {
  // libdwfl would dlopen libdebuginfod and fetch over the network for every
  // module without local debug info (elfutils 0.188 debuginfod-client).
  ::unsetenv("DEBUGINFOD_URLS");
  // One fd per module per process with stacks (forked children dup their
  // parent's): 1024 is soon reached on a busy machine, and a failed open
  // costs symbols silently. The hard limit is the administrator's choice;
  // the soft one is ours.
  rlimit nofile{};
  if (::getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur < nofile.rlim_max) {
    nofile.rlim_cur = nofile.rlim_max;
    (void)::setrlimit(RLIMIT_NOFILE, &nofile);
  }
}
Symbolizer::~Symbolizer() = default;
Symbolizer::Symbolizer(Symbolizer&&) noexcept = default;
Symbolizer& Symbolizer::operator=(Symbolizer&&) noexcept = default;

Symbolizer::ProcState& Symbolizer::state(int pid) {
  auto& p = procs_[pid];
  if (!p) {
    p = std::make_unique<ProcState>();
    p->image = std::make_unique<Image>(opts_.proc, pid);
  }
  return *p;
}

void Symbolizer::observe(int pid) {
  state(pid).image->refresh();
}

void Symbolizer::forget(int pid) {
  procs_.erase(pid);
  // A pid that exited and was reused: its new image must not be dropped
  // when the old exit reaches the front of the queue.
  std::erase(exited_, pid);
}

void Symbolizer::exec(int pid) {
  forget(pid);
  observe(pid);
}

void Symbolizer::exited(int pid) {
  if (auto it = procs_.find(pid); it != procs_.end()) it->second->image->set_exited();
  // Kept for events still queued; dropped once 64 newer processes exited.
  exited_.push_back(pid);
  if (exited_.size() > 64) {
    procs_.erase(exited_.front());
    exited_.erase(exited_.begin());
  }
}

void Symbolizer::journal_exec(int pid) {
  forget(pid);
  state(pid).image->set_journaled();
}

void Symbolizer::journal_fork(int parent, int child) {
  forget(child);
  auto it = procs_.find(parent);
  // A parent known only from a few journal mappings (it began before the
  // journal and was never read from /proc) has nothing whole to give: the
  // child is read from /proc when it is seen.
  if (it == procs_.end()) return;
  const Image& from = *it->second->image;
  if (from.journaled() || from.from_proc()) state(child).image->inherit(from);
}

void Symbolizer::journal_map(int pid, const Mapping& m) {
  // A process older than the journal gets its other mappings from /proc
  // when a stack of it is symbolized (refresh); this one is kept meanwhile.
  state(pid).image->add(m);
}

bool Symbolizer::is_jvm(int pid) {
  auto& p = state(pid);
  if (!p.image->from_proc()) p.image->refresh();
  for (const auto& m : p.image->maps())
    if (procfs::is_libjvm(m.path)) return true;
  return false;
}

const SymbolIndex& Symbolizer::index_for(ProcState& p, const Mapping& m) {
  static const SymbolIndex kEmpty;
  ModuleFile* f = p.image->file_of(m);
  if (!f) return kEmpty;
  std::string key = f->build_id.empty() ? fmt::format("{}:{}:{}", f->path, m.dev_major, m.inode) : f->build_id;
  auto& idx = indexes_[key];
  if (!idx) {
    Dwfl* d = p.image->dwfl();
    Dwfl_Module* mod = d ? dwfl_addrmodule(d, m.start + (m.end - m.start) / 2) : nullptr;
    idx = std::make_unique<SymbolIndex>(mod ? SymbolIndex::build(mod) : SymbolIndex());
  }
  return *idx;
}

Frame Symbolizer::native_frame(ProcState& p, uint64_t pc, bool activation) {
  Frame f;
  f.pc = pc;
  // A return address points after the call; the call itself is at pc-1.
  uint64_t at = activation ? pc : pc - 1;
  const Mapping* m = find_mapping(p.image->maps(), at);
  if (!m || !m->file_backed()) {
    if (opts_.java && p.java)
      if (auto name = p.java->interpreted(at)) {
        f.kind = FrameKind::kInterpreted;
        f.symbol = *name;
        return f;
      }
    if (opts_.java && p.perf_map && !p.perf_map_checked) {
      p.perf_map->refresh();
      p.perf_map_checked = true;
    }
    if (opts_.java && p.perf_map)
      if (const PerfMapEntry* e = p.perf_map->lookup(at)) {
        f.kind = FrameKind::kJit;
        f.symbol = e->name;
        return f;
      }
    return f;  // kUnknown: "0xaddr"
  }
  f.module = m->path.substr(m->path.rfind('/') + 1);
  f.module_offset = m->file_offset(pc);
  ModuleFile* file = p.image->file_of(*m);
  if (!file || !file->is_elf) return f;
  f.build_id = file->build_id;
  if (auto hit = index_for(p, *m).lookup(at - file->bias)) {
    f.kind = FrameKind::kNative;
    f.symbol = std::string(hit->name);
    f.offset = hit->offset + (pc - at);
  }
  return f;
}

}  // namespace sockscope::symbolize
