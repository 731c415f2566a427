// SPDX-License-Identifier: GPL-2.0-only
#include "symbolize/perf_map.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

namespace sockscope::symbolize {
namespace {

TEST(SymbolizePerfMap, ParsesHotSpotAndPerfFormats) {
  // HotSpot's Compiler.perfmap writes 0x-prefixed fields; perf's own format has none.
  auto e = parse_perf_map(
      "0x00007f8970ed0600 0x0000000000000630 void Sock.level1()\n"
      "7f8970ed1000 80 Interpreter\n"
      "garbage line\n"
      "0x00007f8970ed0600 0x0000000000000100 void Sock.level1() (recompiled)\n");
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0].start, 0x7f8970ed0600u);
  EXPECT_EQ(e[0].size, 0x100u);  // the later line for the same start wins
  EXPECT_EQ(e[0].name, "void Sock.level1() (recompiled)");
  EXPECT_EQ(e[1].name, "Interpreter");
}

TEST(SymbolizePerfMap, LooksUpAndReloadsOnChange) {
  std::string path = ::testing::TempDir() + "perf-" + std::to_string(::getpid()) + ".map";
  std::ofstream(path) << "1000 100 first\n";
  PerfMap m(path);
  ASSERT_TRUE(m.refresh());
  ASSERT_NE(m.lookup(0x1080), nullptr);
  EXPECT_EQ(m.lookup(0x1080)->name, "first");
  EXPECT_EQ(m.lookup(0x1100), nullptr);
  std::ofstream(path) << "1000 100 first\n2000 10 second entry\n";
  ASSERT_TRUE(m.refresh());
  ASSERT_NE(m.lookup(0x2005), nullptr);
  EXPECT_EQ(m.lookup(0x2005)->name, "second entry");
  ::unlink(path.c_str());
}

}  // namespace
}  // namespace sockscope::symbolize
