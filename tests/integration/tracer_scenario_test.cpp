// SPDX-License-Identifier: GPL-2.0-only
// Scenario processes for the tracer tests. Rather than a separate program
// (and a CMake target), the integration test binary itself is the scenario:
// `sockscope run -- <this binary>` with SOCKSCOPE_TRACER_SCENARIO=<name> set
// runs the scenario from a constructor, before gtest's main, and exits.
// SOCKSCOPE_TRACER_FACTS=<file> receives "key value" lines the tests check
// the events against (fds and socket inodes as seen from user space).
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

FILE* g_facts = nullptr;

void fact(const char* key, long long v) {
  if (g_facts) std::fprintf(g_facts, "%s %lld\n", key, v);
}

long long ino(int fd) {
  struct stat st {};
  return ::fstat(fd, &st) == 0 ? static_cast<long long>(st.st_ino) : 0;
}

sockaddr_un addr(const std::string& path, socklen_t& len) {
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  std::memcpy(a.sun_path, path.data(), path.size());
  len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + path.size());
  return a;
}

void send_fd(int sock, int fd) {
  char byte = 'x';
  iovec iov{&byte, 1};
  alignas(cmsghdr) char buf[CMSG_SPACE(sizeof(int))] = {};
  msghdr m{};
  m.msg_iov = &iov;
  m.msg_iovlen = 1;
  m.msg_control = buf;
  m.msg_controllen = sizeof(buf);
  cmsghdr* c = CMSG_FIRSTHDR(&m);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  std::memcpy(CMSG_DATA(c), &fd, sizeof(int));
  if (::sendmsg(sock, &m, 0) != 1) ::_exit(3);
}

int recv_fd(int sock) {
  char byte;
  iovec iov{&byte, 1};
  alignas(cmsghdr) char buf[CMSG_SPACE(sizeof(int))] = {};
  msghdr m{};
  m.msg_iov = &iov;
  m.msg_iovlen = 1;
  m.msg_control = buf;
  m.msg_controllen = sizeof(buf);
  if (::recvmsg(sock, &m, 0) != 1) ::_exit(4);
  int fd = -1;
  std::memcpy(&fd, CMSG_DATA(CMSG_FIRSTHDR(&m)), sizeof(int));
  return fd;
}

// Every event kind once, in a fixed order (dir: a fresh directory).
void all_events(const std::string& dir) {
  std::string path = dir + "/srv.sock";
  socklen_t len;
  int srv = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un a = addr(path, len);
  if (::bind(srv, reinterpret_cast<sockaddr*>(&a), len) != 0 || ::listen(srv, 4) != 0) ::_exit(2);
  int cli = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (::connect(cli, reinterpret_cast<sockaddr*>(&a), len) != 0) ::_exit(2);
  int acc = ::accept4(srv, nullptr, nullptr, SOCK_CLOEXEC);
  int sv[2];
  ::socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
  send_fd(cli, sv[0]);
  int got = recv_fd(acc);
  sockaddr_un bad = addr(dir + "/absent.sock", len);
  int refused = ::socket(AF_UNIX, SOCK_STREAM, 0);
  ::connect(refused, reinterpret_cast<sockaddr*>(&bad), len);  // ENOENT
  ::shutdown(acc, SHUT_WR);
  fact("srv_fd", srv), fact("srv_ino", ino(srv));
  fact("cli_fd", cli), fact("cli_ino", ino(cli));
  fact("acc_fd", acc), fact("acc_ino", ino(acc));
  fact("pair0_ino", ino(sv[0])), fact("pair1_ino", ino(sv[1]));
  fact("got_fd", got), fact("got_ino", ino(got));
  fact("pid", ::getpid());
  for (int fd : {cli, acc, srv, sv[0], sv[1], got, refused}) ::close(fd);
  ::rename(path.c_str(), (path + ".old").c_str());
  ::unlink((path + ".old").c_str());
  pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ::waitpid(child, nullptr, 0);
  fact("child", child);
}

// Closes of fds the tracer saw no socket call make: dup, dup2, dup3,
// fcntl(F_DUPFD, F_DUPFD_CLOEXEC), and an fd inherited by a forked child.
// Only the last close of each socket releases it.
void duplicated_fds() {
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) ::_exit(2);
  int dups[] = {::dup(sv[0]), ::dup2(sv[0], 40), ::dup3(sv[0], 41, O_CLOEXEC),
                ::fcntl(sv[0], F_DUPFD, 50), ::fcntl(sv[0], F_DUPFD_CLOEXEC, 60)};
  fact("pair0_fd", sv[0]), fact("pair0_ino", ino(sv[0]));
  fact("pair1_fd", sv[1]), fact("pair1_ino", ino(sv[1]));
  fact("dup_fd", dups[0]);
  fact("pid", ::getpid());
  for (int fd : dups) ::close(fd);
  pid_t child = ::fork();
  if (child == 0) {
    ::close(sv[1]);  // inherited: the parent still holds it
    ::_exit(0);
  }
  ::waitpid(child, nullptr, 0);
  fact("child", child);
  ::close(sv[0]);
  ::close(sv[1]);
  // A socket whose copy is closed and which is itself open at exit.
  int kept = ::socket(AF_UNIX, SOCK_DGRAM, 0);
  ::close(::dup(kept));
  fact("kept_ino", ino(kept));
}

// A socket made before exec: the exec'd program inherits it.
void socket_then_exec() {
  int s = ::socket(AF_UNIX, SOCK_DGRAM, 0);
  fact("pre_exec_ino", ino(s));
  fact("pid", ::getpid());
  std::fflush(g_facts);
  ::execl("/bin/true", "true", static_cast<char*>(nullptr));
  ::_exit(5);
}

[[gnu::constructor]] void run_scenario() {
  const char* name = std::getenv("SOCKSCOPE_TRACER_SCENARIO");
  if (!name) return;
  if (const char* f = std::getenv("SOCKSCOPE_TRACER_FACTS")) g_facts = std::fopen(f, "we");
  std::string n = name;
  if (n == "all") all_events(std::getenv("SOCKSCOPE_TRACER_DIR"));
  if (n == "pre_exec") socket_then_exec();
  if (n == "dups") duplicated_fds();
  if (g_facts) std::fclose(g_facts);
  ::_exit(n == "exit7" ? 7 : 0);
}

}  // namespace
