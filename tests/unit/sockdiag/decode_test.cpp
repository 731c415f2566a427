// SPDX-License-Identifier: GPL-2.0-only
// Decoding real unix_diag / inet_diag dumps recorded from the kernel.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <map>

#include "../fixture.h"
#include "base/strings.h"
#include "sockdiag/sockdiag.h"

namespace sockscope::sockdiag {
namespace {

Dump load(const std::string& rel) {
  auto bytes = read_small_file(testing::fixture("topology") + "/" + rel);
  EXPECT_TRUE(bytes) << rel;
  return Dump(bytes->begin(), bytes->end());
}

std::string host_dump() {
  std::ifstream in(testing::fixture("topology") + "/netns.txt");
  std::string ino;
  in >> ino;
  return "diag/" + ino + "/unix";
}

TEST(DecodeUnix, ReadsNamesPeersVfsAndPendingConnections) {
  auto socks = decode_unix(load(host_dump()));
  ASSERT_TRUE(socks) << socks.error().what;
  std::string dir = testing::fixture_workdir("topology");
  int listeners = 0, abstract = 0, with_vfs = 0, with_pending = 0, connected = 0;
  for (const auto& s : socks.value()) {
    EXPECT_EQ(s.family, AF_UNIX);
    EXPECT_NE(s.inode, 0u);
    if (s.state == TCP_LISTEN && s.local.rfind(dir, 0) == 0) ++listeners;
    if (s.local.rfind("@sockscope-topology-", 0) == 0) ++abstract;
    if (s.local.rfind(dir, 0) == 0 && s.vfs_ino != 0) ++with_vfs;
    if (!s.pending.empty()) ++with_pending;
    if (s.peer_inode != 0) ++connected;
  }
  EXPECT_EQ(listeners, 6);  // listen, gone, replaced x2, pending, split
  EXPECT_GE(abstract, 2);   // the abstract listener and its accepted end
  EXPECT_GE(with_vfs, 8);
  EXPECT_EQ(with_pending, 1);
  EXPECT_GE(connected, 14);
}

TEST(DecodeUnix, RejectsTruncatedDumps) {
  Dump d = load(host_dump());
  d.resize(d.size() - 7);
  auto r = decode_unix(d);
  EXPECT_FALSE(r);
}

TEST(DecodeUnix, EmptyDumpIsEmpty) {
  auto r = decode_unix({});
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->empty());
}

TEST(DecodeInet, ReadsListenersWithAddresses) {
  std::ifstream in(testing::fixture("topology") + "/netns.txt");
  std::string ino;
  in >> ino;
  auto socks = decode_inet(load("diag/" + ino + "/tcp4"), IPPROTO_TCP);
  ASSERT_TRUE(socks);
  // The recorded host had one TCP listener, on 0.0.0.0:2024 (what `ss -tln`
  // printed then): the port as a user reads it, in host byte order.
  ASSERT_EQ(socks->size(), 1u);
  const auto& s = socks->front();
  EXPECT_EQ(s.state, TCP_LISTEN);
  EXPECT_EQ(s.local, "0.0.0.0:2024");
  EXPECT_EQ(s.remote, "0.0.0.0:0");
  EXPECT_EQ(s.inode, 562u);
  EXPECT_EQ(s.type, SOCK_STREAM);
}

// Found by fuzz/sock_diag.cpp (docs/testing.md): a recorded dump, mutated so
// that its last message (3901 bytes) ends the dump without the padding to 4
// bytes. NLMSG_NEXT's length went to -3, NLMSG_OK read it as 4 GiB and the
// walk read past the end of the buffer (an ASan heap-buffer-overflow).
TEST(DecodeUnix, LastMessageWithoutPaddingEndsTheDump) {
  auto bytes = read_small_file(testing::fixture("fuzz_regressions") + "/sock_diag/unpadded_last_message");
  ASSERT_TRUE(bytes);
  Dump dump(bytes->begin(), bytes->end());
  ASSERT_EQ(dump.size() % 4, 1u);
  auto socks = decode_unix(dump);
  ASSERT_TRUE(socks) << socks.error().what;
  ASSERT_EQ(socks->size(), 2u);
  EXPECT_EQ(socks->front().inode, 20974u);
  // Its 44-byte unix payloads are too short for an inet_diag_msg: an error, no read past them.
  EXPECT_FALSE(decode_inet(dump, IPPROTO_TCP));
  // Cut inside the last message's header: an error, not a read past the end.
  dump.resize(60 + 8);
  EXPECT_FALSE(decode_unix(dump));
}

// tests/fixtures/families (scripts/record_families.sh): one process in a
// private netns holding UDP-Lite, raw, packet, netlink and ping sockets.
class Families : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ifstream pids(testing::fixture("families") + "/netns.txt");
    pids >> netns_;
    std::ifstream fds(testing::fixture("families") + "/fds.txt");
    int pid = testing::fixture_pids("families").at(0);
    for (std::string kv; fds >> kv;) {
      auto eq = kv.find('=');
      std::string link =
          read_link(testing::fixture("families") + "/proc/" + std::to_string(pid) + "/fd/" + kv.substr(eq + 1));
      inodes_[kv.substr(0, eq)] = std::stoull(link.substr(8));  // "socket:[N]"
    }
  }
  static std::string read_link(const std::string& path) {
    char buf[256] = {};
    ssize_t n = ::readlink(path.c_str(), buf, sizeof(buf) - 1);
    return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
  }
  Dump dump(const std::string& kind) const {
    auto bytes = read_small_file(testing::fixture("families") + "/diag/" + netns_ + "/" + kind);
    EXPECT_TRUE(bytes) << kind;
    return bytes ? Dump(bytes->begin(), bytes->end()) : Dump{};
  }
  const SocketInfo* find(const std::vector<SocketInfo>& socks, const std::string& name) const {
    for (const auto& s : socks)
      if (s.inode == inodes_.at(name)) return &s;
    ADD_FAILURE() << name << " is not in the dump";
    return nullptr;
  }
  std::string netns_;
  std::map<std::string, uint64_t> inodes_;
};

