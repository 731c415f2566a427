// SPDX-License-Identifier: GPL-2.0-only
// Clock readings in nanoseconds. CLOCK_MONOTONIC is bpf_ktime_get_ns()'s
// clock, so BPF timestamps compare with it directly.
#pragma once

#include <time.h>

#include <cstdint>

namespace sockscope {

inline int64_t clock_ns(clockid_t c) {
  timespec ts{};
  ::clock_gettime(c, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

inline uint64_t monotonic_ns() { return static_cast<uint64_t>(clock_ns(CLOCK_MONOTONIC)); }

}  // namespace sockscope
