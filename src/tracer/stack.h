// SPDX-License-Identifier: GPL-2.0-only
// Decoding of the BPF stack records (abi/events.h struct sockscope_stack)
// into model RawStacks (model/stack.h; docs/stacks.md), and the limits of one
// capture. Pure; no I/O.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"
#include "model/stack.h"

namespace sockscope::tracer {

// What one capture can hold (abi/events.h; checked in stack.cpp): the most
// bytes of stack copied (--stack-size's maximum) and the frame-pointer
// chain's length (bpf_get_stack's, perf_event_max_stack's default).
inline constexpr uint32_t kStackCopyMax = 64 * 1024;
inline constexpr uint32_t kFpChainMax = 127;

// True if the record is a struct sockscope_stack (kind slot at offset 48).
bool is_stack_record(const void* data, size_t size);
Result<RawStack> decode_stack(const void* data, size_t size);

}  // namespace sockscope::tracer
