// SPDX-License-Identifier: GPL-2.0-only
// rfc3339(): the `time` and `*_utc` strings of every JSON output (docs/json.md, "Times").
#include "base/clock.h"

#include <gtest/gtest.h>

namespace sockscope {
namespace {

TEST(Rfc3339, EpochHasAllNineDigits) { EXPECT_EQ(rfc3339(0), "1970-01-01T00:00:00.000000000Z"); }

TEST(Rfc3339, NanosecondsArePaddedNotRounded) {
  EXPECT_EQ(rfc3339(1'796'657'786'123'456'789), "2026-12-07T15:36:26.123456789Z");
  EXPECT_EQ(rfc3339(1'796'657'786'000'000'007), "2026-12-07T15:36:26.000000007Z");
  EXPECT_EQ(rfc3339(1'796'657'786'100'000'000), "2026-12-07T15:36:26.100000000Z");
}

TEST(Rfc3339, LeapDays) {
  EXPECT_EQ(rfc3339(1'709'210'096'000'000'007), "2024-02-29T12:34:56.000000007Z");
  EXPECT_EQ(rfc3339(951'868'799'999'999'999), "2000-02-29T23:59:59.999999999Z");    // divisible by 400: leap
  EXPECT_EQ(rfc3339(4'107'542'400'000'001'000), "2100-03-01T00:00:00.000001000Z");  // by 100 only: no Feb 29
}

TEST(Rfc3339, BeforeTheEpochCountsBackFromTheSecondBefore) {
  EXPECT_EQ(rfc3339(-1), "1969-12-31T23:59:59.999999999Z");
  EXPECT_EQ(rfc3339(-86'400'000'000'000), "1969-12-31T00:00:00.000000000Z");
}

TEST(Rfc3339, ClockIsoIsTheSameFormat) {
  Clock clock;
  std::string t = clock.iso(monotonic_ns());
  ASSERT_EQ(t.size(), 30u) << t;
  EXPECT_EQ(t[10], 'T');
  EXPECT_EQ(t[19], '.');
  EXPECT_EQ(t.back(), 'Z');
}

}  // namespace
}  // namespace sockscope
