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

// Wall-clock nanoseconds since the epoch as RFC 3339 in UTC with all nine
// digits: "2026-12-07T15:36:26.123456789Z" (docs/json.md, "Times"). Pure:
// no time zone is read.
std::string rfc3339(int64_t wall_ns);

// Converts event timestamps (CLOCK_MONOTONIC) to wall-clock time; built once
// per run so that all lines use the same offset.
class Clock {
 public:
  Clock();
  int64_t wall_ns(uint64_t mono_ns) const { return static_cast<int64_t>(mono_ns) + offset_ns_; }
  std::string text(uint64_t mono_ns) const;  // "14:03:07.123456" (local time)
  std::string iso(uint64_t mono_ns) const { return rfc3339(wall_ns(mono_ns)); }  // "2025-11-21T14:03:07.123456789Z"

 private:
  int64_t offset_ns_ = 0;
  // localtime_r() per event cost more than the rest of the line; events
  // come in bursts within one second, so the "HH:MM:SS" part is kept.
  mutable int64_t cached_sec_ = -1;
  mutable std::string cached_hms_;
};

}  // namespace sockscope
