// SPDX-License-Identifier: GPL-2.0-only
// Stack records recorded with `--stacks` (tests/fixtures/tracer/tour_stacks):
// the header fields, the copy and its holes, and the link to the event.
#include <cstring>

#include "recorded.h"

namespace sockscope::tracer {
namespace {

struct Pair {
  testing::Record raw;
  RawStack stack;
  Event event;  // the next event of the same thread
};

// Header fields read straight from the recorded bytes (abi/events.h offsets),
// to compare the decoder with.
template <typename T>
T at(const testing::Record& r, size_t off) {
  T v;
  std::memcpy(&v, r.data() + off, sizeof(v));
  return v;
}
constexpr size_t kCopyLenOff = 16, kFlagsOff = 24, kHolesOff = 28, kHdr = 1208;

std::vector<Pair> stacked() {
  auto recs = testing::read_records(testing::tracer_fixture("tour_stacks") + "/ring.bin");
  std::vector<Pair> out;
  for (size_t i = 0; i < recs.size(); i++) {
    if (!is_stack_record(recs[i].data(), recs[i].size())) continue;
    auto st = decode_stack(recs[i].data(), recs[i].size());
    EXPECT_TRUE(st) << (st ? "" : st.error().what);
    if (!st) continue;
    for (size_t j = i + 1; j < recs.size(); j++) {
      if (is_stack_record(recs[j].data(), recs[j].size())) continue;
      auto ev = decode(recs[j].data(), recs[j].size());
      if (ev && ev->tid == st->tid) {
        out.push_back({recs[i], *st, *ev});
        break;
      }
    }
  }
  return out;
}

TEST(RecordedStacks, EachPrecedesItsEventWithTheSameStamp) {
  auto pairs = stacked();
  ASSERT_GE(pairs.size(), 5u);
  for (const auto& p : pairs) {
    EXPECT_EQ(p.stack.ts_ns, p.event.ts_ns) << kind_name(p.event.kind);
    EXPECT_EQ(p.stack.tgid, p.event.tgid);
    EXPECT_EQ(p.stack.event_kind, static_cast<uint32_t>(p.event.kind));
  }
}

TEST(RecordedStacks, EventRecordsAreNotStackRecords) {
  auto evs = testing::recorded_events("tour_stacks");
  auto recs = testing::read_records(testing::tracer_fixture("tour_stacks") + "/ring.bin");
  size_t events = 0;
  for (const auto& r : recs) events += is_stack_record(r.data(), r.size()) ? 0 : 1;
  EXPECT_EQ(events, evs.size());
  EXPECT_GT(recs.size(), evs.size());
}

TEST(RecordedStacks, CopyIsTheBytesAfterTheHeaderFromSpsPage) {
  ASSERT_FALSE(stacked().empty()) << "the fixture's stack records are what this test checks";
  for (const auto& p : stacked()) {
    const auto& s = p.stack;
    uint32_t copy_len = at<uint32_t>(p.raw, kCopyLenOff);
    ASSERT_EQ(s.copy.size(), copy_len);
    ASSERT_GE(p.raw.size(), kHdr + copy_len);
    EXPECT_EQ(0, std::memcmp(s.copy.data(), p.raw.data() + kHdr, copy_len));
    EXPECT_EQ(s.copy_base % 4096, 0u);
    EXPECT_EQ(s.copy.size() % 4096, 0u);
    EXPECT_LE(s.copy.size(), 4096u) << "recorded with --stack-bytes 4096";
    ASSERT_TRUE(s.has_regs);
    uint64_t sp = s.regs[7];  // DWARF x86_64 order: rsp is the 8th
    EXPECT_GE(sp, s.copy_base);
    EXPECT_LT(sp, s.copy_base + s.copy.size());
    EXPECT_NE(s.regs[16], 0u) << "rip";
    EXPECT_FALSE(s.fp.empty());
    if (s.stack_top) {
      EXPECT_GE(s.stack_top, s.copy_base + s.copy.size());
    }
  }
}

TEST(RecordedStacks, HolesAndFlagsComeFromTheHeader) {
  ASSERT_FALSE(stacked().empty());
  for (const auto& p : stacked()) {
    EXPECT_EQ(p.stack.holes, at<uint32_t>(p.raw, kHolesOff));
    uint32_t flags = at<uint32_t>(p.raw, kFlagsOff);
    EXPECT_EQ(p.stack.stack_top != 0, (flags & 8) != 0);  // SOCKSCOPE_STACK_TOP_KNOWN
    EXPECT_EQ(p.stack.held, (flags & 4) != 0);            // SOCKSCOPE_STACK_HELD
    EXPECT_FALSE(p.stack.held) << "recorded without --hold-new";
  }
}

TEST(RecordedStacks, HoleBitsMarkPagesOfTheCopy) {
  // sp's own page is always resident: bit 0 is never set.
  ASSERT_FALSE(stacked().empty());
  for (const auto& p : stacked()) EXPECT_EQ(p.stack.holes & 1u, 0u);
}

TEST(RecordedStacks, ACutCopyIsRejected) {
  auto pairs = stacked();
  ASSERT_FALSE(pairs.empty());
  const auto& raw = pairs[0].raw;
  EXPECT_FALSE(decode_stack(raw.data(), raw.size() - 1));
  EXPECT_FALSE(decode_stack(raw.data(), kHdr - 1));
}

}  // namespace
}  // namespace sockscope::tracer
