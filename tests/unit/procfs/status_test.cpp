// SPDX-License-Identifier: GPL-2.0-only
// /proc/PID/status fields and signal masks, on recorded status files
// (tests/fixtures/proc_status/README.md says how they were made).
#include <gtest/gtest.h>
#include <signal.h>

#include "../fixture.h"
#include "base/strings.h"
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

TEST(ProcStat, KernelThreadFlag) {
  auto f = parse_stat(recorded("kthreadd_stat.txt"));
  ASSERT_TRUE(f);
  EXPECT_EQ(f->ppid, 0);
  EXPECT_NE(f->flags & kPfKthread, 0u);
  EXPECT_EQ(f->start_ticks, 14u);
}

TEST(ProcStat, FieldsCountFromTheLastParenthesis) {
  auto f = parse_stat(recorded("comm_with_paren_stat.txt"));
  ASSERT_TRUE(f);
  EXPECT_EQ(f->ppid, 31696);  // not the comm's "1"
  EXPECT_EQ(f->flags & kPfKthread, 0u);
  EXPECT_EQ(f->start_ticks, 1657507u);
}

TEST(ProcStat, CutOrGarbledLineIsNoAnswer) {
  std::string line = recorded("kthreadd_stat.txt");
  EXPECT_FALSE(parse_stat(line.substr(0, line.find(" 14 "))));  // cut before starttime
  std::string garbled = line;
  garbled.replace(garbled.find(") S 0 ") + 4, 1, "zero");  // ppid not a number
  EXPECT_FALSE(parse_stat(garbled));
  EXPECT_FALSE(parse_stat(line.substr(line.find(')') + 1)));  // no comm at all
}

}  // namespace
}  // namespace sockscope::procfs
