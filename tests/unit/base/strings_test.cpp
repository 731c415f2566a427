// SPDX-License-Identifier: GPL-2.0-only
#include "base/strings.h"

#include <gtest/gtest.h>

namespace sockscope {

TEST(ParseU64, AcceptsOnlyWholeDecimals) {
  EXPECT_EQ(parse_u64("4026531840"), 4026531840u);
  EXPECT_FALSE(parse_u64(""));
  EXPECT_FALSE(parse_u64("12a"));
  EXPECT_FALSE(parse_u64("-1"));
  EXPECT_FALSE(parse_u64("99999999999999999999999"));
}

TEST(BracketedInode, ReadsKernelLinkText) {
  EXPECT_EQ(bracketed_inode("socket:[2885875383]", "socket"), 2885875383u);
  EXPECT_EQ(bracketed_inode("net:[4026531840]", "net"), 4026531840u);
  EXPECT_FALSE(bracketed_inode("pipe:[12]", "socket"));
  EXPECT_FALSE(bracketed_inode("socket:[]", "socket"));
  EXPECT_FALSE(bracketed_inode("/tmp/socket:[1]", "socket"));
}

TEST(SplitNul, SplitsProcText) {
  EXPECT_EQ(split_nul(std::string("a\0bb\0", 5)), (std::vector<std::string>{"a", "bb"}));
  EXPECT_EQ(split_nul(std::string("a\0\0b", 4)), (std::vector<std::string>{"a", "", "b"}));
  EXPECT_TRUE(split_nul("").empty());
}

}  // namespace sockscope
