// SPDX-License-Identifier: GPL-2.0-only
// A busy, known unix-socket topology for tests and fixtures:
//   socketpairs (stream, dgram, seqpacket), a listener with an accepted
//   connection, an abstract listener, a DGRAM receiver with a connected
//   sender, a listener whose path was unlinked, one whose path was replaced,
//   a connection still pending (not accepted), a socket shared by two
//   processes, and a client in another network namespace.
// Usage: topology DIR   (DIR holds the socket files; it must exist)
// Prints "ready <pid> <netns-child-pid> <peer-child-pid>" once everything is
// in place and keeps it so until stdin closes. Exits 1 with a message on
// failure.
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

[[noreturn]] void die(const char* what) {
  std::fprintf(stderr, "topology: %s: %s\n", what, std::strerror(errno));
  std::exit(1);
}

sockaddr_un address(const std::string& name, socklen_t* len) {
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  if (name[0] == '@') {  // abstract: leading NUL, length counts the name only
    std::memcpy(a.sun_path + 1, name.c_str() + 1, name.size() - 1);
    *len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size());
  } else {
    std::snprintf(a.sun_path, sizeof(a.sun_path), "%s", name.c_str());
    *len = sizeof(a);
  }
  return a;
}

int bound(int type, const std::string& name) {
  int fd = ::socket(AF_UNIX, type, 0);
  if (fd < 0) die("socket");
  socklen_t len;
  sockaddr_un a = address(name, &len);
  if (name[0] != '@') ::unlink(name.c_str());
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), len) < 0) die(name.c_str());
  if (type != SOCK_DGRAM && ::listen(fd, 16) < 0) die("listen");
  return fd;
}

int connected(int type, const std::string& name) {
  int fd = ::socket(AF_UNIX, type, 0);
  if (fd < 0) die("socket");
  socklen_t len;
  sockaddr_un a = address(name, &len);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), len) < 0) die(name.c_str());
  return fd;
}

// A child that runs `body` and then sleeps until killed; returns its pid. It
// keeps none of our descriptors but `keep`, so each socket has the holders the
// test expects.
template <typename Fn>
pid_t child(Fn body, int keep = -1) {
  int ready[2];
  if (::pipe(ready) < 0) die("pipe");
  pid_t pid = ::fork();
  if (pid < 0) die("fork");
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive a failed topology
    for (int fd = 3; fd < 1024; ++fd)
      if (fd != ready[1] && fd != keep) ::close(fd);
    body();
    if (::write(ready[1], "x", 1) != 1) std::exit(1);
    for (;;) ::pause();
  }
  ::close(ready[1]);
  char c;
  if (::read(ready[0], &c, 1) != 1) die("child setup");
  ::close(ready[0]);
  return pid;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: topology DIR\n");
    return 2;
  }
  std::string dir = argv[1];
  int sp[2];
  for (int type : {SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET})
    if (::socketpair(AF_UNIX, type, 0, sp) < 0) die("socketpair");

  int listener = bound(SOCK_STREAM, dir + "/listen.sock");
  connected(SOCK_STREAM, dir + "/listen.sock");
  if (::accept(listener, nullptr, nullptr) < 0) die("accept");

  std::string abstract = "@sockscope-topology-" + std::to_string(::getpid());
  int abs_listener = bound(SOCK_STREAM, abstract);
  connected(SOCK_STREAM, abstract);
  if (::accept(abs_listener, nullptr, nullptr) < 0) die("accept abstract");

  bound(SOCK_DGRAM, dir + "/dgram.sock");
  connected(SOCK_DGRAM, dir + "/dgram.sock");

  bound(SOCK_STREAM, dir + "/gone.sock");
  ::unlink((dir + "/gone.sock").c_str());

  bound(SOCK_STREAM, dir + "/replaced.sock");
  ::unlink((dir + "/replaced.sock").c_str());
  bound(SOCK_STREAM, dir + "/replaced.sock");

  bound(SOCK_STREAM, dir + "/pending.sock");
  connected(SOCK_STREAM, dir + "/pending.sock");  // never accepted

  // Shared: both this process and the child hold the same socketpair end.
  if (::socketpair(AF_UNIX, SOCK_STREAM, 0, sp) < 0) die("socketpair shared");
  int split_listener = bound(SOCK_STREAM, dir + "/split.sock");
  pid_t peer_child = child([&] { connected(SOCK_STREAM, dir + "/listen.sock"); }, sp[0]);
  if (::accept(listener, nullptr, nullptr) < 0) die("accept peer child");
  pid_t netns_child = child([&] {
    if (::unshare(CLONE_NEWNET) < 0) die("unshare(CLONE_NEWNET): run as root");
    connected(SOCK_STREAM, dir + "/split.sock");  // a path reaches across netns
  });
  if (::accept(split_listener, nullptr, nullptr) < 0) die("accept netns child");

  std::printf("ready %d %d %d\n", ::getpid(), netns_child, peer_child);
  std::fflush(stdout);
  char buf[64];
  while (::read(0, buf, sizeof(buf)) > 0) {
  }
  for (pid_t p : {netns_child, peer_child}) {
    ::kill(p, SIGKILL);
    ::waitpid(p, nullptr, 0);
  }
  return 0;
}
