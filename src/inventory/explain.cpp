// SPDX-License-Identifier: GPL-2.0-only
#include "inventory/explain.h"

#include <fmt/format.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <utility>

#include "base/strings.h"

namespace sockscope::inventory {
namespace {

FdKind kind_of(const std::string& target) {
  if (target.rfind("socket:[", 0) == 0) return FdKind::kSocket;
  if (target.rfind("pipe:[", 0) == 0) return FdKind::kPipe;
  if (target.rfind("anon_inode:", 0) == 0) return FdKind::kAnonInode;
  if (!target.empty() && target[0] == '/') return FdKind::kFile;
  return FdKind::kOther;
}

// Every other (pid, fd) whose link reads exactly like `target`.
std::vector<Owner> same_target(const Inventory& inv, const std::string& target, int pid, int fd) {
  std::vector<Owner> out;
  for (const auto& p : inv.scanned)
    for (const auto& f : p.fds)
      if (f.target == target && !(p.pid == pid && f.fd == fd)) out.push_back({p.pid, f.fd, p.comm});
  return out;
}

bool connection_oriented(const SocketInfo& s) { return s.type == SOCK_STREAM || s.type == SOCK_SEQPACKET; }

// "1.2.3.4:80" -> {"1.2.3.4", "80"}; "[::1]:80" -> {"[::1]", "80"}.
std::pair<std::string, std::string> split_endpoint(const std::string& e) {
  auto colon = e.rfind(':');
  if (colon == std::string::npos) return {e, ""};
  return {e.substr(0, colon), e.substr(colon + 1)};
}

// The socket of `s`'s protocol in its netns bound where `s` sends (its
// remote address): the exact address first, else a wildcard bind of the
// port. Only listeners when `listening`.
const SocketInfo* bound_at_remote(const Inventory& inv, const SocketInfo& s, bool listening) {
  auto [addr, port] = split_endpoint(s.remote);
  const SocketInfo* wildcard = nullptr;
  for (const auto& o : inv.sockets) {
    if (&o == &s || o.netns != s.netns || o.protocol != s.protocol || !o.in_dump) continue;
    if (listening && o.state != TCP_LISTEN) continue;
    auto [oaddr, oport] = split_endpoint(o.local);
    if (oport != port) continue;
    if (oaddr == addr) return &o;
    if (oaddr == "0.0.0.0" || oaddr == "[::]") wildcard = &o;
  }
  return wildcard;
}

std::string socket_text(const SocketInfo& s) {
  std::string out = "inode " + std::to_string(s.inode);
  if (!s.owners.empty()) out += " (" + s.owners[0].comm + "[" + std::to_string(s.owners[0].pid) + "])";
  return out;
}

// A connected UDP socket has no peer: datagrams go to an address, and
// whatever socket receives there is not connected to it.
std::string udp_reason(const Inventory& inv, const SocketInfo& s) {
  const SocketInfo* r = bound_at_remote(inv, s, false);
  if (r) return "a connected UDP socket: it sends to " + s.remote + ", where socket " + socket_text(*r) + " receives";
  return "a connected UDP socket: it sends to " + s.remote + ", where no socket of this machine receives (in " +
         "the namespaces dumped)";
}

// Unix sockets connected to `s` that it is not connected back to.
std::string senders_reason(const std::vector<uint64_t>& senders) {
  std::string out = fmt::format("a datagram receiver: {} socket{} connected to it (inode ", senders.size(),
                                senders.size() == 1 ? " is" : "s are");
  for (size_t i = 0; i < senders.size() && i < 3; ++i) out += (i ? ", " : "") + std::to_string(senders[i]);
  return out + (senders.size() > 3 ? ", ...)" : ")") + "; it sends to each by address";
}

// A socket of a family sockscope dumps but that no dump listed (the
// module is missing or the dump failed), or of a family it does not dump.
std::string undumped_family_reason(const SocketInfo& s) {
  if (s.family == AF_PACKET || s.family == AF_NETLINK || s.family == AF_UNIX)
    return std::string("a ") + family_name(s.family) + " socket in no dump: the " + family_name(s.family) +
           "_diag dump of its namespace failed or the kernel has none (see the warnings), so no peer is known";
  return "a socket of address family " + std::to_string(s.family) +
         ": sockscope dumps unix, inet, packet and netlink sockets only, so no peer is known";
}

// Netlink talks to the kernel (port id 0) or to other sockets by port id;
// connect() only fixes the default destination.
std::string netlink_reason(const SocketInfo& s) {
  if (s.state != TCP_ESTABLISHED)
    return "a netlink socket is not connected: it sends to the kernel or names each receiver's port id";
  return "a netlink socket connected to " + s.remote + (s.remote.ends_with(":0") ? " (the kernel)" : "") +
         ": the kernel's end is no process's socket";
}

}  // namespace

std::string why_no_peer(const Inventory& inv, const SocketInfo& s) {
  if (s.family == 0)
    return "in no dump, and it could not be asked what it is (a replay keeps no descriptors; live, the "
           "holder may not be traced: run as root)";
  if (!s.in_dump)
    return s.family == AF_INET || s.family == AF_INET6
               ? "an inet socket in no dump: not bound or connected yet, or of a protocol sockscope does not "
                 "list (" +
                     protocol_name(s.protocol) + ")"
               : undumped_family_reason(s);
  if (s.family == AF_PACKET)
    return "a packet socket has no peer: it takes the frames of " +
           (s.ifindex ? "one interface (" + s.local + ")" : std::string("every interface"));
  if (s.family == AF_NETLINK) return netlink_reason(s);
  if (s.peer_inode != 0) {
    if (inv.find(s.peer_inode)) return {};
    return "the peer (inode " + std::to_string(s.peer_inode) +
           ") is in no namespace we could dump: a netns held by no process and not under "
           "/run/netns, or one we could not enter (see diagnostics)";
  }
  if (s.state == TCP_LISTEN) return "a listener has no peer; see its pending connections";
  if (const SocketInfo* l = inv.pending_listener(s.inode))
    return "connected, but not accepted yet: waiting in the queue of listener " +
           (l->local.empty() ? "inode " + std::to_string(l->inode) : shown_name(*l));
  if (s.family == AF_UNIX && connection_oriented(s) && s.state == TCP_ESTABLISHED)
    return "the peer has closed its end (reads return EOF, writes EPIPE)";
  if (auto it = inv.senders_to.find(s.inode); it != inv.senders_to.end()) return senders_reason(it->second);
  if (s.family == AF_UNIX && s.type == SOCK_DGRAM)
    return "an unconnected datagram socket: each send names its receiver";
  if (s.family == AF_UNIX) return "not connected";
  if (inv.peer_queued(s)) {
    const SocketInfo* l = bound_at_remote(inv, s, true);
    return "connected, but not accepted yet: waiting in the queue of listener " +
           (l ? l->local + " (" + socket_text(*l) + ")" : s.remote);
  }
  if ((s.protocol == IPPROTO_UDP || s.protocol == IPPROTO_UDPLITE) && s.state == TCP_ESTABLISHED)
    return udp_reason(inv, s);
  if (s.type == SOCK_RAW)
    return "a raw socket has no peer: it takes every " + protocol_name(s.protocol) + " packet sent to " +
           (s.state == TCP_ESTABLISHED ? s.local + " from " + s.remote : s.local);
  if (s.protocol == IPPROTO_TCP && s.state != TCP_LISTEN && s.state != TCP_CLOSE)
    return "the peer " + s.remote + " is not on this machine (or in no namespace we dumped)";
  return "not connected";
}

std::optional<roles::Role> role_of(const SocketInfo& s, const SocketInfo* peer) {
  if (peer && !peer->local.empty())
    if (auto r = roles::for_path(peer->local)) return r;
  if (!s.local.empty()) return roles::for_path(s.local);
  return std::nullopt;
}

std::optional<FdExplanation> explain_fd(const Inventory& inv, int pid, int fd) {
  for (const auto& p : inv.scanned) {
    if (p.pid != pid) continue;
    for (const auto& f : p.fds) {
      if (f.fd != fd) continue;
      FdExplanation e{pid, fd, p.comm, f.target, kind_of(f.target)};
      e.others = same_target(inv, f.target, pid, fd);
      auto ino = bracketed_inode(f.target, "socket");
      const SocketInfo* s = ino ? inv.find(*ino) : nullptr;
      if (!s) return e;
      e.socket = *s;
      const SocketInfo* peer = s->peer_inode ? inv.find(s->peer_inode) : nullptr;
      if (!peer && s->peer_inode == 0) peer = inv.pending_listener(s->inode);
      if (peer && peer->state == TCP_LISTEN) e.listener = *peer;
      if (peer) {
        e.peer = *peer;
        e.peer_in_other_netns = peer->netns != s->netns;
      }
      e.no_peer_reason = why_no_peer(inv, *s);
      e.role = role_of(*s, peer);
      return e;
    }
  }
  return std::nullopt;
}

}  // namespace sockscope::inventory
