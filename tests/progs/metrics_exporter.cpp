// SPDX-License-Identifier: GPL-2.0-only
// The exporter of seed 002, reduced to its bug: at start-up it removes its
// socket path and binds a new listener there before looking at its
// arguments, so `exporter -V` (a "version check" by some other tool) takes
// the path away from the running copy.
// Usage: metrics_exporter PATH [-V]
//        metrics_exporter PATH --connect   (a client: prints "connected" or
//                                           the error, exits 0 or 1)
// Prints "listening <pid>" once bound; serves "ok\n" to each client until
// killed. With -V it prints a version line too, and keeps serving like the
// real program did.
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: metrics_exporter PATH [-V]\n");
    return 64;
  }
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  std::snprintf(a.sun_path, sizeof(a.sun_path), "%s", argv[1]);
  if (argc > 2 && std::strcmp(argv[2], "--connect") == 0) {
    int c = ::socket(AF_UNIX, SOCK_STREAM, 0);
    if (::connect(c, reinterpret_cast<sockaddr*>(&a), sizeof(a)) < 0) {
      std::printf("%s\n", std::strerror(errno));
      return 1;
    }
    std::printf("connected\n");
    return 0;
  }
  ::unlink(argv[1]);  // the bug: a second copy steals the path
  int l = ::socket(AF_UNIX, SOCK_STREAM, 0);
  if (l < 0 || ::bind(l, reinterpret_cast<sockaddr*>(&a), sizeof(a)) < 0 || ::listen(l, 64) < 0) {
    std::perror("metrics_exporter");
    return 1;
  }
  if (argc > 2 && std::strcmp(argv[2], "-V") == 0) std::printf("metrics_exporter version 0.1\n");
  std::printf("listening %d\n", ::getpid());
  std::fflush(stdout);
  for (;;) {
    int c = ::accept(l, nullptr, nullptr);
    if (c < 0) continue;
    if (::write(c, "ok\n", 3) < 0) {
    }
    ::close(c);
  }
}
