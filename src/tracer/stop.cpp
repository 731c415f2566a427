// SPDX-License-Identifier: GPL-2.0-only
#include "tracer/stop.h"

namespace sockscope::tracer {
namespace {

constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};

volatile sig_atomic_t g_count = 0;
// Indexed by signal number; set by the handler, cleared by the loop.
volatile sig_atomic_t g_direct[NSIG] = {};

void on_signal(int sig, siginfo_t* info, void*) {
  if (info && (info->si_code == SI_USER || info->si_code == SI_QUEUE)) g_direct[sig] = 1;
  g_count = g_count + 1;
}

}  // namespace

StopSignals::StopSignals() {
  struct sigaction sa {};
  sa.sa_sigaction = on_signal;
  sa.sa_flags = SA_SIGINFO;  // no SA_RESTART: interrupt epoll_wait
  sigemptyset(&sa.sa_mask);
  g_count = 0;
  for (int sig : kSignals) g_direct[sig] = 0;
  sigaction(SIGINT, &sa, &old_int_);
  sigaction(SIGTERM, &sa, &old_term_);
  sigaction(SIGHUP, &sa, &old_hup_);  // a closed terminal: detach as for Ctrl-C
}

StopSignals::~StopSignals() {
  sigaction(SIGINT, &old_int_, nullptr);
  sigaction(SIGTERM, &old_term_, nullptr);
  sigaction(SIGHUP, &old_hup_, nullptr);
}

bool StopSignals::requested() const { return g_count > 0; }
int StopSignals::take_sent_to_us_alone() {
  for (int sig : kSignals) {
    if (!g_direct[sig]) continue;
    g_direct[sig] = 0;  // a second one in between is the same request
    return sig;
  }
  return 0;
}

}  // namespace sockscope::tracer
