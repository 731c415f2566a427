// SPDX-License-Identifier: GPL-2.0-only
#include "cli/pictures.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/exit_codes.h"
#include "base/unique_fd.h"
#include "cli/attach_action.h"
#include "render/escape.h"

extern char** environ;

namespace sockscope::cli {
namespace {

constexpr size_t kErrKept = 4096;  // of dot's stderr, for the message

struct Dot {
  pid_t pid = -1;
  UniqueFd in, out, err;  // our ends: its stdin, stdout, stderr
};

// stdin is a socket so that writing after dot died is EPIPE from send(..,
// MSG_NOSIGNAL), never a SIGPIPE that would kill sockscope.
Result<Dot> spawn_dot() {
  int in[2], out[2], err[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in) < 0) return sys_error("socketpair", errno);
  UniqueFd in0(in[0]), in1(in[1]);
  if (::pipe2(out, O_CLOEXEC) < 0) return sys_error("pipe", errno);
  UniqueFd out0(out[0]), out1(out[1]);
  if (::pipe2(err, O_CLOEXEC) < 0) return sys_error("pipe", errno);
  UniqueFd err0(err[0]), err1(err[1]);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in1.get(), 0);
  posix_spawn_file_actions_adddup2(&fa, out1.get(), 1);
  posix_spawn_file_actions_adddup2(&fa, err1.get(), 2);
  char arg0[] = "dot", arg1[] = "-Tsvg";
  char* argv[] = {arg0, arg1, nullptr};
  Dot d;
  int rc = ::posix_spawnp(&d.pid, "dot", &fa, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc == ENOENT)
    return Error{"Graphviz's dot is not installed: --format svg runs `dot -Tsvg`", rc,
                 "install graphviz (apt-get install graphviz), or print --format dot and render it elsewhere"};
  if (rc != 0) return sys_error("starting Graphviz's dot", rc);
  for (int fd : {in0.get(), out0.get(), err0.get()}) ::fcntl(fd, F_SETFL, O_NONBLOCK);
  d.in = std::move(in0);
  d.out = std::move(out0);
  d.err = std::move(err0);
  return d;
}

// Feeds `text` and collects stdout and stderr until both end. Returns 0, or
// the errno of a failed poll(2).
int pump(Dot& d, const std::string& text, std::string& out, std::string& err) {
  size_t sent = 0;
  if (text.empty()) d.in.reset();
  while (d.out.valid() || d.err.valid()) {
    pollfd p[3] = {{d.in.get(), POLLOUT, 0}, {d.out.get(), POLLIN, 0}, {d.err.get(), POLLIN, 0}};
    if (::poll(p, 3, -1) < 0 && errno != EINTR) return errno;
    if (d.in.valid() && p[0].revents) {
      ssize_t n = ::send(d.in.get(), text.data() + sent, text.size() - sent, MSG_NOSIGNAL);
      if (n > 0) sent += static_cast<size_t>(n);
      if ((n < 0 && errno != EAGAIN && errno != EINTR) || sent == text.size()) d.in.reset();  // EOF for dot
    }
    char buf[65536];
    for (auto [fd, sink] : {std::pair{&d.out, &out}, std::pair{&d.err, &err}}) {
      ssize_t n = fd->valid() ? ::read(fd->get(), buf, sizeof buf) : -1;
      if (n > 0 && (sink == &out || sink->size() < kErrKept)) sink->append(buf, static_cast<size_t>(n));
      if (n == 0 || (n < 0 && fd->valid() && errno != EAGAIN && errno != EINTR)) fd->reset();
    }
  }
  return 0;
}

int reap(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

}  // namespace

Result<std::string> graphviz_svg(const std::string& dot_text) {
  auto d = spawn_dot();
  if (!d) return d.error();
  std::string out, err;
  if (int e = pump(*d, dot_text, out, err)) {
    // dot may be blocked writing to a pipe nobody reads any more: stop it
    // rather than wait for it.
    ::kill(d->pid, SIGKILL);
    reap(d->pid);
    return sys_error("waiting for Graphviz's dot", e);
  }
  int status = reap(d->pid);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return out;
  std::string why = WIFEXITED(status) ? fmt::format("exit {}", WEXITSTATUS(status))
                                      : fmt::format("signal {}", WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  err = err.substr(0, err.find('\n'));
  return Error{fmt::format("Graphviz's dot failed ({}){}{}", why, err.empty() ? "" : ": ", render::printable(err)), 0,
               "print --format dot to see what it was given, and report it as a sockscope bug"};
}

File open_output(const std::string& path, const std::string& option) {
  File f(std::fopen(path.c_str(), "we"));
  if (!f)
    fail(kExitCantCreate, fmt::format("{}: cannot write {}: {}", option, render::printable(path), std::strerror(errno)),
         "give " + option + " a path in a directory you can write to");
  return f;
}

bool finish_output(File f, const std::string& text, const std::string& path) {
  bool ok = std::fwrite(text.data(), 1, text.size(), f.get()) == text.size();
  ok = std::fclose(f.release()) == 0 && ok;
  if (!ok) fail(kExitCantCreate, fmt::format("cannot write {}: {}", render::printable(path), std::strerror(errno)));
  return ok;
}

}  // namespace sockscope::cli
