// SPDX-License-Identifier: GPL-2.0-only
#include "tracer/stop.h"

namespace sockscope::tracer {
namespace {

volatile sig_atomic_t g_signal = 0;
volatile sig_atomic_t g_direct = 0;
volatile sig_atomic_t g_count = 0;

void on_signal(int sig, siginfo_t* info, void*) {
  g_signal = sig;
  g_direct = info && (info->si_code == SI_USER || info->si_code == SI_QUEUE);
  g_count = g_count + 1;
}

}  // namespace

StopSignals::StopSignals() {
  struct sigaction sa {};
  sa.sa_sigaction = on_signal;
  sa.sa_flags = SA_SIGINFO;  // no SA_RESTART: interrupt epoll_wait
  sigemptyset(&sa.sa_mask);
  g_signal = 0;
  g_count = 0;
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
int StopSignals::signal() const { return g_signal; }
bool StopSignals::sent_to_us_alone() const { return g_direct; }
void StopSignals::clear() { g_signal = 0; g_direct = 0; }

}  // namespace sockscope::tracer
