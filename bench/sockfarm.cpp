// SPDX-License-Identifier: GPL-2.0-only
// Holds many unix sockets for the `ls` benchmark: PROCS processes, each with
// PAIRS socketpairs (2*PAIRS sockets) and, every 16th pair, a connection to a
// shared listener so peers cross processes. Prints "ready" when all are in
// place, and exits when stdin closes.
// Usage: sockfarm DIR PROCS PAIRS    (needs RLIMIT_NOFILE > 2*PAIRS+64)
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <linux/close_range.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

int listener_at(const std::string& path) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  std::snprintf(a.sun_path, sizeof(a.sun_path), "%s", path.c_str());
  ::unlink(path.c_str());
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) < 0 || ::listen(fd, 4096) < 0) {
    std::perror("sockfarm: listener");
    std::exit(1);
  }
  return fd;
}

void fill(int pairs, const std::string& path) {
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  std::snprintf(a.sun_path, sizeof(a.sun_path), "%s", path.c_str());
  int sv[2];
  for (int i = 0; i < pairs; ++i) {
    if (i % 16 == 0) {
      int c = ::socket(AF_UNIX, SOCK_STREAM, 0);
      if (c < 0 || ::connect(c, reinterpret_cast<sockaddr*>(&a), sizeof(a)) < 0) {
        std::perror("sockfarm: connect");
        std::exit(1);
      }
      continue;
    }
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) {
      std::perror("sockfarm: socketpair (raise ulimit -n)");
      std::exit(1);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: sockfarm DIR PROCS PAIRS\n");
    return 64;
  }
  std::string path = std::string(argv[1]) + "/farm.sock";
  int procs = std::atoi(argv[2]), pairs = std::atoi(argv[3]);
  int l = listener_at(path);
  std::vector<pid_t> kids;
  for (int p = 0; p < procs; ++p) {
    int ready[2];
    if (::pipe(ready) < 0) return 1;
    pid_t pid = ::fork();
    if (pid == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive a failed farm
      // Keep none of the parent's accepted sockets: only the ready pipe.
      ::close(ready[0]);
      ::close_range(3, static_cast<unsigned>(ready[1]) - 1, 0);
      ::close_range(static_cast<unsigned>(ready[1]) + 1, ~0u, 0);
      fill(pairs, path);
      if (::write(ready[1], "x", 1) != 1) _exit(1);
      for (;;) ::pause();
    }
    ::close(ready[1]);
    char c;
    if (::read(ready[0], &c, 1) != 1) return 1;
    ::close(ready[0]);
    kids.push_back(pid);
    // Accept this child's connections so the server side holds them too.
    for (int i = 0; i < pairs; i += 16)
      if (::accept(l, nullptr, nullptr) < 0) return 1;
  }
  std::printf("ready\n");
  std::fflush(stdout);
  char buf[16];
  while (::read(0, buf, sizeof(buf)) > 0) {
  }
  for (pid_t k : kids) ::kill(k, SIGKILL);
  for (pid_t k : kids) ::waitpid(k, nullptr, 0);
  ::unlink(path.c_str());
  return 0;
}
