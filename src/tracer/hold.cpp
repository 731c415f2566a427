// SPDX-License-Identifier: GPL-2.0-only
#include "tracer/hold.h"

#include <signal.h>
#include <time.h>

#include "procfs/process.h"

namespace sockscope::tracer {
namespace {

// "T (stopped)", "t (tracing stop)"; gone or dead needs no waiting either.
bool stopped_or_gone(const std::string& proc, uint32_t tgid) {
  auto state = procfs::status_field(proc, static_cast<int>(tgid), "State");
  return !state || state->empty() || std::string("TtZX").find((*state)[0]) != std::string::npos;
}

}  // namespace

void resume_held(uint32_t tgid, const std::string& proc, int max_wait_us) {
  constexpr int kStepUs = 100;
  for (int waited = 0; waited < max_wait_us && !stopped_or_gone(proc, tgid); waited += kStepUs) {
    timespec step{0, kStepUs * 1000L};
    ::nanosleep(&step, nullptr);
  }
  ::kill(static_cast<pid_t>(tgid), SIGCONT);
}

}  // namespace sockscope::tracer
