// SPDX-License-Identifier: GPL-2.0-only
// How commands find the recorder's database: --db wins; else the running
// recorder's, from its run files; a stale pid file (a killed recorder, a
// reused pid) does not count as a running recorder.
#include "history/locate.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace sockscope::history {
namespace {

class Locate : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/sockscope-locate.XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_;
};

TEST_F(Locate, RunFilesRoundTripAndAreRemovedOnlyByTheirOwner) {
  ASSERT_TRUE(write_run_files(dir_ + "/run", "/var/tmp/h.db", 4242));
  std::ifstream db(dir_ + "/run/db"), pid(dir_ + "/run/recorder.pid");
  std::string d, p;
  std::getline(db, d);
  std::getline(pid, p);
  EXPECT_EQ(d, "/var/tmp/h.db");
  EXPECT_EQ(p, "4242");
  remove_run_files(dir_ + "/run", 1);  // another recorder's pid: not ours to remove
  EXPECT_TRUE(std::filesystem::exists(dir_ + "/run/db"));
  remove_run_files(dir_ + "/run", 4242);
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/run/db"));
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/run/recorder.pid"));
}

TEST_F(Locate, AStalePidFileIsNoRunningRecorder) {
  // This test process is alive but is no sockscope: a reused pid.
  ASSERT_TRUE(write_run_files(dir_, "/somewhere/h.db", static_cast<uint32_t>(::getpid())));
  auto l = locate("", dir_);
  EXPECT_EQ(l.recorder_pid, 0u);
  EXPECT_NE(l.path, "/somewhere/h.db");
}

TEST_F(Locate, DbFlagWins) {
  auto l = locate(dir_ + "/mine.db", dir_);
  EXPECT_EQ(l.path, dir_ + "/mine.db");
  EXPECT_EQ(l.how, "--db");
  EXPECT_EQ(l.recorder_pid, 0u);
}

}  // namespace
}  // namespace sockscope::history
