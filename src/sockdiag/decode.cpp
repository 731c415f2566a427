// SPDX-License-Identifier: GPL-2.0-only
// Pure decoders for sock_diag dumps (no I/O).
#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/netlink_diag.h>
#include <linux/packet_diag.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "procfs/net_inet.h"
#include "sockdiag/sockdiag.h"

namespace sockscope::sockdiag {
namespace {

// Abstract names start with a NUL byte; like ss(8) we print them as "@name"
// and any further NUL as "@" too.
std::string unix_name(const uint8_t* data, size_t len) {
  std::string s(reinterpret_cast<const char*>(data), len);
  if (s.empty()) return s;
  if (s[0] == '\0') {
    for (char& c : s)
      if (c == '\0') c = '@';
    return s;
  }
  if (auto nul = s.find('\0'); nul != std::string::npos) s.resize(nul);
  return s;
}

template <typename T>
T attr_value(const rtattr* a) {
  T v{};
  std::memcpy(&v, RTA_DATA(a), std::min<size_t>(sizeof(T), RTA_PAYLOAD(a)));
  return v;
}

void decode_unix_attr(const rtattr* a, SocketInfo& s) {
  auto* data = static_cast<const uint8_t*>(RTA_DATA(a));
  switch (a->rta_type) {
    case UNIX_DIAG_NAME:
      // The leading NUL, not a leading '@', makes a name abstract: a
      // filesystem socket may be bound to the relative path "@name".
      s.abstract = RTA_PAYLOAD(a) > 0 && data[0] == '\0';
      s.local = unix_name(data, RTA_PAYLOAD(a));
      break;
    case UNIX_DIAG_VFS: {
      auto vfs = attr_value<unix_diag_vfs>(a);
      s.vfs_ino = vfs.udiag_vfs_ino;
      s.vfs_dev = vfs.udiag_vfs_dev;
      break;
    }
    case UNIX_DIAG_PEER: s.peer_inode = attr_value<uint32_t>(a); break;
    case UNIX_DIAG_SHUTDOWN:
      s.shutdown = attr_value<uint8_t>(a) & (SocketInfo::kShutRead | SocketInfo::kShutWrite);
      break;
    case UNIX_DIAG_ICONS:
      for (size_t off = 0; off + 4 <= RTA_PAYLOAD(a); off += 4) {
        uint32_t ino;
        std::memcpy(&ino, data + off, 4);
        s.pending.push_back(ino);
      }
      break;
    case UNIX_DIAG_RQLEN: {
      auto q = attr_value<unix_diag_rqlen>(a);
      s.rqueue = q.udiag_rqueue;
      s.wqueue = q.udiag_wqueue;
      break;
    }
    default: break;
  }
}

// "1.2.3.4", "[::1]": IPv6 in brackets, so that a port can follow.
std::string inet_address(int family, const void* addr) {
  char buf[INET6_ADDRSTRLEN] = "?";
  ::inet_ntop(family, addr, buf, sizeof(buf));
  return family == AF_INET6 ? std::string("[") + buf + "]" : std::string(buf);
}

std::string inet_endpoint(int family, const __be32* addr, __be16 port) {
  return inet_address(family, addr) + ":" + std::to_string(ntohs(port));
}

// Walks the netlink messages of a dump and hands each payload to `fn`.
// Offsets, not NLMSG_NEXT: its int length goes negative after a last
// message whose padding is missing, which NLMSG_OK then read as a huge
// unsigned length and walked past the end (found by fuzz/sock_diag.cpp).
template <typename Msg, typename Fn>
Result<Ok> for_each_message(const Dump& dump, Fn fn) {
  const Error cut{"sock_diag dump ends inside a message", 0, "record the dump again"};
  size_t off = 0;
  while (off < dump.size()) {
    if (dump.size() - off < sizeof(nlmsghdr)) return cut;
    auto* h = reinterpret_cast<const nlmsghdr*>(dump.data() + off);
    if (h->nlmsg_len < sizeof(nlmsghdr) || h->nlmsg_len > dump.size() - off) return cut;
    if (h->nlmsg_type == NLMSG_DONE) return Ok{};
    if (h->nlmsg_type == SOCK_DIAG_BY_FAMILY) {
      if (h->nlmsg_len < NLMSG_LENGTH(sizeof(Msg)))
        return Error{"sock_diag dump has a truncated message", 0, "record the dump again"};
      fn(*static_cast<const Msg*>(NLMSG_DATA(h)), h);
    }
    off += std::min<size_t>(NLMSG_ALIGN(h->nlmsg_len), dump.size() - off);
  }
  return Ok{};
}

// The attributes after a message's fixed part.
template <typename Msg, typename Fn>
void for_each_attr(const Msg& m, const nlmsghdr* h, Fn fn) {
  int alen = static_cast<int>(h->nlmsg_len - NLMSG_LENGTH(sizeof(m)));
  auto* a = reinterpret_cast<const rtattr*>(reinterpret_cast<const uint8_t*>(&m) + NLMSG_ALIGN(sizeof(m)));
  for (; alen > 0 && RTA_OK(a, alen); a = RTA_NEXT(a, alen)) fn(a);
}

// Queue lengths as ss(8) shows them for packet and netlink sockets: the
// bytes allocated to the receive and the send queue (sk_meminfo).
void queues_from_meminfo(const rtattr* a, SocketInfo& s) {
  uint32_t mem[SK_MEMINFO_VARS] = {};
  std::memcpy(mem, RTA_DATA(a), std::min<size_t>(sizeof(mem), RTA_PAYLOAD(a)));
  s.rqueue = mem[SK_MEMINFO_RMEM_ALLOC];
  s.wqueue = mem[SK_MEMINFO_WMEM_ALLOC];
}

// One SocketInfo per message of type Msg: `fill` sets it from the message
// and returns false for a message that is no socket of ours to list.
template <typename Msg, typename Fill>
Result<std::vector<SocketInfo>> decode_each(const Dump& dump, Fill fill) {
  std::vector<SocketInfo> out;
  auto r = for_each_message<Msg>(dump, [&](const Msg& m, const nlmsghdr* h) {
    SocketInfo s;
    if (fill(m, h, s)) out.push_back(std::move(s));
  });
  if (!r) return r.error();
  return out;
}

}  // namespace

std::string packet_local(int ethertype, int ifindex, const std::string& ifname) {
  std::string where = ifindex == 0 ? "*" : !ifname.empty() ? ifname : "if" + std::to_string(ifindex);
  return protocol_name(AF_PACKET, ethertype) + ":" + where;
}

Result<std::vector<SocketInfo>> decode_unix(const Dump& dump) {
  return decode_each<unix_diag_msg>(dump, [&](const unix_diag_msg& m, const nlmsghdr* h, SocketInfo& s) {
    s.family = AF_UNIX;
    s.type = m.udiag_type;
    s.state = m.udiag_state;
    s.inode = m.udiag_ino;
    for_each_attr(m, h, [&](const rtattr* a) { decode_unix_attr(a, s); });
    return true;
  });
}

Result<std::vector<SocketInfo>> decode_inet(const Dump& dump, int protocol) {
  return decode_each<inet_diag_msg>(dump, [&](const inet_diag_msg& m, const nlmsghdr* h, SocketInfo& s) {
    s.family = m.idiag_family;
    s.protocol = protocol;
    s.type = protocol == IPPROTO_TCP ? SOCK_STREAM : SOCK_DGRAM;
    s.state = m.idiag_state;
    s.inode = m.idiag_inode;
    s.rqueue = m.idiag_rqueue;
    s.wqueue = m.idiag_wqueue;
    s.local = inet_endpoint(s.family, m.id.idiag_src, m.id.idiag_sport);
    s.remote = inet_endpoint(s.family, m.id.idiag_dst, m.id.idiag_dport);
    // Attributes follow the message; INET_DIAG_SHUTDOWN comes unasked
    // (inet_diag_msg_attrs_fill(), Linux 3.8+).
    for_each_attr(m, h, [&](const rtattr* a) {
      if (a->rta_type == INET_DIAG_SHUTDOWN)
        s.shutdown = attr_value<uint8_t>(a) & (SocketInfo::kShutRead | SocketInfo::kShutWrite);
    });
    return true;
  });
}

Result<std::vector<SocketInfo>> decode_proc_net(const Dump& table, int family, int type) {
  auto rows =
      procfs::parse_net_inet(std::string_view(reinterpret_cast<const char*>(table.data()), table.size()), family);
  if (!rows) return rows.error();
  std::vector<SocketInfo> out;
  for (const auto& row : *rows) {
    SocketInfo s;
    s.family = family;
    s.type = type;
    s.inode = row.inode;
    s.state = static_cast<int>(row.state);
    s.wqueue = row.tx_queue;
    s.rqueue = row.rx_queue;
    if (type == SOCK_RAW) {
      s.protocol = static_cast<int>(row.local_port);
      s.local = inet_address(family, row.local.data());
      s.remote = inet_address(family, row.remote.data());
    } else {
      s.protocol = family == AF_INET6 ? int{IPPROTO_ICMPV6} : int{IPPROTO_ICMP};
      s.local = inet_address(family, row.local.data()) + ":" + std::to_string(row.local_port);
      s.remote = inet_address(family, row.remote.data()) + ":" + std::to_string(row.remote_port);
    }
    out.push_back(std::move(s));
  }
  return out;
}

Result<std::vector<SocketInfo>> decode_packet(const Dump& dump) {
  return decode_each<packet_diag_msg>(dump, [&](const packet_diag_msg& m, const nlmsghdr* h, SocketInfo& s) {
    s.family = AF_PACKET;
    s.type = m.pdiag_type;
    s.protocol = m.pdiag_num;  // host order: packet_diag_fill() puts ntohs(po->num)
    s.inode = m.pdiag_ino;
    s.state = TCP_CLOSE;  // packet sockets do not connect
    for_each_attr(m, h, [&](const rtattr* a) {
      if (a->rta_type == PACKET_DIAG_INFO) s.ifindex = static_cast<int>(attr_value<packet_diag_info>(a).pdi_index);
      if (a->rta_type == PACKET_DIAG_MEMINFO) queues_from_meminfo(a, s);
    });
    s.local = packet_local(s.protocol, s.ifindex, {});
    return true;
  });
}

Result<std::vector<SocketInfo>> decode_netlink(const Dump& dump) {
  return decode_each<netlink_diag_msg>(dump, [&](const netlink_diag_msg& m, const nlmsghdr* h, SocketInfo& s) {
    if (m.ndiag_portid == 0) return false;  // the kernel's own end of the protocol
    s.family = AF_NETLINK;
    s.type = m.ndiag_type;
    s.protocol = m.ndiag_protocol;
    s.inode = m.ndiag_ino;
    // NETLINK_CONNECTED (net/netlink/af_netlink.h): a connect()ed socket.
    s.state = m.ndiag_state == 1 ? TCP_ESTABLISHED : TCP_CLOSE;
    std::string proto = protocol_name(AF_NETLINK, s.protocol);
    s.local = proto + ":" + std::to_string(m.ndiag_portid);
    if (s.state == TCP_ESTABLISHED)
      s.remote = proto + ":" + std::to_string(m.ndiag_dst_portid) +
                 (m.ndiag_dst_group ? " group " + std::to_string(m.ndiag_dst_group) : "");
    for_each_attr(m, h, [&](const rtattr* a) {
      if (a->rta_type == NETLINK_DIAG_MEMINFO) queues_from_meminfo(a, s);
    });
    return true;
  });
}

}  // namespace sockscope::sockdiag
