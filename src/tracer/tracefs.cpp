// SPDX-License-Identifier: GPL-2.0-only
#include "tracer/tracefs.h"

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

#include "base/strings.h"
#include "base/unique_fd.h"

namespace sockscope::tracer {
namespace {

constexpr const char* kRoots[] = {"/sys/kernel/tracing", "/sys/kernel/debug/tracing"};

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

}  // namespace sockscope::tracer
