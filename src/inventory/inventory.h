// SPDX-License-Identifier: GPL-2.0-only
// The socket inventory: every socket of every network namespace joined with
// the processes that hold it (inode <-> pid/fd) and with its peer.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "inventory/source.h"
#include "model/socket.h"
#include "procfs/process.h"

namespace sockscope::inventory {

struct Options {
  bool unix_sockets = true;
  bool inet_sockets = true;
};

struct ProcessInfo {
  int pid = 0;
  std::string comm;
  uint64_t netns = 0;
  uint64_t mntns = 0;
  std::string container;  // 64-hex id from its cgroup path; empty: none
};

struct Inventory {
  std::vector<SocketInfo> sockets;
  std::vector<Diagnostic> diagnostics;
  std::map<uint64_t, Netns> namespaces;  // by netns inode
  std::map<int, ProcessInfo> processes;  // by pid
  std::vector<procfs::Process> scanned;  // every fd of every process, for non-socket lookups
  std::unordered_map<uint64_t, size_t> by_inode;
  std::unordered_map<uint64_t, size_t> listener_of_pending;  // client inode -> listener
  // TCP ends the kernel made but no process holds yet (a listener's queue:
  // sock_diag lists them with inode 0), by "netns|local|remote".
  std::unordered_set<std::string> queued_tcp;
  // Unix sockets connected to a socket that is not connected back (the
  // senders of a datagram receiver), by the receiver's inode.
  std::unordered_map<uint64_t, std::vector<uint64_t>> senders_to;

  const SocketInfo* find(uint64_t inode) const;
  const ProcessInfo* process(int pid) const;
  // The listener that has `inode` among its not yet accepted connections.
  const SocketInfo* pending_listener(uint64_t inode) const;
  // Whether the other end of TCP socket `s` waits in a listener's queue.
  bool peer_queued(const SocketInfo& s) const;
};

// Scans every process and dumps every namespace the source knows of.
Inventory build(Source& source, const Options& opts = {});

}  // namespace sockscope::inventory
