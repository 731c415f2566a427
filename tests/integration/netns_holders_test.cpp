// SPDX-License-Identifier: GPL-2.0-only
// Issue #21 item 1: every socket is listed in its true network namespace,
// whatever keeps that namespace alive: an fd, a bind mount outside
// /run/netns, or only the socket itself (SIOCGSKNS). And sockets no dump
// lists (unbound inet) say what they are instead of "other"/"?".
// Each case is built by a real process; the kernel's own answer (`ss` run
// in that namespace, /proc/PID/net/netlink) is the oracle where one exists.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/netlink.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstddef>
#include <cstdio>
#include <cstring>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "support/helpers.h"

namespace sockscope::testing {
namespace {

using nlohmann::json;

// What a Child tells the test: Child closes every other descriptor, so it
// writes into memory shared across the fork.
struct Told {
  int socket_fd = -1;
  int netns_fd = -1;
  int other_fd = -1;
  int tcp_fds[2] = {-1, -1};
  uint64_t netns = 0;
  char name[64] = {};
};

class Shared {
 public:
  Shared() {
    void* p = ::mmap(nullptr, sizeof(Told), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) std::abort();
    told_ = new (p) Told;
  }
  ~Shared() { ::munmap(told_, sizeof(Told)); }
  Shared(const Shared&) = delete;
  Shared& operator=(const Shared&) = delete;
  Told* operator->() const { return told_; }

