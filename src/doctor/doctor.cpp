// SPDX-License-Identifier: GPL-2.0-only
#include "doctor/doctor.h"

#include <fmt/format.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <algorithm>
#include <unordered_set>

#include "base/escape.h"
#include "inventory/explain.h"
#include "roles/roles.h"

namespace sockscope::doctor {

const char* check_name(Check c) {
  switch (c) {
    case Check::kOrphanedListener: return "orphaned-listener";
    case Check::kReplacedListener: return "replaced-listener";
    case Check::kJvmAttachGone: return "jvm-attach-socket-gone";
    case Check::kSlowAccept: return "slow-accept";
    case Check::kPeerClosed: return "peer-closed";
  }
  return "?";
}

const char* action_name(PathChange::Action a) {
  switch (a) {
    case PathChange::Action::kUnlinked: return "unlinked";
    case PathChange::Action::kRenamedAway: return "renamed away";
    case PathChange::Action::kRenamedOnto: return "renamed onto";
    case PathChange::Action::kBound: return "bound";
  }
  return "?";
}

namespace {

bool wanted(const SocketInfo& s, const Options& o) {
  if (o.pids.empty()) return true;
  return std::any_of(s.owners.begin(), s.owners.end(),
                     [&](const Owner& w) { return std::find(o.pids.begin(), o.pids.end(), w.pid) != o.pids.end(); });
}

bool is_jvm_attach(const SocketInfo& s) {
  auto role = roles::for_path(s.local);
  return role && role->name == "JVM attach listener";
}

// Holders of the socket now bound at the path (same path, bound inode = what
// the path names now), so the finding can say who took the path over.
std::vector<Owner> new_owner_of_path(const inventory::Inventory& inv, const SocketInfo& s) {
  for (const auto& other : inv.sockets)
    if (other.inode != s.inode && other.local == s.local && other.vfs_ino == s.path_now_ino &&
        other.state == TCP_LISTEN)
      return other.owners;
  return {};
}

Finding unlinked(const SocketInfo& s) {
  if (is_jvm_attach(s))
    return {Check::kJvmAttachGone,
            s.inode,
            s.owners,
            fmt::format("JVM attach socket {} was deleted while the JVM runs", s.local),
            "jcmd, jstack and jattach find the JVM through this file: they will fail with "
            "\"Unable to open socket file\"; HotSpot does not recreate it while its attach "
            "listener is up",
            "stop the tmp cleaner from deleting /tmp/.java_pid* (systemd-tmpfiles: add `x "
            "/tmp/.java_pid*`); to attach now, restart the JVM or use its own in-process "
            "diagnostics"};
  return {Check::kOrphanedListener,
          s.inode,
          s.owners,
          fmt::format("listener {} is alive but its path was unlinked", s.local),
          "clients that connect by path get ENOENT (or ECONNREFUSED once a new file appears): "
          "the listener can never be reached again",
          "find who deleted it (`sockscope watch " + shell_quote(s.local) +
              "`), and restart the server or have it rebind; keep cleaners away from the path"};
}

Finding replaced(const inventory::Inventory& inv, const SocketInfo& s) {
  Finding f{Check::kReplacedListener,
            s.inode,
            s.owners,
            fmt::format("listener {} is alive but the path now names another inode ({})", s.local, s.path_now_ino),
            "clients connecting by path reach the new file, not this listener (ECONNREFUSED if "
            "nobody listens on the new one)",
            "find who rebound the path (`sockscope watch " + shell_quote(s.local) +
                "`); stop the second instance or give it another path"};
  f.related = new_owner_of_path(inv, s);
  return f;
}

Finding slow_accept(const inventory::Inventory& inv, const SocketInfo& s, size_t waiting) {
  std::string clients;
  for (uint64_t c : s.pending)
    if (const SocketInfo* cs = inv.find(c); cs && !cs->owners.empty())
      clients += (clients.empty() ? "" : ", ") + cs->owners[0].comm + "[" + std::to_string(cs->owners[0].pid) + "]";
  Finding f{Check::kSlowAccept,
            s.inode,
            s.owners,
            fmt::format("listener {} has {} connection(s) waiting to be accepted since the last look",
                        s.local.empty() ? "inode " + std::to_string(s.inode) : s.local, waiting),
            "the clients block or time out; a checkpoint drops such connections silently",
            "check that the server's accept loop runs (is its thread stuck?)" +
                (clients.empty() ? std::string() : "; waiting: " + clients)};
  return f;
}

Finding peer_closed(const inventory::Inventory& inv, const SocketInfo& s) {
  (void)inv;
  return {Check::kPeerClosed,
          s.inode,
          s.owners,
          fmt::format("{} socket inode {} is connected to a peer that has closed", type_name(s.type), s.inode),
          "reads return EOF and writes fail with EPIPE; a process that keeps it is leaking it",
          "close the descriptor in the holder (or find why it keeps it)"};
}

}  // namespace

std::vector<Finding> examine(const inventory::Inventory& now, const inventory::Inventory* earlier,
                             const Options& opts) {
  std::vector<Finding> out;
  for (const auto& s : now.sockets) {
    if (s.family != AF_UNIX || !wanted(s, opts)) continue;
    bool listener = s.state == TCP_LISTEN;
    if (listener && (s.path_state == PathState::kUnlinked || s.path_state == PathState::kReplaced)) {
      out.push_back(s.path_state == PathState::kUnlinked ? unlinked(s) : replaced(now, s));
      out.back().path = s.local;
    }
    if (listener && earlier && !s.pending.empty()) {
      const SocketInfo* before = earlier->find(s.inode);
      size_t waiting = 0;
      if (before)
        for (uint64_t c : s.pending) waiting += std::count(before->pending.begin(), before->pending.end(), c);
      if (waiting) out.push_back(slow_accept(now, s, waiting));
    }
    if (!listener && s.type != SOCK_DGRAM && s.state == TCP_ESTABLISHED && s.peer_inode == 0 &&
        !now.pending_listener(s.inode) && !s.owners.empty())
      out.push_back(peer_closed(now, s));
  }
  return out;
}

}  // namespace sockscope::doctor
