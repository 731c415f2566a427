// SPDX-License-Identifier: GPL-2.0-only
// Load generator for bench/tracer_*.sh: a socketpair + close + close storm.
// Each operation is one socketpair() and the close() of both ends, i.e.
// three syscalls and three tracer events (socketpair, close, close).
// Usage: tracer_storm OPS [EVENTS_PER_SECOND]
//   without a rate: as fast as possible; with one: paced in 1 ms steps so the
//   tracer sees EVENTS_PER_SECOND events (OPS * 3 in all).
// Prints "ops N seconds S events_per_s R" on stdout when done.
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace {

double now_s() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

bool one_op() {
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) return false;
  ::close(sv[0]);
  ::close(sv[1]);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: tracer_storm OPS [EVENTS_PER_SECOND]\n");
    return 2;
  }
  long ops = std::atol(argv[1]);
  double rate = argc > 2 ? std::atof(argv[2]) / 3.0 : 0;  // ops per second
  double t0 = now_s();
  long done = 0;
  while (done < ops) {
    long due = ops;
    if (rate > 0) {
      due = static_cast<long>((now_s() - t0) * rate) + 1;
      if (due > ops) due = ops;
      if (due <= done) {
        timespec step{0, 1000 * 1000};  // wait for the next 1 ms step
        ::nanosleep(&step, nullptr);
        continue;
      }
    }
    for (; done < due; done++)
      if (!one_op()) {
        std::perror("tracer_storm: socketpair");
        return 1;
      }
  }
  double secs = now_s() - t0;
  std::printf("ops %ld seconds %.3f events_per_s %.0f\n", done, secs, 3.0 * static_cast<double>(done) / secs);
  return 0;
}