 private:
  Told* told_;
};

uint64_t inode_of(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}

// In the child: a new network namespace with an abstract unix listener in
// it, then back home. `keep` runs while inside (to pin the namespace).
void listener_in_private_netns(Told* t, const std::string& name, const std::function<void()>& keep) {
  int home = ::open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
  if (home < 0 || ::unshare(CLONE_NEWNET) != 0) ::_exit(1);
  t->netns = inode_of("/proc/thread-self/ns/net");
  int s = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  std::memcpy(a.sun_path + 1, name.data(), name.size());
  if (::bind(s, reinterpret_cast<sockaddr*>(&a),
             static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name.size())) != 0 ||
      ::listen(s, 4) != 0)
    ::_exit(1);
  t->socket_fd = s;
  std::snprintf(t->name, sizeof(t->name), "%s", name.c_str());
  keep();
  if (::setns(home, CLONE_NEWNET) != 0) ::_exit(1);
  ::close(home);
}

json ls_json(pid_t pid) {
  auto r = sockscope({"ls", "-p", std::to_string(pid), "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto doc = json::parse(r.out, nullptr, false);
  EXPECT_FALSE(doc.is_discarded()) << r.out.substr(0, 400);
  return doc;
}

json socket_of(const json& doc, uint64_t inode) {
  for (const auto& s : doc["sockets"])
    if (s["inode"] == inode) return s;
  return json();
}

json namespace_of(const json& doc, uint64_t inode) {
  for (const auto& n : doc["namespaces"])
    if (n["inode"] == inode) return n;
  return json();
}

// `ss -xln` in the namespace `netns_path` opens: the kernel's own listing.
std::string ss_unix_listeners_in(const std::string& netns_path) {
  auto r = run({"nsenter", "--net=" + netns_path, "ss", "-xlnH"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out;
}

TEST(NetnsHolders, NamespaceKeptOpenByAnFd) {
  if (auto why = need_root(); !why.empty()) GTEST_SKIP() << why;
  Shared told;
  std::string name = "sockscope-fdns-" + std::to_string(::getpid());
  Child c([&] {
    listener_in_private_netns(told.operator->(), name, [&] {
      told->netns_fd = ::open("/proc/thread-self/ns/net", O_RDONLY);  // no O_CLOEXEC needed: it only sleeps
    });
  });
  std::string fd_path = "/proc/" + std::to_string(c.pid()) + "/fd/" + std::to_string(told->netns_fd);
  ASSERT_EQ(inode_of(fd_path), told->netns);
  EXPECT_NE(ss_unix_listeners_in(fd_path).find("@" + name), std::string::npos) << "the kernel lists it there";

  auto doc = ls_json(c.pid());
  auto s = socket_of(doc, socket_inode(c.pid(), told->socket_fd));
  ASSERT_TRUE(s.is_object()) << doc.dump(2);
  EXPECT_EQ(s["netns"], told->netns) << "filed under its own namespace, not the holder's";
  EXPECT_EQ(s["family"], "unix");
  EXPECT_EQ(s["state"], "LISTEN");
  EXPECT_EQ(s["path"], "@" + name);
  EXPECT_EQ(namespace_of(doc, told->netns)["held_by"],
            "fd " + std::to_string(told->netns_fd) + " of pid " + std::to_string(c.pid()));
}

TEST(NetnsHolders, NamespaceKeptOnlyByItsSocket) {
  if (auto why = need_root(); !why.empty()) GTEST_SKIP() << why;
  Shared told;
  std::string name = "sockscope-sockns-" + std::to_string(::getpid());
  Child c([&] { listener_in_private_netns(told.operator->(), name, [] {}); });
  uint64_t own = inode_of("/proc/" + std::to_string(c.pid()) + "/ns/net");
  ASSERT_NE(own, told->netns);

  auto doc = ls_json(c.pid());
  auto s = socket_of(doc, socket_inode(c.pid(), told->socket_fd));
  ASSERT_TRUE(s.is_object()) << doc.dump(2);
  EXPECT_EQ(s["netns"], told->netns) << "the namespace the socket was made in, which only it keeps alive";
  EXPECT_EQ(s["state"], "LISTEN") << "dumped from that namespace, not guessed";
  EXPECT_EQ(s["path"], "@" + name);
  EXPECT_EQ(s["in_dump"], true);
  std::string held = namespace_of(doc, told->netns)["held_by"].get<std::string>();
  EXPECT_EQ(held.rfind("only its sockets", 0), 0u) << held;

  auto fd = sockscope({"fd", std::to_string(c.pid()), std::to_string(told->socket_fd), "--no-history"});
  EXPECT_EQ(fd.exit_code, 0) << fd.err;
  EXPECT_NE(fd.out.find("kept alive by only its sockets"), std::string::npos) << fd.out;
}

TEST(NetnsHolders, NamespacePinnedByABindMountOutsideRunNetns) {
  if (auto why = need_root(); !why.empty()) GTEST_SKIP() << why;
  char tmpl[] = "/tmp/sockscope-nsmount.XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  std::string dir = tmpl, pin = dir + "/net ns";  // a space: escaped as \040 in mountinfo
  ::close(::open(pin.c_str(), O_CREAT | O_WRONLY, 0600));
  Shared told;
  std::string name = "sockscope-mountns-" + std::to_string(::getpid());
  {
    Child c([&] {
      listener_in_private_netns(told.operator->(), name, [&] {
        if (::mount("/proc/thread-self/ns/net", pin.c_str(), nullptr, MS_BIND, nullptr) != 0) ::_exit(1);
      });
    });
    EXPECT_NE(ss_unix_listeners_in(pin).find("@" + name), std::string::npos);
    auto doc = ls_json(c.pid());
    auto s = socket_of(doc, socket_inode(c.pid(), told->socket_fd));
    ASSERT_TRUE(s.is_object()) << doc.dump(2);
    EXPECT_EQ(s["netns"], told->netns);
    EXPECT_EQ(s["state"], "LISTEN");
    std::string held = namespace_of(doc, told->netns)["held_by"].get<std::string>();
    EXPECT_NE(held.find("a bind mount at " + pin), std::string::npos) << held;
  }
  EXPECT_EQ(::umount2(pin.c_str(), MNT_DETACH), 0);
  ::unlink(pin.c_str());
  ::rmdir(dir.c_str());
}

// Unbound inet sockets are in no sock_diag dump: they say what they are
// (getsockopt through pidfd_getfd), with no state, address or peer guessed,
// and a reason that is true for them. Netlink sockets are dumped
// (netlink_diag); every_family_test.cpp has the other families.
TEST(NetnsHolders, SocketsNoDumpListsSayWhatTheyAre) {
  if (auto why = need_root(); !why.empty()) GTEST_SKIP() << why;
  Shared told;
  Child c([&] {
    told->socket_fd = ::socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
    sockaddr_nl self{};  // bound (the kernel picks the port id), so /proc/net/netlink lists it
    self.nl_family = AF_NETLINK;
    if (::bind(told->socket_fd, reinterpret_cast<sockaddr*>(&self), sizeof(self)) != 0) ::_exit(1);
    told->other_fd = ::socket(AF_INET, SOCK_DGRAM, 0);                   // unbound UDP
    for (int& t : told->tcp_fds) t = ::socket(AF_INET, SOCK_STREAM, 0);  // unbound TCP
  });
  int udp_fd = told->other_fd;
  uint64_t nl = socket_inode(c.pid(), told->socket_fd), udp = socket_inode(c.pid(), udp_fd);
  auto netlink_table = run({"cat", "/proc/" + std::to_string(c.pid()) + "/net/netlink"});
  EXPECT_NE(netlink_table.out.find(" " + std::to_string(nl)), std::string::npos) << "the kernel lists it as netlink";
  uint64_t own = inode_of("/proc/" + std::to_string(c.pid()) + "/ns/net");

  auto doc = ls_json(c.pid());
  auto n = socket_of(doc, nl);
  ASSERT_TRUE(n.is_object()) << doc.dump(2);
  EXPECT_EQ(n["family"], "netlink");
  EXPECT_EQ(n["type"], "raw");
  EXPECT_EQ(n["in_dump"], true) << "netlink_diag lists it";
  EXPECT_EQ(n["state"], "UNCONN");
  EXPECT_EQ(n["netns"], own);
  EXPECT_NE(n["no_peer_reason"].get<std::string>().find("netlink"), std::string::npos) << n.dump();

  auto u = socket_of(doc, udp);
  ASSERT_TRUE(u.is_object()) << doc.dump(2);
  EXPECT_EQ(u["family"], "inet");
  EXPECT_EQ(u["protocol"], "udp");
  EXPECT_EQ(u["in_dump"], false);
  EXPECT_TRUE(u["local"].is_null());
  EXPECT_NE(u["no_peer_reason"].get<std::string>().find("not bound"), std::string::npos) << u.dump();

  // Two unbound TCP sockets have no addresses: never each other's peer.
  for (int fd : told->tcp_fds) {
    auto t = socket_of(doc, socket_inode(c.pid(), fd));
    ASSERT_TRUE(t.is_object()) << doc.dump(2);
    EXPECT_EQ(t["protocol"], "tcp");
    EXPECT_TRUE(t["peer"].is_null()) << t.dump();
  }
}

}  // namespace
}  // namespace sockscope::testing
