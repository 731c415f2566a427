// SPDX-License-Identifier: GPL-2.0-only
// /proc/PID/net/netlink as kernel 6.18 wrote it (Debian 12), with a
// NETLINK_ROUTE socket bound by pid 20550 to groups 1|4 (RTMGRP_LINK,
// RTMGRP_IPV4_IFADDR) next to the kernel's own sockets.
#include "procfs/netlink.h"

#include <gtest/gtest.h>

namespace sockscope::procfs {
namespace {

constexpr const char* kNetlink =
    "sk               Eth Pid        Groups   Rmem     Wmem     Dump  Locks    Drops    Inode\n"
    "00000000491506e4 0   0          00000000 0        0        0     2        0        4       \n"
    "00000000a1c82968 0   20550      00000005 0        0        0     2        0        92318   \n"
    "00000000e15b5c6c 4   0          00000000 0        0        0     2        0        1082    \n";

TEST(ProcfsNetlink, FindsTheSocketByInode) {
  auto nl = parse_netlink(kNetlink, 92318);
  ASSERT_TRUE(nl);
  EXPECT_EQ(nl->portid, 20550u);
  EXPECT_EQ(nl->groups, 5u);
  EXPECT_EQ(nl->rmem, 0u);
  EXPECT_FALSE(parse_netlink(kNetlink, 92319));
}

}  // namespace
}  // namespace sockscope::procfs
