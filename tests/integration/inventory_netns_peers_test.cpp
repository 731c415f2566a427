// SPDX-License-Identifier: GPL-2.0-only
// TCP peers are joined within their own network namespace: the same loopback
// connection (same addresses and ports) in two namespaces is two connections,
// and `ls`/`fd` must pair each client with the server of its own namespace
// (issue #21, item 2). Checked against ss(8) run inside each namespace.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "support/helpers.h"

namespace sockscope::testing {
namespace {

using nlohmann::json;

// Fixed fds and ports: each connection lives in a fresh namespace, where
// every port is free, and the child closes every inherited fd above 2.
constexpr int kListenFd = 100, kClientFd = 101, kAcceptedFd = 102;
constexpr uint16_t kServerPort = 4711, kClientPort = 4712;

// A new netns starts with `lo` down.
void loopback_up() {
  int s = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  ifreq ifr{};
  std::strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
  if (s < 0 || ::ioctl(s, SIOCGIFFLAGS, &ifr) != 0) ::_exit(1);
  ifr.ifr_flags = static_cast<short>(ifr.ifr_flags | IFF_UP);
  if (::ioctl(s, SIOCSIFFLAGS, &ifr) != 0) ::_exit(1);
  ::close(s);
}

sockaddr_in loopback(uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

void keep_at(int fd, int at) {
  if (fd < 0 || ::dup2(fd, at) != at) ::_exit(1);
  ::close(fd);
}

// In a private netns: 127.0.0.1:4712 connected to a listener on
// 127.0.0.1:4711, the accepted end kept open (runs in the child).
void connection_in_private_netns() {
  if (::unshare(CLONE_NEWNET) != 0) ::_exit(1);
  loopback_up();
  int one = 1;
  sockaddr_in server = loopback(kServerPort), client = loopback(kClientPort);
  int l = ::socket(AF_INET, SOCK_STREAM, 0);
  ::setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if (::bind(l, reinterpret_cast<sockaddr*>(&server), sizeof(server)) != 0 || ::listen(l, 4) != 0) ::_exit(1);
  int c = ::socket(AF_INET, SOCK_STREAM, 0);
  if (::bind(c, reinterpret_cast<sockaddr*>(&client), sizeof(client)) != 0 ||
      ::connect(c, reinterpret_cast<sockaddr*>(&server), sizeof(server)) != 0)
    ::_exit(1);
  int a = ::accept(l, nullptr, nullptr);
  keep_at(l, kListenFd);
  keep_at(c, kClientFd);
  keep_at(a, kAcceptedFd);
}

uint64_t netns_of(pid_t pid) {
  struct stat st {};
  std::string link = "/proc/" + std::to_string(pid) + "/ns/net";
  return ::stat(link.c_str(), &st) == 0 ? st.st_ino : 0;
}

const json* socket_by_inode(const json& doc, uint64_t inode) {
  for (const auto& s : doc["sockets"])
    if (s["inode"] == inode) return &s;
  return nullptr;
}

// ss inside the netns of `pid` lists both ends of the connection there: the
// kernel's own view of the pair.
bool ss_sees_pair_in_netns(pid_t pid) {
  auto r = run({"nsenter", "-t", std::to_string(pid), "-n", "ss", "-tanH", "state", "established"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::set<std::pair<std::string, std::string>> ends;
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line))
    if (auto w = words(line); w.size() >= 4) ends.emplace(w[w.size() - 2], w[w.size() - 1]);
  return ends.count({"127.0.0.1:4712", "127.0.0.1:4711"}) && ends.count({"127.0.0.1:4711", "127.0.0.1:4712"});
}

TEST(NetnsPeers, SameLoopbackConnectionInTwoNamespacesIsPairedWithinEach) {
  if (auto why = need_root(); !why.empty()) GTEST_SKIP() << why;
  Child a(connection_in_private_netns), b(connection_in_private_netns);
  ASSERT_NE(netns_of(a.pid()), netns_of(b.pid()));
  ASSERT_TRUE(ss_sees_pair_in_netns(a.pid()));
  ASSERT_TRUE(ss_sees_pair_in_netns(b.pid()));

  auto r = sockscope({"ls", "--inet", "--json", "-p", std::to_string(a.pid()), "-p", std::to_string(b.pid())});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json doc = json::parse(r.out);
  for (const Child* c : {&a, &b}) {
    uint64_t netns = netns_of(c->pid());
    uint64_t client = socket_inode(c->pid(), kClientFd), accepted = socket_inode(c->pid(), kAcceptedFd);
    for (auto [end, other] : {std::pair{client, accepted}, std::pair{accepted, client}}) {
      const json* s = socket_by_inode(doc, end);
      ASSERT_TRUE(s) << "socket " << end << " of pid " << c->pid() << " is missing:\n" << r.out;
      EXPECT_EQ((*s)["netns"], netns);
      ASSERT_FALSE((*s)["peer"].is_null()) << s->dump();
      EXPECT_EQ((*s)["peer"]["inode"], other) << "pid " << c->pid() << ": " << s->dump();
      EXPECT_EQ((*s)["peer"]["netns"], netns) << s->dump();
    }
  }

  // fd names the peer's holder as this namespace's process, not the other's.
  auto fd = sockscope({"fd", std::to_string(b.pid()), std::to_string(kClientFd), "--json"});
  ASSERT_EQ(fd.exit_code, 0) << fd.err;
  json e = json::parse(fd.out);
  EXPECT_EQ(e["socket"]["peer"]["inode"], socket_inode(b.pid(), kAcceptedFd)) << fd.out;
  ASSERT_EQ(e["socket"]["peer"]["owners"].size(), 1u) << fd.out;
  EXPECT_EQ(e["socket"]["peer"]["owners"][0]["pid"], b.pid()) << fd.out;
}

// In a private netns: the same client address connected, but never
// accepted: its server end is a request socket no process holds (inode 0).
void queued_client_in_private_netns() {
  if (::unshare(CLONE_NEWNET) != 0) ::_exit(1);
  loopback_up();
  sockaddr_in server = loopback(kServerPort), client = loopback(kClientPort);
  int l = ::socket(AF_INET, SOCK_STREAM, 0);
  if (::bind(l, reinterpret_cast<sockaddr*>(&server), sizeof(server)) != 0 || ::listen(l, 4) != 0) ::_exit(1);
  int c = ::socket(AF_INET, SOCK_STREAM, 0);
  if (::bind(c, reinterpret_cast<sockaddr*>(&client), sizeof(client)) != 0 ||
      ::connect(c, reinterpret_cast<sockaddr*>(&server), sizeof(server)) != 0)
    ::_exit(1);
  keep_at(l, kListenFd);
  keep_at(c, kClientFd);
}

// Loopback never crosses namespaces: a queued client whose only look-alike
// server end is in another namespace has no peer, and says it waits to be
// accepted, never "joined" to the other namespace's server.
TEST(NetnsPeers, QueuedLoopbackClientIsNotJoinedToALookAlikeElsewhere) {
  if (auto why = need_root(); !why.empty()) GTEST_SKIP() << why;
  Child accepted(connection_in_private_netns), queued(queued_client_in_private_netns);
  ASSERT_TRUE(ss_sees_pair_in_netns(accepted.pid()));
  auto r =
      sockscope({"ls", "--inet", "--json", "-p", std::to_string(accepted.pid()), "-p", std::to_string(queued.pid())});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json doc = json::parse(r.out);
  const json* s = socket_by_inode(doc, socket_inode(queued.pid(), kClientFd));
  ASSERT_TRUE(s) << r.out;
  EXPECT_TRUE((*s)["peer"].is_null()) << s->dump();
  EXPECT_EQ((*s)["no_peer_reason"].get<std::string>().rfind("connected, but not accepted yet", 0), 0u) << s->dump();
}

}  // namespace
}  // namespace sockscope::testing
