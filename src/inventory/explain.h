// SPDX-License-Identifier: GPL-2.0-only
// `sockscope fd PID FD`: what one descriptor is and who is on the other end.
// Pure: works on an Inventory already built.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "inventory/inventory.h"
#include "roles/roles.h"

namespace sockscope::inventory {

enum class FdKind { kSocket, kPipe, kFile, kAnonInode, kOther };

struct FdExplanation {
  int pid = 0;
  int fd = -1;
  std::string comm;
  std::string target;  // the fd's link text
  FdKind kind = FdKind::kOther;
  std::optional<SocketInfo> socket;
  std::optional<SocketInfo> peer;      // the other end, when found
  std::optional<SocketInfo> listener;  // a connection waiting in this listener's queue
  std::optional<roles::Role> role;     // of the peer's (or our own) path
  std::string no_peer_reason;          // why `peer` is empty, when it is
  bool peer_in_other_netns = false;
  std::vector<Owner> others;  // other holders of the same pipe or socket
};

// Explains fd `fd` of `pid`; nullopt when the process has no such fd in the
// inventory (the caller says which of the two is missing).
std::optional<FdExplanation> explain_fd(const Inventory& inv, int pid, int fd);

// Why a socket has no peer we could show (empty if it has one).
std::string why_no_peer(const Inventory& inv, const SocketInfo& s);

// The role of a socket's other end, else of its own path.
std::optional<roles::Role> role_of(const SocketInfo& s, const SocketInfo* peer);

}  // namespace sockscope::inventory
