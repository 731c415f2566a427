// SPDX-License-Identifier: GPL-2.0-only
#include "tracer/hold.h"

#include <fmt/format.h>
#include <signal.h>
#include <time.h>

#include "base/strings.h"
#include "procfs/process.h"

namespace sockscope::tracer {
namespace {

enum class Hold { kNotYet, kStopPendingOrStopped, kGone };

bool stop_pending(const std::optional<std::string>& mask) { return mask && procfs::in_sigmask(*mask, SIGSTOP); }

// The syscall's thread, else its process (that thread may have been
// killed): bpf_send_signal() queues a process-wide SIGSTOP (ShdPnd), which
// then stops every thread ('T'; 't' under a ptrace stop).
Hold hold_state(const std::string& proc, uint32_t tgid, uint32_t tid) {
  auto text = read_small_file(fmt::format("{}/{}/task/{}/status", proc, tgid, tid));
  if (!text) text = read_small_file(fmt::format("{}/{}/status", proc, tgid));
  if (!text) return Hold::kGone;
  auto state = procfs::status_value(*text, "State");
  if (!state || state->empty() || (*state)[0] == 'Z' || (*state)[0] == 'X') return Hold::kGone;
  if ((*state)[0] == 'T' || (*state)[0] == 't' || stop_pending(procfs::status_value(*text, "ShdPnd")) ||
      stop_pending(procfs::status_value(*text, "SigPnd")))
    return Hold::kStopPendingOrStopped;
  return Hold::kNotYet;
}

}  // namespace

void resume_held(uint32_t tgid, uint32_t tid, const std::string& proc, int max_wait_us) {
  constexpr int kStepUs = 100;
  Hold h = hold_state(proc, tgid, tid);
  for (int waited = 0; h == Hold::kNotYet && waited < max_wait_us; waited += kStepUs) {
    timespec step{0, kStepUs * 1000L};
    ::nanosleep(&step, nullptr);
    h = hold_state(proc, tgid, tid);
  }
  // Past the wait the signal was refused (bpf_send_signal() -EBUSY/-EPERM)
  // or is very late: a SIGCONT to a running process changes nothing.
  if (h != Hold::kGone) ::kill(static_cast<pid_t>(tgid), SIGCONT);
}

}  // namespace sockscope::tracer
