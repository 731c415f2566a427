// SPDX-License-Identifier: GPL-2.0-only
// Issue #21 item 5: UDP-Lite, packet and netlink sockets come from the
// kernel's sock_diag dumps (inet_diag, packet_diag, netlink_diag), raw and
// ICMP ping sockets from its /proc/net tables, with their true type,
// protocol, state and addresses; an unbound ping socket, which nothing
// lists, says what it is and that nothing more is known.
//
// The sockets live in a private network namespace, where `ls` must find
// them through the holder. The oracle is the kernel's other listing of the
// same sockets, the /proc/PID/net tables (a separate code path from
// sock_diag), and ss(8) run inside that namespace for the packet sockets'
// addresses.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "sockdiag/sockdiag.h"
#include "support/helpers.h"

namespace sockscope::testing {
namespace {

using nlohmann::json;

// Descriptors the child made, in memory shared across the fork (Child
// closes every other descriptor).
struct Fds {
  int udplite_server = -1, udplite_client = -1;
  int raw4 = -1, raw6 = -1;
  int packet_all = -1, packet_ip_lo = -1;
  int netlink_route = -1, netlink_genl_kernel = -1;
  int ping = -1, ping_unbound = -1;
  int tcp_listener = -1, udp6 = -1, unix_stream[2] = {-1, -1}, unix_dgram = -1;
  int vsock = -1;
  bool ok = false;
};

Fds* shared_fds() {
  void* p = ::mmap(nullptr, sizeof(Fds), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) std::abort();
  return new (p) Fds;
}

bool loopback_up() {
  int s = ::socket(AF_INET, SOCK_DGRAM, 0);
  ifreq ifr{};
  std::strcpy(ifr.ifr_name, "lo");
  bool ok = ::ioctl(s, SIOCGIFFLAGS, &ifr) == 0;
  ifr.ifr_flags = static_cast<short>(ifr.ifr_flags | IFF_UP);
  ok = ok && ::ioctl(s, SIOCSIFFLAGS, &ifr) == 0;
  ::close(s);
  return ok;
}

bool udplite_pair(Fds* f) {
  f->udplite_server = ::socket(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE);
  f->udplite_client = ::socket(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(a);
  return ::bind(f->udplite_server, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0 &&
         ::getsockname(f->udplite_server, reinterpret_cast<sockaddr*>(&a), &len) == 0 &&
         ::connect(f->udplite_client, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0;
}

bool packet_sockets(Fds* f) {
  f->packet_all = ::socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
  f->packet_ip_lo = ::socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_IP));
  sockaddr_ll ll{};
  ll.sll_family = AF_PACKET;
  ll.sll_protocol = htons(ETH_P_IP);
  ll.sll_ifindex = static_cast<int>(::if_nametoindex("lo"));
  return f->packet_all >= 0 && ::bind(f->packet_ip_lo, reinterpret_cast<sockaddr*>(&ll), sizeof(ll)) == 0;
}

bool netlink_sockets(Fds* f) {
  f->netlink_route = ::socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
  f->netlink_genl_kernel = ::socket(AF_NETLINK, SOCK_DGRAM, NETLINK_GENERIC);
  sockaddr_nl self{}, kernel{};
  self.nl_family = kernel.nl_family = AF_NETLINK;
  return ::bind(f->netlink_route, reinterpret_cast<sockaddr*>(&self), sizeof(self)) == 0 &&
         ::connect(f->netlink_genl_kernel, reinterpret_cast<sockaddr*>(&kernel), sizeof(kernel)) == 0;
}

// ICMP ping sockets need the group in net.ipv4.ping_group_range, a
// per-namespace sysctl (empty by default): opened for root here only.
bool ping_socket(Fds* f) {
  std::ofstream("/proc/sys/net/ipv4/ping_group_range") << "0 0\n";
  f->ping = ::socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
  f->ping_unbound = ::socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return ::bind(f->ping, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0 && f->ping_unbound >= 0;
}

// The families everyone dumps, for the lsfd comparison.
bool common_sockets(Fds* f) {
  f->tcp_listener = ::socket(AF_INET, SOCK_STREAM, 0);
  f->udp6 = ::socket(AF_INET6, SOCK_DGRAM, 0);
  f->unix_dgram = ::socket(AF_UNIX, SOCK_DGRAM, 0);
  f->vsock = ::socket(AF_VSOCK, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  sockaddr_in6 a6{};
  a6.sin6_family = AF_INET6;
  a6.sin6_addr = in6addr_loopback;
  return ::bind(f->tcp_listener, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0 &&
         ::listen(f->tcp_listener, 4) == 0 && ::bind(f->udp6, reinterpret_cast<sockaddr*>(&a6), sizeof(a6)) == 0 &&
         ::socketpair(AF_UNIX, SOCK_STREAM, 0, f->unix_stream) == 0 && f->unix_dgram >= 0 && f->vsock >= 0;
}

void make_every_family(Fds* f) {
  if (::unshare(CLONE_NEWNET) != 0 || !loopback_up()) return;
  f->raw4 = ::socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
  f->raw6 = ::socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6);
  f->ok = f->raw4 >= 0 && f->raw6 >= 0 && udplite_pair(f) && packet_sockets(f) && netlink_sockets(f) &&
          ping_socket(f) && common_sockets(f);
}

// The row of /proc/PID/net/TABLE whose inode column (`column`, from 0) is
// `inode`, split into words; empty when the kernel lists no such socket.
std::vector<std::string> proc_net_row(pid_t pid, const std::string& table, size_t column, unsigned long inode) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/net/" + table);
  std::string line;
  while (std::getline(in, line)) {
    auto w = words(line);
    if (w.size() > column && w[column] == std::to_string(inode)) return w;
  }
  return {};
}

json socket_of(const json& doc, unsigned long inode) {
  for (const auto& s : doc["sockets"])
    if (s["inode"] == inode) return s;
  return json();
}

class EveryFamily : public ::testing::Test {
 protected:
  void SetUp() override {
    if (auto why = need_root(); !why.empty()) GTEST_SKIP() << why;
    fds_ = shared_fds();
    child_ = std::make_unique<Child>([this] { make_every_family(fds_); });
    ASSERT_TRUE(fds_->ok) << "the child could not make its sockets (UDP-Lite, raw, packet, netlink, ping)";
    auto r = sockscope({"ls", "-p", std::to_string(child_->pid()), "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    doc_ = json::parse(r.out, nullptr, false);
    ASSERT_FALSE(doc_.is_discarded()) << r.out.substr(0, 400);
    struct stat st {};
    ASSERT_EQ(::stat(("/proc/" + std::to_string(child_->pid()) + "/ns/net").c_str(), &st), 0);
    netns_ = st.st_ino;
  }
  void TearDown() override {
    child_.reset();
    if (fds_) ::munmap(fds_, sizeof(Fds));
  }

  unsigned long inode(int fd) const { return socket_inode(child_->pid(), fd); }
  json socket(int fd) const {
    auto s = socket_of(doc_, inode(fd));
    EXPECT_TRUE(s.is_object()) << "fd " << fd << " is not listed: " << doc_.dump(2).substr(0, 2000);
    if (s.is_object()) {
      EXPECT_EQ(s["netns"], netns_) << "the child's private namespace";
      EXPECT_EQ(s["owners"][0]["pid"], child_->pid());
    }
    return s;
  }
  std::vector<std::string> kernel_row(const std::string& table, size_t column, int fd) const {
    auto row = proc_net_row(child_->pid(), table, column, inode(fd));
    EXPECT_FALSE(row.empty()) << "/proc/PID/net/" << table << " does not list fd " << fd;
    return row;
  }

  Fds* fds_ = nullptr;
  std::unique_ptr<Child> child_;
  json doc_;
  uint64_t netns_ = 0;
};

// /proc/net/udplite: "sl local rem st ..." with addresses as hex
// "0100007F:PORT"; st 01 is TCP_ESTABLISHED, 07 TCP_CLOSE.
TEST_F(EveryFamily, UdpLiteFromTheDumpWithItsPeerReason) {
  auto server_row = kernel_row("udplite", 9, fds_->udplite_server);
  auto client_row = kernel_row("udplite", 9, fds_->udplite_client);
  ASSERT_GE(client_row.size(), 4u);
  EXPECT_EQ(client_row[3], "01") << "the kernel: connected";
  unsigned port = std::stoul(server_row.at(1).substr(9), nullptr, 16);

  auto server = socket(fds_->udplite_server), client = socket(fds_->udplite_client);
  EXPECT_EQ(server["family"], "inet");
  EXPECT_EQ(server["protocol"], "udplite");
  EXPECT_EQ(server["in_dump"], true);
  EXPECT_EQ(server["state"], "UNCONN");
  EXPECT_EQ(server["local"], "127.0.0.1:" + std::to_string(port));
  EXPECT_EQ(client["state"], "ESTAB");
  EXPECT_EQ(client["remote"], "127.0.0.1:" + std::to_string(port));
  EXPECT_EQ(client["no_peer_reason"], "a connected UDP socket: it sends to 127.0.0.1:" + std::to_string(port) +
                                          ", where socket inode " + std::to_string(inode(fds_->udplite_server)) + " (" +
                                          server["owners"][0]["comm"].get<std::string>() + "[" +
                                          std::to_string(child_->pid()) + "]) receives");
}

// /proc/net/raw: the local address's "port" is the protocol (hex).
TEST_F(EveryFamily, RawSocketsCarryTheirOwnProtocol) {
  auto row4 = kernel_row("raw", 9, fds_->raw4);
  auto row6 = kernel_row("raw6", 9, fds_->raw6);
  ASSERT_GE(row4.size(), 2u);
  ASSERT_GE(row6.size(), 2u);
  EXPECT_EQ(std::stoul(row4[1].substr(row4[1].find(':') + 1), nullptr, 16), unsigned{IPPROTO_ICMP});
  EXPECT_EQ(std::stoul(row6[1].substr(row6[1].find(':') + 1), nullptr, 16), unsigned{IPPROTO_ICMPV6});

  auto r4 = socket(fds_->raw4), r6 = socket(fds_->raw6);
  EXPECT_EQ(r4["family"], "inet");
  EXPECT_EQ(r4["type"], "raw");
  EXPECT_EQ(r4["protocol"], "icmp");
  EXPECT_EQ(r4["state"], "UNCONN");
  EXPECT_EQ(r4["local"], "0.0.0.0") << "a raw socket has no port";
  EXPECT_EQ(r4["in_dump"], true);
  EXPECT_EQ(r6["family"], "inet6");
  EXPECT_EQ(r6["protocol"], "icmpv6");
  EXPECT_EQ(r6["local"], "[::]");
  EXPECT_EQ(r6["no_peer_reason"], "a raw socket has no peer: it takes every icmpv6 packet sent to [::]");
}

// /proc/net/packet: "sk RefCnt Type Proto Iface R Rmem User Inode", Proto
// in hex, Iface an index.
TEST_F(EveryFamily, PacketSocketsWithTheirInterfaceAsSsNamesIt) {
  auto all_row = kernel_row("packet", 8, fds_->packet_all);
  auto lo_row = kernel_row("packet", 8, fds_->packet_ip_lo);
  ASSERT_GE(lo_row.size(), 5u);
  EXPECT_EQ(std::stoul(lo_row[3], nullptr, 16), unsigned{ETH_P_IP});
  EXPECT_EQ(lo_row[4], "1") << "lo is interface 1 in a new namespace";
  EXPECT_EQ(all_row.at(4), "0") << "not bound: every interface";

  auto all = socket(fds_->packet_all), lo = socket(fds_->packet_ip_lo);
  EXPECT_EQ(all["family"], "packet");
  EXPECT_EQ(all["type"], "raw");
  EXPECT_EQ(all["protocol"], "*");
  EXPECT_EQ(all["local"], "*:*");
  EXPECT_EQ(all["ifindex"], 0);
  EXPECT_EQ(lo["type"], "dgram");
  EXPECT_EQ(lo["protocol"], "ip");
  EXPECT_EQ(lo["ifindex"], 1);
  EXPECT_EQ(lo["local"], "ip:lo");
  EXPECT_EQ(lo["no_peer_reason"], "a packet socket has no peer: it takes the frames of one interface (ip:lo)");

  // ss names the same socket the same way, inside the same namespace.
  auto ss = run({"nsenter", "--net=/proc/" + std::to_string(child_->pid()) + "/ns/net", "ss", "-H", "-0", "-a", "-e"});
  ASSERT_EQ(ss.exit_code, 0) << ss.err;
  auto row = words(line_with(ss.out, "ino:" + std::to_string(inode(fds_->packet_ip_lo))));
  ASSERT_GE(row.size(), 5u) << ss.out;
  EXPECT_EQ(row[4], "ip:lo");
}

// /proc/net/netlink: "sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode".
TEST_F(EveryFamily, NetlinkSocketsWithProtocolPortIdAndConnection) {
  auto route_row = kernel_row("netlink", 9, fds_->netlink_route);
  auto genl_row = kernel_row("netlink", 9, fds_->netlink_genl_kernel);
  ASSERT_GE(route_row.size(), 3u);
  ASSERT_GE(genl_row.size(), 3u);
  EXPECT_EQ(route_row[1], std::to_string(NETLINK_ROUTE));
  EXPECT_EQ(genl_row[1], std::to_string(NETLINK_GENERIC));

  auto route = socket(fds_->netlink_route), genl = socket(fds_->netlink_genl_kernel);
  EXPECT_EQ(route["family"], "netlink");
  EXPECT_EQ(route["type"], "raw");
  EXPECT_EQ(route["protocol"], "rtnl");
  EXPECT_EQ(route["in_dump"], true);
  EXPECT_EQ(route["state"], "UNCONN");
  EXPECT_EQ(route["local"], "rtnl:" + route_row[2]) << "the port id the kernel gave at bind()";
  EXPECT_TRUE(route["remote"].is_null());
  EXPECT_EQ(route["no_peer_reason"],
            "a netlink socket is not connected: it sends to the kernel or names each receiver's port id");
  EXPECT_EQ(genl["type"], "dgram");
  EXPECT_EQ(genl["protocol"], "genl");
  EXPECT_EQ(genl["state"], "ESTAB") << "connect()ed to the kernel";
  EXPECT_EQ(genl["remote"], "genl:0");
  EXPECT_EQ(genl["local"], "genl:" + genl_row[2]);
  EXPECT_NE(genl["no_peer_reason"].get<std::string>().find("(the kernel)"), std::string::npos) << genl.dump();
  // In the whole listing, the namespace's netlink sockets are the child's
  // two: not the kernel's own (port id 0), not the one sockscope dumped
  // them through.
  auto all = sockscope({"ls", "--json"});
  ASSERT_EQ(all.exit_code, 0) << all.err;
  std::vector<uint64_t> netlink;
  auto everything = json::parse(all.out);
  for (const auto& s : everything["sockets"])
    if (s["family"] == "netlink" && s["netns"] == netns_) netlink.push_back(s["inode"].get<uint64_t>());
  EXPECT_EQ(netlink.size(), 2u) << all.out.substr(0, 2000);
}

// /proc/net/icmp lists a bound ping socket (no diag module dumps them):
// the echo identifier is its port. An unbound one is in no table: it says
// what it is, and nothing is made up.
TEST_F(EveryFamily, PingSocketsFromTheIcmpTable) {
  auto row = kernel_row("icmp", 9, fds_->ping);
  ASSERT_GE(row.size(), 2u);
  unsigned ident = std::stoul(row[1].substr(9), nullptr, 16);
  auto ping = socket(fds_->ping);
  EXPECT_EQ(ping["family"], "inet");
  EXPECT_EQ(ping["type"], "dgram");
  EXPECT_EQ(ping["protocol"], "icmp");
  EXPECT_EQ(ping["in_dump"], true);
  EXPECT_EQ(ping["state"], "UNCONN");
  EXPECT_EQ(ping["local"], "127.0.0.1:" + std::to_string(ident));

  EXPECT_TRUE(proc_net_row(child_->pid(), "icmp", 9, inode(fds_->ping_unbound)).empty());
  auto unbound = socket(fds_->ping_unbound);
  EXPECT_EQ(unbound["protocol"], "icmp");
  EXPECT_EQ(unbound["in_dump"], false);
  EXPECT_TRUE(unbound["state"].is_null());
  EXPECT_TRUE(unbound["local"].is_null());
  EXPECT_NE(unbound["no_peer_reason"].get<std::string>().find("(icmp)"), std::string::npos) << unbound.dump();
}

// A family sockscope does not dump (vsock): what the socket says of
// itself, and a reason that says sockscope does not dump it.
TEST_F(EveryFamily, AFamilyNotDumpedSaysSo) {
  auto v = socket(fds_->vsock);
  EXPECT_EQ(v["family"], "other");
  EXPECT_EQ(v["type"], "stream");
  EXPECT_EQ(v["in_dump"], false);
  EXPECT_TRUE(v["state"].is_null());
  EXPECT_EQ(v["no_peer_reason"], "a socket of address family " + std::to_string(AF_VSOCK) +
                                     ": sockscope dumps unix, inet, packet and netlink sockets only, so no peer "
                                     "is known");
}

// lsfd (util-linux) names each socket by the kernel's protocol name
// (PROTONAME, from the socket's "system.sockprotoname" xattr): each must
// agree with sockscope's family, type and protocol.
TEST_F(EveryFamily, AgreesWithLsfdProtocolNames) {
  auto r = run({"lsfd", "-p", std::to_string(child_->pid()), "-o", "FD,PROTONAME", "-r", "-n"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto protoname = [&](int fd) {
    std::istringstream in(r.out);
    for (std::string line; std::getline(in, line);) {
      auto w = words(line);
      if (w.size() == 2 && w[0] == std::to_string(fd)) return w[1];
    }
    return std::string("(none)");
  };
  auto what = [&](int fd) {
    auto s = socket(fd);
    std::string out = s["family"].get<std::string>() + " " + s["type"].get<std::string>();
    return s.contains("protocol") ? out + " " + s["protocol"].get<std::string>() : out;
  };
  struct Case {
    int fd;
    const char* lsfd;
    const char* ours;
  };
  for (const Case& c :
       {Case{fds_->udplite_server, "UDP-Lite", "inet dgram udplite"}, Case{fds_->raw4, "RAW", "inet raw icmp"},
        Case{fds_->raw6, "RAWv6", "inet6 raw icmpv6"}, Case{fds_->packet_all, "PACKET", "packet raw *"},
        Case{fds_->packet_ip_lo, "PACKET", "packet dgram ip"}, Case{fds_->netlink_route, "NETLINK", "netlink raw rtnl"},
        Case{fds_->netlink_genl_kernel, "NETLINK", "netlink dgram genl"},
        Case{fds_->ping, "PING", "inet dgram icmp"}}) {
    EXPECT_EQ(protoname(c.fd), c.lsfd) << "fd " << c.fd << ": " << r.out;
    EXPECT_EQ(what(c.fd), c.ours) << "fd " << c.fd;
  }
}

// The text table names each kind so that it can be told apart.
TEST_F(EveryFamily, TextKinds) {
  auto r = sockscope({"ls", "-p", std::to_string(child_->pid())});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto kind = [&](int fd) {
    auto row = words(line_with(r.out, std::to_string(inode(fd))));
    return row.size() > 2 ? row[2] : std::string("(no row)");
  };
  EXPECT_EQ(kind(fds_->udplite_server), "udplite/4");
  EXPECT_EQ(kind(fds_->raw4), "raw/4:icmp");
  EXPECT_EQ(kind(fds_->raw6), "raw/6:icmpv6");
  EXPECT_EQ(kind(fds_->packet_all), "packet/raw");
  EXPECT_EQ(kind(fds_->netlink_route), "netlink/raw");
  EXPECT_EQ(kind(fds_->ping), "icmp/4");
  EXPECT_EQ(kind(fds_->ping_unbound), "icmp/4");
  EXPECT_NE(line_with(r.out, std::to_string(inode(fds_->packet_ip_lo))).find(" ip:lo "), std::string::npos) << r.out;

  auto fd_text = [&](int fd) {
    auto f = sockscope({"fd", std::to_string(child_->pid()), std::to_string(fd), "--no-history"});
    EXPECT_EQ(f.exit_code, 0) << f.err;
    return f.out;
  };
  EXPECT_NE(fd_text(fds_->raw4).find("inet raw socket (icmp), inode " + std::to_string(inode(fds_->raw4))),
            std::string::npos)
      << fd_text(fds_->raw4);
  EXPECT_NE(fd_text(fds_->netlink_genl_kernel).find("netlink dgram socket (genl), inode"), std::string::npos)
      << fd_text(fds_->netlink_genl_kernel);
  std::string lo = fd_text(fds_->packet_ip_lo);
  EXPECT_NE(lo.find("packet dgram socket (ip), inode"), std::string::npos) << lo;
  EXPECT_NE(lo.find("local ip:lo"), std::string::npos) << lo;
}

// A protocol no inet_diag module handles ends its dump with NLMSG_DONE
// carrying -ENOENT (netlink_dump_done()): an error, never an empty list.
// ICMP has no inet_diag handler on any kernel (ping sockets are read from
// /proc/net/icmp for that reason).
TEST(SockDiagLive, AProtocolNoModuleDumpsIsAnErrorNotAnEmptyDump) {
  auto fd = sockdiag::open_in_netns("");
  ASSERT_TRUE(fd) << fd.error().what;
  auto dump = sockdiag::dump_inet(fd->get(), AF_INET, IPPROTO_ICMP);
  ASSERT_FALSE(dump) << "an ICMP dump came back with " << dump->size() << " bytes";
  EXPECT_EQ(dump.error().sys_errno, ENOENT) << dump.error().what;
  EXPECT_NE(dump.error().hint.find("modprobe"), std::string::npos) << dump.error().hint;
  auto tcp = sockdiag::dump_inet(fd->get(), AF_INET, IPPROTO_TCP);
  EXPECT_TRUE(tcp) << "the socket still answers after the error";
}

}  // namespace
}  // namespace sockscope::testing
