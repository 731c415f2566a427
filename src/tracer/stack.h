// SPDX-License-Identifier: GPL-2.0-only
// User stacks of socket events (--stacks; docs/stacks.md). The tracer hands
// out RawStack as captured in BPF (abi/events.h struct sockscope_stack);
// whoever symbolizes it (cli, through src/symbolize) fills a Stack, which the
// text, JSON and folded views below render. Pure; no I/O.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/result.h"
#include "tracer/event.h"

namespace sockscope::tracer {

// What one capture can hold (abi/events.h; checked in stack.cpp): the most
// bytes of stack copied (--stack-size's maximum) and the frame-pointer
// chain's length (bpf_get_stack's, perf_event_max_stack's default).
inline constexpr uint32_t kStackCopyMax = 64 * 1024;
inline constexpr uint32_t kFpChainMax = 127;
// Registers per capture: x86_64 DWARF registers 0..16 (rax .. r15, rip).
inline constexpr size_t kStackRegs = 17;

struct RawStack {
  uint64_t ts_ns = 0;   // == Event::ts_ns of the event it belongs to
  uint32_t tgid = 0;
  uint32_t tid = 0;
  uint32_t event_kind = 0;
  std::array<uint64_t, kStackRegs> regs{};  // DWARF x86_64 order: rax rdx rcx rbx rsi rdi rbp rsp r8..r15 rip
  bool has_regs = false;
  std::vector<uint64_t> fp;         // frame-pointer chain, leaf first
  uint64_t copy_base = 0;           // user address of copy[0]
  std::vector<uint8_t> copy;        // user stack bytes
  uint32_t holes = 0;               // bit i: page i of the copy is unreadable (not resident)
  uint64_t stack_top = 0;           // end of the mapping holding sp; 0: unknown
  bool held = false;                // this record stopped its process (Options::stack_hold)
};

enum class FrameKind { kNative, kJit, kInterpreted, kUnknown };

struct StackFrame {
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
  std::vector<StackFrame> frames;  // leaf first
  bool truncated = true;           // false only when the last frame is the thread's first
  std::string end;                 // stable code (docs/json.md): "first_frame", "copy_ended", ...
  std::string note;                // why it ends there, and what to do
  uint64_t copied = 0;             // bytes of stack copied (from sp's page)
  uint64_t held = 0;               // bytes from sp's page to the stack's top; 0: unknown
};

// True if the record is a struct sockscope_stack (kind slot at offset 48).
bool is_stack_record(const void* data, size_t size);
Result<RawStack> decode_stack(const void* data, size_t size);

// "__socket+0xb (libc.so.6)", "[jit] void Foo.bar()", "[interp] Foo.bar()V",
// "0x7f00deadbeef (libfoo.so+0x1234)".
std::string frame_text(const StackFrame& f);
nlohmann::json stack_json(const Stack& s);
// Indented lines, one per frame ("    #0 __socket+0xb (libc.so.6)\n"...).
std::string stack_text(const Stack& s, const std::string& indent);
// One folded line for flame graphs: "comm;outermost;...;leaf 1".
std::string folded_line(const Event& e, const Stack& s);

}  // namespace sockscope::tracer
