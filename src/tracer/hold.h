// SPDX-License-Identifier: GPL-2.0-only
// The user-space half of Options::stack_hold (bpf/lib/stack.h): a stack
// record marked held has stopped its process with SIGSTOP; once its
// mappings are read, the process is resumed here.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sockscope::tracer {

enum class HoldState {
  kNotYet,      // running: its SIGSTOP is not queued yet
  kAnswerable,  // SIGSTOP pending or acted, or a zombie: SIGCONT now
  kGone,        // no such process: nothing to send (the pid may be reused)
};

// Read from /proc/TGID/task/TID/status (the thread of the syscall), else
// /proc/TGID/status (that thread may have been killed).
HoldState hold_state(const std::string& proc, uint32_t tgid, uint32_t tid);

// Sends SIGCONT to the process of a held record (thread `tid` made the
// syscall). The BPF side queues SIGSTOP just after it writes the record, so
// the record can be read first, and a SIGCONT sent before the SIGSTOP is
// queued would leave the process stopped for good. So this first waits (at
// most `max_wait_us`) until the SIGSTOP is pending or has acted; a SIGCONT
// then cancels or ends it. Returns false when the wait ran out: SIGCONT
// was sent anyway, and the caller should check again later (a SIGSTOP
// delayed past the wait, e.g. by CPU throttling, would stop it then).
bool resume_held(uint32_t tgid, uint32_t tid, const std::string& proc = "/proc", int max_wait_us = 50'000);

// The tracer's held records. A record is answered at once if its SIGSTOP
// shows within a short wait (the usual case: microseconds), else kept and
// looked at again after each poll for 5 s (a refused signal, or one that a
// throttled CPU delays), so that the event loop never sleeps for long.
class Holds {
 public:
  void answer(uint32_t tgid, uint32_t tid);
  // After each poll.
  void recheck();
  // At teardown, once no program can hold any more: waits up to 100 ms for
  // stops still late, so that none comes after sockscope is gone.
  void finish();

 private:
  struct Late {
    uint32_t tgid, tid;
    uint64_t until_ns;
  };
  std::vector<Late> late_;
};

}  // namespace sockscope::tracer
