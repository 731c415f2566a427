// SPDX-License-Identifier: GPL-2.0-only
// SIGINT/SIGTERM/SIGHUP turn into a flag that the poll loops check, so that the
// Tracer's destructor runs and detaches everything (no BPF link outlives a
// Ctrl-C). Signal dispositions are process-global; this is the one place
// that sets them for the tracer commands.
#pragma once

#include <csignal>

namespace sockscope::tracer {

class StopSignals {
 public:
  // Installs the handlers (without SA_RESTART, so a blocking poll returns
  // EINTR at once); the destructor restores the previous ones.
  StopSignals();
  ~StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  bool requested() const;
  // A signal sent to us alone with kill() (SI_USER/SI_QUEUE) since the last
  // call, rather than by the terminal to the whole foreground process group,
  // and forgets it (0: none). `run` forwards these to its command; a
  // terminal's Ctrl-C already reached the child. Each signal has its own
  // pending flag, so one arriving while another is taken is not lost.
  int take_sent_to_us_alone();

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
  struct sigaction old_hup_ {};
};

}  // namespace sockscope::tracer
