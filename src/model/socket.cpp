// SPDX-License-Identifier: GPL-2.0-only
#include "model/socket.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

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
