// SPDX-License-Identifier: GPL-2.0-only
// The user-space half of Options::stack_hold (bpf/lib/stack.h): a stack
// record marked held has stopped its process with SIGSTOP; once its
// mappings are read, the process is resumed here.
#pragma once

#include <cstdint>
#include <string>

namespace sockscope::tracer {

// Sends SIGCONT to a process that a held record stopped. The BPF side
// queues SIGSTOP just after it writes the record, so the record can be read
// first, and a SIGCONT sent before the SIGSTOP is queued would leave the
// process stopped for good. So this waits (at most `max_wait_us`) until the
// process shows stopped or is gone. The wait ends early in practice: user
// space has opened the process's files meanwhile.
void resume_held(uint32_t tgid, const std::string& proc = "/proc", int max_wait_us = 50'000);

}  // namespace sockscope::tracer
