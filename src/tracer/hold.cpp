// SPDX-License-Identifier: GPL-2.0-only
#include "tracer/hold.h"

#include <fmt/format.h>
#include <signal.h>
#include <time.h>

#include <vector>

#include "base/clock.h"
#include "base/strings.h"
#include "procfs/process.h"

namespace sockscope::tracer {
namespace {

bool stop_pending(const std::optional<std::string>& mask) { return mask && procfs::in_sigmask(*mask, SIGSTOP); }

}  // namespace

// bpf_send_signal() queues a process-wide SIGSTOP (ShdPnd), which then
// stops every thread ('T'; 't' when a tracer holds the stop). A zombie
// (a leader that left while other threads live on, or the whole process)
// keeps its pid: a SIGCONT to it is harmless and may free stopped threads.
HoldState hold_state(const std::string& proc, uint32_t tgid, uint32_t tid) {
  auto text = read_small_file(fmt::format("{}/{}/task/{}/status", proc, tgid, tid));
  if (!text) text = read_small_file(fmt::format("{}/{}/status", proc, tgid));
  if (!text) return HoldState::kGone;
  auto state = procfs::status_value(*text, "State").value_or("");
  if (state.empty()) return HoldState::kGone;
  if (std::string_view("TtZX").find(state[0]) != std::string_view::npos ||
      stop_pending(procfs::status_value(*text, "ShdPnd")) || stop_pending(procfs::status_value(*text, "SigPnd")))
    return HoldState::kAnswerable;
  return HoldState::kNotYet;
}

bool resume_held(uint32_t tgid, uint32_t tid, const std::string& proc, int max_wait_us) {
  constexpr int kStepUs = 100;
  HoldState h = hold_state(proc, tgid, tid);
  for (int waited = 0; h == HoldState::kNotYet && waited < max_wait_us; waited += kStepUs) {
    timespec step{0, kStepUs * 1000L};
    ::nanosleep(&step, nullptr);
    h = hold_state(proc, tgid, tid);
  }
  // Past the wait: the signal was refused (bpf_send_signal() -EBUSY/-EPERM)
  // or is late. A SIGCONT to a running process changes nothing.
  if (h != HoldState::kGone) ::kill(static_cast<pid_t>(tgid), SIGCONT);
  return h != HoldState::kNotYet;
}

void Holds::answer(uint32_t tgid, uint32_t tid) {
  if (!resume_held(tgid, tid, "/proc", 2'000)) late_.push_back({tgid, tid, monotonic_ns() + 5'000'000'000u});
}

void Holds::recheck() {
  uint64_t now = monotonic_ns();
  std::erase_if(late_, [now](const Late& h) { return resume_held(h.tgid, h.tid, "/proc", 0) || now > h.until_ns; });
}

void Holds::finish() {
  for (int i = 0; i < 100 && !late_.empty(); i++) {
    timespec step{0, 1'000'000L};
    ::nanosleep(&step, nullptr);
    recheck();
  }
}

}  // namespace sockscope::tracer
