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

#include <cstdint>

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
  EXPECT_TRUE(tracer::resume_held(static_cast<uint32_t>(pid), static_cast<uint32_t>(pid)));
  EXPECT_EQ(wait_exit(pid), 7);
}

// The record is read before the SIGSTOP is queued: resume_held waits for it
// instead of sending a SIGCONT that the later SIGSTOP would undo.
TEST(HoldResume, StopQueuedAfterTheRecordIsWaitedFor) {
  pid_t pid = ::fork();
  if (pid == 0) stop_later_then_exit(20);
  ASSERT_GT(pid, 0);
  EXPECT_TRUE(tracer::resume_held(static_cast<uint32_t>(pid), static_cast<uint32_t>(pid), "/proc", kGenerousWaitUs));
  EXPECT_EQ(wait_exit(pid), 7) << "the process was left stopped";
}

// A SIGSTOP later than the wait (refused, or a throttled CPU): resume_held
// says so, and the tracer keeps watching the process (answer_late_holds)
// through hold_state, which follows it from running to stopped to gone.
TEST(HoldResume, LateStopIsReportedAndSeenLater) {
  pid_t pid = ::fork();
  if (pid == 0) stop_later_then_exit(500);
  ASSERT_GT(pid, 0);
  auto id = static_cast<uint32_t>(pid);
  EXPECT_FALSE(tracer::resume_held(id, id, "/proc", 1'000));
  EXPECT_EQ(tracer::hold_state("/proc", id, id), tracer::HoldState::kNotYet);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, WUNTRACED), pid);
  ASSERT_TRUE(WIFSTOPPED(status));
  EXPECT_EQ(tracer::hold_state("/proc", id, id), tracer::HoldState::kAnswerable);
  ::kill(pid, SIGCONT);
  EXPECT_EQ(wait_exit(pid), 7);
  EXPECT_EQ(tracer::hold_state("/proc", id, id), tracer::HoldState::kGone);
  EXPECT_TRUE(tracer::resume_held(id, id)) << "a gone process needs no wait";
}

void* worker(void* arg) {
  int fd = static_cast<int>(reinterpret_cast<intptr_t>(arg));
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
    ::close(pipefd[0]);
    if (pthread_create(&t, nullptr, worker, reinterpret_cast<void*>(static_cast<intptr_t>(pipefd[1]))) != 0)
      ::_exit(1);
    // exit(2) of this thread alone; pthread_exit() would unwind through
    // gtest's catch (...) and abort.
    ::syscall(SYS_exit, 0);
  }
  ASSERT_GT(pid, 0);
  ::close(pipefd[1]);  // a child that dies before writing ends the read
  pid_t tid = 0;
  ssize_t got = ::read(pipefd[0], &tid, sizeof(tid));
  ::close(pipefd[0]);
  ASSERT_EQ(got, static_cast<ssize_t>(sizeof(tid))) << "exit " << wait_exit(pid);
  EXPECT_TRUE(
      tracer::resume_held(static_cast<uint32_t>(pid), static_cast<uint32_t>(tid), "/proc", kGenerousWaitUs));
  EXPECT_EQ(wait_exit(pid), 7) << "the process was left stopped";
}

}  // namespace
}  // namespace sockscope::testing
