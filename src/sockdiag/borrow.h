// SPDX-License-Identifier: GPL-2.0-only
// What a socket says of itself, asked through a copy of another process's
// descriptor (pidfd_getfd, Linux 5.6, "pid: Implement pidfd_getfd
// syscall"): its family, type and protocol (getsockopt SO_DOMAIN, SO_TYPE,
// SO_PROTOCOL), and its network namespace (ioctl SIOCGSKNS, Linux 4.9, "net:
// add an ioctl to get a socket network namespace"). For
// the sockets no sock_diag dump lists: netlink, packet and unbound inet
// sockets, and sockets whose namespace only they keep alive (lsfd asks the
// same way). Needs ptrace access to the holder, and CAP_NET_ADMIN over the
// socket's namespace for SIOCGSKNS.
#pragma once

#include <cstdint>

#include "base/result.h"
#include "base/unique_fd.h"

namespace sockscope::sockdiag {

struct Borrowed {
  int family = -1;  // AF_*; -1 if getsockopt failed
  int type = 0;
  int protocol = 0;
  UniqueFd netns;            // an nsfs descriptor of its namespace; invalid if SIOCGSKNS failed
  uint64_t netns_inode = 0;  // 0 if unknown
};

// The socket behind fd `fd` of process `pid`; an Error if the descriptor
// cannot be borrowed (gone, not ours to trace).
Result<Borrowed> borrow_socket(int pid, int fd);

}  // namespace sockscope::sockdiag
