// SPDX-License-Identifier: GPL-2.0-only
#include "inventory/inventory.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <unordered_map>
#include <unordered_set>

#include "base/strings.h"
#include "inventory/path_check.h"

namespace sockscope::inventory {

const SocketInfo* Inventory::find(uint64_t inode) const {
  auto it = by_inode.find(inode);
  return it == by_inode.end() ? nullptr : &sockets[it->second];
}

const ProcessInfo* Inventory::process(int pid) const {
  auto it = processes.find(pid);
  return it == processes.end() ? nullptr : &it->second;
}

namespace {

// The join key of a TCP end: its netns and both addresses. The same
// loopback connection (same addresses and ports) can exist in several
// network namespaces; addresses alone joined one namespace's client to
// another's server.
std::string inet_end_key(uint64_t netns, const std::string& from, const std::string& to) {
  return std::to_string(netns) + "|" + from + "|" + to;
}

}  // namespace

const SocketInfo* Inventory::pending_listener(uint64_t inode) const {
  auto it = listener_of_pending.find(inode);
  return it == listener_of_pending.end() ? nullptr : &sockets[it->second];
}

bool Inventory::peer_queued(const SocketInfo& s) const {
  return s.protocol == IPPROTO_TCP && queued_tcp.count(inet_end_key(s.netns, s.remote, s.local));
}

namespace {

// Packet and netlink sockets are neither unix nor inet: dumped when every
// family is asked for.
std::vector<DumpKind> wanted_dumps(const Options& o) {
  std::vector<DumpKind> kinds;
  if (o.unix_sockets) kinds.push_back(DumpKind::kUnix);
  if (o.inet_sockets)
    kinds.insert(kinds.end(),
                 {DumpKind::kTcp4, DumpKind::kTcp6, DumpKind::kUdp4, DumpKind::kUdp6, DumpKind::kUdplite4,
                  DumpKind::kUdplite6, DumpKind::kRaw4, DumpKind::kRaw6, DumpKind::kIcmp4, DumpKind::kIcmp6});
  if (o.unix_sockets && o.inet_sockets) kinds.insert(kinds.end(), {DumpKind::kPacket, DumpKind::kNetlink});
  return kinds;
}

Result<std::vector<SocketInfo>> decode(DumpKind kind, const sockdiag::Dump& dump) {
  switch (kind) {
    case DumpKind::kUnix: return sockdiag::decode_unix(dump);
    case DumpKind::kTcp4:
    case DumpKind::kTcp6: return sockdiag::decode_inet(dump, IPPROTO_TCP);
    case DumpKind::kUdp4:
    case DumpKind::kUdp6: return sockdiag::decode_inet(dump, IPPROTO_UDP);
    case DumpKind::kUdplite4:
    case DumpKind::kUdplite6: return sockdiag::decode_inet(dump, IPPROTO_UDPLITE);
    case DumpKind::kRaw4: return sockdiag::decode_proc_net(dump, AF_INET, SOCK_RAW);
    case DumpKind::kRaw6: return sockdiag::decode_proc_net(dump, AF_INET6, SOCK_RAW);
    case DumpKind::kIcmp4: return sockdiag::decode_proc_net(dump, AF_INET, SOCK_DGRAM);
    case DumpKind::kIcmp6: return sockdiag::decode_proc_net(dump, AF_INET6, SOCK_DGRAM);
    case DumpKind::kPacket: return sockdiag::decode_packet(dump);
    case DumpKind::kNetlink: return sockdiag::decode_netlink(dump);
  }
  return Error{"unknown dump kind", 0, {}};
}

void add_dump(Inventory& inv, Source& src, const Netns& ns, DumpKind kind, const sockdiag::Dump& dump) {
  auto decoded = decode(kind, dump);
  if (!decoded) {
    inv.diagnostics.push_back({decoded.error().what, decoded.error().hint, 0});
    return;
  }
  uint64_t own = kind == DumpKind::kNetlink ? src.own_socket_inode(ns) : 0;
  for (auto& s : decoded.value()) {
    if (own != 0 && s.inode == own) continue;  // the socket this very dump came through
    // A TIME-WAIT or request socket has no inode; nobody can hold it. One
    // not accepted yet has none either: noted, so that its client's "no
    // peer" reason can say so.
    if (s.inode == 0 && s.protocol == IPPROTO_TCP && s.state != TCP_TIME_WAIT && s.state != TCP_LISTEN)
      inv.queued_tcp.insert(inet_end_key(ns.inode, s.local, s.remote));
    if (s.inode == 0 || inv.by_inode.count(s.inode)) continue;
    if (s.family == AF_PACKET && s.ifindex != 0)
      s.local = sockdiag::packet_local(s.protocol, s.ifindex, src.interface_name(ns, s.ifindex));
    s.netns = ns.inode;
    inv.by_inode[s.inode] = inv.sockets.size();
    inv.sockets.push_back(std::move(s));
  }
}

void dump_namespace(Inventory& inv, Source& src, const Options& opts, const Netns& ns) {
  inv.namespaces[ns.inode] = ns;
  for (DumpKind kind : wanted_dumps(opts)) {
    auto dump = src.dump(ns, kind);
    if (dump) {
      add_dump(inv, src, ns, kind, dump.value());
      continue;
    }
    // A fixture older than the kind: its sockets stay unknown, as in any replay.
    if (!src.live() && dump.error().sys_errno == kNotRecorded) continue;
    inv.diagnostics.push_back(
        {"netns " + std::to_string(ns.inode) + " (" + ns.held_by + "): " + dump.error().what, dump.error().hint, 0});
    if (kind == DumpKind::kUnix) break;  // could not enter at all
  }
}

void dump_namespaces(Inventory& inv, Source& src, const Options& opts, const std::vector<procfs::Process>& procs) {
  for (const auto& ns : src.namespaces(procs)) dump_namespace(inv, src, opts, ns);
}

bool every_family(const Options& o) { return o.unix_sockets && o.inet_sockets; }

// Sockets held but in no dump tell what they are and where they live
// (SIOCGSKNS): a namespace that only its sockets keep alive is dumped now,
// and a family no dump covers (netlink, packet, raw, an unbound inet
// socket) keeps what the socket said. Unasked (a replay, a process we may
// not trace): unknown, never guessed from the holder's own namespace.
std::unordered_map<uint64_t, SocketSelf> ask_undumped(Inventory& inv, Source& src, const Options& opts,
                                                      const std::vector<procfs::Process>& procs) {
  std::unordered_map<uint64_t, SocketSelf> told;
  if (!src.live() || !every_family(opts)) return told;
  for (const auto& p : procs)
    for (const auto& f : p.fds) {
      auto ino = bracketed_inode(f.target, "socket");
      if (!ino || inv.by_inode.count(*ino) || told.count(*ino)) continue;
      auto self = src.ask_socket(p.pid, f.fd);
      if (!self) continue;
      if (self->netns && !inv.namespaces.count(self->netns->inode)) dump_namespace(inv, src, opts, *self->netns);
      told.emplace(*ino, std::move(*self));
    }
  return told;
}

// Attaches each socket fd to its socket. A socket held by a process but in no
// dump is of a family we do not dump (netlink, packet, ...), is not bound
// (no dump lists an unbound inet socket), or could not be asked.
void attach_owners(Inventory& inv, const std::vector<procfs::Process>& procs, const Options& opts,
                   const std::unordered_map<uint64_t, SocketSelf>& told) {
  for (const auto& p : procs) {
    inv.processes[p.pid] = ProcessInfo{p.pid, p.comm, p.netns, p.mntns, p.container};
    for (const auto& f : p.fds) {
      auto ino = bracketed_inode(f.target, "socket");
      if (!ino) continue;
      auto it = inv.by_inode.find(*ino);
      if (it == inv.by_inode.end()) {
        if (!every_family(opts)) continue;
        SocketInfo other;
        other.inode = *ino;
        other.in_dump = false;
        if (auto t = told.find(*ino); t != told.end()) {
          other.family = t->second.family > 0 ? t->second.family : 0;
          other.type = t->second.type;
          other.protocol = t->second.protocol;
          if (t->second.netns) other.netns = t->second.netns->inode;
        }
        it = inv.by_inode.emplace(*ino, inv.sockets.size()).first;
        inv.sockets.push_back(std::move(other));
      }
      inv.sockets[it->second].owners.push_back({p.pid, f.fd, p.comm});
    }
  }
}

// Loopback traffic never leaves its network namespace, so an end on a
// loopback address has its peer in its own netns or not on this machine.
bool is_loopback(const std::string& endpoint) {
  return endpoint.starts_with("127.") || endpoint.starts_with("[::1]:") || endpoint.starts_with("[::ffff:127.");
}

// A socket in no dump has no addresses to join by (two unbound TCP sockets
// would otherwise mirror each other's empty ends).
bool joinable(const SocketInfo& s) { return s.in_dump && s.protocol == IPPROTO_TCP && s.state != TCP_LISTEN; }

// Both ends of a TCP connection on this machine name each other's address,
// in the same netns first. Across namespaces (a veth pair between a
// container and the host, no NAT) only a non-loopback end with exactly one
// mirrored candidate is joined: with two candidates we could not tell which.
void join_inet_peers(Inventory& inv) {
  std::unordered_map<std::string, uint64_t> same_netns;
  std::unordered_map<std::string, std::vector<uint64_t>> any_netns;
  for (const auto& s : inv.sockets) {
    if (!joinable(s)) continue;
    same_netns.emplace(inet_end_key(s.netns, s.local, s.remote), s.inode);
    any_netns[s.local + "|" + s.remote].push_back(s.inode);
  }
  for (auto& s : inv.sockets) {
    if (!joinable(s)) continue;
    if (auto it = same_netns.find(inet_end_key(s.netns, s.remote, s.local)); it != same_netns.end()) {
      if (it->second != s.inode) s.peer_inode = it->second;
      continue;
    }
    if (is_loopback(s.local) || is_loopback(s.remote)) continue;
    auto it = any_netns.find(s.remote + "|" + s.local);
    if (it != any_netns.end() && it->second.size() == 1) s.peer_inode = it->second.front();
  }
}

void index_senders(Inventory& inv) {
  for (const auto& s : inv.sockets) {
    if (s.family != AF_UNIX || s.peer_inode == 0) continue;
    const SocketInfo* to = inv.find(s.peer_inode);
    if (to && to->peer_inode != s.inode) inv.senders_to[to->inode].push_back(s.inode);
  }
}

}  // namespace

Inventory build(Source& source, const Options& opts) {
  Inventory inv;
  auto scan = procfs::scan(source.proc_root());
  inv.diagnostics = std::move(scan.diagnostics);
  dump_namespaces(inv, source, opts, scan.processes);
  for (auto& d : source.take_diagnostics()) inv.diagnostics.push_back(std::move(d));
  auto told = ask_undumped(inv, source, opts, scan.processes);
  attach_owners(inv, scan.processes, opts, told);
  if (opts.inet_sockets) join_inet_peers(inv);
  for (size_t i = 0; i < inv.sockets.size(); ++i)
    for (uint64_t client : inv.sockets[i].pending) inv.listener_of_pending.emplace(client, i);
  index_senders(inv);
  if (opts.unix_sockets) check_paths(inv, source.live());
  inv.scanned = std::move(scan.processes);
  return inv;
}

}  // namespace sockscope::inventory
