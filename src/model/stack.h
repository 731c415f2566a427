// SPDX-License-Identifier: GPL-2.0-only
// User stacks of socket events (--stacks; docs/stacks.md): the raw capture
// as the tracer decodes it from BPF (abi/events.h struct sockscope_stack),
// and the symbolized Stack that src/symbolize makes of it and src/render
// shows. Passive data.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace sockscope {

// The registers a capture carries, in x86_64 DWARF numbering (System V
// psABI, "DWARF Register Number Mapping"): rax rdx rcx rbx rsi rdi rbp rsp
// r8..r15 are 0..15, then the return-address column, rip, is 16. libdw takes
// them all at once (dwfl_thread_state_registers(thread, 0, kDwarfRegs, ...)).
inline constexpr size_t kDwarfRbp = 6;
inline constexpr size_t kDwarfRip = 16;
inline constexpr size_t kDwarfRegs = kDwarfRip + 1;

struct RawStack {
  uint64_t ts_ns = 0;  // == Event::ts_ns of the event it belongs to
  uint32_t tgid = 0;
  uint32_t tid = 0;
  uint32_t event_kind = 0;
  std::array<uint64_t, kDwarfRegs> regs{};  // DWARF x86_64 order: rax rdx rcx rbx rsi rdi rbp rsp r8..r15 rip
  bool has_regs = false;
  std::vector<uint64_t> fp;   // frame-pointer chain, leaf first
  uint64_t copy_base = 0;     // user address of copy[0]
  std::vector<uint8_t> copy;  // user stack bytes
  uint32_t holes = 0;         // bit i: page i of the copy is unreadable (not resident)
  uint64_t stack_top = 0;     // end of the mapping holding sp; 0: unknown
  bool held = false;          // this record stopped its process (Options::stack_hold)
};

enum class FrameKind { kNative, kJit, kInterpreted, kUnknown };

struct Frame {
  FrameKind kind = FrameKind::kUnknown;
  uint64_t pc = 0;
  std::string symbol;          // demangled; Java: Class.method(sig)
  uint64_t offset = 0;         // pc - symbol start
  std::string module;          // file name ("libc.so.6"); "" for JIT/anon
  uint64_t module_offset = 0;  // file offset of pc in module
  std::string build_id;        // hex
  bool from_fp = false;        // taken from the frame-pointer chain
};

struct Stack {
  std::vector<Frame> frames;  // leaf first
  bool truncated = true;      // false only when the last frame is the thread's first
  std::string end;            // stable code (docs/json.md): "first_frame", "copy_ended", ...
  std::string note;           // why it ends there, and what to do
  uint64_t copied = 0;        // bytes of stack copied (from sp's page)
  uint64_t held = 0;          // bytes from sp's page to the stack's top; 0: unknown
};

}  // namespace sockscope
