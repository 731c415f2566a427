// SPDX-License-Identifier: GPL-2.0-only
// The module-map journal's perf records, recorded with --stacks while
// tests/progs/event_tour.cpp ran (tests/fixtures/tracer/tour_stacks).
#include "tracer/maps_journal.h"

#include <sys/mman.h>

#include <algorithm>

#include "recorded.h"

namespace sockscope::tracer {
namespace {

std::vector<MapsRecord> journal() {
  std::vector<MapsRecord> out;
  for (const auto& r : testing::read_records(testing::tracer_fixture("tour_stacks") + "/journal.bin"))
    if (auto m = decode_maps_record(r.data(), r.size())) out.push_back(*m);
  return out;
}

TEST(RecordedJournal, ExecThenTheProgramsMappings) {
  uint32_t pid = static_cast<uint32_t>(testing::recorded_pid("tour_stacks"));
  auto recs = journal();
  auto exec = std::find_if(recs.begin(), recs.end(),
                           [&](const MapsRecord& r) { return r.kind == MapsRecord::Kind::kExec && r.pid == pid; });
  ASSERT_NE(exec, recs.end());
  EXPECT_EQ(exec->tid, pid);
  const MapsRecord* prog = nullptr;
  for (const auto& r : recs)
    if (r.kind == MapsRecord::Kind::kMmap && r.pid == pid && r.path.size() >= 10 &&
        r.path.compare(r.path.size() - 10, 10, "event_tour") == 0)
      prog = &r;
  ASSERT_TRUE(prog) << "no executable mapping of event_tour";
  EXPECT_TRUE(prog->prot & PROT_EXEC);
  EXPECT_EQ(prog->path[0], '/');
  EXPECT_NE(prog->inode, 0u);
  EXPECT_EQ(prog->start % 4096, 0u);
  EXPECT_EQ(prog->pgoff % 4096, 0u);
  EXPECT_GT(prog->len, 0u);
  EXPECT_GE(prog->ts_ns, exec->ts_ns) << "mapped after the exec";
}

TEST(RecordedJournal, LibcIsMappedExecutable) {
  uint32_t pid = static_cast<uint32_t>(testing::recorded_pid("tour_stacks"));
  bool libc = false;
  for (const auto& r : journal())
    if (r.kind == MapsRecord::Kind::kMmap && r.pid == pid && r.path.find("libc.so") != std::string::npos)
      libc = libc || (r.prot & PROT_EXEC);
  EXPECT_TRUE(libc);
}

TEST(RecordedJournal, ForkNamesParentAndExitEndsTheChild) {
  uint32_t pid = static_cast<uint32_t>(testing::recorded_pid("tour_stacks"));
  auto recs = journal();
  auto fork = std::find_if(recs.begin(), recs.end(),
                           [&](const MapsRecord& r) { return r.kind == MapsRecord::Kind::kFork && r.parent == pid; });
  ASSERT_NE(fork, recs.end());
  uint32_t child = fork->pid;
  EXPECT_NE(child, pid);
  auto exit = std::find_if(recs.begin(), recs.end(),
                           [&](const MapsRecord& r) { return r.kind == MapsRecord::Kind::kExit && r.pid == child; });
  ASSERT_NE(exit, recs.end());
  EXPECT_GT(exit->ts_ns, fork->ts_ns);
}

TEST(RecordedJournal, TimesMatchTheEventClock) {
  // Journal stamps are CLOCK_MONOTONIC like bpf_ktime_get_ns(): the exec of
  // /bin/true by the child sits between the tour's first and last events.
  auto evs = testing::recorded_events("tour_stacks");
  ASSERT_FALSE(evs.empty());
  uint64_t first = evs.front().ts_ns, last = 0;
  for (const auto& e : evs) last = std::max(last, e.ts_ns);
  uint32_t pid = static_cast<uint32_t>(testing::recorded_pid("tour_stacks"));
  int forks = 0;
  for (const auto& r : journal())
    if (r.kind == MapsRecord::Kind::kFork && r.parent == pid) {
      ++forks;
      EXPECT_GT(r.ts_ns, first);
      EXPECT_LT(r.ts_ns, last);
    }
  EXPECT_GE(forks, 1) << "the journal holds the tour's fork";
}

TEST(RecordedJournal, CutRecordsAreSkipped) {
  auto recs = testing::read_records(testing::tracer_fixture("tour_stacks") + "/journal.bin");
  ASSERT_FALSE(recs.empty());
  for (const auto& r : recs) EXPECT_FALSE(decode_maps_record(r.data(), r.size() - 1));
}

}  // namespace
}  // namespace sockscope::tracer
