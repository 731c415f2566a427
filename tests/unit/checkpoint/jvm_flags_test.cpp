// SPDX-License-Identifier: GPL-2.0-only
// The JVM flags of the user's report in shared/seeds/001, as the target's
// command line, exe link and JAVA_TOOL_OPTIONS give them.
#include "checkpoint/jvm_flags.h"

#include <gtest/gtest.h>

namespace sockscope::checkpoint {
namespace {

TEST(CheckpointParse, JvmFlagsOfTheSeed) {
  auto j = parse_jvm({"java", "-XX:CRaCCheckpointTo=/cr", "-XX:CRaCAllowedOpenFilePrefixes=socket:",
                      "-XX:CRaCIgnoredFileDescriptors=5,/dev/shm/x", "-cp", "/app/a.jar:/app/b.jar", "Main"},
                     "-XX:CRaCEngine=criu");
  EXPECT_TRUE(j.crac_flags);
  EXPECT_EQ(j.allowed_prefixes, (std::vector<std::string>{"socket:"}));
  EXPECT_EQ(j.ignored_fds, (std::vector<std::string>{"5", "/dev/shm/x"}));
  EXPECT_EQ(j.classpath, (std::vector<std::string>{"/app/a.jar", "/app/b.jar"}));
  EXPECT_EQ(j.engine, "criu");
  EXPECT_EQ(j.checkpoint_to, "/cr");
  EXPECT_EQ(parse_jvm({}, "").allowed_prefixes, (std::vector<std::string>{"/var/lib/sss/mc/"}));
}

}  // namespace
}  // namespace sockscope::checkpoint
