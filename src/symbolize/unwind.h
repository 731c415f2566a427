// SPDX-License-Identifier: GPL-2.0-only
// DWARF unwinding of a captured user stack with libdw (elfutils 0.188), off
// line: the registers and the stack bytes come from the BPF copy, never from
// the live process (no ptrace). CFI comes from .eh_frame/.debug_frame of the
// modules in the Image; where a pc has no CFI (JIT code), libdw's x86_64
// backend follows the rbp chain (backends/x86_64_unwind.c).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "symbolize/image.h"

namespace sockscope::symbolize {

struct RawFrame {
  uint64_t pc = 0;
  bool activation = false;  // frame 0: pc is exact; callers: return address, look up pc-1
  uint64_t rbp = 0;         // the frame's rbp (0 if unknown): HotSpot interpreter frames
  bool from_fp = false;     // appended from the BPF frame-pointer chain
};

struct UnwindResult {
  std::vector<RawFrame> frames;  // leaf first
  bool complete = false;         // libdw reached the outermost frame
  bool past_copy = false;        // it stopped because it needed stack beyond the copy
};

struct UnwindInput {
  int tid = 0;
  const uint64_t* regs = nullptr;  // 17 DWARF registers
  uint64_t copy_base = 0;
  std::span<const uint8_t> copy;
};

UnwindResult unwind(Image& image, const UnwindInput& in, size_t max_frames = 128);

}  // namespace sockscope::symbolize
