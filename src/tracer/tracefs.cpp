// SPDX-License-Identifier: GPL-2.0-only
#include "tracer/tracefs.h"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <linux/magic.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>

#include "base/strings.h"
#include "base/unique_fd.h"

namespace sockscope::tracer {
namespace {

constexpr const char* kRoots[] = {"/sys/kernel/tracing", "/sys/kernel/debug/tracing"};
constexpr const char* kPrefix = "sockscope_";

std::optional<std::string> mounted_root() {
  for (const char* root : kRoots) {
    struct statfs st {};
    if (::statfs(root, &st) == 0 && st.f_type == TRACEFS_MAGIC) return std::string(root);
  }
  return std::nullopt;
}

void read_all(const std::string& root, TracefsFiles& out, const std::vector<std::string>& rel) {
  for (const auto& r : rel) out.files[r] = read_small_file(root + "/" + r);
}

// Wire format child -> parent: "<len>\n<path>\n<contents>" per present file.
void write_all(int fd, const std::string& s) {
  size_t off = 0;
  while (off < s.size()) {
    ssize_t n = ::write(fd, s.data() + off, s.size() - off);
    if (n <= 0) return;
    off += static_cast<size_t>(n);
  }
}

[[noreturn]] void private_mount_child(int fd, const std::vector<std::string>& rel) {
  // MS_PRIVATE first, or the mount would propagate back to the host's
  // shared mount tree (systemd makes / shared).
  if (::unshare(CLONE_NEWNS) != 0) ::_exit(10);
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) ::_exit(11);
  if (::mount("tracefs", kRoots[0], "tracefs", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0)
    ::_exit(12);
  for (const auto& r : rel) {
    auto s = read_small_file(std::string(kRoots[0]) + "/" + r);
    if (!s) continue;
    write_all(fd, fmt::format("{}\n{}\n{}", s->size(), r, *s));
  }
  ::_exit(0);
}

Result<Ok> parse_wire(const std::string& wire, TracefsFiles& out) {
  size_t pos = 0;
  while (pos < wire.size()) {
    size_t nl = wire.find('\n', pos);
    size_t nl2 = nl == std::string::npos ? nl : wire.find('\n', nl + 1);
    auto len = nl2 == std::string::npos ? std::nullopt : parse_u64(wire.substr(pos, nl - pos));
    if (!len || nl2 + 1 + *len > wire.size())
      return Error{"garbled answer from the tracefs helper", 0, "please report this"};
    out.files[wire.substr(nl + 1, nl2 - nl - 1)] = wire.substr(nl2 + 1, *len);
    pos = nl2 + 1 + *len;
  }
  return Ok{};
}

Result<TracefsFiles> read_via_private_mount(const std::vector<std::string>& rel) {
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) return sys_error("pipe", errno);
  UniqueFd rd(p[0]), wr(p[1]);
  pid_t pid = ::fork();
  if (pid < 0) return sys_error("fork", errno);
  if (pid == 0) {
    rd.reset();
    private_mount_child(wr.get(), rel);
  }
  wr.reset();
  std::string wire;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(rd.get(), buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))
    if (n > 0) wire.append(buf, static_cast<size_t>(n));
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return Error{fmt::format("tracefs is not mounted and mounting it privately failed (step {})", code),
                 0, "run as root (CAP_SYS_ADMIN), or mount it: mount -t tracefs tracefs /sys/kernel/tracing"};
  }
  TracefsFiles out;
  out.how = "not mounted; read through a private mount";
  for (const auto& r : rel) out.files[r] = std::nullopt;
  if (auto ok = parse_wire(wire, out); !ok) return ok.error();
  return out;
}

// Names in kprobe_events lines: "p:GROUP/NAME target" -> "GROUP/NAME".
std::vector<std::string> stale_probe_names(const std::string& events) {
  std::vector<std::string> names;
  std::istringstream in(events);
  std::string line;
  while (std::getline(in, line)) {
    auto colon = line.find(':');
    auto space = line.find(' ');
    if (colon == std::string::npos || space == std::string::npos || space < colon) continue;
    std::string name = line.substr(colon + 1, space - colon - 1);
    auto slash = name.find('/');
    std::string event = slash == std::string::npos ? name : name.substr(slash + 1);
    if (event.rfind(kPrefix, 0) == 0 || name.rfind(kPrefix, 0) == 0) names.push_back(name);
  }
  return names;
}

// Writes "-:NAME" to a *_events file: O_APPEND without O_TRUNC removes that
// one event and keeps the rest. Not std::ofstream: its append mode first
// lseek()s to the end, tracefs answers EINVAL, and nothing is written.
bool remove_probe_event(const std::string& path, const std::string& name) {
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC));
  if (fd.get() < 0) return false;
  std::string line = "-:" + name + "\n";
  return ::write(fd.get(), line.data(), line.size()) == static_cast<ssize_t>(line.size());
}

}  // namespace

Result<TracefsFiles> read_tracefs(const std::vector<std::string>& rel_paths) {
  if (auto root = mounted_root()) {
    TracefsFiles out;
    out.how = "mounted at " + *root;
    read_all(*root, out, rel_paths);
    return out;
  }
  return read_via_private_mount(rel_paths);
}

std::vector<std::string> remove_stale_tracefs_state() {
  std::vector<std::string> removed;
  auto root = mounted_root();
  if (!root) return removed;  // nothing can persist in an unmounted tracefs
  for (const char* file : {"kprobe_events", "uprobe_events"}) {
    std::string path = *root + "/" + file;
    auto events = read_small_file(path);
    if (!events) continue;
    for (const auto& name : stale_probe_names(*events))
      if (remove_probe_event(path, name)) removed.push_back(std::string(file) + ":" + name);
  }
  std::string inst = *root + "/instances";
  if (auto* dir = ::opendir(inst.c_str())) {
    while (auto* d = ::readdir(dir))
      if (std::strncmp(d->d_name, kPrefix, std::strlen(kPrefix)) == 0 &&
          ::rmdir((inst + "/" + d->d_name).c_str()) == 0)
        removed.push_back(std::string("instances/") + d->d_name);
    ::closedir(dir);
  }
  return removed;
}

}  // namespace sockscope::tracer
