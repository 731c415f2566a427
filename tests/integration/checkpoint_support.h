// SPDX-License-Identifier: GPL-2.0-only
// Helpers for the checkpoint integration tests: a forked scenario process
// with clean descriptors (so only the scenario's own objects are judged) and
// `sockscope checkpoint --json` run against it.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/helpers.h"

namespace sockscope::testing {

// A child whose stdio is /dev/null and which holds no inherited descriptor;
// `body` builds the scenario, then the child sleeps until the object dies.
class Scenario {
 public:
  explicit Scenario(const std::function<void()>& body) {
    int ready[2];
    if (::pipe2(ready, O_CLOEXEC) != 0) std::abort();
    pid_ = ::fork();
    if (pid_ == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      int null = ::open("/dev/null", O_RDWR);
      for (int fd = 0; fd < 3; ++fd) ::dup2(null, fd);
      for (int fd = 3; fd < 1024; ++fd)
        if (fd != ready[1]) ::close(fd);
      body();
      // A byte, not EOF: the body's own children inherit the write end.
      if (::write(ready[1], "x", 1) != 1) ::_exit(1);
      ::close(ready[1]);
      for (;;) ::pause();
    }
    ::close(ready[1]);
    char c;
    if (::read(ready[0], &c, 1) != 1) std::abort();  // the body failed
    ::close(ready[0]);
  }
  ~Scenario() {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  Scenario(const Scenario&) = delete;
  Scenario& operator=(const Scenario&) = delete;
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
};

struct Checked {
  int exit_code = -1;
  nlohmann::json report;
  std::string err;
};

inline Checked checkpoint(pid_t pid, const std::string& criu_opts = {}) {
  std::vector<std::string> args{"checkpoint", std::to_string(pid), "--json"};
  if (!criu_opts.empty()) args.insert(args.end(), {"--criu-opts", criu_opts});
  auto r = sockscope(args);
  Checked c{r.exit_code, nlohmann::json::parse(r.out, nullptr, false), r.err};
  return c;
}

inline std::string criu_verdict(const Checked& c) { return c.report["engines"]["criu"]["verdict"]; }
inline std::string opts_verdict(const Checked& c) { return c.report["engines"]["criu_with_options"]["verdict"]; }

// The findings of one rule.
inline std::vector<nlohmann::json> rule(const Checked& c, const std::string& id) {
  std::vector<nlohmann::json> out;
  for (const auto& f : c.report["findings"])
    if (f["rule"] == id) out.push_back(f);
  return out;
}

}  // namespace sockscope::testing
