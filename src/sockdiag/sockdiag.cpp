// SPDX-License-Identifier: GPL-2.0-only
#include "sockdiag/sockdiag.h"

#include <fcntl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/netlink_diag.h>
#include <linux/packet_diag.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace sockscope::sockdiag {
namespace {

Result<UniqueFd> open_here() {
  int fd = ::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  if (fd < 0) return sys_error("cannot open a NETLINK_SOCK_DIAG socket", errno);
  return UniqueFd(fd);
}

// The config option behind each diag module, for the hint.
const char* config_of(const char* what) {
  if (std::strcmp(what, "unix_diag") == 0) return "UNIX_DIAG";
  if (std::strcmp(what, "raw_diag") == 0) return "INET_RAW_DIAG";
  if (std::strcmp(what, "packet_diag") == 0) return "PACKET_DIAG";
  if (std::strcmp(what, "netlink_diag") == 0) return "NETLINK_DIAG";
  if (std::strcmp(what, "udp_diag") == 0) return "INET_UDP_DIAG";
  return "INET_DIAG";
}

std::string protocol_hint(const char* what) {
  return std::string("the kernel may lack ") + what + ": try `modprobe " + what + "` (CONFIG_" + config_of(what) + ")";
}

// Sends one dump request and collects every reply until NLMSG_DONE.
template <typename Req>
Result<Dump> dump(int nl_fd, const Req& req, const char* what) {
  struct {
    nlmsghdr nlh;
    Req r;
  } msg{};
  msg.nlh.nlmsg_len = sizeof(msg);
  msg.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  msg.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  msg.nlh.nlmsg_seq = 1;
  msg.r = req;
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  if (::sendto(nl_fd, &msg, sizeof(msg), 0, reinterpret_cast<sockaddr*>(&kernel), sizeof(kernel)) < 0)
    return sys_error(std::string("cannot request the ") + what + " dump", errno);

  Dump out;
  std::vector<uint8_t> buf(1 << 16);
  for (;;) {
    ssize_t n = ::recv(nl_fd, buf.data(), buf.size(), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return sys_error(std::string("cannot read the ") + what + " dump", errno);
    if (n == 0) break;
    out.insert(out.end(), buf.begin(), buf.begin() + n);
    // The last message of the batch tells whether the dump is over.
    auto* h = reinterpret_cast<const nlmsghdr*>(buf.data());
    int len = static_cast<int>(n);
    bool done = false;
    for (; NLMSG_OK(h, static_cast<unsigned>(len)); h = NLMSG_NEXT(h, len)) {
      // A dump that fails part way ends with NLMSG_DONE carrying the error
      // (netlink_dump_done()), e.g. -ENOENT from inet_diag when no module
      // handles the protocol: never taken for an empty dump.
      if (h->nlmsg_type == NLMSG_DONE) {
        done = true;
        int err = 0;
        if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(err))) std::memcpy(&err, NLMSG_DATA(h), sizeof(err));
        if (err < 0)
          return sys_error(std::string("the kernel could not finish the ") + what + " dump", -err)
              .with_hint(protocol_hint(what));
      }
      if (h->nlmsg_type == NLMSG_ERROR) {
        auto* e = static_cast<const nlmsgerr*>(NLMSG_DATA(h));
        return sys_error(std::string("the kernel refused the ") + what + " dump", -e->error)
            .with_hint(protocol_hint(what));
      }
    }
    if (done) break;
  }
  return out;
}

// Runs `open_fn` with the calling thread in the netns `netns_path` names and
// comes back: what it opens (a socket, a /proc/thread-self/net file) keeps
// that namespace after we return home.
template <typename Fn>
Result<UniqueFd> open_within(const std::string& netns_path, Fn open_fn) {
  if (netns_path.empty()) return open_fn();
  UniqueFd target(::open(netns_path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!target.valid()) return sys_error("cannot open " + netns_path, errno);
  UniqueFd home(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC));
  if (!home.valid()) return sys_error("cannot open our own network namespace", errno);
  // Our own namespace needs no setns(), which needs CAP_SYS_ADMIN: without
  // privilege this is the one namespace we can still dump (as `ss` does).
  struct stat there {
  }, here{};
  if (::fstat(target.get(), &there) == 0 && ::fstat(home.get(), &here) == 0 && there.st_dev == here.st_dev &&
      there.st_ino == here.st_ino)
    return open_fn();
  // setns(CLONE_NEWNET) moves only the calling thread.
  if (::setns(target.get(), CLONE_NEWNET) < 0)
    return sys_error("cannot enter the network namespace " + netns_path, errno)
        .with_hint("run as root (entering a namespace needs CAP_SYS_ADMIN)");
  auto opened = open_fn();
  if (::setns(home.get(), CLONE_NEWNET) < 0) ::abort();  // would leave us in a foreign netns
  return opened;
}

}  // namespace

Result<UniqueFd> open_in_netns(const std::string& netns_path) { return open_within(netns_path, open_here); }

Result<Dump> read_proc_net(const std::string& netns_path, const std::string& name) {
  std::string path = "/proc/thread-self/net/" + name;
  auto fd = open_within(netns_path, [&]() -> Result<UniqueFd> {
    UniqueFd f(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!f.valid()) return sys_error("cannot open " + path, errno);
    return f;
  });
  if (!fd) return fd.error();
  Dump out;
  uint8_t buf[16384];
  for (;;) {
    ssize_t n = ::read(fd->get(), buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return sys_error("cannot read " + path, errno);
    if (n == 0) break;
    out.insert(out.end(), buf, buf + n);
  }
  return out;
}

Result<Dump> dump_unix(int nl_fd) {
  unix_diag_req req{};
  req.sdiag_family = AF_UNIX;
  req.udiag_states = ~0u;
  req.udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_VFS | UDIAG_SHOW_PEER | UDIAG_SHOW_ICONS | UDIAG_SHOW_RQLEN;
  return dump(nl_fd, req, "unix_diag");
}

Result<Dump> dump_inet(int nl_fd, int family, int protocol) {
  inet_diag_req_v2 req{};
  req.sdiag_family = static_cast<uint8_t>(family);
  req.sdiag_protocol = static_cast<uint8_t>(protocol);
  req.idiag_states = ~0u;
  return dump(nl_fd, req, protocol == IPPROTO_TCP ? "tcp_diag" : "udp_diag");
}

Result<Dump> dump_packet(int nl_fd) {
  packet_diag_req req{};
  req.sdiag_family = AF_PACKET;
  req.pdiag_show = PACKET_SHOW_INFO | PACKET_SHOW_MEMINFO;
  return dump(nl_fd, req, "packet_diag");
}

Result<Dump> dump_netlink(int nl_fd) {
  netlink_diag_req req{};
  req.sdiag_family = AF_NETLINK;
  req.sdiag_protocol = NDIAG_PROTO_ALL;
  req.ndiag_show = NDIAG_SHOW_MEMINFO;
  return dump(nl_fd, req, "netlink_diag");
}

Result<std::string> interface_name(int fd, int ifindex) {
  ifreq ifr{};
  ifr.ifr_ifindex = ifindex;
  if (::ioctl(fd, SIOCGIFNAME, &ifr) < 0) return sys_error("cannot name interface " + std::to_string(ifindex), errno);
  return std::string(ifr.ifr_name, strnlen(ifr.ifr_name, sizeof(ifr.ifr_name)));
}

}  // namespace sockscope::sockdiag
