// SPDX-License-Identifier: GPL-2.0-only
// `sockscope doctor` on the real topology (tests/progs/topology.cpp): an
// unlinked listener, a replaced one, and a connection never accepted.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "support/helpers.h"

namespace sockscope::testing {
namespace {

using nlohmann::json;

class DoctorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (auto why = need_root(); !why.empty()) GTEST_SKIP() << why;
    dir_ = std::filesystem::path(::testing::TempDir()) / ("sockscope-doctor-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    topo_ = std::make_unique<Spawned>(std::vector<std::string>{SOCKSCOPE_PROGS_DIR "/topology", dir_});
    auto w = words(topo_->first_line());
    ASSERT_EQ(w.size(), 4u) << topo_->first_line();
    main_ = w[1];
  }
  void TearDown() override {
    topo_.reset();
    std::filesystem::remove_all(dir_);
  }
  const json* finding(const json& doc, const std::string& check, const std::string& path) {
    for (const auto& f : doc["findings"])
      if (f["check"] == check && f["what"].get<std::string>().find(path) != std::string::npos) return &f;
    return nullptr;
  }
  std::filesystem::path dir_;
  std::unique_ptr<Spawned> topo_;
  std::string main_;
};

TEST_F(DoctorTest, FlagsUnlinkedReplacedAndUnacceptedListeners) {
  auto r = sockscope({"doctor", main_, "--interval", "0.2", "--json"});
  ASSERT_EQ(r.exit_code, 1) << "findings exit 1: " << r.err;
  json doc = json::parse(r.out);
  const json* gone = finding(doc, "orphaned-listener", dir_.string() + "/gone.sock");
  ASSERT_TRUE(gone) << r.out;
  EXPECT_EQ((*gone)["holders"][0]["pid"].get<int>(), std::stoi(main_));
  EXPECT_FALSE((*gone)["todo"].get<std::string>().empty());

  const json* replaced = finding(doc, "replaced-listener", dir_.string() + "/replaced.sock");
  ASSERT_TRUE(replaced) << r.out;
  ASSERT_EQ((*replaced)["related"].size(), 1u) << "who holds the path's new inode";
  EXPECT_EQ((*replaced)["related"][0]["pid"].get<int>(), std::stoi(main_));
  EXPECT_NE((*replaced)["related"][0]["fd"], (*replaced)["holders"][0]["fd"]);

  EXPECT_TRUE(finding(doc, "slow-accept", dir_.string() + "/pending.sock")) << r.out;
}

TEST_F(DoctorTest, OneLookSkipsTheSlowAcceptCheck) {
  auto r = sockscope({"doctor", main_, "--interval", "0", "--json"});
  json doc = json::parse(r.out);
  EXPECT_FALSE(finding(doc, "slow-accept", "pending.sock"));
  EXPECT_TRUE(finding(doc, "orphaned-listener", "gone.sock"));
}

TEST(Doctor, CleanProcessExitsZero) {
  if (auto why = need_root(); !why.empty()) GTEST_SKIP() << why;
  Child c([] {
    int sv[2];
    ::socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
  });
  auto r = sockscope({"doctor", std::to_string(c.pid()), "--interval", "0"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("no findings"), std::string::npos);
}

TEST(Doctor, ClosedPeerIsAFinding) {
  if (auto why = need_root(); !why.empty()) GTEST_SKIP() << why;
  Child c([] {
    int sv[2];
    ::socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    ::close(sv[1]);
  });
  auto r = sockscope({"doctor", std::to_string(c.pid()), "--interval", "0", "--json"});
  EXPECT_EQ(r.exit_code, 1);
  json doc = json::parse(r.out);
  ASSERT_EQ(doc["findings"].size(), 1u) << r.out;
  EXPECT_EQ(doc["findings"][0]["check"], "peer-closed");
}

// A client in a listener's accept queue has no peer socket yet (the kernel
// makes it at accept): that is "not accepted yet", not a closed peer.
TEST(Doctor, ClientWaitingToBeAcceptedIsNoClosedPeer) {
  if (auto why = need_root(); !why.empty()) GTEST_SKIP() << why;
  std::string path = ::testing::TempDir() + "sockscope-doctor-queue-" + std::to_string(::getpid()) + ".sock";
  std::filesystem::remove(path);
  Child c([&] {
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    path.copy(a.sun_path, sizeof(a.sun_path) - 1);
    int l = ::socket(AF_UNIX, SOCK_STREAM, 0);
    int client = ::socket(AF_UNIX, SOCK_STREAM, 0);
    if (::bind(l, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0 || ::listen(l, 4) != 0 ||
        ::connect(client, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0)
      ::_exit(1);
  });
  auto r = sockscope({"doctor", std::to_string(c.pid()), "--interval", "0", "--json"});
  std::filesystem::remove(path);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  json doc = json::parse(r.out);
  EXPECT_EQ(doc["findings"].size(), 0u) << r.out;
}

}  // namespace
}  // namespace sockscope::testing
