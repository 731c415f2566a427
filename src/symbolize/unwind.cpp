// SPDX-License-Identifier: GPL-2.0-only
#include "symbolize/unwind.h"

#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>

#include <cstdlib>
#include <cstring>

#include "model/stack.h"

namespace sockscope::symbolize {
namespace {

using Slot = Image::UnwindSlot;

// One "thread": the sample's. get_thread makes dwfl_getthread_frames skip
// the next_thread iteration (libdwfl/dwfl_frame.c getthread()).
pid_t next_thread(Dwfl*, void* arg, void** thread_argp) {
  if (*thread_argp) return 0;
  *thread_argp = arg;
  return static_cast<Slot*>(arg)->tid;
}

bool get_thread(Dwfl*, pid_t, void* arg, void** thread_argp) {
  *thread_argp = arg;
  return true;
}

// Memory comes only from the stack copy; anything else fails the read, which
// ends the unwind there (a truncated stack, never a wrong one).
bool fail(Slot* s, Dwarf_Addr addr, UnwindResult::Fail why) {
  s->fail_addr = addr;
  s->fail_kind = static_cast<int>(why);
  return false;
}

bool in_hole(const Slot* s, Dwarf_Addr addr) {
  uint64_t first = (addr - s->copy_base) / 4096, last = (addr + sizeof(Dwarf_Word) - 1 - s->copy_base) / 4096;
  for (uint64_t p = first; p <= last; p++)
    if (p < 32 && (s->holes >> p & 1)) return true;
  return false;
}

bool memory_read(Dwfl*, Dwarf_Addr addr, Dwarf_Word* result, void* arg) {
  auto* s = static_cast<Slot*>(arg);
  using F = UnwindResult::Fail;
  if (addr < s->copy_base) return fail(s, addr, F::kBelowCopy);
  if (addr + sizeof(Dwarf_Word) > s->copy_base + s->copy_len || addr + sizeof(Dwarf_Word) < addr)
    return fail(s, addr, F::kPastCopy);
  if (in_hole(s, addr)) return fail(s, addr, F::kHole);
  std::memcpy(result, s->copy + (addr - s->copy_base), sizeof(*result));
  return true;
}

bool set_initial_registers(Dwfl_Thread* thread, void* arg) {
  auto* s = static_cast<Slot*>(arg);
  static_assert(sizeof(Dwarf_Word) == sizeof(uint64_t));
  return dwfl_thread_state_registers(thread, 0, kDwarfRegs, reinterpret_cast<const Dwarf_Word*>(s->regs));
}

const Dwfl_Thread_Callbacks kThreadCallbacks = {
    next_thread, get_thread, memory_read, set_initial_registers, nullptr, nullptr,
};

struct Collect {
  UnwindResult* out;
  Slot* slot;
  size_t max;
};

int on_frame(Dwfl_Frame* state, void* arg) {
  auto* c = static_cast<Collect*>(arg);
  // Asked for `activation`, dwfl_frame_pc unwinds this frame to its caller
  // (to see whether that is a signal frame): the reads that unwinding makes
  // happen here, and a failure before them did not end the unwind.
  c->slot->fail_kind = 0;
  Dwarf_Addr pc = 0;
  bool activation = false;
  if (!dwfl_frame_pc(state, &pc, &activation)) return DWARF_CB_ABORT;
  Dwarf_Word rbp = 0;
  if (dwfl_frame_reg(state, 6, &rbp) != 0) rbp = 0;  // new in elfutils 0.188
  c->out->frames.push_back({pc, activation, rbp});
  if (c->out->frames.size() < c->max) return DWARF_CB_OK;
  c->out->depth_limit = true;
  return DWARF_CB_ABORT;
}

}  // namespace

UnwindResult unwind(Image& image, const UnwindInput& in, size_t max_frames) {
  UnwindResult r;
  Dwfl* dwfl = image.dwfl();
  Slot& s = image.slot;
  s.regs = in.regs;
  s.copy = in.copy.data();
  s.copy_len = in.copy.size();
  s.copy_base = in.copy_base;
  s.holes = in.holes;
  s.tid = in.tid;
  s.fail_kind = 0;
  s.fail_addr = 0;
  if (!dwfl) {
    r.frames.push_back({in.regs[kDwarfRip], true, in.regs[kDwarfRbp]});
    return r;
  }
  if (!s.attached) {
    // Once per Dwfl: the state (our Slot) is then reused for every sample.
    if (!dwfl_attach_state(dwfl, nullptr, image.pid(), &kThreadCallbacks, &s)) {
      r.frames.push_back({in.regs[kDwarfRip], true, in.regs[kDwarfRbp]});
      return r;
    }
    s.attached = true;
  }
  Collect c{&r, &s, max_frames};
  r.libdw_ok = dwfl_getthread_frames(dwfl, in.tid, on_frame, &c) == 0;
  if (!r.libdw_ok && !r.depth_limit)
    if (const char* m = dwfl_errmsg(-1)) r.error = m;
  r.fail = static_cast<UnwindResult::Fail>(s.fail_kind);
  r.fail_addr = s.fail_addr;
  if (r.frames.empty()) r.frames.push_back({in.regs[kDwarfRip], true, in.regs[kDwarfRbp]});
  return r;
}

CfiAt cfi_at(Image& image, uint64_t pc, bool activation) {
  Dwfl* dwfl = image.dwfl();
  uint64_t at = activation ? pc : pc - 1;
  Dwfl_Module* mod = dwfl ? dwfl_addrmodule(dwfl, at) : nullptr;
  if (!mod) return CfiAt::kNoModule;
  bool any_cfi = false;
  for (int which = 0; which < 2; which++) {
    Dwarf_Addr bias = 0;
    Dwarf_CFI* cfi = which == 0 ? dwfl_module_eh_cfi(mod, &bias) : dwfl_module_dwarf_cfi(mod, &bias);
    if (!cfi) continue;
    any_cfi = true;
    Dwarf_Frame* frame = nullptr;
    if (dwarf_cfi_addrframe(cfi, at - bias, &frame) != 0) continue;
    int ra = dwarf_frame_info(frame, nullptr, nullptr, nullptr);
    Dwarf_Op mem[3], *ops = nullptr;
    size_t nops = 0;
    bool undefined = ra >= 0 && dwarf_frame_register(frame, ra, mem, &ops, &nops) == 0 && nops == 0 && ops == mem;
    std::free(frame);
    return undefined ? CfiAt::kRaUndefined : CfiAt::kRaDefined;
  }
  return any_cfi ? CfiAt::kNoFde : CfiAt::kNoCfi;
}

}  // namespace sockscope::symbolize
