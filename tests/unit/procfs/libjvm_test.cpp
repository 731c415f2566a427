// SPDX-License-Identifier: GPL-2.0-only
// "Is this a JVM" (libjvm.so mapped) and java.home, on recorded /proc/PID/maps
// files (tests/fixtures/proc_maps/README.md says how they were made).
#include "procfs/libjvm.h"

#include <gtest/gtest.h>

#include "../fixture.h"
#include "base/strings.h"

namespace sockscope::procfs {
namespace {

constexpr const char* kJdk17 = "/usr/lib/jvm/java-17-openjdk-amd64";

std::string recorded(const std::string& name) {
  auto text = read_small_file(testing::fixture("proc_maps/" + name));
  EXPECT_TRUE(text) << name;
  return text.value_or("");
}

TEST(ProcLibjvm, TheJavaLauncher) {
  std::string libjvm = find_libjvm(recorded("java.maps"));
  EXPECT_EQ(libjvm, std::string(kJdk17) + "/lib/server/libjvm.so");
  EXPECT_EQ(java_home_of(libjvm), kJdk17);
}

// The case a test on the exe's name ("ends in /bin/java") missed.
TEST(ProcLibjvm, ALauncherNotNamedJava) {
  std::string maps = recorded("keytool.maps");
  ASSERT_NE(maps.find(std::string(kJdk17) + "/bin/keytool\n"), std::string::npos);
  EXPECT_EQ(find_libjvm(maps), std::string(kJdk17) + "/lib/server/libjvm.so");
}

TEST(ProcLibjvm, NotAJvm) {
  std::string maps = recorded("sleep.maps");
  ASSERT_NE(maps.find("/usr/bin/sleep\n"), std::string::npos);
  EXPECT_EQ(find_libjvm(maps), "");
}

// The recorded libjvm line as a JDK upgraded under the running JVM shows it.
TEST(ProcLibjvm, DeletedLibjvm) {
  std::string maps = recorded("java.maps");
  size_t end = maps.find("/libjvm.so\n") + std::string("/libjvm.so").size();
  size_t start = maps.rfind('\n', end) + 1;
  std::string line = maps.substr(start, end - start) + " (deleted)\n";
  EXPECT_EQ(find_libjvm(line), std::string(kJdk17) + "/lib/server/libjvm.so");
}

TEST(ProcLibjvm, OnlyLibjvmItself) {
  EXPECT_TRUE(is_libjvm(std::string(kJdk17) + "/lib/server/libjvm.so"));
  EXPECT_FALSE(is_libjvm(std::string(kJdk17) + "/lib/server/libjvm.so.bak"));
  EXPECT_FALSE(is_libjvm(std::string(kJdk17) + "/lib/libjava.so"));
}

TEST(ProcLibjvm, ReadsMapsUnderAProcRoot) {
  std::string root = testing::fixture("checkpoint_sssd_jvm") + "/proc";
  auto pids = testing::fixture_pids("checkpoint_sssd_jvm");  // the JVM, then sssd_nss
  ASSERT_EQ(pids.size(), 2u);
  auto jvm = mapped_libjvm(root, pids[0]);
  ASSERT_TRUE(jvm) << jvm.error().what;
  EXPECT_EQ(*jvm, std::string(kJdk17) + "/lib/server/libjvm.so");
  auto none = mapped_libjvm(root, pids[1]);  // no maps recorded for it
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().what.find("/maps"), std::string::npos);
}

TEST(ProcLibjvm, JavaHomeLayouts) {
  EXPECT_EQ(java_home_of("/usr/lib/jvm/java-8/jre/lib/amd64/server/libjvm.so"), "/usr/lib/jvm/java-8/jre");
  EXPECT_EQ(java_home_of("libjvm.so"), "");
  EXPECT_EQ(java_home_of(""), "");
}

}  // namespace
}  // namespace sockscope::procfs
