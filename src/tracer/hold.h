// SPDX-License-Identifier: GPL-2.0-only
// The user-space half of Options::stack_hold (bpf/lib/stack.h): a stack
// record marked held has stopped its process with SIGSTOP; once its
// mappings are read, the process is resumed here.
#pragma once

#include <cstdint>
#include <string>

namespace sockscope::tracer {

// Sends SIGCONT to the process of a held record (thread `tid` made the
// syscall). The BPF side queues SIGSTOP just after it writes the record, so
// the record can be read first, and a SIGCONT sent before the SIGSTOP is
// queued would leave the process stopped for good. So this first waits (at
// most `max_wait_us`) until the SIGSTOP is pending or has stopped the
// thread; a SIGCONT then cancels or ends the stop. A process that is gone
// or a zombie gets no signal (its pid may be reused).
void resume_held(uint32_t tgid, uint32_t tid, const std::string& proc = "/proc", int max_wait_us = 50'000);

}  // namespace sockscope::tracer
