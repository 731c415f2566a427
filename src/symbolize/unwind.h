// SPDX-License-Identifier: GPL-2.0-only
// DWARF unwinding of a captured user stack with libdw (elfutils 0.188), off
// line: the registers and the stack bytes come from the BPF copy, never from
// the live process (no ptrace). CFI comes from .eh_frame/.debug_frame of the
// modules in the Image; where a pc has no CFI (JIT code), libdw's x86_64
// backend follows the rbp chain (backends/x86_64_unwind.c).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "model/stack.h"
#include "symbolize/image.h"

namespace sockscope::symbolize {

struct RawFrame {
  uint64_t pc = 0;
  bool activation = false;  // frame 0: pc is exact; callers: return address, look up pc-1
  uint64_t rbp = 0;         // the frame's rbp (0 if unknown): HotSpot interpreter frames
  bool from_fp = false;     // appended from the BPF frame-pointer chain
};

struct UnwindResult {
  // Why a read of the stack failed (the last one before the unwind ended).
  enum class Fail { kNone, kPastCopy, kHole, kBelowCopy };
  std::vector<RawFrame> frames;  // leaf first
  // libdw ended without error. Not proof of completeness: libdw 0.188 also
  // ends "without error" when it cannot read the return address at all
  // (frame_unwind.c handle_cfi: "maybe end of call stack"), which is how a
  // short copy used to pass for a whole stack. cfi_at() decides.
  bool libdw_ok = false;
  bool depth_limit = false;  // max_frames reached
  Fail fail = Fail::kNone;
  uint64_t fail_addr = 0;
  std::string error;  // libdwfl's message when it ended with an error
};

struct UnwindInput {
  int tid = 0;
  const uint64_t* regs = nullptr;  // kDwarfRegs registers (model/stack.h)
  uint64_t copy_base = 0;
  std::span<const uint8_t> copy;
  uint32_t holes = 0;  // bit i: page i of the copy is not valid
};

inline constexpr size_t kMaxFrames = 1024;

UnwindResult unwind(Image& image, const UnwindInput& in, size_t max_frames = kMaxFrames);

// What the CFI says of the frame at pc (a return address: look up pc - 1
// unless activation).
enum class CfiAt {
  kRaUndefined,  // DW_CFA_undefined on the return address: the thread's first frame
  kRaDefined,    // an ordinary frame: its caller's address is on the stack
  kNoFde,        // the module has CFI, but none covers pc
  kNoCfi,        // the module has neither .eh_frame nor .debug_frame
  kNoModule,     // pc is in no module libdwfl knows (JIT, anonymous code)
};
CfiAt cfi_at(Image& image, uint64_t pc, bool activation);

}  // namespace sockscope::symbolize
