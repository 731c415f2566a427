// SPDX-License-Identifier: GPL-2.0-only
// /proc/locks, fdinfo, mountinfo and environ text as real kernels wrote
// them (lines copied from live processes on Debian 12 / kernel 6.18).
#include "procfs/files.h"

#include <gtest/gtest.h>

#include "base/strings.h"
#include "procfs/process.h"

namespace sockscope::procfs {
namespace {

TEST(ProcfsFiles, Locks) {
  auto locks = parse_locks("1: FLOCK  ADVISORY  WRITE 27614 fe:00:10960899 0 EOF\n"
                           "2: POSIX  ADVISORY  WRITE 512 00:2d:77 0 EOF\n"
                           "2: -> POSIX  ADVISORY  WRITE 513 00:2d:77 0 EOF\n"
                           "3: OFDLCK ADVISORY  READ  -1 00:2d:78 0 EOF\n");
  ASSERT_EQ(locks.size(), 3u);
  EXPECT_EQ(locks[0].kind, "FLOCK");
  EXPECT_EQ(locks[0].pid, 27614);
  EXPECT_EQ(locks[0].inode, 10960899u);
  EXPECT_EQ(locks[2].pid, -1);
  EXPECT_EQ(locks[2].access, "READ");
}

TEST(ProcfsFiles, FdinfoAndMountIds) {
  FdInfo fd = parse_fdinfo(
      "pos:\t0\nflags:\t02102001\nmnt_id:\t29\nino:\t77\nlock:\t1: POSIX  ADVISORY  WRITE 512 00:2d:77 0 EOF\n");
  EXPECT_EQ(fd.flags, 02102001u);
  EXPECT_EQ(fd.mnt_id, 29);
  EXPECT_TRUE(fd.locked);
  FdInfo none = parse_fdinfo("");
  EXPECT_EQ(none.mnt_id, -1);
  EXPECT_FALSE(none.locked);
  EXPECT_EQ(parse_mount_ids("24 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n29 24 0:45 / /tmp rw - tmpfs tmpfs rw\n"),
            (std::vector<int>{24, 29}));
}

// Recorded after `ip netns add` and a bind mount of that namespace at a path
// with spaces (tests/fixtures/proc_files/README.md): both pin it, and the
// second mount point comes back as the bytes it was created with.
TEST(ProcfsFiles, NetnsMountsAnywhere) {
  auto text = read_small_file(std::string(SOCKSCOPE_FIXTURES) + "/proc_files/mountinfo_nsfs.txt");
  ASSERT_TRUE(text);
  auto mounts = parse_netns_mounts(*text);
  ASSERT_EQ(mounts.size(), 2u);
  EXPECT_EQ(mounts[0].netns, 4026532174u);
  EXPECT_EQ(mounts[0].mount_point, "/run/netns/sockscope-rec");
  EXPECT_EQ(mounts[1].netns, 4026532174u);
  EXPECT_EQ(mounts[1].mount_point, "/tmp/sockscope rec/net ns");
  // Other nsfs mounts (a mount namespace) and other types are not network namespaces.
  EXPECT_TRUE(parse_netns_mounts("50 27 0:4 mnt:[4026531841] /tmp/m rw - nsfs nsfs rw\n"
                                 "22 27 0:21 / /proc rw,relatime - proc proc rw\n")
                  .empty());
}

TEST(ProcfsFiles, EnvironValue) {
  EXPECT_EQ(environ_value(std::string("A=1\0CRAC_CRIU_OPTS=--ext-unix-sk\0", 32), "CRAC_CRIU_OPTS"), "--ext-unix-sk");
}

}  // namespace
}  // namespace sockscope::procfs
