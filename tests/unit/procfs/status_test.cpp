// SPDX-License-Identifier: GPL-2.0-only
// /proc/PID/status fields and signal masks, on recorded status files
// (tests/fixtures/proc_status/README.md says how they were made).
#include <gtest/gtest.h>
#include <signal.h>

#include "base/strings.h"
#include "../fixture.h"
#include "procfs/process.h"

namespace sockscope::procfs {
namespace {

std::string recorded(const std::string& name) {
  auto text = read_small_file(testing::fixture("proc_status/" + name));
  EXPECT_TRUE(text) << name;
  return text.value_or("");
}

TEST(ProcStatus, StoppedProcess) {
  auto text = recorded("stopped_sleep.txt");
  EXPECT_EQ(status_value(text, "State"), "T (stopped)");
  EXPECT_EQ(status_value(text, "Name"), "sleep");
  EXPECT_FALSE(in_sigmask(status_value(text, "ShdPnd").value_or(""), SIGSTOP));  // acted: no longer pending
  EXPECT_EQ(status_value(text, "NoSuchField"), std::nullopt);
  EXPECT_EQ(status_value(text, "Stat"), std::nullopt);  // a prefix of "State" is not a key
}

TEST(ProcStatus, ProcessWidePendingSignal) {
  auto text = recorded("pending_sigusr1.txt");
  EXPECT_EQ(status_value(text, "State"), "R (running)");
  EXPECT_TRUE(in_sigmask(status_value(text, "ShdPnd").value_or(""), SIGUSR1));
  EXPECT_FALSE(in_sigmask(status_value(text, "SigPnd").value_or(""), SIGUSR1));  // not thread-directed
  EXPECT_TRUE(in_sigmask(status_value(text, "SigBlk").value_or(""), SIGUSR1));
}

TEST(ProcStatus, SignalMaskEdges) {
  EXPECT_TRUE(in_sigmask("0000000000000004", SIGQUIT));  // HotSpot's SigCgt once its handler is in
  EXPECT_FALSE(in_sigmask("0000000000000002", SIGQUIT));
  EXPECT_TRUE(in_sigmask("8000000000000000", 64));
  EXPECT_FALSE(in_sigmask("", SIGQUIT));
  EXPECT_FALSE(in_sigmask("zz", SIGQUIT));
}

}  // namespace
}  // namespace sockscope::procfs
