// SPDX-License-Identifier: GPL-2.0-only
#include "base/clock.h"

#include <fmt/format.h>

namespace sockscope {

Clock::Clock() : offset_ns_(clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_MONOTONIC)) {}

std::string Clock::text(uint64_t mono_ns) const {
  int64_t ns = wall_ns(mono_ns);
  time_t sec = ns / 1'000'000'000;
  if (sec != cached_sec_) {
    tm t{};
    ::localtime_r(&sec, &t);
    cached_hms_ = fmt::format("{:02}:{:02}:{:02}", t.tm_hour, t.tm_min, t.tm_sec);
    cached_sec_ = sec;
  }
  return fmt::format("{}.{:06}", cached_hms_, (ns % 1'000'000'000) / 1000);
}

std::string Clock::iso(uint64_t mono_ns) const {
  int64_t ns = wall_ns(mono_ns);
  time_t sec = ns / 1'000'000'000;
  tm t{};
  ::gmtime_r(&sec, &t);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z", t.tm_year + 1900, t.tm_mon + 1, t.tm_mday, t.tm_hour,
                     t.tm_min, t.tm_sec, (ns % 1'000'000'000) / 1000);
}

}  // namespace sockscope
