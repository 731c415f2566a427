// SPDX-License-Identifier: GPL-2.0-only
// `sockscope ls` on a real, busy unix topology (tests/progs/topology.cpp),
// checked against the kernel's own answer through ss(8) in each namespace.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "support/helpers.h"

namespace sockscope::testing {
namespace {

using nlohmann::json;

// ss -xaH in the netns of `pid` (0: ours): socket inode -> peer inode.
std::map<uint64_t, uint64_t> ss_peers(pid_t pid) {
  std::vector<std::string> argv = {"ss", "-xaH"};
  if (pid) argv = {"nsenter", "-t", std::to_string(pid), "-n", "ss", "-xaH"};
  auto r = run(argv);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::map<uint64_t, uint64_t> peers;
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line)) {
    auto w = words(line);
    // Netid State Recv-Q Send-Q Local Port Peer Port; a nameless local is "*".
    if (w.size() < 8) continue;
    peers[std::stoull(w[5])] = std::stoull(w[7]);
  }
  return peers;
}

class TopologyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (auto why = need_root(); !why.empty()) GTEST_SKIP() << why;
    dir_ = std::filesystem::path(::testing::TempDir()) / ("sockscope-topo-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    topo_ = std::make_unique<Spawned>(std::vector<std::string>{SOCKSCOPE_PROGS_DIR "/topology", dir_});
    auto w = words(topo_->first_line());
    ASSERT_EQ(w.size(), 4u) << "topology did not start: " << topo_->first_line();
    main_ = std::stoi(w[1]);
    netns_child_ = std::stoi(w[2]);
    peer_child_ = std::stoi(w[3]);
  }
  void TearDown() override {
    topo_.reset();
    std::filesystem::remove_all(dir_);
  }

  json ls(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"ls", "--unix", "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto r = sockscope(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out);
  }

  static const json* by_path(const json& doc, const std::string& path, const std::string& state) {
    for (const auto& s : doc["sockets"])
      if (s["path"] == path && s["state"] == state) return &s;
    return nullptr;
  }

  std::filesystem::path dir_;
  std::unique_ptr<Spawned> topo_;
  int main_ = 0, netns_child_ = 0, peer_child_ = 0;
};

TEST_F(TopologyTest, PeersAgreeWithSsInEveryNamespace) {
  // Sockets of other processes may come and go while we look: compare the
  // ones ss reports identically before and after our run.
  auto before = ss_peers(0);
  auto before_ns = ss_peers(netns_child_);
  before.insert(before_ns.begin(), before_ns.end());
  json doc = ls();
  auto after = ss_peers(0);
  auto after_ns = ss_peers(netns_child_);
  after.insert(after_ns.begin(), after_ns.end());

  std::map<uint64_t, uint64_t> ours;
  for (const auto& s : doc["sockets"])
    ours[s["inode"]] = s["peer"].is_null() ? 0 : s["peer"]["inode"].get<uint64_t>();
  size_t compared = 0;
  for (auto [ino, peer] : before) {
    auto again = after.find(ino);
    if (again == after.end() || again->second != peer) continue;
    ASSERT_TRUE(ours.count(ino)) << "socket " << ino << " is missing from sockscope ls";
    EXPECT_EQ(ours[ino], peer) << "peer of socket " << ino;
    ++compared;
  }
  EXPECT_GE(compared, 25u);
}

TEST_F(TopologyTest, ShowsPathStatesPendingAndSharedSockets) {
  json doc = ls({"-p", std::to_string(main_)});
  const json* gone = by_path(doc, dir_.string() + "/gone.sock", "LISTEN");
  ASSERT_TRUE(gone);
  EXPECT_EQ((*gone)["path_state"], "unlinked");

  int replaced = 0, current = 0;
  for (const auto& s : doc["sockets"]) {
    if (s["path"] != dir_.string() + "/replaced.sock" || s["state"] != "LISTEN") continue;
    if (s["path_state"] == "replaced") ++replaced;
    if (s["path_state"] == "current") ++current;
  }
  EXPECT_EQ(replaced, 1);
  EXPECT_EQ(current, 1);

  const json* pending = by_path(doc, dir_.string() + "/pending.sock", "LISTEN");
  ASSERT_TRUE(pending);
  ASSERT_EQ((*pending)["pending"].size(), 1u);
  uint64_t client = (*pending)["pending"][0];
  bool client_explained = false;
  for (const auto& s : doc["sockets"])
    if (s["inode"] == client) {
      EXPECT_EQ(s["pending_on"]["path"], dir_.string() + "/pending.sock");
      EXPECT_NE(s["no_peer_reason"].get<std::string>().find("not accepted yet"), std::string::npos);
      client_explained = true;
    }
  EXPECT_TRUE(client_explained);

  bool shared = false;
  for (const auto& s : doc["sockets"])
    if (s["owners"].size() == 2 && s["owners"][0]["pid"] == main_ && s["owners"][1]["pid"] == peer_child_)
      shared = true;
  EXPECT_TRUE(shared) << "the socketpair end held by parent and child should list both";

  bool abstract = false;
  for (const auto& s : doc["sockets"])
    if (s["path"] == "@sockscope-topology-" + std::to_string(main_) && s["abstract"] == true) abstract = true;
  EXPECT_TRUE(abstract);
}

TEST_F(TopologyTest, FindsThePeerInAnotherNetworkNamespace) {
  json doc = ls({"-p", std::to_string(netns_child_)});
  ASSERT_EQ(doc["sockets"].size(), 1u);
  const json& s = doc["sockets"][0];
  ASSERT_FALSE(s["peer"].is_null());
  EXPECT_EQ(s["peer"]["path"], dir_.string() + "/split.sock");
  ASSERT_EQ(s["peer"]["owners"].size(), 1u);
  EXPECT_EQ(s["peer"]["owners"][0]["pid"], main_);
  // The server's accepted socket is created in the client's namespace
  // (unix_stream_connect() allocates it with the connecting socket's net).
  EXPECT_EQ(s["peer"]["netns"], s["netns"]);
  EXPECT_GE(doc["namespaces"].size(), 2u);

  auto r = sockscope({"fd", std::to_string(netns_child_), "3"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("split.sock"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("topology[" + std::to_string(main_) + "]"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace sockscope::testing
