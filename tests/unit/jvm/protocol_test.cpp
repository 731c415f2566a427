// SPDX-License-Identifier: GPL-2.0-only
// The attach protocol's bytes, v1 and v2, and reply parsing; no JVM needed.
#include "jvm/protocol.h"

#include <gtest/gtest.h>

#include <string>

namespace sockscope::jvm {
namespace {

using namespace std::string_literals;

TEST(JvmProtocol, V1AlwaysCarriesThreeArguments) {
  auto r = encode_v1({"properties"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "1\0properties\0\0\0\0"s);
}

TEST(JvmProtocol, V1Load) {
  auto r = encode_v1({"load", "instrument", "false", "/a.jar=x"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "1\0load\0instrument\0false\0/a.jar=x\0"s);
}

TEST(JvmProtocol, V1RefusesWhatHotSpotWouldTruncateOrDrop) {
  EXPECT_EQ(encode_v1({"load", "a", "b", "c", "d"}).error().sys_errno, EINVAL);
  EXPECT_FALSE(encode_v1({"jcmd", std::string(1025, 'x')}).ok());
  EXPECT_TRUE(encode_v1({"jcmd", std::string(1024, 'x')}).ok());
  EXPECT_FALSE(encode_v1({std::string(17, 'n')}).ok());
  EXPECT_FALSE(encode_v1({}).ok());
  EXPECT_FALSE(encode_v1({"jcmd", "a\0b"s}).ok());
  EXPECT_FALSE(encode_v1({"jcmd", "a", "b", "c", "d"}).error().hint.empty());
}

TEST(JvmProtocol, V2SizeCountsEverythingAfterIt) {
  auto r = encode_v2({"jcmd", "VM.version"});
  ASSERT_TRUE(r.ok());
  // "jcmd\0" (5) + "VM.version\0" (11) = 16
  EXPECT_EQ(*r, "2\0" "16\0" "jcmd\0VM.version\0"s);
}

TEST(JvmProtocol, V2AnyNumberOfArgumentsAndOptions) {
  auto r = encode_v2({"load", "instrument", "false", "/a.jar", "extra"}, "streaming=0");
  ASSERT_TRUE(r.ok());
  std::string body = "load streaming=0\0instrument\0false\0/a.jar\0extra\0"s;
  EXPECT_EQ(*r, "2\0"s + std::to_string(body.size()) + "\0"s + body);
  EXPECT_TRUE(encode_v2({"jcmd", std::string(5000, 'x')}).ok());
}

TEST(JvmProtocol, V2CapsTheRequestAt256KiB) {
  EXPECT_TRUE(encode_v2({"j", std::string(kV2MaxRequestBytes - 3, 'x')}).ok());  // "j\0" + arg + "\0"
  EXPECT_FALSE(encode_v2({"j", std::string(kV2MaxRequestBytes - 2, 'x')}).ok());
  EXPECT_FALSE(encode_v2({}).ok());
}

TEST(JvmProtocol, FitsV1) {
  EXPECT_TRUE(fits_v1({"threaddump"}));
  EXPECT_TRUE(fits_v1({"load", "a", "b", "c"}));
  EXPECT_FALSE(fits_v1({"load", "a", "b", "c", "d"}));
  EXPECT_FALSE(fits_v1({"load", "a", "b", std::string(2000, 'o')}));
}

TEST(JvmProtocol, ParsesReplies) {
  auto ok = parse_reply("0\nline1\nline2\n");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->status, 0);
  EXPECT_EQ(ok->output, "line1\nline2\n");
  auto err = parse_reply("-1\nOperation getversion not recognized!");
  ASSERT_TRUE(err.ok());
  EXPECT_EQ(err->status, -1);
  auto bad = parse_reply("101\n");
  ASSERT_TRUE(bad.ok());
  EXPECT_EQ(bad->status, kStatusBadVersion);
  EXPECT_EQ(bad->output, "");
}

TEST(JvmProtocol, RejectsBrokenReplies) {
  EXPECT_EQ(parse_reply("").error().sys_errno, EPROTO);
  EXPECT_FALSE(parse_reply("0").ok());  // no newline: cut short
  EXPECT_FALSE(parse_reply("\nabc").ok());
  EXPECT_FALSE(parse_reply("HTTP/1.1 200 OK\r\n").ok());
  EXPECT_FALSE(parse_reply("12a\n").ok());
}

TEST(JvmProtocol, GetVersion) {
  EXPECT_EQ(parse_getversion({0, "2"}), 2);
  EXPECT_EQ(parse_getversion({0, "2 streaming\n"}), 2);
  // A JVM with no options to list ends the line after the version.
  EXPECT_EQ(parse_getversion({0, "2\n"}), 2);
  EXPECT_EQ(parse_getversion({-1, "Operation getversion not recognized!"}), std::nullopt);
  EXPECT_EQ(parse_getversion({0, "two"}), std::nullopt);
  EXPECT_EQ(parse_getversion({0, ""}), std::nullopt);
}

TEST(JvmProtocol, LoadResult) {
  EXPECT_EQ(parse_load_result("0\n"), 0);           // JDK 9-20
  EXPECT_EQ(parse_load_result("102\n"), 102);
  EXPECT_EQ(parse_load_result("return code: 0\n"), 0);  // JDK 21+
  EXPECT_EQ(parse_load_result("return code: -1\n"), -1);
  EXPECT_EQ(parse_load_result("java.lang.Exception: x"), std::nullopt);
  EXPECT_EQ(parse_load_result(""), std::nullopt);
}

}  // namespace
}  // namespace sockscope::jvm
