// SPDX-License-Identifier: GPL-2.0-only
#include "tracer/stack.h"

#include <fmt/format.h>

#include <cstring>

extern "C" {
#include "events.h"
}

namespace sockscope::tracer {

static_assert(kStackCopyMax == SOCKSCOPE_STACK_MAX && kFpChainMax == SOCKSCOPE_STACK_FP_MAX,
              "abi/events.h: capture limits changed");
static_assert(kDwarfRegs == SOCKSCOPE_STACK_REGS, "abi/events.h: register set changed");
static_assert(offsetof(sockscope_stack, data) == SOCKSCOPE_STACK_HDR_SIZE, "abi/events.h: stack header changed");
static_assert(offsetof(sockscope_stack, kind) == offsetof(sockscope_event, kind),
              "the kind slot must sit where sockscope_event has it");

bool is_stack_record(const void* data, size_t size) {
  uint32_t kind = 0;
  if (size < offsetof(sockscope_stack, kind) + sizeof(kind)) return false;
  std::memcpy(&kind, static_cast<const char*>(data) + offsetof(sockscope_stack, kind), sizeof(kind));
  return kind == SOCKSCOPE_REC_STACK;
}

Result<RawStack> decode_stack(const void* data, size_t size) {
  if (size < SOCKSCOPE_STACK_HDR_SIZE)
    return Error{fmt::format("stack record of {} bytes, shorter than its header", size), 0,
                 "the BPF object and the binary disagree on abi/events.h: rebuild both"};
  sockscope_stack h;
  std::memcpy(&h, data, SOCKSCOPE_STACK_HDR_SIZE);
  if (h.copy_len > SOCKSCOPE_STACK_MAX || SOCKSCOPE_STACK_HDR_SIZE + size_t{h.copy_len} > size ||
      h.fp_len > SOCKSCOPE_STACK_FP_MAX)
    return Error{"stack record lengths out of range", 0, "rebuild: ABI skew"};
  RawStack r;
  r.ts_ns = h.ts_ns;
  r.tgid = h.tgid;
  r.tid = h.tid;
  r.event_kind = h.event_kind;
  r.has_regs = !(h.flags & SOCKSCOPE_STACK_NO_REGS);
  std::memcpy(r.regs.data(), h.regs, sizeof(h.regs));
  r.fp.assign(h.fp, h.fp + h.fp_len);
  r.copy_base = h.copy_base;
  auto* bytes = static_cast<const uint8_t*>(data) + SOCKSCOPE_STACK_HDR_SIZE;
  r.copy.assign(bytes, bytes + h.copy_len);
  r.holes = h.holes;
  r.stack_top = (h.flags & SOCKSCOPE_STACK_TOP_KNOWN) ? h.stack_top : 0;
  r.held = h.flags & SOCKSCOPE_STACK_HELD;
  return r;
}

}  // namespace sockscope::tracer
