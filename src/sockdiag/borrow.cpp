// SPDX-License-Identifier: GPL-2.0-only
#include "sockdiag/borrow.h"

#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <string>

namespace sockscope::sockdiag {

Result<Borrowed> borrow_socket(int pid, int fd) {
  UniqueFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
  if (!pidfd.valid()) return sys_error("cannot open a pidfd of process " + std::to_string(pid), errno);
  UniqueFd copy(static_cast<int>(::syscall(SYS_pidfd_getfd, pidfd.get(), fd, 0)));
  if (!copy.valid())
    return sys_error("cannot borrow fd " + std::to_string(fd) + " of process " + std::to_string(pid), errno);
  Borrowed b;
  auto option = [&](int name, int& out) {
    socklen_t len = sizeof(out);
    return ::getsockopt(copy.get(), SOL_SOCKET, name, &out, &len) == 0;
  };
  if (!option(SO_DOMAIN, b.family)) b.family = -1;
  option(SO_TYPE, b.type);
  option(SO_PROTOCOL, b.protocol);
  b.netns = UniqueFd(::ioctl(copy.get(), SIOCGSKNS));
  struct stat st {};
  if (b.netns.valid() && ::fstat(b.netns.get(), &st) == 0) b.netns_inode = st.st_ino;
  return b;
}

}  // namespace sockscope::sockdiag
