// SPDX-License-Identifier: GPL-2.0-only
#include "history/paths.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

namespace sockscope::history {

namespace {

Error unsafe(const std::string& path, const std::string& why) {
  return Error{fmt::format("refusing the history at {}: {}", path, why), EPERM,
               "the history must be a root-owned directory (0700) and file (0600) with no symlink; fix it or "
               "pass another --db"};
}

// Owner and modes of what lstat found at `p`, `kind` naming it for the error.
Result<Ok> check_stat(const std::string& p, const struct stat& st, bool want_dir, bool check_owner) {
  if (S_ISLNK(st.st_mode)) return unsafe(p, "it is a symlink");
  if (want_dir && !S_ISDIR(st.st_mode)) return unsafe(p, "it is not a directory");
  if (!want_dir && !S_ISREG(st.st_mode)) return unsafe(p, "it is not a regular file");
  if (!check_owner) return Ok{};
  if (st.st_uid != ::geteuid()) return unsafe(p, fmt::format("it is owned by uid {}, not {}", st.st_uid, ::geteuid()));
  if (st.st_mode & (S_IWGRP | S_IWOTH))
    return unsafe(p, fmt::format("its mode {:o} lets others write", st.st_mode & 07777));
  return Ok{};
}

Result<Ok> prepare_dir(const std::string& dir, bool check_owner) {
  struct stat st {};
  if (::lstat(dir.c_str(), &st) != 0) {
    if (errno != ENOENT) return sys_error("cannot stat " + dir, errno);
    // Parents as the system makes them; the history's own directory 0700.
    std::string parent = dir_of(dir);
    if (parent != dir && ::access(parent.c_str(), F_OK) != 0) {
      auto r = prepare_dir(parent, false);
      if (!r) return r;
      ::chmod(parent.c_str(), 0755);
    }
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return sys_error("cannot create " + dir, errno);
    if (::lstat(dir.c_str(), &st) != 0) return sys_error("cannot stat " + dir, errno);
  }
  return check_stat(dir, st, true, check_owner);
}

}  // namespace

std::string dir_of(const std::string& path) {
  auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

Result<Ok> prepare_path(const std::string& path, bool check_owner) {
  auto d = prepare_dir(dir_of(path), check_owner);
  if (!d) return d;
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0600);
  if (fd < 0) {
    if (errno == ELOOP) return unsafe(path, "it is a symlink");
    return sys_error("cannot open " + path, errno);
  }
  UniqueFd owner(fd);
  struct stat st {};
  if (::fstat(fd, &st) != 0) return sys_error("cannot stat " + path, errno);
  return check_stat(path, st, false, check_owner);
}

Result<UniqueFd> take_writer_lock(const std::string& path) {
  std::string lock = path + ".lock";
  UniqueFd fd(::open(lock.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!fd.valid()) return sys_error("cannot open the writer lock " + lock, errno);
  if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK) return sys_error("cannot lock " + lock, errno);
    char buf[32] = {};
    ssize_t n = ::pread(fd.get(), buf, sizeof(buf) - 1, 0);
    long pid = n > 0 ? std::strtol(buf, nullptr, 10) : 0;
    return Error{fmt::format("another recorder (pid {}) writes {}", pid, path), EBUSY,
                 "stop it first (sockscope recorder status says more), or give this one another --db"};
  }
  std::string pid = fmt::format("{}\n", ::getpid());
  if (::ftruncate(fd.get(), 0) != 0 || ::pwrite(fd.get(), pid.data(), pid.size(), 0) < 0)
    return sys_error("cannot write the writer lock " + lock, errno);
  return fd;
}

}  // namespace sockscope::history
