// SPDX-License-Identifier: GPL-2.0-only
#include "model/socket.h"

#include <linux/if_ether.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cstdio>
#include <iterator>
#include <string>

namespace sockscope {

const char* family_name(int family) {
  switch (family) {
    case AF_UNIX: return "unix";
    case AF_INET: return "inet";
    case AF_INET6: return "inet6";
    case AF_NETLINK: return "netlink";
    case AF_PACKET: return "packet";
    default: return "other";
  }
}

const char* type_name(int type) {
  switch (type) {
    case SOCK_STREAM: return "stream";
    case SOCK_DGRAM: return "dgram";
    case SOCK_SEQPACKET: return "seqpacket";
    case SOCK_RAW: return "raw";
    default: return "?";
  }
}

std::string protocol_name(int protocol) {
  switch (protocol) {
    case IPPROTO_TCP: return "tcp";
    case IPPROTO_UDP: return "udp";
    case IPPROTO_UDPLITE: return "udplite";
    case IPPROTO_RAW: return "raw";
    case IPPROTO_ICMP: return "icmp";
    case IPPROTO_ICMPV6: return "icmpv6";
    case IPPROTO_SCTP: return "sctp";
    case IPPROTO_MPTCP: return "mptcp";
    default: return "proto " + std::to_string(protocol);
  }
}

namespace {

// Names as ss(8) prints them (iproute2 lib/ll_proto.c, nl_proto_n2a()), so
// that both listings can be read side by side.
std::string ethertype_name(int ethertype) {
  switch (ethertype) {
    case ETH_P_ALL: return "*";
    case ETH_P_IP: return "ip";
    case ETH_P_IPV6: return "ipv6";
    case ETH_P_ARP: return "arp";
    case ETH_P_8021Q: return "802.1Q";
    case ETH_P_8021AD: return "802.1ad";
    case ETH_P_LLDP: return "lldp";
    case ETH_P_PAE: return "802.1X";
    default: {
      char hex[8];
      std::snprintf(hex, sizeof(hex), "0x%04x", static_cast<unsigned>(ethertype) & 0xffffu);
      return hex;
    }
  }
}

std::string netlink_protocol_name(int protocol) {
  static const char* const names[] = {"rtnl",       "unused",   "usersock", "fw",     "tcpdiag",   "nflog",
                                      "xfrm",       "selinux",  "iscsi",    "audit",  "fiblookup", "connector",
                                      "nft",        "ip6fw",    "dec-rt",   "uevent", "genl",      "proto 17",
                                      "scsi-trans", "ecryptfs", "rdma",     "crypto", "smc"};
  if (protocol >= 0 && protocol < static_cast<int>(std::size(names))) return names[protocol];
  return "proto " + std::to_string(protocol);
}

}  // namespace

std::string protocol_name(int family, int protocol) {
  switch (family) {
    case AF_INET:
    case AF_INET6: return protocol_name(protocol);
    case AF_PACKET: return ethertype_name(protocol);
    case AF_NETLINK: return netlink_protocol_name(protocol);
    default: return "proto " + std::to_string(protocol);
  }
}

const char* shutdown_name(uint8_t shutdown) {
  switch (shutdown & (SocketInfo::kShutRead | SocketInfo::kShutWrite)) {
    case SocketInfo::kShutRead: return "read";
    case SocketInfo::kShutWrite: return "write";
    case SocketInfo::kShutRead | SocketInfo::kShutWrite: return "both";
    default: return nullptr;
  }
}

std::string state_text(const SocketInfo& s) {
  const char* shut = s.in_dump ? shutdown_name(s.shutdown) : nullptr;
  return shut ? std::string(state_name(s)) + " (shut " + shut + ")" : state_name(s);
}

const char* state_name(const SocketInfo& s) {
  if (!s.in_dump) return "-";  // no dump, no state
  // unix_diag reports TCP_ESTABLISHED for connected, TCP_LISTEN for
  // listeners, TCP_CLOSE for unconnected (net/unix/diag.c).
  switch (s.state) {
    case TCP_ESTABLISHED: return "ESTAB";
    case TCP_SYN_SENT: return "SYN-SENT";
    case TCP_SYN_RECV: return "SYN-RECV";
    case TCP_FIN_WAIT1: return "FIN-WAIT-1";
    case TCP_FIN_WAIT2: return "FIN-WAIT-2";
    case TCP_TIME_WAIT: return "TIME-WAIT";
    case TCP_CLOSE: return "UNCONN";
    case TCP_CLOSE_WAIT: return "CLOSE-WAIT";
    case TCP_LAST_ACK: return "LAST-ACK";
    case TCP_LISTEN: return "LISTEN";
    case TCP_CLOSING: return "CLOSING";
    default: return "?";
  }
}

const char* path_state_name(PathState p) {
  switch (p) {
    case PathState::kNotBound: return "none";
    case PathState::kUnchecked: return "unchecked";
    case PathState::kCurrent: return "current";
    case PathState::kUnlinked: return "unlinked";
    case PathState::kReplaced: return "replaced";
    case PathState::kRelative: return "relative";
  }
  return "?";
}

std::string shown_name(const SocketInfo& s) {
  if (s.family == AF_UNIX && !s.abstract && s.local.starts_with('@')) return "./" + s.local;
  return s.local;
}

}  // namespace sockscope
