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

namespace sockscope {
namespace {

// One entry per line in a fixture's netns.txt, whatever bytes a bind mount
// path holds: what the kernel escapes in mountinfo, and a backslash that
// already looks like an escape, come back exactly.
TEST(OctalEscape, RoundTripsHostilePaths) {
  std::string path = std::string("/tmp/a b\tc\nd\\040e\\") + '\xff' + "$(x)";
  std::string escaped = octal_escape(path);
  EXPECT_EQ(escaped.find_first_of(" \t\n"), std::string::npos) << escaped;
  EXPECT_EQ(octal_unescape(escaped), path);
  EXPECT_EQ(octal_unescape("/tmp/sockscope\\040rec"), "/tmp/sockscope rec");
  EXPECT_EQ(octal_unescape("cut\\04"), "cut\\04");  // not three digits: kept as is
}

TEST(ParseSize, UnitsAndRefusals) {
  EXPECT_EQ(parse_size("4096"), 4096u);
  EXPECT_EQ(parse_size("512K"), 512u << 10);
  EXPECT_EQ(parse_size("256M"), 256u << 20);
  EXPECT_EQ(parse_size("2G"), 2ull << 30);
  EXPECT_FALSE(parse_size(""));
  EXPECT_FALSE(parse_size("M"));
  EXPECT_FALSE(parse_size("-1M"));
  EXPECT_FALSE(parse_size("1T"));
  EXPECT_FALSE(parse_size("99999999999999999999G")) << "overflow is refused, not wrapped";
}

TEST(ParseDuration, UnitsAndRefusals) {
  EXPECT_EQ(parse_duration_ns("90"), 90'000'000'000);
  EXPECT_EQ(parse_duration_ns("90s"), 90'000'000'000);
  EXPECT_EQ(parse_duration_ns("30m"), 1800'000'000'000);
  EXPECT_EQ(parse_duration_ns("12h"), 43200'000'000'000);
  EXPECT_EQ(parse_duration_ns("7d"), 604800'000'000'000);
  EXPECT_FALSE(parse_duration_ns(""));
  EXPECT_FALSE(parse_duration_ns("d"));
  EXPECT_FALSE(parse_duration_ns("1w"));
  EXPECT_FALSE(parse_duration_ns("-5m"));
  EXPECT_FALSE(parse_duration_ns("1000000d")) << "beyond a century: refused rather than overflowed";
}

}  // namespace
}  // namespace sockscope
