// SPDX-License-Identifier: GPL-2.0-only
// Start-to-ready and start-to-exit time of a tracer, for bench/tracer_ready.sh.
// Runs CMD RUNS times; "ready" is the first stdout line that starts with
// "ready" (sockscope trace --duration 0 prints it once attached; a bpftrace
// script prints it from BEGIN, which runs after every probe is attached).
// Prints the median of each, in milliseconds:
//   ready_ms R exit_ms E teardown_ms E-R
// Usage: tracer_ready RUNS CMD [ARGS...]
#include <fcntl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

double now_ms() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

// One run: {ready, exit} in ms since fork; ready < 0 if never printed.
std::pair<double, double> one_run(char** argv) {
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) std::exit(1);
  double t0 = now_ms();
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(p[1], 1);
    int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, 2);
    ::execvp(argv[0], argv);
    ::_exit(127);
  }
  ::close(p[1]);
  double ready = -1;
  std::string line;
  char c;
  while (::read(p[0], &c, 1) == 1) {  // byte by byte: we need the time of the line
    if (c != '\n') {
      line += c;
      continue;
    }
    if (ready < 0 && line.rfind("ready", 0) == 0) ready = now_ms() - t0;
    line.clear();
  }
  ::close(p[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  double exit = now_ms() - t0;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    std::fprintf(stderr, "tracer_ready: %s exited with status %d\n", argv[0], status);
  return {ready, exit};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: tracer_ready RUNS CMD [ARGS...]\n");
    return 2;
  }
  int runs = std::atoi(argv[1]);
  std::vector<double> ready, exit, teardown;
  for (int i = 0; i < runs; i++) {
    auto [r, e] = one_run(argv + 2);
    if (r < 0) {
      std::fprintf(stderr, "tracer_ready: no \"ready\" line from %s\n", argv[2]);
      return 1;
    }
    ready.push_back(r);
    exit.push_back(e);
    teardown.push_back(e - r);
  }
  std::printf("ready_ms %.0f exit_ms %.0f teardown_ms %.0f\n", median(ready), median(exit),
              median(teardown));
  return 0;
}