TEST_F(Families, UdpLiteWithAddressesAndState) {
  auto socks = decode_inet(dump("udplite4"), IPPROTO_UDPLITE);
  ASSERT_TRUE(socks) << socks.error().what;
  const SocketInfo* server = find(*socks, "udplite_server");
  const SocketInfo* client = find(*socks, "udplite_client");
  ASSERT_TRUE(server && client);
  EXPECT_EQ(server->protocol, IPPROTO_UDPLITE);
  EXPECT_EQ(server->type, SOCK_DGRAM);
  EXPECT_EQ(server->state, TCP_CLOSE);
  EXPECT_EQ(client->state, TCP_ESTABLISHED);
  EXPECT_EQ(client->remote, server->local);
  auto six = decode_inet(dump("udplite6"), IPPROTO_UDPLITE);
  ASSERT_TRUE(six);
  const SocketInfo* v6 = find(*six, "udplite6");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->local.rfind("[::1]:", 0), 0u) << v6->local;
  EXPECT_EQ(v6->family, AF_INET6);
}

// /proc/net/raw{,6}: the "port" column is the protocol the socket was
// opened with; a raw socket has no port.
TEST_F(Families, RawSocketsTakeTheirProtocolFromThePort) {
  auto four = decode_proc_net(dump("raw4"), AF_INET, SOCK_RAW);
  auto six = decode_proc_net(dump("raw6"), AF_INET6, SOCK_RAW);
  ASSERT_TRUE(four && six) << (four ? six.error().what : four.error().what);
  const SocketInfo* r4 = find(*four, "raw4");
  const SocketInfo* r6 = find(*six, "raw6");
  ASSERT_TRUE(r4 && r6);
  EXPECT_EQ(r4->family, AF_INET);
  EXPECT_EQ(r4->type, SOCK_RAW);
  EXPECT_EQ(r4->protocol, IPPROTO_ICMP);
  EXPECT_EQ(r4->state, TCP_CLOSE);
  EXPECT_EQ(r4->local, "0.0.0.0");
  EXPECT_EQ(r4->remote, "0.0.0.0");
  EXPECT_EQ(r6->family, AF_INET6);
  EXPECT_EQ(r6->protocol, IPPROTO_ICMPV6);
  EXPECT_EQ(r6->local, "[::]");
}

// /proc/net/icmp: a bound ping socket, its echo identifier as the port; an
// unbound one is in no table.
TEST_F(Families, PingSocketsFromTheIcmpTable) {
  auto socks = decode_proc_net(dump("icmp4"), AF_INET, SOCK_DGRAM);
  ASSERT_TRUE(socks) << socks.error().what;
  ASSERT_EQ(socks->size(), 1u);
  const SocketInfo* ping = find(*socks, "ping");
  ASSERT_TRUE(ping);
  EXPECT_EQ(ping->protocol, IPPROTO_ICMP);
  EXPECT_EQ(ping->type, SOCK_DGRAM);
  EXPECT_EQ(ping->local.rfind("127.0.0.1:", 0), 0u) << ping->local;
  EXPECT_NE(ping->local, "127.0.0.1:0") << "the kernel picked an identifier at bind()";
  EXPECT_EQ(ping->remote, "0.0.0.0:0");
}

