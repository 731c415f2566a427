// SPDX-License-Identifier: GPL-2.0-only
// `sockscope checkpoint` on real unix-socket scenarios, each from the
// rulebook's confirmed section 7 (real `criu dump` runs, CRIU 4.2, kernel 6.18).
// The test process plays "outside the tree"; the Scenario child is the tree.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <cstring>
#include <sstream>

#include "checkpoint_support.h"

namespace sockscope::testing {
namespace {

sockaddr_un addr(const std::string& name, socklen_t* len) {
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  bool abstract = name[0] == '@';
  std::memcpy(a.sun_path, name.c_str(), name.size());
  if (abstract) a.sun_path[0] = '\0';
  *len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size() + (abstract ? 0 : 1));
  return a;
}

int bound(int type, const std::string& name) {
  int fd = ::socket(AF_UNIX, type, 0);
  socklen_t len;
  sockaddr_un a = addr(name, &len);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), len) != 0) std::abort();
  if (type != SOCK_DGRAM) ::listen(fd, 8);
  return fd;
}

int connected(int type, const std::string& name) {
  int fd = ::socket(AF_UNIX, type, 0);
  socklen_t len;
  sockaddr_un a = addr(name, &len);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), len) != 0) std::abort();
  return fd;
}

class CheckpointUnix : public ::testing::Test {
 protected:
  void SetUp() override {
    if (auto why = need_root(); !why.empty()) GTEST_SKIP() << why;
    char tmpl[] = "/tmp/sockscope-ckpt-XXXXXX";
    dir_ = ::mkdtemp(tmpl);
  }
  void TearDown() override {
    if (!dir_.empty()) run({"rm", "-rf", dir_});
  }
  std::string dir_;
};

TEST_F(CheckpointUnix, SocketpairAndParentChildConnectionAreReady) {
  std::string path = dir_ + "/pc.sock";
  Scenario s([&] {
    int sp[2];
    ::socketpair(AF_UNIX, SOCK_STREAM, 0, sp);
    int l = bound(SOCK_STREAM, path);
    if (::fork() == 0) {  // a child in the tree connects to its parent
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      connected(SOCK_STREAM, path);
      for (;;) ::pause();
    }
    ::accept(l, nullptr, nullptr);
  });
  auto c = checkpoint(s.pid());
  EXPECT_EQ(c.exit_code, 0) << c.report.dump(2) << c.err;
  EXPECT_EQ(criu_verdict(c), "ready");
  EXPECT_EQ(c.report["tree"].size(), 2u) << "the forked child is part of the dump";
}

TEST_F(CheckpointUnix, ListenerWithUnlinkedPathIsReady) {
  std::string path = dir_ + "/gone.sock";
  Scenario s([&] {
    bound(SOCK_STREAM, path);
    ::unlink(path.c_str());
  });
  auto c = checkpoint(s.pid());
  EXPECT_EQ(c.exit_code, 0) << c.report.dump(2);
  auto u11 = rule(c, "U11");
  ASSERT_EQ(u11.size(), 1u);
  EXPECT_EQ(u11[0]["severity"], "ok");
  EXPECT_EQ(u11[0]["messages"][0]["text"].get<std::string>().rfind("unix: Dropping path " + path, 0), 0u);
}

TEST_F(CheckpointUnix, StreamPeerOutsideTheTreeBlocksUntilExternal) {
  std::string path = dir_ + "/server.sock";
  int l = bound(SOCK_STREAM, path);
  Scenario s([&] { connected(SOCK_STREAM, path); });
  int accepted = ::accept(l, nullptr, nullptr);
  auto c = checkpoint(s.pid());
  EXPECT_EQ(c.exit_code, 1);
  auto u1 = rule(c, "U1");
  ASSERT_EQ(u1.size(), 1u) << c.report.dump(2);
  EXPECT_EQ(u1[0]["messages"][0]["text"], "unix: External socket is used. Consider using --ext-unix-sk option.");
  EXPECT_EQ(u1[0]["messages"][1]["text"],
            "unix: Can't dump half of stream unix connection. name: (null); peer name: " + path);
  EXPECT_EQ(u1[0]["origin"]["peer_holders"][0]["pid"], ::getpid());
  EXPECT_EQ(u1[0]["origin"]["peer_holders"][0]["fd"], accepted);
  EXPECT_EQ(opts_verdict(checkpoint(s.pid(), "--ext-unix-sk")), "blocked");
  std::string ino = std::to_string(u1[0]["inode"].get<uint64_t>());
  auto ext = checkpoint(s.pid(), "--external unix[" + ino + "]");
  EXPECT_EQ(opts_verdict(ext), "ready_with_warnings") << "dump passes; restore needs --inherit-fd";
  EXPECT_EQ(ext.exit_code, 2);
  ::close(accepted);
  ::close(l);
}

TEST_F(CheckpointUnix, DgramToNamedReceiverOutsidePassesWithExtUnixSk) {
  std::string path = dir_ + "/log.sock";
  int rx = bound(SOCK_DGRAM, path);
  Scenario s([&] { connected(SOCK_DGRAM, path); });
  auto c = checkpoint(s.pid());
  EXPECT_EQ(criu_verdict(c), "blocked");
  auto u2 = rule(c, "U2");
  ASSERT_EQ(u2.size(), 1u) << c.report.dump(2);
  EXPECT_EQ(u2[0]["verdicts"]["criu"]["message"],
            "unix: External socket is used. Consider using --ext-unix-sk option.");
  EXPECT_EQ(opts_verdict(checkpoint(s.pid(), "--ext-unix-sk")), "ready");
  std::string ino = std::to_string(u2[0]["inode"].get<uint64_t>());
  EXPECT_NE(opts_verdict(checkpoint(s.pid(), "--external unix[" + ino + "]")), "blocked");
  ::close(rx);
}

