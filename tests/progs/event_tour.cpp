// SPDX-License-Identifier: GPL-2.0-only
// One pass over the socket calls the tracer reports, for recording tracer
// fixtures (tests/tools/record_events.cpp, tests/fixtures/tracer/):
//   a unix socketpair; a unix listener at DIR/tour.sock with a client
//   connected and accepted; a connect to a path that does not exist (ENOENT); an abstract
//   listener whose name holds a NUL and a control byte; a TCP listener on
//   127.0.0.1 with a client connected and accepted; an fd passed with
//   SCM_RIGHTS; a child that execs /bin/true; the path unlinked; all closed.
// Usage: event_tour DIR   (DIR must exist). Prints "done" when finished,
// then waits for stdin to close, so that its /proc entry can be recorded.
#include <arpa/inet.h>
#include <netinet/in.h>
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
  std::fprintf(stderr, "event_tour: %s: %s\n", what, std::strerror(errno));
  std::exit(1);
}

// name: a path, or "\0..." with its exact length for an abstract name.
socklen_t unix_addr(sockaddr_un& a, const char* name, size_t len) {
  a = {};
  a.sun_family = AF_UNIX;
  std::memcpy(a.sun_path, name, len);
  return static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + len);
}

void unix_pair_of_listener(const char* name, size_t len) {
  sockaddr_un a{};
  socklen_t alen = unix_addr(a, name, len);
  int l = ::socket(AF_UNIX, SOCK_STREAM, 0);
  if (l < 0 || ::bind(l, reinterpret_cast<sockaddr*>(&a), alen) < 0 || ::listen(l, 4) < 0) die("unix listener");
  int c = ::socket(AF_UNIX, SOCK_STREAM, 0);
  if (c < 0 || ::connect(c, reinterpret_cast<sockaddr*>(&a), alen) < 0) die("unix connect");
  int s = ::accept(l, nullptr, nullptr);
  if (s < 0) die("unix accept");
  ::close(s);
  ::close(c);
  ::close(l);
}

void tcp_loopback() {
  int l = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(47001);  // fixed, so the fixture's README can name it
  int one = 1;
  ::setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if (l < 0 || ::bind(l, reinterpret_cast<sockaddr*>(&a), sizeof(a)) < 0 || ::listen(l, 4) < 0) die("tcp listener");
  int c = ::socket(AF_INET, SOCK_STREAM, 0);
  if (c < 0 || ::connect(c, reinterpret_cast<sockaddr*>(&a), sizeof(a)) < 0) die("tcp connect");
  int s = ::accept(l, nullptr, nullptr);
  if (s < 0) die("tcp accept");
  ::close(s);
  ::close(c);
  ::close(l);
}

void pass_fd(int via, int fd) {
  char byte = 'x';
  iovec iov{&byte, 1};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  msghdr m{};
  m.msg_iov = &iov;
  m.msg_iovlen = 1;
  m.msg_control = control;
  m.msg_controllen = sizeof(control);
  cmsghdr* c = CMSG_FIRSTHDR(&m);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  std::memcpy(CMSG_DATA(c), &fd, sizeof(fd));
  if (::sendmsg(via, &m, 0) < 0) die("sendmsg");
}

int receive_fd(int via) {
  char byte;
  iovec iov{&byte, 1};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  msghdr m{};
  m.msg_iov = &iov;
  m.msg_iovlen = 1;
  m.msg_control = control;
  m.msg_controllen = sizeof(control);
  if (::recvmsg(via, &m, 0) < 0) die("recvmsg");
  int fd = -1;
  if (cmsghdr* c = CMSG_FIRSTHDR(&m)) std::memcpy(&fd, CMSG_DATA(c), sizeof(fd));
  return fd;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: event_tour DIR\n");
    return 2;
  }
  std::string path = std::string(argv[1]) + "/tour.sock";
  ::unlink(path.c_str());

  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) die("socketpair");

  unix_pair_of_listener(path.c_str(), path.size() + 1);

  sockaddr_un a{};
  std::string gone = std::string(argv[1]) + "/nobody.sock";
  socklen_t alen = unix_addr(a, gone.c_str(), gone.size() + 1);
  int refused = ::socket(AF_UNIX, SOCK_STREAM, 0);
  if (::connect(refused, reinterpret_cast<sockaddr*>(&a), alen) == 0) die("connect to nothing succeeded");

  // "\0tour\0x\x01": 7 bytes after the leading NUL, one of them a NUL.
  static const char kAbstract[] = "\0tour\0x\x01";
  unix_pair_of_listener(kAbstract, sizeof(kAbstract) - 1);

  tcp_loopback();

  int passed = ::socket(AF_UNIX, SOCK_DGRAM, 0);
  pass_fd(sv[0], passed);
  int got = receive_fd(sv[1]);

  pid_t child = ::fork();
  if (child == 0) {
    ::execl("/bin/true", "true", static_cast<char*>(nullptr));
    _exit(127);
  }
  int status;
  ::waitpid(child, &status, 0);

  ::unlink(path.c_str());
  ::close(got);
  ::close(passed);
  ::close(refused);
  ::close(sv[0]);
  ::close(sv[1]);

  std::printf("done\n");
  std::fflush(stdout);
  char buf[64];
  while (::read(0, buf, sizeof(buf)) > 0) {
  }
  return 0;
}
