// SPDX-License-Identifier: GPL-2.0-only
#include "jvm/helper.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>

#include "base/strings.h"
#include "base/unique_fd.h"
#include "jvm/negotiate.h"
#include "jvm/trigger.h"

namespace sockscope::jvm {

namespace {

volatile sig_atomic_t g_stop = 0;  // set by SIGINT/SIGTERM/SIGHUP in the helper

void on_stop(int) { g_stop = 1; }

// No SA_RESTART: a signal interrupts sleeps and blocking I/O, so the helper
// reaches its cleanup at once.
void catch_stop_signals() {
  struct sigaction sa{};
  sa.sa_handler = on_stop;
  sigemptyset(&sa.sa_mask);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) ::sigaction(sig, &sa, nullptr);
  ::signal(SIGPIPE, SIG_IGN);
  // The caller may die without signalling us: then stop too, and clean up.
  ::prctl(PR_SET_PDEATHSIG, SIGTERM);
}

bool write_all(int fd, const std::string& s) {
  size_t off = 0;
  while (off < s.size()) {
    ssize_t n = ::write(fd, s.data() + off, s.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

// Enters the JVM's mount namespace, then its root (a chroot inside the
// namespace, if any). The network namespace is left alone: HotSpot binds a
// path, and a path-bound unix socket is found by its inode from any netns.
// Returns the prefix under which the JVM's files are seen from here: "" once
// inside, "/proc/PID/root" when we may not enter (not root: same user only).
std::string enter_mount_ns(const Target& t, const std::string& proc) {
  std::string dir = proc + "/" + std::to_string(t.pid);
  UniqueFd root(::open((dir + "/root").c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  auto mine = read_link("/proc/self/ns/mnt");
  auto theirs = read_link(dir + "/ns/mnt");
  bool same_ns = mine && theirs && *mine == *theirs;
  if (!same_ns) {
    UniqueFd ns(::open((dir + "/ns/mnt").c_str(), O_RDONLY | O_CLOEXEC));
    if (!ns.valid() || ::setns(ns.get(), CLONE_NEWNS) != 0) return dir + "/root";
  }
  // After setns our root is the namespace's root; the JVM's may be a
  // chroot below it. Needs CAP_SYS_CHROOT; without it we are a same-user
  // caller in the same namespace, and "/" is right unless the JVM is chrooted.
  if (root.valid() && ::fchdir(root.get()) == 0 && ::chroot(".") == 0) return "";
  return same_ns ? "" : dir + "/root";
}

// The JVM checks the peer's euid/egid (SO_PEERCRED) against its own.
Result<Ok> become_target(const Target& t) {
  if (::getegid() != t.egid && ::setegid(t.egid) != 0)
    return sys_error("cannot take the JVM's group id " + std::to_string(t.egid), errno);
  if (::geteuid() != t.euid && ::seteuid(t.euid) != 0)
    return sys_error("cannot take the JVM's user id " + std::to_string(t.euid), errno);
  return Ok{};
}

Result<HelperResult> session(const Target& t, const std::vector<std::string>& args,
                             const AttachOptions& opts) {
  // Opened before entering: inside, /proc may be the container's own.
  std::string pid_dir = opts.proc + "/" + std::to_string(t.pid);
  UniqueFd cwd(::open((pid_dir + "/cwd").c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  std::string prefix = enter_mount_ns(t, opts.proc);
  if (auto ok = become_target(t); !ok) return ok.error();
  HelperResult out;
  auto up = ensure_listener(t, prefix, cwd.get(), opts, g_stop);
  if (!up) return up.error();
  out.started_listener = *up;
  std::string path = prefix + "/tmp/.java_pid" + std::to_string(t.nspid);
  auto n = negotiate(args, opts.protocol, [&](const std::string& req) { return round_trip(path, req); });
  if (!n) return n.error();
  out.version = n->version;
  out.raw_reply = std::move(n->reply);
  return out;
}

}  // namespace

Result<std::string> round_trip(const std::string& path, const std::string& request) {
  UniqueFd s(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!s.valid()) return sys_error("socket(AF_UNIX)", errno);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof(addr.sun_path)) return Error{"socket path too long: " + path, ENAMETOOLONG, {}};
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  if (::connect(s.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0)
    return sys_error("connecting to " + path, errno)
        .with_hint("the listener is gone; if the JVM is alive, retry (a new SIGQUIT restarts it)");
  if (!write_all(s.get(), request)) return sys_error("sending the request to " + path, errno);
  std::string reply;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(s.get(), buf, sizeof(buf));
    if (n < 0 && errno == EINTR && !g_stop) continue;
    if (n < 0) return sys_error("reading the JVM's reply", g_stop ? EINTR : errno);
    if (n == 0) break;
    reply.append(buf, static_cast<size_t>(n));
  }
  return reply;
}

std::string encode_frame(const Result<HelperResult>& r) {
  if (r.ok())
    return std::string("R") + char('0' + r->version) + (r->started_listener ? '1' : '0') + r->raw_reply;
  std::string f = "E" + std::to_string(r.error().sys_errno);
  for (const auto* s : {&r.error().what, &r.error().hint}) f += '\0' + *s;
  return f + '\0';
}

Result<AttachResponse> decode_frame(const std::string& frame) {
  if (frame.size() >= 3 && frame[0] == 'R') {
    auto reply = parse_reply(std::string_view(frame).substr(3));
    if (!reply) return reply.error();
    return AttachResponse{reply->status, std::move(reply->output), frame[1] - '0', frame[2] == '1'};
  }
  if (frame.size() > 1 && frame[0] == 'E') {
    auto parts = split_nul(frame.substr(1));  // errno, what, hint
    if (parts.size() == 3)
      return Error{parts[1], static_cast<int>(parse_u64(parts[0]).value_or(0)), parts[2]};
  }
  return Error{"the attach helper ended without a result", EPROTO,
               "it was probably killed (SIGKILL, out of memory); retry"};
}

[[noreturn]] void run_helper(const Target& t, const std::vector<std::string>& args,
                             const AttachOptions& opts, int out_fd) {
  catch_stop_signals();
  write_all(out_fd, encode_frame(session(t, args, opts)));
  ::_exit(0);
}

}  // namespace sockscope::jvm
