// SPDX-License-Identifier: GPL-2.0-only
// Files, devices, anon inodes, pipes and locks: rules R1-R13 (rulebook 3.4;
// UP criu/files.c, files-reg.c, files-ext.c, file-lock.c, pipes.c).
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <array>
#include <set>
#include <unordered_set>

#include "base/escape.h"
#include "base/strings.h"
#include "checkpoint/context.h"

namespace sockscope::checkpoint {
namespace {

constexpr std::string_view kDeleted = " (deleted)";

std::string octal(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%o", v);
  return buf;
}

// files-ext.c: character devices CRIU dumps without a plugin (rulebook R8).
bool supported_chr(uint64_t rdev) {
  unsigned maj = major(rdev), min = minor(rdev);
  static const std::set<unsigned> kMem = {3, 5, 7, 8, 9, 11};  // null zero full random urandom kmsg
  if (maj == 1) return kMem.count(min) != 0;
  if (maj == 4 || maj == 5 || (maj >= 136 && maj <= 143)) return true;  // ttys, ptmx, pts
  return maj == 10 && (min == 200 || min == 235);                        // tun, autofs
}

// files.c: anon inodes CRIU can dump (rulebook R9).
bool supported_anon(const std::string& name) {
  static const std::array kKnown = {"eventfd", "eventpoll", "inotify", "fanotify", "signalfd",
                                    "timerfd", "pidfd", "bpf-map"};
  for (const char* k : kKnown)
    if (name.find(k) != std::string::npos) return true;
  return false;
}

Finding blocked(const Context& ctx, const FdFact& fd, const char* rule, std::string title, std::string msg) {
  Finding f = ctx.start(rule, fd, std::move(title));
  f.criu = f.criu_opts = {Verdict::kBlock, std::move(msg)};
  add_step(f, "criu", f.criu);
  return f;
}

Outcome ghost_outcome(const std::string& path, const FileStat& st, uint64_t limit) {
  if (st.blocks * 512 > limit)  // files-reg.c dump_ghost_remap
    return {Verdict::kBlock, "Can't dump ghost file " + path + " of " + std::to_string(st.size) +
                                 " size, increase limit"};
  return {Verdict::kOk, ""};
}

void deleted(const Context& ctx, const FdFact& fd, std::vector<Finding>& out) {
  std::string path = fd.target.ends_with(kDeleted) ? fd.target.substr(0, fd.target.size() - kDeleted.size())
                                                   : fd.target;
  Finding f = ctx.start("R2", fd, "open file was deleted");
  f.criu = ghost_outcome(path, fd.st, kDefaultGhostLimit);
  f.criu_opts = ghost_outcome(path, fd.st, ctx.opts.ghost_limit);
  add_step(f, "criu", f.criu);
  f.plain = "the file is deleted but still open; CRIU copies its content (" + std::to_string(fd.st.size) +
            " bytes) into the image, up to --ghost-limit (1 MiB by default)";
  if (f.criu.verdict == Verdict::kBlock)
    f.remedy = {"close it before the checkpoint, or dump with `--ghost-limit " +
                std::to_string((fd.st.blocks * 512 >> 20) + 1) + "M`"};
  out.push_back(std::move(f));
}

void regular(const Context& ctx, const FdFact& fd, std::vector<Finding>& out) {
  if (fd.target.rfind("/memfd:", 0) == 0) return;  // memfd.c dumps those itself
  if (fd.target.ends_with(kDeleted) || (fd.st.ok && fd.st.nlink == 0)) return deleted(ctx, fd, out);
  if (!fd.mnt_known) {
    std::string id = std::to_string(fd.mnt_id) + ":" + std::to_string(fd.st.ino);
    Finding f = blocked(ctx, fd, "R6", "file from another mount namespace",
                        "Can't lookup mount=" + std::to_string(fd.mnt_id) + " for fd=" + std::to_string(fd.fd) +
                            " path=" + fd.target);
    if (ctx.opts.external_files.count(id)) f.criu_opts = {Verdict::kWarn, "restore needs --inherit-fd"};
    f.plain = "the file's mount is not in the process's mount namespace (passed in over a socket?)";
    f.remedy = {"close it, or dump with `--external file[" + id + "]` and restore with `--inherit-fd " +
                shell_quote("fd[" + std::to_string(fd.fd) + "]:" + fd.target) + "`"};
    out.push_back(std::move(f));
    return;
  }
  if (fd.path_now == PathNow::kMissing) {
    Finding f = blocked(ctx, fd, "R3", "file reachable only through its descriptor",
                        "Can't create link remap for " + fd.target + ". Use --link-remap option.");
    if (ctx.opts.link_remap) f.criu_opts = {Verdict::kOk, ""};
    f.plain = "the file still exists (links > 0) but its path no longer leads to it";
    f.remedy = {"dump with `--link-remap`"};
    out.push_back(std::move(f));
  } else if (fd.path_now == PathNow::kOther) {
    auto dev = [](uint64_t d) { return std::to_string(static_cast<uint32_t>(d)); };
    Finding f = blocked(ctx, fd, "R5", "path now names another file",
                        "Unaccessible path opened " + dev(fd.path_st.dev) + ":" + dev(fd.path_st.ino) +
                            ", need " + dev(fd.st.dev) + ":" + dev(fd.st.ino));
    f.plain = "the name " + fd.target + " now points to a different file than the one open";
    f.remedy = {"close and reopen it before the checkpoint"};
    out.push_back(std::move(f));
  }
}

void pipe(const Context& ctx, const FdFact& fd, uint64_t ino, std::vector<Finding>& out) {
  auto it = ctx.facts.pipe_holders.find(ino);
  if (it == ctx.facts.pipe_holders.end()) return;
  std::vector<Owner> outside;
  for (const auto& o : it->second)
    if (!ctx.in_tree(o.pid)) outside.push_back(o);
  if (outside.empty()) return;
  Finding f = ctx.start("R12", fd, "pipe shared with a process outside the tree");
  f.criu = f.criu_opts = {Verdict::kWarn, ""};
  f.origin.peer_holders = outside;
  f.plain = "the pipe's contents are saved, its other end is not: after restore it is a fresh pipe "
            "nobody outside reads or writes";
  f.remedy = {"restore with `--inherit-fd fd[" + std::to_string(fd.fd) + "]:" +
              (fd.target.rfind("pipe:", 0) == 0 ? fd.target : "pipe:[" + std::to_string(ino) + "]") +
              "` to reconnect it (or `--shell-job` for a terminal)"};
  out.push_back(std::move(f));
}

void one_fd(const Context& ctx, const FdFact& fd, std::unordered_set<uint64_t>& seen, std::vector<Finding>& out) {
  if (auto ino = bracketed_inode(fd.target, "pipe")) {
    if (seen.insert(*ino).second) pipe(ctx, fd, *ino, out);
    return;
  }
  if (fd.target.rfind("anon_inode:", 0) == 0) {
    std::string name = fd.target.substr(11);
    if (supported_anon(name)) return;
    out.push_back(blocked(ctx, fd, "R9", "kernel object CRIU cannot save",
                          "Can't dump file " + std::to_string(fd.fd) + " of that type [" + octal(fd.st.mode) +
                              "] (anon " + name + ")"));
    out.back().plain = "a kernel object (io_uring, userfaultfd, perf event...) that CRIU cannot serialise";
    out.back().remedy = {"close or disable it before the checkpoint"};
    return;
  }
  if (fd.target.empty() || fd.target[0] != '/') return;
  if (fd.st.ok && S_ISFIFO(fd.st.mode)) {
    if (seen.insert(fd.st.ino).second) pipe(ctx, fd, fd.st.ino, out);
  } else if (fd.st.ok && S_ISCHR(fd.st.mode) && !supported_chr(fd.st.rdev)) {
    out.push_back(blocked(ctx, fd, "R8", "device CRIU cannot save",
                          "Can't dump file " + std::to_string(fd.fd) + " of that type [" + octal(fd.st.mode) +
                              "] (chr " + std::to_string(major(fd.st.rdev)) + ":" +
                              std::to_string(minor(fd.st.rdev)) + ")"));
    out.back().plain = "a device whose state cannot be saved (GPU, kvm, fuse...)";
    out.back().remedy = {"close the device before the checkpoint"};
  } else if (!fd.st.ok || S_ISREG(fd.st.mode) || S_ISDIR(fd.st.mode)) {
    regular(ctx, fd, out);
  }
}

}  // namespace

void file_rules(const Context& ctx, std::vector<Finding>& out) {
  std::unordered_set<uint64_t> seen;
  for (const auto& fd : ctx.facts.fds) one_fd(ctx, fd, seen, out);
}

// file-lock.c (UP, fdinfo "lock:" lines): a lock on a descriptor of a dumped
// task needs --file-locks; a POSIX lock no descriptor explains is
// "Unresolved" and always fails; an FLOCK held through no descriptor (a
// mapping keeps the file open) is skipped (rulebook R13).
void lock_rules(const Context& ctx, std::vector<Finding>& out) {
  std::set<uint64_t> on_fd;
  for (const auto& fd : ctx.facts.fds) {
    if (!fd.locked) continue;
    on_fd.insert(fd.st.ino);
    Finding f = ctx.start("R13", fd, "file lock held");
    f.criu = {Verdict::kBlock, "Some file locks are hold by dumping tasks! You can try --file-locks to dump them."};
    f.criu_opts = ctx.opts.file_locks ? Outcome{} : f.criu;
    add_step(f, "criu", f.criu);
    f.plain = "a lock (H2, Lucene, Gradle...) that would be lost";
    f.remedy = {"release the lock before the checkpoint, or dump with `--file-locks` (safe only if no "
                "process outside the tree uses the same lock)"};
    out.push_back(std::move(f));
  }
  for (const auto& l : ctx.facts.locks) {
    if (l.kind != "POSIX" || !ctx.in_tree(l.pid) || on_fd.count(l.inode)) continue;
    Finding f;
    f.rule = "R13";
    f.title = "lock held through no descriptor";
    f.pid = l.pid;
    f.comm = ctx.comm(l.pid);
    f.inode = l.inode;
    f.object = "POSIX lock on inode " + std::to_string(l.inode);
    f.criu = f.criu_opts = {Verdict::kBlock, "Unresolved lock found pid " + std::to_string(l.pid) + " ino " +
                                                 std::to_string(l.inode)};
    add_step(f, "criu", f.criu);
    f.plain = "a POSIX lock whose file no descriptor of the tree holds";
    out.push_back(std::move(f));
  }
}

}  // namespace sockscope::checkpoint
