// SPDX-License-Identifier: GPL-2.0-only
// The user-space half of --hold-new (src/tracer/hold.h) with real processes.
// The BPF side queues SIGSTOP just after it writes the held stack record, so
// the tracer can read the record before the process has stopped; resuming
// it then must not leave it stopped for good.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tracer/hold.h"

namespace sockscope::testing {
namespace {

// A child that stops itself after `delay_ms` (as a held process does when
// its syscall returns), then exits 7 once it is continued.
pid_t child_stopping_after(int delay_ms) {
  pid_t pid = ::fork();
  if (pid == 0) {
    timespec d{delay_ms / 1000, (delay_ms % 1000) * 1'000'000L};
    ::nanosleep(&d, nullptr);
    ::raise(SIGSTOP);
    ::_exit(7);
  }
  return pid;
}

// Waits for the child's exit (SIGKILL after 5 s: a child left stopped).
int exit_status(pid_t pid) {
  for (int i = 0; i < 500; i++) {
    int status = 0;
    pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    timespec d{0, 10'000'000L};
    ::nanosleep(&d, nullptr);
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  return -2;  // still stopped after 5 s
}

TEST(HoldResume, StoppedProcessContinues) {
  pid_t pid = child_stopping_after(0);
  ASSERT_GT(pid, 0);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, WUNTRACED), pid);
  ASSERT_TRUE(WIFSTOPPED(status));
  tracer::resume_held(static_cast<uint32_t>(pid));
  EXPECT_EQ(exit_status(pid), 7);
}

// The record was read before the stop took effect: resume_held waits for
// it instead of sending a SIGCONT that the later SIGSTOP would undo.
TEST(HoldResume, StopAfterTheRecordIsWaitedFor) {
  pid_t pid = child_stopping_after(20);
  ASSERT_GT(pid, 0);
  tracer::resume_held(static_cast<uint32_t>(pid));
  EXPECT_EQ(exit_status(pid), 7) << "the child was left stopped";
}

// A refused signal (bpf_send_signal() failed) stops nothing: the wait
// ends at its limit and the process is not disturbed.
TEST(HoldResume, NeverStoppedProcessIsLeftRunning) {
  pid_t pid = ::fork();
  if (pid == 0) {
    timespec d{0, 200'000'000L};
    ::nanosleep(&d, nullptr);
    ::_exit(3);
  }
  ASSERT_GT(pid, 0);
  tracer::resume_held(static_cast<uint32_t>(pid), "/proc", 5'000);
  EXPECT_EQ(exit_status(pid), 3);
}

TEST(HoldResume, GoneProcessIsNoError) {
  pid_t pid = ::fork();
  if (pid == 0) ::_exit(0);
  ASSERT_GT(pid, 0);
  ASSERT_EQ(::waitpid(pid, nullptr, 0), pid);
  tracer::resume_held(static_cast<uint32_t>(pid));  // returns at once, sends to nobody
}

}  // namespace
}  // namespace sockscope::testing
