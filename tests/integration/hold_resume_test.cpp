// SPDX-License-Identifier: GPL-2.0-only
// The user-space half of --hold-new (src/tracer/hold.h) with real processes.
// The BPF side queues SIGSTOP just after it writes the held stack record, so
// the tracer can read the record before the SIGSTOP exists; resuming then
// must not leave the process stopped for good.
#include <gtest/gtest.h>
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "support/helpers.h"
#include "tracer/hold.h"

namespace sockscope::testing {
namespace {

constexpr int kGenerousWaitUs = 2'000'000;  // never reached unless broken

void sleep_ms(int ms) {
  timespec d{ms / 1000, (ms % 1000) * 1'000'000L};
  ::nanosleep(&d, nullptr);
}

// After `delay_ms`, a process-wide SIGSTOP (as bpf_send_signal() queues),
// then exit 7 once continued.
[[noreturn]] void stop_later_then_exit(int delay_ms) {
  sleep_ms(delay_ms);
  ::kill(::getpid(), SIGSTOP);
  ::_exit(7);
}

TEST(HoldResume, StoppedProcessContinues) {
  pid_t pid = ::fork();
  if (pid == 0) stop_later_then_exit(0);
  ASSERT_GT(pid, 0);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, WUNTRACED), pid);
  ASSERT_TRUE(WIFSTOPPED(status));
  tracer::resume_held(static_cast<uint32_t>(pid), static_cast<uint32_t>(pid));
  EXPECT_EQ(wait_exit(pid), 7);
}

// The record is read before the SIGSTOP is queued: resume_held waits for it
// instead of sending a SIGCONT that the later SIGSTOP would undo.
TEST(HoldResume, StopQueuedAfterTheRecordIsWaitedFor) {
  pid_t pid = ::fork();
  if (pid == 0) stop_later_then_exit(20);
  ASSERT_GT(pid, 0);
  tracer::resume_held(static_cast<uint32_t>(pid), static_cast<uint32_t>(pid), "/proc", kGenerousWaitUs);
  EXPECT_EQ(wait_exit(pid), 7) << "the process was left stopped";
}

void* worker(void* arg) {
  int fd = *static_cast<int*>(arg);
  pid_t tid = static_cast<pid_t>(::syscall(SYS_gettid));
  if (::write(fd, &tid, sizeof(tid)) != sizeof(tid)) ::_exit(1);
  stop_later_then_exit(50);
}

// The syscall's thread is not the leader, and the leader has left (as with
// pthread_exit()): /proc/TGID/status says zombie while the process lives
// on. The wait follows the thread.
TEST(HoldResume, FollowsTheThreadNotAnExitedLeader) {
  int pipefd[2];
  ASSERT_EQ(::pipe(pipefd), 0);
  pid_t pid = ::fork();
  if (pid == 0) {
    pthread_t t;
    if (pthread_create(&t, nullptr, worker, &pipefd[1]) != 0) ::_exit(1);
    // exit(2) of this thread alone; pthread_exit() would unwind through
    // gtest's catch (...) and abort.
    ::syscall(SYS_exit, 0);
  }
  ASSERT_GT(pid, 0);
  pid_t tid = 0;
  ASSERT_EQ(::read(pipefd[0], &tid, sizeof(tid)), static_cast<ssize_t>(sizeof(tid)));
  ::close(pipefd[0]);
  ::close(pipefd[1]);
  tracer::resume_held(static_cast<uint32_t>(pid), static_cast<uint32_t>(tid), "/proc", kGenerousWaitUs);
  EXPECT_EQ(wait_exit(pid), 7) << "the process was left stopped";
}

}  // namespace
}  // namespace sockscope::testing
