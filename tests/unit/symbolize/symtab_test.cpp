// SPDX-License-Identifier: GPL-2.0-only
#include "symbolize/symtab.h"

#include <gtest/gtest.h>

namespace sockscope::symbolize {
namespace {

TEST(SymbolizeSymtab, DemanglesAndStripsVersions) {
  EXPECT_EQ(demangle("_ZN10PerfMemory20create_memory_regionEm"), "PerfMemory::create_memory_region(unsigned long)");
  EXPECT_EQ(demangle("getpwuid_r@@GLIBC_2.2.5"), "getpwuid_r");
  EXPECT_EQ(demangle("_Znot_valid"), "_Znot_valid");
  EXPECT_EQ(demangle("main"), "main");
}

TEST(SymbolizeSymtab, LooksUpContainingFunction) {
  auto idx = SymbolIndex::from({{0x1000, 0x40, "outer"},
                                {0x1040, 0x10, "__GI___socket"},
                                {0x1040, 0x10, "__socket"},
                                {0x1100, 0, "unsized"},
                                {0x2000, 0x100, "_ZN7Threads9create_vmEP14JavaVMInitArgsPb"}});
  EXPECT_EQ(idx.size(), 4u);  // one name per address
  auto h = idx.lookup(0x1047);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->name, "__socket");  // not the __GI_ alias
  EXPECT_EQ(h->offset, 7u);
  EXPECT_EQ(idx.lookup(0x1001)->name, "outer");
  EXPECT_EQ(idx.lookup(0x1105)->name, "unsized");
  EXPECT_EQ(idx.lookup(0x2010)->name, "Threads::create_vm(JavaVMInitArgs*, bool*)");
  // A function's size ends it: the byte after the last is not in it.
  EXPECT_EQ(idx.lookup(0x20ff)->name, "Threads::create_vm(JavaVMInitArgs*, bool*)");
  EXPECT_FALSE(idx.lookup(0x2100));
  EXPECT_FALSE(idx.lookup(0x1050)) << "past __socket, before the unsized symbol";
  EXPECT_FALSE(idx.lookup(0x3000));
  EXPECT_FALSE(idx.lookup(0x10));
}

}  // namespace
}  // namespace sockscope::symbolize
