// SPDX-License-Identifier: GPL-2.0-only
// The recorder's start-up snapshot, from a recorded inventory
// (tests/fixtures/topology): every socket becomes a row with its holders,
// so that a later "who made it" answers "it predates the recorder".
#include "recorder/snapshot.h"

#include <gtest/gtest.h>

#include "../fixture.h"
#include "inventory/source.h"

namespace sockscope::recorder {
namespace {

TEST(RecorderSnapshot, EverySocketWithItsHoldersAndNamespace) {
  inventory::ReplaySource src(testing::fixture("topology"));
  auto inv = inventory::build(src);
  ASSERT_FALSE(inv.sockets.empty());
  auto rows = snapshot_sockets(inv, 1234);
  ASSERT_EQ(rows.size(), inv.sockets.size());
  size_t held = 0, in_other_netns = 0;
  int main_pid = testing::fixture_pids("topology").at(0);
  uint64_t main_netns = inv.process(main_pid)->netns;
  for (size_t i = 0; i < rows.size(); i++) {
    const auto& s = inv.sockets[i];
    const auto& r = rows[i];
    EXPECT_EQ(r.inode, s.inode);
    EXPECT_EQ(r.netns, static_cast<uint32_t>(s.netns));
    EXPECT_EQ(r.family, s.family);
    EXPECT_EQ(r.address, s.local);
    EXPECT_EQ(r.peer_ino, s.peer_inode);
    EXPECT_EQ(r.wall_ns, 1234);
    ASSERT_EQ(r.holders.size(), s.owners.size());
    for (size_t k = 0; k < r.holders.size(); k++) {
      EXPECT_EQ(r.holders[k].pid, static_cast<uint32_t>(s.owners[k].pid));
      EXPECT_EQ(r.holders[k].fd, s.owners[k].fd);
      EXPECT_EQ(r.holders[k].comm, s.owners[k].comm);
    }
    held += !r.holders.empty();
    in_other_netns += s.netns != main_netns;
  }
  EXPECT_GT(held, 0u) << "the topology's processes hold sockets";
  EXPECT_GT(in_other_netns, 0u) << "the topology has a child in its own netns: its sockets are kept too";
}

}  // namespace
}  // namespace sockscope::recorder
