// SPDX-License-Identifier: GPL-2.0-only
// The process table on recorded exec/fork/exit events plus the /proc
// snapshot of the recorded program (tests/fixtures/tracer/tour).
#include "lineage/process_table.h"

#include <gtest/gtest.h>

#include "../tracer/recorded.h"

namespace sockscope::lineage {
namespace {

class TableOfTour : public ::testing::Test {
 protected:
  void SetUp() override {
    evs_ = testing::recorded_events("tour");
    pid_ = testing::recorded_pid("tour");
    for (const auto& e : evs_)
      if (e.kind == EventKind::kFork && e.tgid == uint32_t(pid_)) child_ = static_cast<int>(e.child_tgid);
    ASSERT_NE(child_, 0);
  }
  std::vector<Event> evs_;
  int pid_ = 0, child_ = 0;
  ProcessTable table_{testing::tracer_fixture("tour") + "/proc"};
};

TEST_F(TableOfTour, ReadsTheSnapshot) {
  const ProcNode* p = table_.get(pid_);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->comm, "event_tour");
  ASSERT_EQ(p->argv.size(), 2u);
  EXPECT_EQ(p->argv[1], testing::fixture_workdir("tracer/tour"));
  EXPECT_EQ(p->exe.substr(p->exe.size() - 11), "/event_tour");
  EXPECT_EQ(p->nspid, pid_);
  EXPECT_EQ(command_line(*p), p->argv[0] + " " + p->argv[1]);
}

// The child was gone before anyone could read it: the events alone say
// who it was, and its ancestry still leads to the program that forked it.
TEST_F(TableOfTour, ChildKnownFromEventsAlone) {
  uint64_t gen = table_.generation();
  int process_events = 0;
  for (const auto& e : evs_) {
    table_.on_event(e);
    process_events += e.kind == EventKind::kFork || e.kind == EventKind::kExec || e.kind == EventKind::kExit;
  }
  EXPECT_EQ(table_.generation(), gen + static_cast<uint64_t>(process_events));
  const ProcNode* c = table_.get(child_);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->ppid, pid_);
  EXPECT_EQ(c->comm, "true");
  EXPECT_TRUE(c->exited);
  auto chain = table_.ancestry(child_);
  ASSERT_GE(chain.size(), 2u);
  EXPECT_EQ(chain[0].pid, child_);
  EXPECT_EQ(chain[1].pid, pid_);
  EXPECT_EQ(chain[1].comm, "event_tour");
  EXPECT_TRUE(chain[1].exited) << "its own exit was recorded too";
}

TEST_F(TableOfTour, ForkAloneCopiesTheParent) {
  for (const auto& e : evs_)
    if (e.kind == EventKind::kFork) table_.on_event(e);
  const ProcNode* c = table_.get(child_);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->comm, "event_tour");
  EXPECT_EQ(c->ppid, pid_);
  EXPECT_FALSE(c->exited);
}

// A container's process: its ancestry ends at the namespace's init (pid 1
// inside), not at the host's processes that started the container.
TEST(ProcessTableOfAPidNamespace, AncestryEndsAtTheNamespacesInit) {
  ProcessTable table(std::string(SOCKSCOPE_FIXTURES) + "/proc_pidns");
  auto chain = table.ancestry(4247);
  ASSERT_EQ(chain.size(), 2u);
  EXPECT_EQ(chain[0].comm, "sleep");
  EXPECT_EQ(chain[0].nspid, 2);
  EXPECT_EQ(chain[1].pid, 4246);
  EXPECT_EQ(chain[1].nspid, 1);
  EXPECT_EQ(command_line(chain[1]), "sh -c 'sleep 60'");
}

}  // namespace
}  // namespace sockscope::lineage
