// SPDX-License-Identifier: GPL-2.0-only
// Doctor rules on a recorded inventory (tests/fixtures/topology). Replays do
// not look paths up (PathState::kUnchecked), so the orphaned and replaced
// listener rules have nothing to judge here; see
// tests/integration/doctor_topology_test.cpp for those.
#include "doctor/doctor.h"

#include <gtest/gtest.h>
#include <netinet/tcp.h>

#include "../fixture.h"
#include "render/doctor.h"

namespace sockscope::doctor {
namespace {

class DoctorOnTopology : public ::testing::Test {
 protected:
  void SetUp() override {
    inventory::ReplaySource src(testing::fixture("topology"));
    inv_ = inventory::build(src);
    pids_ = testing::fixture_pids("topology");
    dir_ = testing::fixture_workdir("topology");
  }
  std::vector<Finding> of(const std::vector<Finding>& all, Check c) {
    std::vector<Finding> out;
    for (const auto& f : all)
      if (f.check == c) out.push_back(f);
    return out;
  }
  inventory::Inventory inv_;
  std::vector<int> pids_;
  std::string dir_;
};

// The recording is one look: the same inventory as the earlier look means
// the pending connection waited across both.
TEST_F(DoctorOnTopology, PendingAcrossTwoLooksIsSlowAccept) {
  auto slow = of(examine(inv_, &inv_, {}), Check::kSlowAccept);
  ASSERT_EQ(slow.size(), 1u);
  EXPECT_NE(slow[0].what.find(dir_ + "/pending.sock has 1 connection(s) waiting"), std::string::npos) << slow[0].what;
  EXPECT_NE(slow[0].todo.find("waiting: topology[" + std::to_string(pids_[0]) + "]"), std::string::npos)
      << slow[0].todo;
  ASSERT_EQ(slow[0].holders.size(), 1u);
  EXPECT_EQ(slow[0].holders[0].pid, pids_[0]);
}

// A client that came after the first look has not waited across both: the
// earlier look is the recording with the listener's queue still empty.
TEST_F(DoctorOnTopology, ClientNewSinceTheFirstLookIsNotSlowAccept) {
  inventory::Inventory earlier = inv_;
  for (auto& s : earlier.sockets) s.pending.clear();
  EXPECT_TRUE(of(examine(inv_, &earlier, {}), Check::kSlowAccept).empty());
}

TEST_F(DoctorOnTopology, OneLookIsNotEnoughForSlowAccept) {
  EXPECT_TRUE(of(examine(inv_, nullptr, {}), Check::kSlowAccept).empty());
}

// The pending client is connected but not accepted: its peer has not
// closed, and saying so would send someone after the wrong process.
TEST_F(DoctorOnTopology, PendingClientIsNotPeerClosed) {
  const SocketInfo* pending = nullptr;
  for (const auto& s : inv_.sockets)
    if (s.local == dir_ + "/pending.sock" && s.state == TCP_LISTEN) pending = &s;
  ASSERT_TRUE(pending);
  for (const auto& f : of(examine(inv_, &inv_, {}), Check::kPeerClosed)) EXPECT_NE(f.inode, pending->pending.at(0));
}

TEST_F(DoctorOnTopology, PidFilterKeepsOnlyTheirSockets) {
  Options only_child{{pids_[2]}};
  EXPECT_TRUE(of(examine(inv_, &inv_, only_child), Check::kSlowAccept).empty());
  Options only_main{{pids_[0]}};
  EXPECT_EQ(of(examine(inv_, &inv_, only_main), Check::kSlowAccept).size(), 1u);
}

TEST_F(DoctorOnTopology, TextNamesCheckHolderAndWhatToDo) {
  auto findings = of(examine(inv_, &inv_, {}), Check::kSlowAccept);
  std::string t = render::doctor_text(findings, {});
  EXPECT_NE(t.find("[slow-accept] listener " + dir_ + "/pending.sock"), std::string::npos) << t;
  EXPECT_NE(t.find("  held by: topology[" + std::to_string(pids_[0]) + "]:"), std::string::npos) << t;
  EXPECT_NE(t.find("  do:  check that the server's accept loop runs"), std::string::npos) << t;
  EXPECT_EQ(render::doctor_text({}, {}), "no findings\n");
  auto j = render::doctor_json(findings, {});
  ASSERT_EQ(j["findings"].size(), 1u);
  EXPECT_EQ(j["findings"][0]["check"], "slow-accept");
}

}  // namespace
}  // namespace sockscope::doctor
