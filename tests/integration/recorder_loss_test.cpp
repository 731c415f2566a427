// SPDX-License-Identifier: GPL-2.0-only
// The recorder under a storm that overflows its ring: every event the
// tracer lost is in the history's gaps, counted once (a reader asks "was
// anything lost when this socket was made?" and gets the gaps).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "base/strings.h"
#include "support/helpers.h"
#include "support/storm.h"

namespace sockscope::testing {
namespace {

namespace fs = std::filesystem;

std::string slurp(const std::string& path) { return read_small_file(path).value_or(""); }

// `sockscope recorder --foreground` with its stderr in a file.
pid_t start_recorder(const std::string& db, const std::string& run_dir, const std::string& err) {
  pid_t pid = ::fork();
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    int null = ::open("/dev/null", O_RDWR);
    int log = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(null, 0);
    ::dup2(null, 1);
    ::dup2(log, 2);
    ::execl(SOCKSCOPE_BIN, "sockscope", "recorder", "--foreground", "--db", db.c_str(), "--run-dir", run_dir.c_str(),
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  return pid;
}

bool wait_for_text(const std::string& file, const std::string& text, int seconds) {
  for (int i = 0; i < seconds * 10; ++i) {
    if (slurp(file).find(text) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

TEST(RecorderLoss, EveryLostEventIsInTheGapsOnce) {
  if (auto why = need_tracer(); !why.empty()) GTEST_SKIP() << why;
  fs::path dir = fs::temp_directory_path() / ("sockscope-recorder-loss-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "run");
  std::string db = dir / "history.db", err = dir / "recorder.err";
  pid_t rec = start_recorder(db, dir / "run", err);
  ASSERT_TRUE(wait_for_text(err, "ready", 60)) << slurp(err);
  {
    Storm storm;  // with a creation stack per event: the 16 MiB ring overflows
    std::this_thread::sleep_for(std::chrono::seconds(3));
  }
  ::kill(rec, SIGTERM);
  EXPECT_EQ(wait_exit(rec, 60000), 0) << slurp(err);

  // "lost events: N (...)" is the tracer's own count at the end.
  std::smatch m;
  std::string text = slurp(err);
  ASSERT_TRUE(std::regex_search(text, m, std::regex("lost events: ([0-9]+) "))) << text;
  uint64_t lost = std::stoull(m[1]);
  ASSERT_GT(lost, 0u) << "the storm did not overflow the ring; this test needs it to\n" << text;
  auto st = sockscope({"recorder", "status", "--db", db, "--json"});
  ASSERT_EQ(st.exit_code, 0) << st.err;
  auto status = nlohmann::json::parse(st.out);
  EXPECT_EQ(status["lost"].get<uint64_t>(), lost) << st.out;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace sockscope::testing
