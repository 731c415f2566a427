// SPDX-License-Identifier: GPL-2.0-only
#include "support/helpers.h"

#include <fcntl.h>
#include <linux/close_range.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

namespace sockscope::testing {
namespace {

std::string drain(int fd) {
  std::string s;
  char buf[65536];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof(buf))) > 0) s.append(buf, static_cast<size_t>(n));
  return s;
}

std::string read_proc(pid_t pid, const char* what) {
  int fd = ::open(("/proc/" + std::to_string(pid) + "/" + what).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return "(unreadable)\n";
  std::string s = drain(fd);
  ::close(fd);
  return s;
}

// Waits for `pid` up to kHangSeconds. Past that: where it is (kernel stack,
// and every thread's user stack from gdb when there is one), then SIGKILL.
std::string wait_or_describe(pid_t pid, int& status) {
  int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  pollfd p{pidfd, POLLIN, 0};
  int ready = pidfd < 0 ? 1 : ::poll(&p, 1, kHangSeconds * 1000);  // no pidfd: wait as before
  if (pidfd >= 0) ::close(pidfd);
  if (ready != 0 && ::waitpid(pid, &status, 0) == pid) return {};
  std::string where = "\nsockscope-test: still running after " + std::to_string(kHangSeconds) +
                      " s, killed. Kernel stack:\n" + read_proc(pid, "stack");
  auto gdb = run({"timeout", "60", "gdb", "-p", std::to_string(pid), "-batch", "-ex", "thread apply all bt"});
  where += "gdb:\n" + gdb.out;
  ::kill(pid, SIGKILL);
  ::waitpid(pid, &status, 0);
  return where;
}

}  // namespace

CommandResult run(const std::vector<std::string>& argv) {
  // stdout and stderr go to unlinked temp files, so that a large output never
  // blocks the child on a full pipe.
  char out_tmpl[] = "/tmp/sockscope-test-XXXXXX";
  char err_tmpl[] = "/tmp/sockscope-test-XXXXXX";
  int out_fd = ::mkstemp(out_tmpl);
  int err_fd = ::mkstemp(err_tmpl);
  ::unlink(out_tmpl);
  ::unlink(err_tmpl);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out_fd, 1);
    ::dup2(err_fd, 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
  int status = 0;
  std::string hung = wait_or_describe(pid, status);
  CommandResult r;
  r.exit_code = !hung.empty() ? kHung : WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  ::lseek(out_fd, 0, SEEK_SET);
  ::lseek(err_fd, 0, SEEK_SET);
  r.out = drain(out_fd);
  r.err = drain(err_fd) + hung;
  ::close(out_fd);
  ::close(err_fd);
  return r;
}

CommandResult sockscope(const std::vector<std::string>& args) {
  std::vector<std::string> argv{SOCKSCOPE_BIN};
  argv.insert(argv.end(), args.begin(), args.end());
  return run(argv);
}

Child::Child(const std::function<void()>& body) {
  int ready[2];
  if (::pipe2(ready, O_CLOEXEC) != 0) std::abort();
  pid_ = ::fork();
  if (pid_ == 0) {
    ::close(ready[0]);
    if (ready[1] > 3) ::close_range(3, static_cast<unsigned>(ready[1]) - 1, 0);
    ::close_range(static_cast<unsigned>(ready[1]) + 1, ~0u, 0);
    body();
    char c = 1;
    if (::write(ready[1], &c, 1) != 1) ::_exit(1);
    for (;;) ::pause();
  }
  ::close(ready[1]);
  char c;
  if (::read(ready[0], &c, 1) != 1) std::abort();  // the body failed in the child
  ::close(ready[0]);
}

Child::~Child() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
}

Spawned::Spawned(const std::vector<std::string>& argv) {
  int in[2], out[2];
  if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0) std::abort();
  pid_ = ::fork();
  if (pid_ == 0) {
    ::dup2(in[0], 0);
    ::dup2(out[1], 1);
    // ctest leaves its own files open in tests (fd 3+ without CLOEXEC): a
    // scenario must hold only what it makes itself.
    ::close_range(3, ~0u, 0);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
  ::close(in[0]);
  ::close(out[1]);
  stdin_ = in[1];
  char c;
  while (::read(out[0], &c, 1) == 1 && c != '\n') line_ += c;
  ::close(out[0]);
}

Spawned::~Spawned() {
  if (stdin_ >= 0) ::close(stdin_);
  wait_exit(pid_);
}

int wait_exit(pid_t pid, int timeout_ms) {
  for (int waited = 0; waited < timeout_ms; waited += 10) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    ::usleep(10000);
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  return -2;
}

std::string line_with(const std::string& text, const std::string& needle) {
  size_t at = text.find(needle);
  if (at == std::string::npos) return {};
  size_t begin = text.rfind('\n', at);
  begin = begin == std::string::npos ? 0 : begin + 1;
  return text.substr(begin, text.find('\n', at) - begin);
}

std::vector<std::string> words(const std::string& line) {
  std::vector<std::string> out;
  std::string w;
  for (char c : line + " ") {
    if (c == ' ' || c == '\t' || c == '\n') {
      if (!w.empty()) out.push_back(w);
      w.clear();
    } else {
      w += c;
    }
  }
  return out;
}

std::string need_root() { return ::geteuid() == 0 ? std::string() : std::string("needs root (run the suite as root)"); }

std::string need_tracer() {
  if (auto why = need_root(); !why.empty()) return why;
  auto r = sockscope({"probes"});
  if (r.exit_code != 0) return "no usable BPF tracing here: " + r.out + r.err;
  return {};
}

unsigned long socket_inode(pid_t pid, int fd) {
  char buf[256];
  std::string path = "/proc/" + std::to_string(pid) + "/fd/" + std::to_string(fd);
  ssize_t n = ::readlink(path.c_str(), buf, sizeof(buf) - 1);
  if (n <= 0) return 0;
  buf[n] = 0;
  unsigned long ino = 0;
  if (std::sscanf(buf, "socket:[%lu]", &ino) != 1) return 0;
  return ino;
}

}  // namespace sockscope::testing
