// SPDX-License-Identifier: GPL-2.0-only
// The one /proc/PID/maps parser, over lines recorded from live processes on
// Debian 12: every field the symbolizer, the checkpoint collector and the
// JVM client read.
#include "procfs/maps.h"

#include <gtest/gtest.h>

namespace sockscope::procfs {
namespace {

// Recorded from a JVM on Debian 12 (trimmed).
constexpr const char* kMaps =
    "55d0c0a00000-55d0c0a01000 r--p 00000000 fe:01 1835270                    "
    "/usr/lib/jvm/java-17-openjdk-amd64/bin/java\n"
    "55d0c0a01000-55d0c0a02000 r-xp 00001000 fe:01 1835270                    "
    "/usr/lib/jvm/java-17-openjdk-amd64/bin/java\n"
    "7f0a2c000000-7f0a2c021000 rw-p 00000000 00:00 0 \n"
    "7f0a30938000-7f0a30ba8000 rwxp 00000000 00:00 0 \n"
    "7f0a3a3d7000-7f0a3a3fd000 r--p 00000000 fe:01 1311019                    /usr/lib/x86_64-linux-gnu/libc.so.6\n"
    "7f0a3a3fd000-7f0a3a552000 r-xp 00026000 fe:01 1311019                    /usr/lib/x86_64-linux-gnu/libc.so.6\n"
    "7f0a3a600000-7f0a3a601000 r-xp 00001000 00:2d 12                         /mnt/ctr/sock (deleted)\n"
    "7ffd1b5f2000-7ffd1b613000 rw-p 00000000 00:00 0                          [stack]\n";

TEST(ProcfsMaps, ParsesFileAnonAndDeleted) {
  auto maps = parse_maps(kMaps);
  ASSERT_EQ(maps.size(), 8u);
  EXPECT_EQ(maps[1].start, 0x55d0c0a01000u);
  EXPECT_EQ(maps[1].end, 0x55d0c0a02000u);
  EXPECT_EQ(maps[1].perms, "r-xp");
  EXPECT_TRUE(maps[1].exec);
  EXPECT_FALSE(maps[0].exec);
  EXPECT_EQ(maps[1].pgoff, 0x1000u);
  EXPECT_EQ(maps[1].dev_major, 0xfeu);
  EXPECT_EQ(maps[1].dev_minor, 0x01u);
  EXPECT_EQ(maps[1].inode, 1835270u);
  EXPECT_EQ(maps[1].path, "/usr/lib/jvm/java-17-openjdk-amd64/bin/java");
  EXPECT_TRUE(maps[1].file_backed());
  EXPECT_FALSE(maps[3].file_backed());
  EXPECT_EQ(maps[3].path, "");
  EXPECT_TRUE(maps[3].exec);
  EXPECT_EQ(maps[6].path, "/mnt/ctr/sock");
  EXPECT_TRUE(maps[6].deleted);
  EXPECT_FALSE(maps[7].file_backed());  // [stack]
  EXPECT_EQ(maps[7].path, "[stack]");
}

TEST(ProcfsMaps, FindsAndComputesFileOffsets) {
  auto maps = parse_maps(kMaps);
  const Mapping* m = find_mapping(maps, 0x7f0a3a3fd000 + 0x10adc7 - 0x26000);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->path, "/usr/lib/x86_64-linux-gnu/libc.so.6");
  EXPECT_EQ(m->file_offset(0x7f0a3a3fd000 + 0x10adc7 - 0x26000), 0x10adc7u);
  EXPECT_EQ(find_mapping(maps, 0x1000), nullptr);
  EXPECT_EQ(find_mapping(maps, 0x55d0c0a02000), nullptr);  // end is exclusive
  EXPECT_EQ(map_files_name(*m), "7f0a3a3fd000-7f0a3a552000");
}

// Lines copied from live processes on Debian 12 / kernel 6.18: nscd's shared
// cache, a JNI library unlinked under a JVM, and mappings that name no file.
TEST(ProcfsMaps, SharedCacheDeletedLibraryAndSpecialMappings) {
  auto nscd = parse_maps_line(
      "7f3a1c600000-7f3a1c621000 r--s 00000000 00:2d 3                          /var/cache/nscd/passwd");
  ASSERT_TRUE(nscd);
  EXPECT_EQ(nscd->path, "/var/cache/nscd/passwd");
  EXPECT_EQ(nscd->start, 0x7f3a1c600000u);
  EXPECT_EQ(nscd->perms, "r--s");
  EXPECT_EQ(nscd->inode, 3u);
  EXPECT_FALSE(nscd->deleted);
  EXPECT_TRUE(nscd->names_file());
  auto gone = parse_maps_line("7f1c2a000000-7f1c2a021000 r-xp 00000000 fe:00 12345   "
                              "/tmp/libnetty_transport_native_epoll_x86_6412.so (deleted)");
  ASSERT_TRUE(gone);
  EXPECT_TRUE(gone->deleted);
  EXPECT_EQ(gone->path, "/tmp/libnetty_transport_native_epoll_x86_6412.so");
  auto heap = parse_maps_line("55f970b9e000-55f970bbf000 rw-p 00000000 00:00 0                          [heap]");
  ASSERT_TRUE(heap);
  EXPECT_FALSE(heap->names_file());
  auto vdso = parse_maps_line("7ffd5a1f1000-7ffd5a1f3000 r-xp 00000000 00:00 0                          [vdso]");
  ASSERT_TRUE(vdso);
  EXPECT_FALSE(vdso->names_file());
}

}  // namespace
}  // namespace sockscope::procfs
