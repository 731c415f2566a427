// SPDX-License-Identifier: GPL-2.0-only
// `ls` and `fd` views of recorded inventories (tests/fixtures/topology,
// tests/fixtures/checkpoint_sssd_jvm): what a reader of the table relies on.
#include <gtest/gtest.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <sstream>

#include "../fixture.h"
#include "inventory/explain.h"
#include "inventory/filter.h"
#include "render/inventory.h"

namespace sockscope::render {
namespace {

inventory::Inventory replay(const std::string& name) {
  inventory::ReplaySource src(testing::fixture(name));
  return inventory::build(src);
}

std::vector<const SocketInfo*> all(const inventory::Inventory& inv) {
  std::vector<const SocketInfo*> rows;
  for (const auto& s : inv.sockets) rows.push_back(&s);
  return rows;
}

// The table row (one line) of a socket, found by its inode column.
std::string row_of(const std::string& table, uint64_t inode) {
  std::istringstream in(table);
  std::string needle = " " + std::to_string(inode) + " ";
  for (std::string line; std::getline(in, line);)
    if (line.find(needle) != std::string::npos && line.find(needle) < 40) return line;
  return {};
}

class TopologyTable : public ::testing::Test {
 protected:
  void SetUp() override {
    inv_ = replay("topology");
    pids_ = testing::fixture_pids("topology");
    dir_ = testing::fixture_workdir("topology");
    table_ = ls_text(inv_, all(inv_));
  }
  const SocketInfo* listener(const std::string& local) {
    for (const auto& s : inv_.sockets)
      if (s.local == local && s.state == TCP_LISTEN) return &s;
    return nullptr;
  }
  inventory::Inventory inv_;
  std::vector<int> pids_;
  std::string dir_;
  std::string table_;
};

TEST_F(TopologyTable, AbstractNamesStartWithAt) {
  std::string name = "@sockscope-topology-" + std::to_string(pids_[0]);
  const SocketInfo* l = listener(name);
  ASSERT_TRUE(l);
  EXPECT_NE(row_of(table_, l->inode).find(" " + name + " "), std::string::npos) << table_;
}

TEST_F(TopologyTable, PendingConnectionNamesTheListenerThatHasNotAccepted) {
  const SocketInfo* l = listener(dir_ + "/pending.sock");
  ASSERT_TRUE(l);
  ASSERT_EQ(l->pending.size(), 1u);
  std::string client = row_of(table_, l->pending[0]);
  ASSERT_EQ(l->owners.size(), 1u);
  std::string holder = "topology[" + std::to_string(l->owners[0].pid) + "]:" + std::to_string(l->owners[0].fd);
  EXPECT_NE(client.find("not accepted yet by " + holder + " " + dir_ + "/pending.sock"), std::string::npos) << client;
  EXPECT_NE(row_of(table_, l->inode).find("1 pending"), std::string::npos) << row_of(table_, l->inode);
}

// netns=... appears on a peer only when it lives in another namespace. The
// netns child connected by path to a listener in the first namespace, but
// the kernel allocates both ends of the connection in the client's
// namespace (docs/architecture.md): the pair shares it, and no peer in the
// recording is in another namespace, so no row says netns=.
TEST_F(TopologyTable, NetnsShownOnlyForCrossNamespacePeers) {
  auto rows = inventory::select(inv_, inventory::Filter{{pids_[1]}});
  ASSERT_EQ(rows.size(), 1u);
  const SocketInfo* peer = inv_.find(rows[0]->peer_inode);
  ASSERT_TRUE(peer);
  ASSERT_EQ(peer->netns, rows[0]->netns);
  ASSERT_NE(listener(dir_ + "/split.sock")->netns, rows[0]->netns);
  EXPECT_NE(row_of(table_, rows[0]->inode).find(dir_ + "/split.sock ino=" + std::to_string(peer->inode)),
            std::string::npos)
      << row_of(table_, rows[0]->inode);
  EXPECT_EQ(table_.find("netns="), std::string::npos) << table_;
}

TEST_F(TopologyTable, JsonHasOneObjectPerSocketWithHolders) {
  std::string doc = ls_json(inv_, all(inv_));
  auto j = nlohmann::json::parse(doc);
  ASSERT_TRUE(j.contains("sockets")) << doc.substr(0, 200);
  EXPECT_EQ(j["sockets"].size(), inv_.sockets.size());
  const SocketInfo* l = listener(dir_ + "/pending.sock");
  ASSERT_TRUE(l);
  bool seen = false;
  for (const auto& s : j["sockets"])
    if (s["inode"] == l->inode) {
      seen = true;
      EXPECT_EQ(s["path"], dir_ + "/pending.sock");
      EXPECT_EQ(s["owners"].size(), 1u);
    }
  EXPECT_TRUE(seen) << "the listener is in the JSON";
}

TEST_F(TopologyTable, FdViewOfThePendingClient) {
  const SocketInfo* l = listener(dir_ + "/pending.sock");
  ASSERT_TRUE(l);
  const SocketInfo* client = inv_.find(l->pending[0]);
  ASSERT_TRUE(client);
  auto e = inventory::explain_fd(inv_, client->owners.at(0).pid, client->owners.at(0).fd);
  ASSERT_TRUE(e);
  std::string t = fd_text(inv_, *e);
  EXPECT_NE(t.find("not accepted yet"), std::string::npos) << t;
  EXPECT_NE(t.find(dir_ + "/pending.sock"), std::string::npos) << t;
}

// Inet addresses carry their port in host order: the JVM's loopback socket.
TEST(SssdJvmTable, InetPortsAsTheKernelHasThem) {
  auto inv = replay("checkpoint_sssd_jvm");
  const SocketInfo* tcp = nullptr;
  for (const auto& s : inv.sockets)
    if (s.family == AF_INET) tcp = &s;
  ASSERT_TRUE(tcp);
  std::string row = row_of(ls_text(inv, all(inv)), tcp->inode);
  EXPECT_NE(row.find(" tcp/4 "), std::string::npos) << row;
  EXPECT_NE(row.find(" " + tcp->local + " "), std::string::npos) << row;
  EXPECT_EQ(tcp->local, "0.0.0.0:2024") << "recorded: a TCP listener on port 2024 (0x07e8 on the wire)";
}

}  // namespace
}  // namespace sockscope::render
