// SPDX-License-Identifier: GPL-2.0-only
#include "tracer/event.h"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "base/strings.h"

extern "C" {
#include "events.h"
}

namespace sockscope::tracer {

// The BPF object and this file must agree on the layout byte for byte.
static_assert(sizeof(sockscope_event) == SOCKSCOPE_EVENT_SIZE, "abi/events.h: size changed");
static_assert(offsetof(sockscope_event, comm) % 8 == 0);
static_assert(static_cast<uint32_t>(EventKind::kExit) == SOCKSCOPE_EV_EXIT);
static_assert(Event::kCloseLast == SOCKSCOPE_CLOSE_LAST);
static_assert(static_cast<uint32_t>(EventKind::kSignal) == SOCKSCOPE_EV_SIGNAL);

namespace {

std::string address(const sockscope_event& e) {
  char buf[INET6_ADDRSTRLEN] = {};
  switch (e.addr_kind) {
    case SOCKSCOPE_ADDR_UNIX_PATH:
      return c_string(e.path, sizeof(e.path));
    case SOCKSCOPE_ADDR_UNIX_ABSTRACT: {  // path = '@' + name, path_len bytes in all
      // The name's bytes as they are, NULs included: render/ escapes them.
      size_t n = std::min<size_t>(e.path_len, sizeof(e.path));
      return "@" + std::string(e.path + 1, n > 0 ? n - 1 : 0);
    }
    case SOCKSCOPE_ADDR_UNIX_UNNAMED:
      return "(unnamed)";
    case SOCKSCOPE_ADDR_INET:
      ::inet_ntop(AF_INET, e.addr, buf, sizeof(buf));
      return fmt::format("{}:{}", buf, e.port);
    case SOCKSCOPE_ADDR_INET6:
      ::inet_ntop(AF_INET6, e.addr, buf, sizeof(buf));
      return fmt::format("[{}]:{}", buf, e.port);
  }
  return {};
}

}  // namespace

Result<Event> decode(const void* data, size_t size) {
  if (size < sizeof(sockscope_event))
    return Error{fmt::format("ring buffer record of {} bytes, expected {}", size,
                             sizeof(sockscope_event)),
                 0, "the BPF object and the binary disagree on abi/events.h: rebuild both"};
  sockscope_event e;
  std::memcpy(&e, data, sizeof(e));
  if (e.kind < SOCKSCOPE_EV_SOCKET || e.kind >= SOCKSCOPE_EV_MAX)
    return Error{fmt::format("unknown event kind {}", e.kind), 0, "rebuild: ABI skew"};
  Event ev;
  ev.kind = static_cast<EventKind>(e.kind);
  ev.ts_ns = e.ts_ns;
  ev.tgid = e.tgid;
  ev.tid = e.tid;
  ev.nspid = e.nspid;
  ev.ppid = e.ppid;
  ev.uid = e.uid;
  ev.cgroup_id = e.cgroup_id;
  ev.netns = e.netns_ino;
  ev.mntns = e.mntns_ino;
  ev.comm = c_string(e.comm, sizeof(e.comm));
  ev.fd = e.fd;
  ev.fd2 = e.fd2;
  ev.sock_ino = e.sock_ino;
  ev.sock_ino2 = e.sock_ino2;
  ev.peer_ino = e.peer_ino;
  ev.ret = e.ret;
  ev.family = e.family;
  ev.type = e.sock_type;
  ev.flags = e.flags;
  ev.address = address(e);
  if (e.addr_kind == SOCKSCOPE_ADDR_NONE) {
    ev.path = c_string(e.path, sizeof(e.path));
    ev.path2 = c_string(e.path2, sizeof(e.path2));
  }
  for (uint32_t i = 0; i < e.nfds && i < SOCKSCOPE_MAX_SCM_FDS; i++) {
    ev.fds.push_back(e.fds[i]);
    ev.fd_inos.push_back(e.fd_inos[i]);
  }
  ev.fds_total = e.nfds_total;
  ev.child_tgid = e.child_tgid;
  ev.exit_status = e.exit_code;
  return ev;
}

}  // namespace sockscope::tracer
