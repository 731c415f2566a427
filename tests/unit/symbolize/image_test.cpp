// SPDX-License-Identifier: GPL-2.0-only
// Image::add, the journal's way to build a process image: a new mapping
// replaces what it overlaps, as mmap(MAP_FIXED) does, and the rest keeps its
// file offsets. Mappings recorded from a JVM on Debian 12 (maps_test.cpp's).
#include "symbolize/image.h"

#include <gtest/gtest.h>

namespace sockscope::symbolize {
namespace {

constexpr const char* kMaps =
    "55d0c0a01000-55d0c0a02000 r-xp 00001000 fe:01 1835270                    /usr/lib/jvm/java-17-openjdk-amd64/bin/java\n"
    "7f0a3a3fd000-7f0a3a552000 r-xp 00026000 fe:01 1311019                    /usr/lib/x86_64-linux-gnu/libc.so.6\n"
    "7f0a3a600000-7f0a3a601000 r-xp 00001000 00:2d 12                         /mnt/ctr/sock (deleted)\n";

// Neither test reads /proc: a journaled image is described by add() alone.
TEST(SymbolizeImage, AddedMappingsStaySortedAndRefreshLeavesThem) {
  Image img("/nonexistent-proc", 4242);
  img.set_journaled();
  auto maps = parse_maps(kMaps);
  for (auto it = maps.rbegin(); it != maps.rend(); ++it) img.add(*it);  // any order
  EXPECT_EQ(img.maps(), maps);
  EXPECT_TRUE(img.refresh());  // journaled: nothing to read, nothing lost
  EXPECT_EQ(img.maps(), maps);
}

TEST(SymbolizeImage, AMappingOverAnotherSplitsItAndKeepsFileOffsets) {
  Image img("/nonexistent-proc", 4242);
  img.set_journaled();
  auto maps = parse_maps(kMaps);
  for (const auto& m : maps) img.add(m);
  Mapping fixed = maps[2];  // another file, MAP_FIXED into the middle of libc's text
  fixed.start = 0x7f0a3a400000;
  fixed.end = 0x7f0a3a402000;
  img.add(fixed);
  ASSERT_EQ(img.maps().size(), 5u);
  const Mapping& left = img.maps()[1];
  const Mapping& right = img.maps()[3];
  EXPECT_EQ(left.start, 0x7f0a3a3fd000u);
  EXPECT_EQ(left.end, 0x7f0a3a400000u);
  EXPECT_EQ(left.pgoff, 0x26000u);
  EXPECT_EQ(img.maps()[2], fixed);
  EXPECT_EQ(right.start, 0x7f0a3a402000u);
  EXPECT_EQ(right.end, 0x7f0a3a552000u);
  EXPECT_EQ(right.pgoff, 0x26000u + (0x7f0a3a402000u - 0x7f0a3a3fd000u));
  EXPECT_EQ(right.file_offset(0x7f0a3a500000), maps[1].file_offset(0x7f0a3a500000));
  // A mapping that covers others whole replaces them.
  Mapping big = maps[0];
  big.start = 0x7f0a3a000000;
  big.end = 0x7f0a3a700000;
  img.add(big);
  ASSERT_EQ(img.maps().size(), 2u);
  EXPECT_EQ(img.maps()[1], big);
}

}  // namespace
}  // namespace sockscope::symbolize
