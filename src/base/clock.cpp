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

namespace {

// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's
// civil_from_days, valid for every int64 day count we can be given).
void civil_from_days(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  auto doe = static_cast<unsigned>(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int64_t>(yoe) + era * 400 + (m <= 2);
}

}  // namespace

std::string rfc3339(int64_t wall_ns) {
  constexpr int64_t kNs = 1'000'000'000, kDay = 86'400;
  int64_t sec = wall_ns / kNs, frac = wall_ns % kNs;
  if (frac < 0) {  // before 1970: the fraction counts up from the second before
    frac += kNs;
    --sec;
  }
  int64_t days = sec / kDay, rest = sec % kDay;
  if (rest < 0) {
    rest += kDay;
    --days;
  }
  int64_t y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(days, y, m, d);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:09}Z", y, m, d, rest / 3600, rest / 60 % 60, rest % 60,
                     frac);
}

}  // namespace sockscope
