// SPDX-License-Identifier: GPL-2.0-only
// Internal: where an unwound stack ends, and why (symbolize_stack.cpp).
// "Complete" is earned: the last frame must be the thread's first frame,
// which its CFI marks with DW_CFA_undefined on the return address (glibc's
// _start and the child side of clone/clone3 do). libdw's own "no error"
// proves nothing (unwind.h). Every other end gets a stable code (docs/json.md)
// and a sentence that says what to do.
#pragma once

#include "model/stack.h"
#include "symbolize/symbolizer.h"
#include "symbolize/unwind.h"

namespace sockscope::symbolize {

struct EndFacts {
  const Sample& sample;
  const UnwindResult& unwind;
  bool fp_merged = false;  // the last frames came from the frame-pointer chain
  bool jvm = false;        // the process maps libjvm.so
};

// Sets out.truncated, out.end and out.note from out.frames and the facts.
void judge_end(Image& image, const EndFacts& facts, Stack& out);

}  // namespace sockscope::symbolize