TEST_F(CheckpointUnix, PendingOutsideClientOnAbstractAndPathListenersWarns) {
  for (std::string name : {"@sockscope-ckpt-" + std::to_string(::getpid()), dir_ + "/pending.sock"}) {
    Scenario s([&] { bound(SOCK_STREAM, name); });
    int client = connected(SOCK_STREAM, name);  // from outside, never accepted
    auto c = checkpoint(s.pid());
    EXPECT_EQ(criu_verdict(c), "ready_with_warnings") << c.report.dump(2);
    EXPECT_EQ(c.exit_code, 2);
    auto s7 = rule(c, "S7");
    ASSERT_EQ(s7.size(), 1u) << name;
    EXPECT_EQ(s7[0]["origin"]["peer_holders"][0]["pid"], ::getpid());
    ::close(client);
  }
}

TEST_F(CheckpointUnix, ScmRightsInFlightIsReady) {
  Scenario s([] {
    int p[2], q[2];
    ::socketpair(AF_UNIX, SOCK_STREAM, 0, p);
    ::socketpair(AF_UNIX, SOCK_STREAM, 0, q);
    char data = 'x';
    iovec iov{&data, 1};
    alignas(cmsghdr) char ctl[CMSG_SPACE(sizeof(int))] = {};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = ctl;
    msg.msg_controllen = sizeof(ctl);
    cmsghdr* cm = CMSG_FIRSTHDR(&msg);
    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = SCM_RIGHTS;
    cm->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(cm), &q[1], sizeof(int));
    if (::sendmsg(p[0], &msg, 0) != 1) std::abort();
    ::close(q[1]);  // now only in flight, in p[1]'s queue
  });
  auto c = checkpoint(s.pid());
  EXPECT_EQ(c.exit_code, 0) << c.report.dump(2);
  EXPECT_TRUE(rule(c, "U1").empty());
}

// Rulebook section 7: a forked, not exec'd subshell keeps its parent's socket;
// every task of the tree counts.
TEST_F(CheckpointUnix, DescendantHoldingAnExternalSocketBlocksTheTree) {
  std::string path = dir_ + "/nss.sock";
  int l = bound(SOCK_STREAM, path);
  Scenario s([&] {
    if (::fork() == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      connected(SOCK_STREAM, path);
      for (;;) ::pause();
    }
  });
  int accepted = ::accept(l, nullptr, nullptr);
  auto c = checkpoint(s.pid());
  EXPECT_EQ(c.exit_code, 1) << c.report.dump(2);
  auto u1 = rule(c, "U1");
  ASSERT_EQ(u1.size(), 1u);
  EXPECT_NE(u1[0]["pid"], s.pid()) << "the blocker is the child's, not the target's";
  ::close(accepted);
  ::close(l);
}

// Issue #19: `checkpoint 2` (kthreadd) said "ready". Kernel threads are
// refused by ptrace, so CRIU cannot seize them (T1, docs/checkpoint.md).
TEST(CheckpointTree, KernelThreadsBlock) {
  if (auto why = need_root(); !why.empty()) GTEST_SKIP() << why;
  auto c = checkpoint(2);  // kthreadd: pid 2 on every Linux since 2.6.22
  ASSERT_FALSE(c.report.is_discarded()) << c.err;
  EXPECT_EQ(c.exit_code, 1) << c.err;
  EXPECT_EQ(criu_verdict(c), "blocked");
  auto t1 = rule(c, "T1");
  ASSERT_EQ(t1.size(), 1u) << c.report.dump(2);
  EXPECT_EQ(t1[0]["pid"], 2);
  EXPECT_NE(t1[0].dump().find("Unable to interrupt task: 2"), std::string::npos) << t1[0].dump(2);

  Scenario user([] {});  // a user-space process: no T1
  auto u = checkpoint(user.pid());
  EXPECT_TRUE(rule(u, "T1").empty()) << u.report.dump(2);
}

// Rule U6 (CRIU 3.18+): a connection not yet accepted on which the client
// has already written. ss shows the bytes in the client's Send-Q first.
TEST_F(CheckpointUnix, DataSentBeforeAcceptBlocks) {
  std::string path = dir_ + "/early.sock";
  Scenario s([&] {
    bound(SOCK_STREAM, path);
    int client = connected(SOCK_STREAM, path);
    if (::write(client, "x", 1) != 1) std::abort();
  });
  std::string ss = run({"ss", "-Hxp", "state", "established"}).out;
  bool queued = false;
  std::istringstream lines(ss);
  for (std::string line; std::getline(lines, line);) {
    auto w = words(line);  // Netid Recv-Q Send-Q ... (no State column with a state filter)
    if (line.find("pid=" + std::to_string(s.pid()) + ",") != std::string::npos && w.size() > 2 && w[2] != "0")
      queued = true;
  }
  ASSERT_TRUE(queued) << "ss sees the byte in the client's send queue:\n" << ss;
  auto c = checkpoint(s.pid());
  EXPECT_EQ(criu_verdict(c), "blocked") << c.report.dump(2);
  auto u6 = rule(c, "U6");
  ASSERT_EQ(u6.size(), 1u) << c.report.dump(2);
  EXPECT_EQ(
      u6[0]["messages"][0]["text"].get<std::string>().rfind("unix: Non-empty write queue on an in-flight socket ", 0),
      0u)
      << u6[0].dump(2);
}

}  // namespace
}  // namespace sockscope::testing
