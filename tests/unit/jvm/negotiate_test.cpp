// SPDX-License-Identifier: GPL-2.0-only
// Choosing v1 or v2 against fake JVMs: a JDK 17 (v1 only) and a JDK 25.
#include "jvm/negotiate.h"

#include <gtest/gtest.h>

#include <string>

#include "jvm/helper.h"
#include "jvm/trigger.h"

namespace sockscope::jvm {
namespace {

using namespace std::string_literals;

// Answers as HotSpot does: v1 always; v2 and getversion only when `v2`.
struct FakeJvm {
  bool v2 = false;
  std::vector<std::string> seen;
  Exchange exchange() {
    return [this](const std::string& req) -> Result<std::string> {
      seen.push_back(req);
      if (req.rfind("2\0"s, 0) == 0) return v2 ? "0\nok-v2"s : "101\n"s;
      if (req.find("getversion"s) != std::string::npos)
        return v2 ? "0\n2 streaming\n"s : "-1\nOperation getversion not recognized!"s;
      return "0\nok-v1"s;
    };
  }
};

TEST(JvmNegotiate, AutoUsesV1WithoutProbingWhenItFits) {
  FakeJvm jvm;
  auto n = negotiate({"properties"}, Protocol::kAuto, jvm.exchange());
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->version, 1);
  EXPECT_EQ(jvm.seen.size(), 1u);
}

TEST(JvmNegotiate, DetectFallsBackToV1OnAnOldJvm) {
  FakeJvm jvm;
  auto n = negotiate({"properties"}, Protocol::kDetect, jvm.exchange());
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->version, 1);
  ASSERT_EQ(jvm.seen.size(), 2u);
  EXPECT_EQ(jvm.seen[0], "1\0getversion\0options\0\0\0"s);
  EXPECT_EQ(n->reply, "0\nok-v1");
}

TEST(JvmNegotiate, DetectUsesV2OnJdk24Plus) {
  FakeJvm jvm{true};
  auto n = negotiate({"properties"}, Protocol::kDetect, jvm.exchange());
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->version, 2);
  EXPECT_EQ(n->reply, "0\nok-v2");
}

TEST(JvmNegotiate, LongArgumentsNeedV2) {
  std::vector<std::string> args{"load", "instrument", "false", "/a.jar=" + std::string(2000, 'o')};
  FakeJvm old;
  auto n = negotiate(args, Protocol::kAuto, old.exchange());
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.error().sys_errno, ENOTSUP);
  EXPECT_EQ(old.seen.size(), 1u);  // only the probe was sent
  FakeJvm young{true};
  auto m = negotiate(args, Protocol::kAuto, young.exchange());
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->version, 2);
}

TEST(JvmNegotiate, ForcedV2ReachesAnOldJvmAsStatus101) {
  FakeJvm jvm;
  auto n = negotiate({"properties"}, Protocol::kV2, jvm.exchange());
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->reply, "101\n");
}

TEST(JvmHelperFrame, RoundTrips) {
  auto ok = decode_frame(encode_frame(HelperResult{2, true, "0\nhello"}));
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->status, 0);
  EXPECT_EQ(ok->output, "hello");
  EXPECT_EQ(ok->protocol_version, 2);
  EXPECT_TRUE(ok->started_listener);
  auto err = decode_frame(encode_frame(Error{"what", ETIMEDOUT, "hint"}));
  ASSERT_FALSE(err.ok());
  EXPECT_EQ(err.error().what, "what");
  EXPECT_EQ(err.error().hint, "hint");
  EXPECT_EQ(err.error().sys_errno, ETIMEDOUT);
  EXPECT_EQ(decode_frame("").error().sys_errno, EPROTO);
}

TEST(JvmTrigger, BackoffAddsUpToTheTimeout) {
  auto s = backoff_schedule(6000);
  ASSERT_FALSE(s.empty());
  EXPECT_EQ(s.front(), 20);
  EXPECT_EQ(s[1], 40);
  int total = 0;
  for (int ms : s) total += ms;
  EXPECT_EQ(total, 6000);
  EXPECT_EQ(backoff_schedule(10), std::vector<int>{10});
}

}  // namespace
}  // namespace sockscope::jvm
