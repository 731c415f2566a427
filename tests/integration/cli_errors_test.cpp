// SPDX-License-Identifier: GPL-2.0-only
// Bad input gets a clear message and a documented exit code (docs/cli.md).
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include "support/helpers.h"

namespace sockscope::testing {
namespace {

constexpr int kUsage = 64, kNotFound = 66, kNoPrivilege = 77;

// A pid that is not running: past the last pid the kernel may hand out.
std::string absent_pid() { return "4194304"; }

TEST(CliErrors, UnknownOptionIsAUsageError) {
  auto r = sockscope({"ls", "--no-such-option"});
  EXPECT_EQ(r.exit_code, kUsage);
  EXPECT_NE(r.err.find("no-such-option"), std::string::npos) << r.err;
}

TEST(CliErrors, NoSuchProcess) {
  if (auto why = need_root(); !why.empty()) GTEST_SKIP() << why;
  for (auto args : {std::vector<std::string>{"fd", absent_pid(), "0"},
                    std::vector<std::string>{"ls", "-p", absent_pid()}}) {
    auto r = sockscope(args);
    EXPECT_EQ(r.exit_code, kNotFound);
    EXPECT_NE(r.err.find("no process " + absent_pid()), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("hint:"), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty());
  }
}

TEST(CliErrors, FdNotOpen) {
  if (auto why = need_root(); !why.empty()) GTEST_SKIP() << why;
  Child c([] {});
  auto r = sockscope({"fd", std::to_string(c.pid()), "1000"});
  EXPECT_EQ(r.exit_code, kNotFound);
  EXPECT_NE(r.err.find("has no fd 1000"), std::string::npos) << r.err;
}

TEST(CliErrors, NotRootCannotReadAnotherUsersProcess) {
  if (auto why = need_root(); !why.empty()) GTEST_SKIP() << why;
  Child c([] { ::socket(AF_UNIX, SOCK_STREAM, 0); });
  auto r = run({"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", SOCKSCOPE_BIN, "fd",
                std::to_string(c.pid()), "3"});
  EXPECT_EQ(r.exit_code, kNoPrivilege) << r.out << r.err;
  EXPECT_NE(r.err.find("run as root"), std::string::npos) << r.err;
}

TEST(CliErrors, HidepidHidesTheProcess) {
  if (auto why = need_root(); !why.empty()) GTEST_SKIP() << why;
  Child c([] {});
  // A private /proc with hidepid=invisible in a private mount namespace.
  std::string script = "mount -t proc -o hidepid=invisible proc /proc && exec setpriv --reuid=65534 "
                       "--regid=65534 --clear-groups " SOCKSCOPE_BIN " fd " + std::to_string(c.pid()) + " 0";
  auto r = run({"unshare", "--mount", "--propagation", "private", "sh", "-c", script});
  EXPECT_EQ(r.exit_code, kNotFound) << r.out << r.err;
  EXPECT_NE(r.err.find("hidepid"), std::string::npos) << r.err;
}

TEST(CliErrors, NotRootListingStillWorksWithDiagnostics) {
  if (auto why = need_root(); !why.empty()) GTEST_SKIP() << why;
  Child c([] { ::socket(AF_UNIX, SOCK_STREAM, 0); });
  auto r = run({"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", SOCKSCOPE_BIN, "ls",
                "--unix", "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"diagnostics\""), std::string::npos);
  EXPECT_NE(r.out.find("cannot"), std::string::npos) << "unreadable processes must be reported";
}

// Without privilege the kernel is not to blame: 6.18 has a BPF ring buffer,
// and `probes` must say that privilege is what is missing (exit 77).
TEST(CliErrors, NotRootProbesBlamesPrivilegeNotTheKernel) {
  if (auto why = need_root(); !why.empty()) GTEST_SKIP() << why;
  auto r =
      run({"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", SOCKSCOPE_BIN, "probes"});
  EXPECT_EQ(r.exit_code, 77) << r.out << r.err;
  EXPECT_NE(r.out.find("without privilege: run as root"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("needs Linux 5.8"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("absent     \n"), std::string::npos) << "every absent rung says why:\n" << r.out;
}

}  // namespace
}  // namespace sockscope::testing
