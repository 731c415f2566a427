// SPDX-License-Identifier: GPL-2.0-only
// `trace` and `run` leave nothing behind when stopped with SIGTERM (as by
// systemd, timeout(1) or kill), not only with Ctrl-C.
//
// Links are identified by id from /proc/PID/fdinfo of the running tracer, so
// BPF programs that other processes attach meanwhile do not disturb the test.
#include <dirent.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "support/helpers.h"

namespace sockscope::testing {
namespace {

using nlohmann::json;

// The sockscope binary under test, stdout to /dev/null, stderr to a pipe.
class Tracer {
 public:
  explicit Tracer(const std::vector<std::string>& args) {
    int p[2];
    if (::pipe2(p, O_CLOEXEC) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(p[1], 2);
      int null = ::open("/dev/null", O_WRONLY);
      ::dup2(null, 1);
      std::vector<char*> argv{const_cast<char*>(SOCKSCOPE_BIN)};
      for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      ::execv(SOCKSCOPE_BIN, argv.data());
      ::_exit(127);
    }
    ::close(p[1]);
    err_fd_ = p[0];
  }
  ~Tracer() {
    if (pid_ > 0 && status_ < 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (err_fd_ >= 0) ::close(err_fd_);
  }
  Tracer(const Tracer&) = delete;
  Tracer& operator=(const Tracer&) = delete;

  pid_t pid() const { return pid_; }
  const std::string& err() const { return err_; }

  // Reads stderr until it contains `marker` (false after 20 s or at EOF).
  bool wait_for(const std::string& marker) {
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (err_.find(marker) == std::string::npos) {
      pollfd p{err_fd_, POLLIN, 0};
      if (std::chrono::steady_clock::now() > until || ::poll(&p, 1, 1000) < 0) return false;
      if (p.revents && !read_some()) return false;
    }
    return true;
  }

  // Sends `sig`, waits for the exit and the rest of stderr; the wait status.
  int stop(int sig) {
    ::kill(pid_, sig);
    while (read_some()) {
    }
    ::waitpid(pid_, &status_, 0);
    return status_;
  }

 private:
  bool read_some() {
    char buf[4096];
    ssize_t n = ::read(err_fd_, buf, sizeof(buf));
    if (n <= 0) return false;
    err_.append(buf, static_cast<size_t>(n));
    return true;
  }

  pid_t pid_ = -1;
  int err_fd_ = -1;
  int status_ = -1;
  std::string err_;
};

// BPF link ids held by a process ("link_id:" in /proc/PID/fdinfo/FD).
std::set<long> link_ids_of(pid_t pid) {
  std::set<long> ids;
  std::string dir = "/proc/" + std::to_string(pid) + "/fdinfo";
  DIR* d = ::opendir(dir.c_str());
  if (!d) return ids;
  while (auto* e = ::readdir(d)) {
    std::ifstream in(dir + "/" + e->d_name);
    for (std::string line; std::getline(in, line);)
      if (line.rfind("link_id:", 0) == 0) ids.insert(std::stol(line.substr(8)));
  }
  ::closedir(d);
  return ids;
}

// Every BPF link in the system.
std::set<long> all_link_ids() {
  std::set<long> ids;
  auto j = json::parse(run({"bpftool", "-j", "link", "list"}).out, nullptr, false);
  if (j.is_array())
    for (const auto& l : j) ids.insert(l["id"].get<long>());
  return ids;
}

std::vector<long> still_there(const std::set<long>& ours) {
  std::vector<long> left;
  for (long id : all_link_ids())
    if (ours.count(id)) left.push_back(id);
  return left;
}

TEST(TracerCleanup, TraceSigtermDetachesEverything) {
  if (auto why = need_tracer(); !why.empty()) GTEST_SKIP() << why;
  for (const char* backend : {"tracepoint", "raw_syscalls"}) {
    Tracer t({"trace", "--unix", "--backend", backend});
    ASSERT_TRUE(t.wait_for("Ctrl-C to stop")) << t.err();
    auto ours = link_ids_of(t.pid());
    EXPECT_GE(ours.size(), 4u) << backend << ": links seen in fdinfo";
    auto t0 = std::chrono::steady_clock::now();
    int status = t.stop(SIGTERM);
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
        << backend << ": a clean exit, not death by SIGTERM; status " << status << "\n" << t.err();
    EXPECT_NE(t.err().find("lost events:"), std::string::npos) << "stats printed at exit:\n" << t.err();
    EXPECT_EQ(still_there(ours), std::vector<long>{}) << backend;
    EXPECT_LT(secs, 2.0) << backend << ": links are detached in parallel";
  }
}

TEST(TracerCleanup, RunForwardsSigtermAndDetaches) {
  if (auto why = need_tracer(); !why.empty()) GTEST_SKIP() << why;
  Tracer t({"run", "--", "sleep", "60"});
  ASSERT_TRUE(t.wait_for("tracing pid ")) << t.err();
  ASSERT_TRUE(t.wait_for("\n")) << t.err();
  auto at = t.err().find("tracing pid ") + 12;
  pid_t child = std::stoi(t.err().substr(at));
  auto ours = link_ids_of(t.pid());
  EXPECT_GE(ours.size(), 4u);
  int status = t.stop(SIGTERM);
  // SIGTERM sent to sockscope alone is forwarded to the command; sockscope
  // then exits with the command's code, 128 + SIGTERM.
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 128 + SIGTERM) << status << "\n" << t.err();
  EXPECT_NE(t.err().find("sockscope run:"), std::string::npos) << "the report is printed:\n" << t.err();
  EXPECT_NE(::kill(child, 0), 0) << "the command is gone (and reaped)";
  EXPECT_EQ(still_there(ours), std::vector<long>{});
}

}  // namespace
}  // namespace sockscope::testing
