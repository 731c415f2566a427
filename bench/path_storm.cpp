// SPDX-License-Identifier: GPL-2.0-only
// A bind/listen/connect/unlink storm on one socket path, for `watch`'s
// overhead (bench/watch_overhead.sh). Each round: bind and listen on PATH,
// connect a client, close both, unlink PATH; every 4th round also connects
// to the unlinked path (ECONNREFUSED or ENOENT), as seed 002's clients did.
// Usage: path_storm PATH ROUNDS; prints the elapsed seconds.
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: path_storm PATH ROUNDS\n");
    return 64;
  }
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  std::snprintf(a.sun_path, sizeof(a.sun_path), "%s", argv[1]);
  auto* sa = reinterpret_cast<sockaddr*>(&a);
  long rounds = std::atol(argv[2]);
  auto start = std::chrono::steady_clock::now();
  for (long i = 0; i < rounds; ++i) {
    int l = ::socket(AF_UNIX, SOCK_STREAM, 0);
    int c = ::socket(AF_UNIX, SOCK_STREAM, 0);
    if (::bind(l, sa, sizeof(a)) < 0 || ::listen(l, 4) < 0 || ::connect(c, sa, sizeof(a)) < 0) {
      std::perror("path_storm");
      return 1;
    }
    ::close(c);
    ::close(l);
    ::unlink(argv[1]);
    if (i % 4 == 0) {
      int d = ::socket(AF_UNIX, SOCK_STREAM, 0);
      (void)::connect(d, sa, sizeof(a));
      ::close(d);
    }
  }
  std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  std::printf("%.3f\n", took.count());
  return 0;
}