TEST(DecodeProcNet, ALineThatDoesNotParseIsAnError) {
  std::string head =
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";
  auto table = [&](const std::string& line) {
    std::string t = head + line + "\n";
    return Dump(t.begin(), t.end());
  };
  std::string good = "   1: 0100007F:0001 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 77 2";
  auto ok = decode_proc_net(table(good), AF_INET, SOCK_RAW);
  ASSERT_TRUE(ok) << ok.error().what;
  ASSERT_EQ(ok->size(), 1u);
  EXPECT_EQ(ok->front().local, "127.0.0.1");
  EXPECT_EQ(ok->front().inode, 77u);
  for (const std::string& bad :
       {std::string("   1: 0100007F 00000000:0000 07"), good.substr(0, 40),
        std::string("   1: 0100007G:0001 00000000:0000 07 00000000:00000000 00:00000000 00000000 0 0 77 2")})
    EXPECT_FALSE(decode_proc_net(table(bad), AF_INET, SOCK_RAW)) << bad;
  EXPECT_FALSE(decode_proc_net(table(good), AF_INET6, SOCK_RAW)) << "an IPv4 address in an IPv6 table";
  EXPECT_TRUE(decode_proc_net(Dump{}, AF_INET, SOCK_RAW)) << "an empty read is an empty table";
  Dump cut = table(good);
  cut.pop_back();  // the last line's newline
  EXPECT_FALSE(decode_proc_net(cut, AF_INET, SOCK_RAW)) << "a cut table is an error, not one line fewer";
}

TEST_F(Families, PacketSocketsWithEthertypeAndInterface) {
  auto socks = decode_packet(dump("packet"));
  ASSERT_TRUE(socks) << socks.error().what;
  const SocketInfo* all = find(*socks, "packet_all");
  const SocketInfo* lo = find(*socks, "packet_ip_lo");
  ASSERT_TRUE(all && lo);
  EXPECT_EQ(all->family, AF_PACKET);
  EXPECT_EQ(all->type, SOCK_RAW);
  EXPECT_EQ(all->protocol, 0x0003);  // ETH_P_ALL
  EXPECT_EQ(all->ifindex, 0);
  EXPECT_EQ(all->local, "*:*");
  EXPECT_EQ(lo->type, SOCK_DGRAM);
  EXPECT_EQ(lo->protocol, 0x0800);
  EXPECT_EQ(lo->ifindex, 1);
  EXPECT_EQ(lo->local, "ip:if1") << "the name is asked of the live namespace, not the dump";
  EXPECT_EQ(packet_local(0x0800, 1, "lo"), "ip:lo");
  EXPECT_EQ(packet_local(0x88b5, 2, ""), "0x88b5:if2");
}

TEST_F(Families, NetlinkSocketsOfProcessesOnly) {
  auto socks = decode_netlink(dump("netlink"));
  ASSERT_TRUE(socks) << socks.error().what;
  const SocketInfo* route = find(*socks, "netlink_route");
  const SocketInfo* genl = find(*socks, "netlink_genl");
  ASSERT_TRUE(route && genl);
  EXPECT_EQ(route->protocol, 0);  // NETLINK_ROUTE
  EXPECT_EQ(route->type, SOCK_RAW);
  EXPECT_EQ(route->state, TCP_CLOSE);
  EXPECT_EQ(route->local.rfind("rtnl:", 0), 0u) << route->local;
  EXPECT_NE(route->local, "rtnl:0");
  EXPECT_TRUE(route->remote.empty());
  EXPECT_EQ(genl->protocol, 16);  // NETLINK_GENERIC
  EXPECT_EQ(genl->state, TCP_ESTABLISHED);
  EXPECT_EQ(genl->remote, "genl:0");
  // The kernel's ends (port id 0) are in the dump but no process holds them.
  for (const auto& s : *socks) EXPECT_NE(s.local.substr(s.local.find(':')), ":0") << s.local;
  EXPECT_LE(socks->size(), 3u) << "the kernel's own sockets were kept";
}

}  // namespace
}  // namespace sockscope::sockdiag
