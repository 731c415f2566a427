// SPDX-License-Identifier: GPL-2.0-only
// The inventory's joins over a recorded topology (no root, no live kernel).
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "../fixture.h"
#include "inventory/explain.h"
#include "inventory/filter.h"
#include "inventory/inventory.h"
#include "inventory/source.h"

namespace sockscope::inventory {
namespace {

class ReplayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ReplaySource src(testing::fixture("topology"));
    inv_ = build(src);
    pids_ = testing::fixture_pids("topology");
    dir_ = testing::fixture_workdir("topology");
    ASSERT_EQ(pids_.size(), 3u);
  }
  const SocketInfo* listener(const std::string& name) {
    for (const auto& s : inv_.sockets)
      if (s.local == dir_ + "/" + name && s.state == TCP_LISTEN) return &s;
    return nullptr;
  }
  Inventory inv_;
  std::vector<int> pids_;
  std::string dir_;
};

TEST_F(ReplayTest, JoinsOwnersAcrossProcesses) {
  const SocketInfo* l = listener("listen.sock");
  ASSERT_TRUE(l);
  ASSERT_EQ(l->owners.size(), 1u);
  EXPECT_EQ(l->owners[0].pid, pids_[0]);
  EXPECT_EQ(l->owners[0].comm, "topology");
  EXPECT_TRUE(inv_.diagnostics.empty());
}

TEST_F(ReplayTest, PeerOfTheNetnsChildIsTheServerInTheParent) {
  auto rows = select(inv_, Filter{{pids_[1]}});
  ASSERT_EQ(rows.size(), 1u);
  const SocketInfo* peer = inv_.find(rows[0]->peer_inode);
  ASSERT_TRUE(peer);
  EXPECT_EQ(peer->local, dir_ + "/split.sock");
  ASSERT_EQ(peer->owners.size(), 1u);
  EXPECT_EQ(peer->owners[0].pid, pids_[0]);
  EXPECT_NE(rows[0]->netns, inv_.find(listener("split.sock")->inode)->netns)
      << "the netns child's socket lives in its own namespace";
}

TEST_F(ReplayTest, ExplainsAPendingConnection) {
  const SocketInfo* l = listener("pending.sock");
  ASSERT_TRUE(l);
  ASSERT_EQ(l->pending.size(), 1u);
  const SocketInfo* client = inv_.find(l->pending[0]);
  ASSERT_TRUE(client);
  EXPECT_EQ(inv_.pending_listener(client->inode), l);
  EXPECT_NE(why_no_peer(inv_, *client).find("not accepted yet"), std::string::npos);
  auto e = explain_fd(inv_, client->owners.at(0).pid, client->owners.at(0).fd);
  ASSERT_TRUE(e);
  ASSERT_TRUE(e->listener);
  EXPECT_EQ(e->listener->inode, l->inode);
}

TEST_F(ReplayTest, PathsAreUncheckedInReplays) { EXPECT_EQ(listener("gone.sock")->path_state, PathState::kUnchecked); }

TEST_F(ReplayTest, FiltersByListeningAndGlob) {
  Filter f;
  f.listening = true;
  f.path_globs = {dir_ + "/*.sock"};
  EXPECT_EQ(select(inv_, f).size(), 6u);
  f.path_globs = {"@sockscope-topology-*"};
  EXPECT_EQ(select(inv_, f).size(), 1u);
}

TEST_F(ReplayTest, ExplainsNonSocketDescriptors) {
  EXPECT_FALSE(explain_fd(inv_, pids_[0], 999));
  // Each recorded topology process holds a pipe (fd 251 of the first: the
  // pipe it was started with); explain_fd must say so, not call it a socket.
  int pipes = 0;
  for (const auto& p : inv_.scanned)
    for (const auto& f : p.fds)
      if (f.target.rfind("pipe:", 0) == 0) {
        auto e = explain_fd(inv_, p.pid, f.fd);
        ASSERT_TRUE(e);
        EXPECT_EQ(e->kind, FdKind::kPipe);
        EXPECT_FALSE(e->socket);
        ++pipes;
      }
  EXPECT_EQ(pipes, 3) << "the fixture's pipes are what this test checks";
}

// Issue #19 item 7: a replay does not trust its fixture. Each case is the
// recorded topology with one thing broken.
class BrokenFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "sockscope-broken-fixture-" + std::to_string(::getpid());
    std::filesystem::remove_all(dir_);
    std::filesystem::copy(testing::fixture("topology"), dir_,
                          std::filesystem::copy_options::recursive | std::filesystem::copy_options::copy_symlinks);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  static bool mentions(const Inventory& inv, const std::string& text) {
    for (const auto& d : inv.diagnostics)
      if (d.what.find(text) != std::string::npos) return true;
    return false;
  }
  std::string dir_;
};

TEST_F(BrokenFixture, AnEmptyDirectoryIsNoFixture) {
  EXPECT_TRUE(check_fixture(dir_));
  std::string empty = dir_ + "/empty";
  std::filesystem::create_directory(empty);
  auto r = check_fixture(empty);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().what.find("is not a recorded fixture"), std::string::npos) << r.error().what;
  std::filesystem::remove(dir_ + "/netns.txt");
  EXPECT_FALSE(check_fixture(dir_));
}

TEST_F(BrokenFixture, AnEmptyDumpIsSaidToBeCut) {
  std::ifstream netns(dir_ + "/netns.txt");
  std::string first;
  netns >> first;
  std::filesystem::resize_file(dir_ + "/diag/" + first + "/unix", 0);
  ReplaySource src(dir_);
  Inventory inv = build(src);
  EXPECT_TRUE(mentions(inv, "is empty")) << "no diagnostic for the cut dump";
}

TEST_F(BrokenFixture, AGarbledNetnsLineIsReported) {
  std::ofstream(dir_ + "/netns.txt", std::ios::app) << "\x1b[31mnot a namespace\n";
  ReplaySource src(dir_);
  Inventory inv = build(src);
  EXPECT_TRUE(mentions(inv, "is not `INODE PATH [NAME]`"));
  ReplaySource intact(testing::fixture("topology"));
  EXPECT_TRUE(build(intact).diagnostics.empty());
}

// tests/fixtures/families: every family the kernel can list is dumped, the
// recording's own netlink socket is not among them, and the one socket no
// table lists (an unbound ping socket) stays unknown in a replay.
TEST(ReplayFamilies, EverySocketButTheUnboundPingIsDumped) {
  ReplaySource src(testing::fixture("families"));
  Inventory inv = build(src);
  EXPECT_TRUE(inv.diagnostics.empty()) << inv.diagnostics.front().what;
  int pid = testing::fixture_pids("families").at(0);
  int in_dump = 0, unknown = 0;
  for (const auto& s : inv.sockets) {
    if (s.owners.empty()) ADD_FAILURE() << "inode " << s.inode << " (" << s.local << ") is held by nobody";
    for (const auto& o : s.owners) EXPECT_EQ(o.pid, pid);
    (s.in_dump ? in_dump : unknown)++;
  }
  EXPECT_EQ(in_dump, 10);  // udplite x3, raw x2, packet x2, netlink x2, ping; none of the kernel's
  EXPECT_EQ(unknown, 1);   // the unbound ping socket
}

}  // namespace
}  // namespace sockscope::inventory
