// SPDX-License-Identifier: GPL-2.0-only
#include "jvm/discover.h"

#include <dirent.h>
#include <pwd.h>
#include <unistd.h>

#include <map>
#include <utility>

#include "base/strings.h"
#include "procfs/process.h"

namespace sockscope::jvm {

namespace {

struct PerfFile {
  std::string user;
  std::string path;  // host-visible
};

std::vector<std::string> dir_entries(const std::string& dir) {
  std::vector<std::string> out;
  DIR* d = ::opendir(dir.c_str());
  if (!d) return out;
  while (dirent* e = ::readdir(d))
    if (e->d_name[0] != '.') out.emplace_back(e->d_name);
  ::closedir(d);
  return out;
}

// hsperfdata files of one mount namespace, by nspid, seen through `root`.
std::map<int, PerfFile> perf_files(const std::string& root) {
  std::map<int, PerfFile> out;
  constexpr std::string_view kPrefix = "hsperfdata_";
  for (const auto& d : dir_entries(root + "/tmp")) {
    if (d.compare(0, kPrefix.size(), kPrefix) != 0) continue;
    std::string dir = root + "/tmp/" + d;
    for (const auto& f : dir_entries(dir))
      if (auto n = parse_u64(f)) out[static_cast<int>(*n)] = {d.substr(kPrefix.size()), dir + "/" + f};
  }
  return out;
}

std::string user_name(uid_t uid) {
  if (passwd* pw = ::getpwuid(uid)) return pw->pw_name;
  return std::to_string(uid);
}

struct Seen {
  int pid;
  int nspid;
  uint64_t mntns;
};

// Matches hsperfdata files to JVMs; files that match no process are stale.
void join_perf_files(Listing& out, const std::string& proc, const std::vector<Seen>& seen) {
  std::map<uint64_t, int> one_pid_per_mntns;
  for (const auto& s : seen) one_pid_per_mntns.emplace(s.mntns, s.pid);
  for (const auto& [mntns, pid] : one_pid_per_mntns) {
    auto files = perf_files(proc + "/" + std::to_string(pid) + "/root");
    for (auto& [nspid, file] : files) {
      bool alive = false;
      for (const auto& s : seen) {
        if (s.mntns != mntns || s.nspid != nspid) continue;
        alive = true;
        for (auto& j : out.jvms) {
          if (j.target.pid != s.pid) continue;
          j.user = file.user;
          j.hsperfdata = proc + "/" + std::to_string(s.pid) + "/root/tmp/hsperfdata_" + file.user + "/" +
                         std::to_string(nspid);
        }
      }
      if (!alive)
        out.diagnostics.push_back({"stale hsperfdata file " + file.path + ": no process " +
                                       std::to_string(nspid) + " in that mount namespace",
                                   "a JVM that was killed leaves it behind; it is safe to delete", 0});
    }
  }
}

}  // namespace

Listing discover(const std::string& proc) {
  Listing out;
  std::vector<Seen> seen;
  for (int pid : procfs::list_pids(proc)) {
    if (pid == ::getpid()) continue;
    auto t = inspect(pid, proc);
    if (!t) {
      if (t.error().sys_errno != ESRCH && t.error().sys_errno != ENOENT)
        out.diagnostics.push_back({t.error().what, t.error().hint, pid});
      continue;
    }
    auto mntns = procfs::ns_inode(proc, pid, "mnt");
    if (!mntns) continue;  // a kernel thread, or gone
    seen.push_back({pid, t->nspid, *mntns});
    if (t->libjvm.empty()) continue;
    JvmInfo j;
    j.main = main_of(t->cmdline);
    j.listener = listener_state(*t, proc);
    j.user = user_name(t->euid);
    j.target = std::move(t.value());
    out.jvms.push_back(std::move(j));
  }
  join_perf_files(out, proc, seen);
  return out;
}

}  // namespace sockscope::jvm
