// SPDX-License-Identifier: GPL-2.0-only
// A socket lifecycle event as the tracer decodes it from the kernel (the C++
// view of abi/events.h; decoding lives in tracer/event.cpp) and as every
// consumer reads it: the run report, watch, lineage, the recorder and the
// views in src/render. Passive data.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace sockscope {

// Same numbering as enum sockscope_event_kind in abi/events.h.
enum class EventKind : uint32_t {
  kSocket = 1,
  kSocketpair,
  kBind,
  kListen,
  kConnect,
  kAccept,
  kShutdown,
  kClose,
  kSendmsg,
  kRecvmsg,
  kUnlink,
  kRename,
  kExec,
  kFork,
  kExit,
  kSignal,  // flags: signal number; child_tgid: target; path: target comm
};

const char* kind_name(EventKind k);  // "socket", "bind", ...

struct RawStack;  // model/stack.h
struct Stack;

struct Event {
  EventKind kind = EventKind::kSocket;
  uint64_t ts_ns = 0;  // CLOCK_MONOTONIC
  uint32_t tgid = 0;   // host pid
  uint32_t tid = 0;
  uint32_t nspid = 0;  // pid in the process's own pid namespace
  uint32_t ppid = 0;
  uint32_t uid = 0;
  uint64_t cgroup_id = 0;
  uint32_t netns = 0;
  uint32_t mntns = 0;
  std::string comm;
  int fd = -1;
  int fd2 = -1;  // socketpair: 2nd fd; accept: listener; path events: dirfd
  uint64_t sock_ino = 0;
  uint64_t sock_ino2 = 0;  // socketpair: 2nd socket; accept: listener; unix bind: its socket file
  uint64_t peer_ino = 0;
  int64_t ret = 0;  // -errno on failure
  int family = 0;
  int type = 0;
  uint32_t flags = 0;
  std::string address;            // "/path", "@abstract", "(unnamed)", "1.2.3.4:80", "[::1]:80"
  std::string path;               // unlink/rename source, exec file
  std::string path2;              // rename target
  std::vector<int> fds;           // SCM_RIGHTS
  std::vector<uint64_t> fd_inos;  // socket inode of each fd (0: not a socket)
  uint32_t fds_total = 0;         // before the cap
  uint32_t child_tgid = 0;        // fork
  int exit_status = 0;            // exit: wait status
  // --stacks (model/stack.h): the raw record from the tracer, and the frames
  // once user space has symbolized it. Shared: Events are copied freely.
  std::shared_ptr<const RawStack> raw_stack;
  std::shared_ptr<const Stack> stack;

  bool failed() const { return ret < 0; }
  // The inode of the socket file a unix bind made, as the kernel had it at
  // the bind's exit (0: abstract or autobound name, or an older recording).
  uint64_t bound_path_ino() const { return kind == EventKind::kBind && !failed() ? sock_ino2 : 0; }
  int error() const { return ret < 0 ? static_cast<int>(-ret) : 0; }
  // A successful close of the fd that held the socket's last reference.
  bool released() const { return kind == EventKind::kClose && !failed() && (flags & kCloseLast); }
  static constexpr uint32_t kCloseLast = 1;  // flags of a close (SOCKSCOPE_CLOSE_LAST)
};

// What the tracer lost, by cause: counters kept by the BPF side (per-CPU,
// summed by the tracer).
struct TraceStats {
  uint64_t ringbuf_full = 0;  // events lost: ring buffer full
  uint64_t args_full = 0;     // events lost: no memory for a task's pending entry (BPF task storage)
  uint64_t bad_records = 0;   // records user space could not decode
  uint64_t maps_lost = 0;     // module-map journal records lost (not events)
  uint64_t lost() const { return ringbuf_full + args_full + bad_records; }
};

}  // namespace sockscope
