// SPDX-License-Identifier: GPL-2.0-only
// Passive data shared by the inventory, rendering and rules.
//
// Glossary (docs/architecture.md): a *socket* is a kernel socket object,
// identified by its sockfs inode. Sockfs inode numbers come from one
// machine-wide counter (get_next_ino()), so an inode names one socket across
// all network namespaces; the netns is kept alongside for display and for the
// (netns, inode) key used by the tracer.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sockscope {

// One process holding one descriptor of a socket.
struct Owner {
  int pid = 0;
  int fd = -1;
  std::string comm;
  bool operator==(const Owner&) const = default;
};

// What became of a bound unix socket's path, compared with the inode the
// socket was bound to (UNIX_DIAG_VFS).
enum class PathState {
  kNotBound,   // no path (socketpair, unbound, abstract)
  kUnchecked,  // bound, but no owner's root could be used to look
  kCurrent,    // the path still names the bound inode
  kUnlinked,   // nothing is at the path any more
  kReplaced,   // the path names another inode now
  // Bound to a relative path that no holder's cwd leads to the bound inode
  // from: bind() resolved it against the binder's cwd of that moment.
  kRelative,
};

struct SocketInfo {
  uint64_t inode = 0;
  uint64_t netns = 0;    // netns inode the socket belongs to
  int family = 0;        // AF_UNIX, AF_INET, AF_INET6, ...
  int type = 0;          // SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET
  // inet: IPPROTO_TCP, _UDP, _UDPLITE, or a raw socket's protocol;
  // packet: the ethertype (host order); netlink: NETLINK_ROUTE, ...
  int protocol = 0;
  int state = 0;         // kernel TCP_* numbering (unix uses it too)
  // unix: "/path", "rel/path", "@abstract" or ""; inet: "addr:port" (raw:
  // "addr"); packet: "ethertype:interface"; netlink: "protocol:port id"
  std::string local;
  std::string remote;    // inet: "addr:port"; netlink: "protocol:port id" when connected
  int ifindex = 0;       // packet: the bound interface (0: every interface)
  uint64_t vfs_dev = 0;  // unix: device of the bound file (0 if none)
  uint64_t vfs_ino = 0;  // unix: inode of the bound file (0 if none)
  // unix: the kernel's name starts with a NUL byte. A leading '@' alone is a
  // filesystem name (bind() to the relative path "@name").
  bool abstract = false;
  uint32_t rqueue = 0;
  uint32_t wqueue = 0;
  uint64_t peer_inode = 0;        // 0: no peer
  // sk_shutdown as the dump gives it (UNIX_DIAG_SHUTDOWN, INET_DIAG_SHUTDOWN):
  // kShutRead when this end receives no more, kShutWrite when it sends no
  // more (shutdown(2), or the peer's close for unix: unix_release_sock()).
  uint8_t shutdown = 0;
  static constexpr uint8_t kShutRead = 1, kShutWrite = 2;  // RCV_SHUTDOWN, SEND_SHUTDOWN
  std::vector<uint64_t> pending;  // listener: inodes of not yet accepted connections
  std::vector<Owner> owners;
  // false: in no sock_diag dump. family, type, protocol and netns are then
  // what the socket told of itself (0 when it could not be asked); there
  // is no state, address or peer.
  bool in_dump = true;
  // Filled by the inventory's join.
  PathState path_state = PathState::kNotBound;
  uint64_t path_now_ino = 0;  // kReplaced: the inode the path names now
  std::string resolved_path;  // a relative `local` found through a holder's cwd
};

// Something we could not look at: a row is never silently missing.
struct Diagnostic {
  std::string what;
  std::string hint;
  int pid = 0;  // 0 when not about one process
};

const char* family_name(int family);
const char* type_name(int type);
// "tcp", "udp", "udplite", "raw", "icmp", "icmpv6", ... for inet sockets;
// "proto N" for others.
std::string protocol_name(int protocol);
// The protocol as its family names it: protocol_name() for inet, the
// ethertype for packet ("ip", "arp", "*" for ETH_P_ALL, "0x88b5"), the
// netlink protocol as ss(8) writes it ("rtnl", "sock_diag", "genl", ...).
std::string protocol_name(int family,
                          int protocol);  // Human state name for the family: "LISTEN", "ESTAB", "UNCONN", ...
const char* state_name(const SocketInfo& s);
// "read", "write", "both" for SocketInfo::shutdown; nullptr for none.
const char* shutdown_name(uint8_t shutdown);
// state_name, and " (shut write)" and the like when an end is shut down.
std::string state_text(const SocketInfo& s);
const char* path_state_name(PathState p);
// A unix name as shown to people and in JSON: a relative filesystem name
// starting with '@' is written "./@name", so that only abstract names start
// with '@'; every other name is as bound.
std::string shown_name(const SocketInfo& s);

}  // namespace sockscope
