// SPDX-License-Identifier: GPL-2.0-only
#include "jvm/trigger.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <algorithm>
#include <ctime>

#include "base/unique_fd.h"

namespace sockscope::jvm {

namespace {

bool is_socket(const std::string& path) {
  struct stat st{};
  return ::stat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode);
}

// Removes the trigger file when the poll ends, however it ends. Only a file
// we created is removed: an existing one belongs to another attacher.
class TriggerFile {
 public:
  ~TriggerFile() {
    if (dir_.valid()) ::unlinkat(dir_.get(), name_.c_str(), 0);
  }
  // HotSpot looks for .attach_pid<nspid> in its cwd first, then in /tmp
  // (AttachListener::is_init_trigger); the cwd may not be writable for the
  // JVM's user (a read-only image, "/"), so /tmp is the fallback.
  Result<Ok> create(const Target& t, const std::string& prefix, int cwd_fd) {
    std::string name = ".attach_pid" + std::to_string(t.nspid);
    UniqueFd tmp(::open((prefix + "/tmp").c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    int err = ENOENT;
    for (int dir : {cwd_fd, tmp.get()}) {
      if (dir < 0) continue;
      UniqueFd fd(::openat(dir, name.c_str(), O_CREAT | O_EXCL | O_NOFOLLOW | O_WRONLY | O_CLOEXEC, 0600));
      if (fd.valid()) {
        dir_.reset(::fcntl(dir, F_DUPFD_CLOEXEC, 0));
        name_ = name;
        return Ok{};
      }
      if (errno == EEXIST) return Ok{};  // another attach is under way; its file triggers too
      err = errno;
    }
    return sys_error("cannot create " + name + " in the JVM's cwd or /tmp as uid " +
                         std::to_string(t.euid), err)
        .with_hint("the JVM's cwd or /tmp must be writable by its user; check the mounts "
                   "(read-only root?) and the permissions of /tmp");
  }

 private:
  UniqueFd dir_;
  std::string name_;
};

void sleep_ms(int ms) {
  timespec ts{ms / 1000, (ms % 1000) * 1000000L};
  ::nanosleep(&ts, nullptr);  // a signal cuts it short; the caller checks
}

}  // namespace

std::vector<int> backoff_schedule(int timeout_ms) {
  std::vector<int> out;
  int total = 0;
  for (int d = 20; total < timeout_ms; d *= 2) {
    int step = std::min(d, timeout_ms - total);
    out.push_back(step);
    total += step;
  }
  return out;
}

Result<bool> ensure_listener(const Target& t, const std::string& prefix, int cwd_fd,
                             const AttachOptions& opts, volatile sig_atomic_t& stop) {
  std::string sock = prefix + "/tmp/.java_pid" + std::to_string(t.nspid);
  if (is_socket(sock)) return false;
  // HotSpot catches SIGQUIT from early in startup unless run with -Xrs
  // (-XX:+ReduceSignalUsage, which starts the listener at launch instead).
  if (!t.sigquit_caught)
    return Error{"JVM " + std::to_string(t.pid) + " does not handle SIGQUIT and has no " + sock,
                 ENOTSUP,
                 "SIGQUIT would kill it, so nothing was sent. It is still starting, or runs with -Xrs "
                 "(its listener starts at launch; a missing socket means it was deleted): retry in a "
                 "moment, else restart it"};
  TriggerFile trigger;
  if (auto ok = trigger.create(t, prefix, cwd_fd); !ok) return ok.error();
  if (stop) return Error{"interrupted", EINTR, {}};
  // The host pid: we are still in our own pid namespace.
  if (::kill(t.pid, SIGQUIT) != 0) return sys_error("cannot send SIGQUIT to " + std::to_string(t.pid), errno);
  for (int ms : backoff_schedule(opts.timeout_ms)) {
    sleep_ms(ms);
    if (is_socket(sock)) return true;
    if (stop) return Error{"interrupted while waiting for the JVM's attach listener", EINTR, {}};
    if (::kill(t.pid, 0) != 0)
      return Error{"the JVM exited while we waited for its attach listener", ESRCH,
                   "check its stderr: it may have crashed or been stopped"};
  }
  if (is_socket(sock)) return true;
  return Error{"the JVM did not open " + sock + " within " + std::to_string(opts.timeout_ms) + " ms",
               ETIMEDOUT,
               "a JVM stopped, in a long safepoint (GC) or run with -Xrs does not answer SIGQUIT: retry "
               "with a longer --timeout. If its .java_pid socket was deleted and it then got a bare "
               "SIGQUIT (kill -3), HotSpot (17 to 25 at least) never restarts the listener: restart the "
               "JVM. See docs/jvm.md"};
}

}  // namespace sockscope::jvm
