// SPDX-License-Identifier: GPL-2.0-only
// The registers a stack capture carries, in x86_64 DWARF numbering (System V
// psABI, "DWARF Register Number Mapping"): rax rdx rcx rbx rsi rdi rbp rsp
// r8..r15 are 0..15, then the return-address column, rip, is 16. libdw takes
// them all at once (dwfl_thread_state_registers(thread, 0, kDwarfRegCount, ...)).
#pragma once

#include <cstddef>

namespace sockscope::symbolize {

inline constexpr size_t kDwarfRbp = 6;
inline constexpr size_t kDwarfRip = 16;
inline constexpr size_t kDwarfRegCount = kDwarfRip + 1;

}  // namespace sockscope::symbolize
