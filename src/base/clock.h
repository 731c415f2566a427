// SPDX-License-Identifier: GPL-2.0-only
// Clock readings in nanoseconds. CLOCK_MONOTONIC is bpf_ktime_get_ns()'s
// clock, so BPF timestamps compare with it directly.
#pragma once

#include <time.h>

#include <cstdint>
#include <string>

namespace sockscope {

inline int64_t clock_ns(clockid_t c) {
  timespec ts{};
  ::clock_gettime(c, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

inline uint64_t monotonic_ns() { return static_cast<uint64_t>(clock_ns(CLOCK_MONOTONIC)); }

// Converts event timestamps (CLOCK_MONOTONIC) to wall-clock time; built once
// per run so that all lines use the same offset.
class Clock {
 public:
  Clock();
  int64_t wall_ns(uint64_t mono_ns) const { return static_cast<int64_t>(mono_ns) + offset_ns_; }
  std::string text(uint64_t mono_ns) const;  // "14:03:07.123456" (local time)
  std::string iso(uint64_t mono_ns) const;   // "2025-11-21T14:03:07.123456Z"

 private:
  int64_t offset_ns_ = 0;
  // localtime_r() per event cost more than the rest of the line; events
  // come in bursts within one second, so the "HH:MM:SS" part is kept.
  mutable int64_t cached_sec_ = -1;
  mutable std::string cached_hms_;
};

}  // namespace sockscope
