// SPDX-License-Identifier: GPL-2.0-only
// procfs::read_cgroup on a recorded /proc/PID/cgroup (tests/fixtures/proc_cgroup).
#include "procfs/cgroup.h"

#include <gtest/gtest.h>

#include "../fixture.h"

namespace sockscope::procfs {
namespace {

constexpr const char* kId = "31d5cab2e9c68477d2ac6af73a57bfae73ce5b88431164025d698124402255c0";

// The cgroup2 line comes last in a hybrid layout; the path is what follows
// "0::", whole, and the container is the scope's id.
TEST(ProcCgroup, HybridLayoutGivesTheCgroup2PathAndTheContainer) {
  auto cg = read_cgroup(testing::fixture("proc_cgroup/hybrid_docker"), 4242);
  EXPECT_EQ(cg.path, std::string("/sockscope-fixture/docker-") + kId + ".scope");
  EXPECT_EQ(cg.container, kId);
}

TEST(ProcCgroup, AProcessThatIsGoneHasNone) {
  auto cg = read_cgroup(testing::fixture("proc_cgroup/hybrid_docker"), 4243);
  EXPECT_EQ(cg.path, "");
  EXPECT_EQ(cg.container, "");
}

}  // namespace
}  // namespace sockscope::procfs
