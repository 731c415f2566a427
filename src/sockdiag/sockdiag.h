// SPDX-License-Identifier: GPL-2.0-only
// NETLINK_SOCK_DIAG: dumps (I/O, in sockdiag.cpp) kept apart from decoders
// (pure, in decode.cpp) so that unit tests replay recorded dumps.
//
// The kernel answers a sock_diag dump for the network namespace of the
// netlink socket that asks, not of the caller; open_in_netns() therefore
// creates the netlink socket inside the wanted namespace and comes back.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"
#include "base/unique_fd.h"
#include "model/socket.h"

namespace sockscope::sockdiag {

// Raw dump bytes: the concatenated netlink messages, as recv() gave them.
using Dump = std::vector<uint8_t>;

// A NETLINK_SOCK_DIAG socket bound to the netns that `netns_path` names
// (/proc/PID/ns/net, /run/netns/NAME); "" for our own.
Result<UniqueFd> open_in_netns(const std::string& netns_path);

// Every AF_UNIX socket of the netlink socket's netns, with name, bound-file
// inode, peer, pending connections, queue lengths and shutdown state.
Result<Dump> dump_unix(int nl_fd);

// Every socket of one inet family (AF_INET/AF_INET6) and protocol
// (IPPROTO_TCP, IPPROTO_UDP, IPPROTO_UDPLITE), all states.
Result<Dump> dump_inet(int nl_fd, int family, int protocol);

// The text of /proc/net/NAME as the namespace `netns_path` sees it ("" for
// our own), read through /proc/thread-self/net after setns(). For raw
// sockets ("raw", "raw6": raw_diag is CONFIG_INET_RAW_DIAG, which some
// kernels leave out, 6.18 here among them) and ICMP ping sockets ("icmp",
// "icmp6": no diag module dumps them at all); ss(8) reads the same tables.
Result<Dump> read_proc_net(const std::string& netns_path, const std::string& name);

// Every AF_PACKET socket, with its interface and queue memory (packet_diag).
Result<Dump> dump_packet(int nl_fd);

// Every AF_NETLINK socket of every netlink protocol, the kernel's own ends
// included, with queue memory (netlink_diag).
Result<Dump> dump_netlink(int nl_fd);

// Decoders: bytes in, sockets out. A malformed dump is an error, not a crash.
Result<std::vector<SocketInfo>> decode_unix(const Dump& dump);
Result<std::vector<SocketInfo>> decode_inet(const Dump& dump, int protocol);
// A /proc/net/raw{,6} or icmp{,6} table (read_proc_net, parsed by
// procfs::parse_net_inet) of `family`. Raw sockets (`type` SOCK_RAW) take
// their protocol from the table's port column, where the kernel prints
// inet_num: the protocol they were opened with; they have no port. Ping
// sockets are SOCK_DGRAM of IPPROTO_ICMP or IPPROTO_ICMPV6, the port their
// echo identifier.
Result<std::vector<SocketInfo>> decode_proc_net(const Dump& table, int family, int type);
// Packet sockets: local is "<ethertype>:<interface>" as ss(8) writes it,
// the interface an index ("if2") or "*" for every interface.
Result<std::vector<SocketInfo>> decode_packet(const Dump& dump);
// Netlink sockets: local is "<protocol>:<port id>", remote the connected
// port id and group. The kernel's own ends (port id 0) are left out: no
// process holds them.
Result<std::vector<SocketInfo>> decode_netlink(const Dump& dump);

// A packet socket's local text: "ip:eth0", "*:*" (every protocol, every
// interface); "if3" when the interface's name is not known.
std::string packet_local(int ethertype, int ifindex, const std::string& ifname);

// The name of interface `ifindex` in the netns of socket `fd` (any socket:
// SIOCGIFNAME falls through to dev_ioctl() in the socket's netns).
Result<std::string> interface_name(int fd, int ifindex);

}  // namespace sockscope::sockdiag
