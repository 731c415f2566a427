// SPDX-License-Identifier: GPL-2.0-only
#include "jvm/attach.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <optional>

#include "base/strings.h"
#include "base/unique_fd.h"
#include "jvm/helper.h"
#include "jvm/negotiate.h"

namespace sockscope::jvm {

namespace {

// Everything that must be refused before any signal is sent.
Result<Ok> check_target(const Target& t) {
  std::string pid = std::to_string(t.pid);
  if (t.libjvm.empty())
    return Error{"process " + pid + " is not a HotSpot JVM (no libjvm.so in /proc/" + pid + "/maps)",
                 ENOEXEC,
                 "nothing was sent to it: SIGQUIT, the attach trigger, kills a process that does not "
                 "handle it. List JVMs with `sockscope jvm ls`"};
  if (t.attach_disabled)
    return Error{"JVM " + pid + " runs with -XX:+DisableAttachMechanism", ENOTSUP,
                 "it never starts an attach listener; restart it without that flag (nothing was sent)"};
  uid_t me = ::geteuid();
  if (me != 0 && me != t.euid)
    return Error{"JVM " + pid + " runs as uid " + std::to_string(t.euid) + ", we as uid " +
                     std::to_string(me),
                 EPERM,
                 "HotSpot accepts only its own euid or root; run as that user or as root"};
  return Ok{};
}

// While the helper runs, SIGINT/SIGTERM to us are passed on to it, so that it
// removes the trigger file before anybody exits.
volatile sig_atomic_t g_helper = 0;
volatile sig_atomic_t g_caught = 0;

void forward(int sig) {
  g_caught = sig;
  if (g_helper > 0) ::kill(g_helper, sig);
}

class SignalForwarder {
 public:
  explicit SignalForwarder(bool on) : on_(on) {
    if (!on_) return;
    struct sigaction sa{};
    sa.sa_handler = forward;
    sigemptyset(&sa.sa_mask);
    ::sigaction(SIGINT, &sa, &old_int_);
    ::sigaction(SIGTERM, &sa, &old_term_);
  }
  ~SignalForwarder() {
    if (!on_) return;
    ::sigaction(SIGINT, &old_int_, nullptr);
    ::sigaction(SIGTERM, &old_term_, nullptr);
    g_helper = 0;
  }

 private:
  bool on_;
  struct sigaction old_int_{}, old_term_{};
};

std::string read_all(int fd) {
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

Result<AttachResponse> run_in_helper(const Target& t, const std::vector<std::string>& args,
                                     const AttachOptions& opts) {
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) return sys_error("pipe", errno);
  UniqueFd rd(p[0]), wr(p[1]);
  SignalForwarder fwd(opts.forward_signals);
  g_caught = 0;
  pid_t child = ::fork();
  if (child < 0) return sys_error("fork", errno);
  if (child == 0) {
    rd.reset();
    run_helper(t, args, opts, wr.get());
  }
  g_helper = child;
  wr.reset();
  std::string frame = read_all(rd.get());
  int st = 0;
  while (::waitpid(child, &st, 0) < 0 && errno == EINTR) {
  }
  if (g_caught)
    return Error{"interrupted; the attach trigger file was removed", EINTR, {}};
  return decode_frame(frame);
}

// The common case needs no helper: the listener is up, we are in the JVM's
// user namespace (so SO_PEERCRED shows our ids unmapped) and are root or its
// user. Then /proc/PID/root/tmp reaches the socket without entering the mount
// namespace, as jattach does; nothing is created, so nothing needs cleaning.
std::optional<std::string> direct_path(const Target& t, const AttachOptions& opts) {
  std::string dir = opts.proc + "/" + std::to_string(t.pid);
  std::string path = dir + "/root/tmp/.java_pid" + std::to_string(t.nspid);
  struct stat st{};
  if (::stat(path.c_str(), &st) != 0 || !S_ISSOCK(st.st_mode)) return std::nullopt;
  if (::geteuid() != 0 && ::geteuid() != t.euid) return std::nullopt;
  auto mine = read_link("/proc/self/ns/user");
  auto theirs = read_link(dir + "/ns/user");
  if (!mine || !theirs || *mine != *theirs || path.size() >= sizeof(sockaddr_un::sun_path)) return std::nullopt;
  return path;
}

Result<AttachResponse> run_direct(const std::string& path, const std::vector<std::string>& args,
                                  const AttachOptions& opts) {
  auto n = negotiate(args, opts.protocol, [&](const std::string& req) { return round_trip(path, req); });
  if (!n) return n.error();
  auto reply = parse_reply(n->reply);
  if (!reply) return reply.error();
  return AttachResponse{reply->status, std::move(reply->output), n->version, false};
}

}  // namespace

Result<AttachResponse> attach(const Target& t, const std::vector<std::string>& args,
                              const AttachOptions& opts) {
  if (auto ok = check_target(t); !ok) return ok.error();
  if (args.empty()) return Error{"no attach command given", EINVAL, "e.g. properties"};
  if (auto path = direct_path(t, opts)) return run_direct(*path, args, opts);
  return run_in_helper(t, args, opts);
}

Result<AttachResponse> attach(int pid, const std::vector<std::string>& args,
                              const AttachOptions& opts) {
  if (args.empty()) return Error{"no attach command given", EINVAL, "e.g. properties"};
  auto ids = inspect_ids(pid, opts.proc);
  if (!ids) return ids.error();
  // A listener that is up takes the request without any signal, so there is
  // nothing a non-JVM could die of: talk to it first, as jattach does, and
  // read maps, cmdline and environ only when a signal may have to be sent
  // (or the socket file is stale: then the full checks explain why).
  if (auto path = direct_path(*ids, opts)) {
    auto r = run_direct(*path, args, opts);
    if (r || r.error().sys_errno != ECONNREFUSED) return r;
  }
  auto t = inspect(pid, opts.proc);
  if (!t) return t.error();
  return attach(*t, args, opts);
}

Result<std::string> perfmap(int pid, const AttachOptions& opts) {
  auto t = inspect(pid, opts.proc);
  if (!t) return t.error();
  if (auto v = feature_version(t->version); v && *v < 17)
    return Error{"JVM " + std::to_string(pid) + " is JDK " + t->version +
                     "; Compiler.perfmap arrived in JDK 17",
                 ENOTSUP, "use a perf map agent (async-profiler, perf-map-agent) on older JDKs"};
  auto r = attach(*t, {"jcmd", "Compiler.perfmap"}, opts);
  if (!r) return r.error();
  if (r->status != 0)
    return Error{"Compiler.perfmap failed in JVM " + std::to_string(pid) + ": " + r->output,
                 EPROTO, "see the JVM's message above"};
  return opts.proc + "/" + std::to_string(pid) + "/root/tmp/perf-" + std::to_string(t->nspid) + ".map";
}

}  // namespace sockscope::jvm
