// SPDX-License-Identifier: GPL-2.0-only
// A symbolized frame: passive data (text and JSON views live with the
// tracer's copy of it, tracer/stack.h; src/cli/stacks.cpp converts).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sockscope::symbolize {

enum class FrameKind { kNative, kJit, kInterpreted, kUnknown };

struct Frame {
  FrameKind kind = FrameKind::kUnknown;
  uint64_t pc = 0;
  std::string symbol;          // demangled; Java: Class.method(sig)
  uint64_t offset = 0;         // pc - symbol start (native)
  std::string module;          // basename; "" for JIT/anonymous
  uint64_t module_offset = 0;  // file offset of pc: with build_id, an offline key
  std::string build_id;        // hex
  bool from_fp = false;        // appended from the frame-pointer chain
};

struct Stack {
  std::vector<Frame> frames;  // leaf first
  bool truncated = true;      // false only when the last frame is the thread's first
  std::string end;            // stable code (docs/json.md): "first_frame", "copy_ended", ...
  std::string note;           // why it ends there, and what to do
  uint64_t copied = 0;        // bytes of stack copied (from sp's page)
  uint64_t held = 0;          // bytes the stack held from sp's page to its top; 0: unknown
};

}  // namespace sockscope::symbolize
