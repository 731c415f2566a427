// SPDX-License-Identifier: GPL-2.0-only
#include "history/locate.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "base/strings.h"
#include "history/history.h"

namespace sockscope::history {
namespace {

// read_small_file, not std::ifstream: libstdc++ throws when read() fails,
// as it does on /proc/PID/comm of a process exiting meanwhile.
std::string first_line(const std::string& path) {
  auto text = read_small_file(path).value_or("");
  return text.substr(0, text.find('\n'));
}

// The pid file's process, if it still runs and is a sockscope (pids are reused).
uint32_t live_recorder(const std::string& run_dir) {
  auto text = first_line(run_dir + "/recorder.pid");
  char* end = nullptr;
  long pid = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || pid <= 0) return 0;
  if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) return 0;
  auto comm = first_line(fmt::format("/proc/{}/comm", pid));
  return comm == "sockscope" ? static_cast<uint32_t>(pid) : 0;
}

// Replaces `path` with `text` atomically (write beside it, rename over it).
Result<Ok> write_atomically(const std::string& path, const std::string& text) {
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0) return sys_error("cannot write " + tmp, errno);
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  int err = errno;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return sys_error("cannot write " + path, ok ? errno : err);
  }
  return Ok{};
}

}  // namespace

Located locate(const std::string& explicit_path, const std::string& run_dir) {
  Located l;
  uint32_t pid = live_recorder(run_dir);
  std::string running_db = pid ? first_line(run_dir + "/db") : std::string{};
  if (!explicit_path.empty()) {
    l.path = explicit_path;
    l.how = "--db";
    if (running_db == explicit_path) l.recorder_pid = pid;
    return l;
  }
  if (!running_db.empty()) {
    l.path = running_db;
    l.recorder_pid = pid;
    l.how = fmt::format("the running recorder (pid {})", pid);
    return l;
  }
  struct stat st {};
  if (::stat(kDefaultDb, &st) == 0) {
    l.path = kDefaultDb;
    l.how = "the default path (no recorder runs)";
  }
  return l;
}

Result<Ok> write_run_files(const std::string& run_dir, const std::string& db, uint32_t pid) {
  if (::mkdir(run_dir.c_str(), 0755) != 0 && errno != EEXIST) return sys_error("cannot create " + run_dir, errno);
  if (auto r = write_atomically(run_dir + "/db", db + "\n"); !r) return r;
  return write_atomically(run_dir + "/recorder.pid", fmt::format("{}\n", pid));
}

void remove_run_files(const std::string& run_dir, uint32_t pid) {
  // Only our own: a second recorder (on another database) may have taken over.
  if (first_line(run_dir + "/recorder.pid") != std::to_string(pid)) return;
  ::unlink((run_dir + "/recorder.pid").c_str());
  ::unlink((run_dir + "/db").c_str());
}

}  // namespace sockscope::history
