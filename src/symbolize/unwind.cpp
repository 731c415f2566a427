// SPDX-License-Identifier: GPL-2.0-only
#include "symbolize/unwind.h"

#include <elfutils/libdwfl.h>

#include <cstring>

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
bool memory_read(Dwfl*, Dwarf_Addr addr, Dwarf_Word* result, void* arg) {
  auto* s = static_cast<Slot*>(arg);
  if (addr < s->copy_base || addr + sizeof(Dwarf_Word) > s->copy_base + s->copy_len) {
    if (addr >= s->copy_base + s->copy_len && addr < s->copy_base + s->copy_len + (1u << 20))
      s->read_past_copy = true;
    return false;
  }
  std::memcpy(result, s->copy + (addr - s->copy_base), sizeof(*result));
  return true;
}

bool set_initial_registers(Dwfl_Thread* thread, void* arg) {
  auto* s = static_cast<Slot*>(arg);
  static_assert(sizeof(Dwarf_Word) == sizeof(uint64_t));
  return dwfl_thread_state_registers(thread, 0, 17, reinterpret_cast<const Dwarf_Word*>(s->regs));
}

const Dwfl_Thread_Callbacks kThreadCallbacks = {
    next_thread, get_thread, memory_read, set_initial_registers, nullptr, nullptr,
};

struct Collect {
  UnwindResult* out;
  size_t max;
};

int on_frame(Dwfl_Frame* state, void* arg) {
  auto* c = static_cast<Collect*>(arg);
  Dwarf_Addr pc = 0;
  bool activation = false;
  if (!dwfl_frame_pc(state, &pc, &activation)) return DWARF_CB_ABORT;
  Dwarf_Word rbp = 0;
  if (dwfl_frame_reg(state, 6, &rbp) != 0) rbp = 0;  // new in elfutils 0.188
  c->out->frames.push_back({pc, activation, rbp});
  return c->out->frames.size() >= c->max ? DWARF_CB_ABORT : DWARF_CB_OK;
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
  s.tid = in.tid;
  s.read_past_copy = false;
  if (!dwfl) {
    r.frames.push_back({in.regs[16], true, in.regs[6]});
    return r;
  }
  if (!s.attached) {
    // Once per Dwfl: the state (our Slot) is then reused for every sample.
    if (!dwfl_attach_state(dwfl, nullptr, image.pid(), &kThreadCallbacks, &s)) {
      r.frames.push_back({in.regs[16], true, in.regs[6]});
      return r;
    }
    s.attached = true;
  }
  Collect c{&r, max_frames};
  int rc = dwfl_getthread_frames(dwfl, in.tid, on_frame, &c);
  r.complete = rc == 0;
  r.past_copy = s.read_past_copy;
  if (r.frames.empty()) r.frames.push_back({in.regs[16], true, in.regs[6]});
  return r;
}

}  // namespace sockscope::symbolize
