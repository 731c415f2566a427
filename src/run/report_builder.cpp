// SPDX-License-Identifier: GPL-2.0-only
#include "run/report_builder.h"

#include <sys/socket.h>

#include "roles/roles.h"

namespace sockscope::run {
namespace {

bool creates_socket(EventKind k) {
  return k == EventKind::kSocket || k == EventKind::kSocketpair || k == EventKind::kAccept;
}

PeerInfo peer_from(const inventory::Inventory& inv, const SocketInfo& s, std::string how) {
  PeerInfo p;
  p.inode = s.inode;
  p.owners = s.owners;
  p.path = s.local;
  if (auto r = roles::for_path(s.local)) p.role = r->name;
  p.how = std::move(how);
  (void)inv;
  return p;
}

// The unix listener bound at `path` (servers outlive their short clients).
const SocketInfo* listener_at(const inventory::Inventory& inv, const std::string& path) {
  for (const auto& s : inv.sockets)
    if (s.family == AF_UNIX && s.local == path && !s.owners.empty()) return &s;
  return nullptr;
}

std::optional<PeerInfo> find_peer(const inventory::Inventory& inv, const SocketRecord& r) {
  if (const SocketInfo* me = inv.find(r.inode); me && me->peer_inode)
    if (const SocketInfo* peer = inv.find(me->peer_inode)) return peer_from(inv, *peer, "peer of the live socket");
  if (r.peer_ino)
    if (const SocketInfo* peer = inv.find(r.peer_ino))
      return peer_from(inv, *peer, "peer named by the kernel at accept/connect");
  if (r.family == AF_UNIX && !r.remote.empty() && r.remote[0] != '(')
    if (const SocketInfo* l = listener_at(inv, r.remote)) {
      auto p = peer_from(inv, *l, "listener bound at the connect path");
      p.provisional = true;
      return p;
    }
  return std::nullopt;
}

}  // namespace

SocketRecord& ReportBuilder::socket(uint64_t inode, const Event& e) {
  auto it = by_inode_.find(inode);
  if (it != by_inode_.end()) return report_.sockets[it->second];
  SocketRecord r;
  r.inode = inode;
  r.family = e.family;
  r.type = e.type;
  r.created = e;
  by_inode_[inode] = report_.sockets.size();
  report_.sockets.push_back(std::move(r));
  return report_.sockets.back();
}

void ReportBuilder::add_socket_event(const Event& e) {
  if (creates_socket(e.kind) && !e.failed() && e.sock_ino) {
    auto& r = socket(e.sock_ino, e);
    if (e.peer_ino) r.peer_ino = e.peer_ino;
    if (e.kind == EventKind::kSocketpair && e.sock_ino2) {
      auto& r2 = socket(e.sock_ino2, e);
      r2.created.fd = e.fd2;
      r2.peer_ino = e.sock_ino;
      socket(e.sock_ino, e).peer_ino = e.sock_ino2;
    }
    return;
  }
  if (e.kind == EventKind::kRecvmsg)  // sockets that arrived by SCM_RIGHTS
    for (size_t i = 0; i < e.fds.size(); i++)
      if (e.fd_inos[i]) {
        Event made = e;
        made.fd = e.fds[i];
        made.sock_ino = e.fd_inos[i];
        socket(e.fd_inos[i], made);
      }
  uint64_t ino = e.sock_ino;
  if (!ino) return;
  auto it = by_inode_.find(ino);
  if (it == by_inode_.end()) return;  // a socket made before tracing started
  auto& r = report_.sockets[it->second];
  r.events.push_back(e);
  if (e.failed()) return;
  if (e.kind == EventKind::kBind) r.local = e.address;
  if (e.kind == EventKind::kConnect) r.remote = e.address;
  if (e.peer_ino) r.peer_ino = e.peer_ino;
  if (e.released()) r.closed = true;  // not a close of one of several fds
}

void ReportBuilder::add(const Event& e) {
  auto [it, fresh] = by_pid_.try_emplace(static_cast<int>(e.tgid), report_.processes.size());
  if (fresh) report_.processes.push_back({static_cast<int>(e.tgid), static_cast<int>(e.ppid), e.comm});
  auto& proc = report_.processes[it->second];
  switch (e.kind) {
    case EventKind::kExec:
      if (!e.failed()) {
        proc.execs.push_back(e.path);
        proc.comm = e.comm;
      }
      return;
    case EventKind::kExit: proc.exit_status = e.exit_status; return;
    case EventKind::kFork:
    case EventKind::kSignal: return;
    case EventKind::kUnlink:
    case EventKind::kRename: report_.path_events.push_back(e); return;
    default: add_socket_event(e);
  }
}

bool ReportBuilder::needs_peers() const {
  for (const auto& r : report_.sockets)
    if (r.peer ? r.peer->provisional && !r.closed : r.peer_ino || !r.remote.empty() || !r.closed) return true;
  return false;
}

void ReportBuilder::resolve_peers(const inventory::Inventory& inv) {
  for (auto& r : report_.sockets) {
    if (r.peer && !r.peer->provisional) continue;
    auto p = find_peer(inv, r);
    if (p && (!r.peer || !p->provisional)) r.peer = std::move(p);
  }
}

RunReport ReportBuilder::finish() && { return std::move(report_); }

}  // namespace sockscope::run
