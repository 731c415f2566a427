// SPDX-License-Identifier: GPL-2.0-only
// Reading a JVM out of /proc text: release, main class, attach flags, and
// the listener's line in /proc/net/unix (libjvm and java.home:
// tests/unit/procfs/libjvm_test.cpp).
#include "jvm/target.h"

#include <gtest/gtest.h>

#include "jvm/listener.h"

namespace sockscope::jvm {
namespace {

TEST(JvmTarget, ReleaseAndFeatureVersion) {
  EXPECT_EQ(release_version("IMPLEMENTOR=\"Debian\"\nJAVA_RUNTIME_VERSION=\"17.0.15+6\"\n"
                            "JAVA_VERSION=\"17.0.15\"\n"),
            "17.0.15");
  EXPECT_EQ(release_version("JAVA_VERSION_DATE=\"x\"\n"), "");
  EXPECT_EQ(feature_version("17.0.15"), 17);
  EXPECT_EQ(feature_version("1.8.0_392"), 8);
  EXPECT_EQ(feature_version("25"), 25);
  EXPECT_EQ(feature_version(""), std::nullopt);
}

TEST(JvmTarget, DisableAttachMechanismLastOneWins) {
  EXPECT_TRUE(disables_attach({"java", "-XX:+DisableAttachMechanism", "Main"}));
  EXPECT_FALSE(disables_attach({"java", "-XX:+DisableAttachMechanism", "-XX:-DisableAttachMechanism"}));
  EXPECT_TRUE(disables_attach({"java"}, true));
}

TEST(JvmTarget, MainClass) {
  EXPECT_EQ(main_of({"java", "-cp", "/x", "-Xmx1g", "com.example.Main", "arg"}), "com.example.Main");
  EXPECT_EQ(main_of({"java", "-jar", "app.jar"}), "-jar app.jar");
  EXPECT_EQ(main_of({"java", "--module-path", "m", "-m", "mod/cls"}), "-m mod/cls");
  EXPECT_EQ(main_of({"java", "-version"}), "");
}


TEST(JvmListener, FindsTheListeningSocketByPath) {
  std::string net_unix =
      "Num       RefCount Protocol Flags    Type St Inode Path\n"
      "0000000000000000: 00000002 00000000 00000000 0001 03 111 /tmp/.java_pid7\n"
      "0000000000000000: 00000002 00000000 00010000 0001 01 222 /tmp/.java_pid42\n"
      "0000000000000000: 00000002 00000000 00000000 0001 03 333\n"
      "0000000000000000: 00000002 00000000 00010000 0001 01 444 /tmp/.java_pid5.tmp\n";
  EXPECT_EQ(find_unix_listener(net_unix, "/tmp/.java_pid42"), 222u);
  EXPECT_EQ(find_unix_listener(net_unix, "/tmp/.java_pid7"), 0u);  // connected, not listening
  EXPECT_EQ(find_unix_listener(net_unix, "/tmp/.java_pid9"), 0u);
  EXPECT_EQ(find_unix_listener(net_unix, "/tmp/.java_pid5"), 444u);  // bound as .tmp, renamed
}

}  // namespace
}  // namespace sockscope::jvm
