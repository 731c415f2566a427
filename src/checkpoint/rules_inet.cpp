// SPDX-License-Identifier: GPL-2.0-only
// Inet rules N1-N7 (rulebook 3.2; UP criu/sk-inet.c can_dump_inet_sk
// 146-212, can_dump_ipproto 121-144) and other families L1-L4 (rulebook
// 3.3; sk-netlink.c, sk-packet.c, sockets.c).
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <unordered_set>

#include "base/strings.h"
#include "checkpoint/context.h"

namespace sockscope::checkpoint {
namespace {

bool connected_state(int st) {
  switch (st) {
    case TCP_ESTABLISHED: case TCP_SYN_SENT: case TCP_FIN_WAIT1: case TCP_FIN_WAIT2:
    case TCP_CLOSE_WAIT: case TCP_LAST_ACK: case TCP_CLOSING:
      return true;
    default:
      return false;
  }
}

// UP checks `!tcp_established_ok && !tcp_close`; CF 3.17 only the first.
Outcome connected_outcome(const CriuOptions& o) {
  if (o.tcp_established)
    return {Verdict::kWarn, "needs the same addresses at restore and a working network lock "
                            "(iptables, or --network-lock nftables)"};
  if (o.tcp_close) return {Verdict::kWarn, "the connection is restored closed"};
  return {Verdict::kBlock, "inet: Connected TCP socket, consider using --tcp-established option."};
}

Outcome in_flight_outcome(const SocketInfo& s, const CriuOptions& o) {
  if (o.skip_in_flight) return {Verdict::kWarn, "the pending connections are dropped"};
  return {Verdict::kBlock, "inet: In-flight connection (l) for " + hex(s.inode) +
                               "\ninet: In-flight connections can be ignored with the --skip-in-flight option."};
}

void origin(const Context& ctx, Finding& f, const SocketInfo& s) {
  f.origin.peer_path = s.remote;
  f.origin.peer_inode = s.peer_inode;
  if (const SocketInfo* p = s.peer_inode ? ctx.socket(s.peer_inode) : nullptr) f.origin.peer_holders = p->owners;
}

void tcp(const Context& ctx, const FdFact& fd, const SocketInfo& s, std::vector<Finding>& out) {
  if (s.state == TCP_LISTEN && s.rqueue > 0) {
    Finding f = ctx.start("N2", fd, "TCP listener with connections not yet accepted");
    f.criu = in_flight_outcome(s, CriuOptions{});
    f.criu_opts = in_flight_outcome(s, ctx.opts);
    add_step(f, "criu", f.criu);
    f.plain = std::to_string(s.rqueue) + " client(s) wait in the accept queue of " + s.local;
    f.remedy = {"stop accepting and close the listener before the checkpoint, or dump with "
                "`--skip-in-flight` (those clients are dropped)"};
    out.push_back(std::move(f));
    return;
  }
  if (!connected_state(s.state)) return;  // N1: a listener or closed socket is saved
  Finding f = ctx.start("N3", fd, "connected TCP socket");
  origin(ctx, f, s);
  f.criu = connected_outcome(CriuOptions{});
  f.criu_opts = connected_outcome(ctx.opts);
  add_step(f, "criu", f.criu);
  f.plain = "a live TCP connection " + s.local + " -> " + s.remote + " (a database, broker or client)";
  f.remedy = {"close connection pools and clients before the checkpoint (framework CRaC support, or "
              "your own org.crac.Resource)",
              "or dump with `--tcp-close` (restored closed) or `--tcp-established` (same IPs at "
              "restore, CAP_NET_ADMIN, a network lock)"};
  out.push_back(std::move(f));
}

void udp(const Context& ctx, const FdFact& fd, const SocketInfo& s, std::vector<Finding>& out) {
  if (s.rqueue == 0 && s.wqueue == 0) return;
  Finding f = ctx.start("N5", fd, "UDP socket with queued datagrams");
  f.criu = f.criu_opts = {Verdict::kWarn, ""};
  std::string id = hex(s.inode);
  f.messages.push_back({"criu (warning)", s.rqueue ? "Read queue is dropped for socket " + id
                                                   : "Write queue of the " + id + " socket isn't empty"});
  f.plain = "unread or unsent datagrams are lost by the dump";
  f.remedy = {"drain the socket before the checkpoint, or accept the loss"};
  out.push_back(std::move(f));
}

Finding blocked(const Context& ctx, const FdFact& fd, const char* rule, std::string title, std::string msg) {
  Finding f = ctx.start(rule, fd, std::move(title));
  f.criu = f.criu_opts = {Verdict::kBlock, std::move(msg)};
  add_step(f, "criu", f.criu);
  f.remedy = {"close it before the checkpoint"};
  return f;
}

void other(const Context& ctx, const FdFact& fd, uint64_t ino, const OtherSocketFact& o,
           std::vector<Finding>& out) {
  if (o.domain == AF_NETLINK) {
    if (o.netlink_known && o.nl_rmem > 0) {
      out.push_back(blocked(ctx, fd, "L1", "netlink socket with unread data", "The socket has data to read"));
      out.back().plain = "kernel notifications were not read yet";
    } else if (o.netlink_known && o.nl_groups != 0 && o.nl_portid == 0) {
      out.push_back(blocked(ctx, fd, "L2", "netlink socket in groups without a port id",
                            "The netlink socket " + hex_alt(ino) + " is bound to groups but not to portid"));
      out.back().plain = "an unusual netlink subscription";
    }
    return;
  }
  if (o.domain == AF_INET || o.domain == AF_INET6) {
    static const std::unordered_set<int> kProtos = {0, IPPROTO_TCP, IPPROTO_UDP, IPPROTO_UDPLITE,
                                                    IPPROTO_ICMP, IPPROTO_ICMPV6};
    if (o.type != SOCK_STREAM && o.type != SOCK_DGRAM && o.type != SOCK_RAW)
      out.push_back(blocked(ctx, fd, "N7", "inet socket of an unsupported type",
                            "Can't dump " + std::to_string(o.type) + " inet socket " + hex(ino) +
                                ". Only stream, dgram and raw are supported."));
    else if (!kProtos.count(o.protocol))
      out.push_back(blocked(ctx, fd, "N6", "inet protocol CRIU cannot save",
                            "Unsupported proto " + std::to_string(o.protocol) + " for socket " + hex(ino)));
    else return;
    out.back().plain = "a protocol CRIU cannot save (MPTCP, SCTP, ...)";
    return;
  }
  if (o.domain < 0 || o.domain == AF_UNIX || o.domain == AF_PACKET) return;  // unknown, or L3 unchecked
  out.push_back(blocked(ctx, fd, "L4", "socket family CRIU does not know",
                        "BUG! Unknown socket collected (family " + std::to_string(o.domain) + ")"));
  out.back().plain = "CRIU does not know this socket kind (vsock, AF_ALG, XDP, bluetooth, ...)";
}

}  // namespace

void inet_rules(const Context& ctx, std::vector<Finding>& out) {
  std::unordered_set<uint64_t> seen;
  for (const auto& fd : ctx.facts.fds) {
    auto ino = bracketed_inode(fd.target, "socket");
    if (!ino || !seen.insert(*ino).second) continue;
    const SocketInfo* s = ctx.socket(*ino);
    if (!s || (s->family != AF_INET && s->family != AF_INET6)) continue;
    if (s->protocol == IPPROTO_TCP) tcp(ctx, fd, *s, out);
    else udp(ctx, fd, *s, out);
  }
}

void other_socket_rules(const Context& ctx, std::vector<Finding>& out) {
  std::unordered_set<uint64_t> seen;
  for (const auto& fd : ctx.facts.fds) {
    auto ino = bracketed_inode(fd.target, "socket");
    if (!ino || !seen.insert(*ino).second) continue;
    auto it = ctx.facts.other_sockets.find(*ino);
    if (it != ctx.facts.other_sockets.end()) other(ctx, fd, *ino, it->second, out);
  }
}

}  // namespace sockscope::checkpoint
