// SPDX-License-Identifier: GPL-2.0-only
// Helpers for root integration tests: run the CLI, fork scenario children.
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>
#include <vector>

namespace sockscope::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// A command that has not ended by then hangs: run() kills it and says where
// it was, so that the test fails with that instead of ctest's timeout.
constexpr int kHangSeconds = 120;
// The exit code run() gives a command it killed after kHangSeconds.
constexpr int kHung = -2;

// Runs argv (no shell), waits, and captures stdout and stderr. A command
// still running after kHangSeconds is killed: exit_code is kHung and err
// ends with its kernel and user stacks.
CommandResult run(const std::vector<std::string>& argv);

// Runs the sockscope binary under test with these arguments.
CommandResult sockscope(const std::vector<std::string>& args);

// A forked child that runs `body` and then blocks until it is stopped; it is
// killed and reaped when this object goes away, so tests leave no process.
class Child {
 public:
  // `body` runs in the child; it returns after setting up its sockets. The
  // parent returns from the constructor once the body has returned.
  explicit Child(const std::function<void()>& body);
  ~Child();
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
};

// A program started with a pipe on stdin; the first stdout line is read
// before the constructor returns. Closing stdin (the destructor) asks the
// program to finish; it is then reaped (SIGKILL after 5 s).
class Spawned {
 public:
  explicit Spawned(const std::vector<std::string>& argv);
  ~Spawned();
  Spawned(const Spawned&) = delete;
  Spawned& operator=(const Spawned&) = delete;
  pid_t pid() const { return pid_; }
  const std::string& first_line() const { return line_; }

 private:
  pid_t pid_ = -1;
  int stdin_ = -1;
  std::string line_;
};

// Reaps a child: its exit code, -1 if a signal killed it, or -2 if it had
// not exited within `timeout_ms` (it is then SIGKILLed and reaped).
int wait_exit(pid_t pid, int timeout_ms = 5000);

// Words of a line ("ready 1 2 3" -> {"ready","1","2","3"}).
std::vector<std::string> words(const std::string& line);

// The whole line of `text` that holds `needle` first ("" if none): one row
// of a table such as `ls`'s, found by a value only that row has.
std::string line_with(const std::string& text, const std::string& needle);

// Skip reasons: empty when the test can run.
std::string need_root();
// Root, and `sockscope probes` finds a usable way to trace (else its report).
std::string need_tracer();

// The socket inode behind /proc/PID/fd/FD (0 if not a socket).
unsigned long socket_inode(pid_t pid, int fd);

}  // namespace sockscope::testing
