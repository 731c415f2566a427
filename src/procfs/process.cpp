// SPDX-License-Identifier: GPL-2.0-only
#include "procfs/process.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <set>
#include <sstream>

#include "base/strings.h"
#include "procfs/cgroup.h"

namespace sockscope::procfs {
namespace {

std::string pid_dir(const std::string& root, int pid) { return root + "/" + std::to_string(pid); }

// Reads every fd link of one process through one directory fd, so that each
// readlinkat() resolves a single name instead of a whole /proc path: this is
// the hot loop of `ls` on machines with tens of thousands of sockets.
Result<std::vector<FdEntry>> read_fds(const std::string& dir) {
  std::string path = dir + "/fd";
  DIR* d = ::opendir(path.c_str());
  if (!d) return sys_error("cannot list " + path, errno);
  std::vector<FdEntry> out;
  int dfd = ::dirfd(d);
  char buf[4096];
  while (dirent* e = ::readdir(d)) {
    auto fd = parse_u64(e->d_name);
    if (!fd) continue;
    ssize_t n = ::readlinkat(dfd, e->d_name, buf, sizeof(buf));
    if (n < 0 && errno == ENOENT) continue;  // closed between readdir and readlink
    if (n < 0) {
      int err = errno;
      std::string what = "cannot read " + path + "/" + e->d_name;  // before closedir frees e
      ::closedir(d);
      return sys_error(what, err);
    }
    out.push_back({static_cast<int>(*fd), std::string(buf, static_cast<size_t>(n))});
  }
  ::closedir(d);
  std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.fd < b.fd; });
  return out;
}

}  // namespace

std::vector<int> list_pids(const std::string& root) {
  std::vector<int> pids;
  DIR* d = ::opendir(root.c_str());
  if (!d) return pids;
  while (dirent* e = ::readdir(d)) {
    if (auto pid = parse_u64(e->d_name); pid && *pid > 0 && *pid < (1u << 31)) pids.push_back(static_cast<int>(*pid));
  }
  ::closedir(d);
  std::sort(pids.begin(), pids.end());
  return pids;
}

std::optional<uint64_t> ns_inode(const std::string& root, int pid, const char* ns) {
  auto link = read_link(pid_dir(root, pid) + "/ns/" + ns);
  if (!link) return std::nullopt;
  return bracketed_inode(*link, ns);
}

std::vector<std::string> read_cmdline(const std::string& root, int pid) {
  return split_nul(read_small_file(pid_dir(root, pid) + "/cmdline").value_or(""));
}

std::string read_exe(const std::string& root, int pid) { return read_link(pid_dir(root, pid) + "/exe").value_or(""); }

std::string read_environ(const std::string& root, int pid) {
  return read_small_file(pid_dir(root, pid) + "/environ").value_or("");
}

std::optional<std::string> environ_value(const std::string& environ, const std::string& name) {
  for (const auto& kv : split_nul(environ))
    if (kv.size() > name.size() && kv.compare(0, name.size(), name) == 0 && kv[name.size()] == '=')
      return kv.substr(name.size() + 1);
  return std::nullopt;
}

std::vector<int> read_children(const std::string& root, int pid) {
  std::vector<int> out;
  std::string tasks = pid_dir(root, pid) + "/task";
  DIR* d = ::opendir(tasks.c_str());
  if (!d) return out;
  while (dirent* e = ::readdir(d)) {
    if (e->d_name[0] == '.') continue;
    std::istringstream in(read_small_file(tasks + "/" + e->d_name + "/children").value_or(""));
    for (int c; in >> c;) out.push_back(c);
  }
  ::closedir(d);
  return out;
}

std::vector<int> process_tree(const std::string& root, int pid) {
  std::vector<int> tree{pid};
  std::set<int> seen{pid};
  for (size_t i = 0; i < tree.size(); ++i)
    for (int c : read_children(root, tree[i]))
      if (seen.insert(c).second) tree.push_back(c);
  return tree;
}

std::string read_comm(const std::string& root, int pid) {
  auto s = read_small_file(pid_dir(root, pid) + "/comm");
  if (!s) return {};
  if (!s->empty() && s->back() == '\n') s->pop_back();
  return *s;
}

std::optional<std::string> status_field(const std::string& root, int pid, const std::string& key) {
  auto s = read_small_file(pid_dir(root, pid) + "/status");
  if (!s) return std::nullopt;
  return status_value(*s, key);
}

std::optional<StatFields> parse_stat(const std::string& text) {
  auto close = text.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream rest(text.substr(close + 1));
  StatFields f;
  std::string field;
  for (int i = 3; i <= 22 && rest >> field; ++i) {
    if (i != 4 && i != 9 && i != 22) continue;  // others may be negative (tpgid -1)
    auto v = parse_u64(field);
    if (!v) return std::nullopt;
    if (i == 4) f.ppid = static_cast<int>(*v);
    if (i == 9) f.flags = *v;
    if (i == 22) {
      f.start_ticks = *v;
      return f;
    }
  }
  return std::nullopt;
}

std::optional<StatFields> read_stat(const std::string& root, int pid) {
  auto s = read_small_file(pid_dir(root, pid) + "/stat");
  return s ? parse_stat(*s) : std::nullopt;
}

bool in_sigmask(const std::string& hex, int sig) {
  uint64_t mask = 0;
  auto [p, ec] = std::from_chars(hex.data(), hex.data() + hex.size(), mask, 16);
  if (ec != std::errc() || p != hex.data() + hex.size() || sig < 1 || sig > 64) return false;
  return (mask >> (sig - 1)) & 1;
}

std::optional<std::string> status_value(const std::string& status_text, const std::string& key) {
  const std::string& s = status_text;
  std::string needle = key + ":";
  size_t pos = 0;
  while (pos < s.size()) {
    size_t eol = s.find('\n', pos);
    if (eol == std::string::npos) eol = s.size();
    if (s.compare(pos, needle.size(), needle) == 0) {
      size_t v = s.find_first_not_of(" \t", pos + needle.size());
      return v < eol ? s.substr(v, eol - v) : std::string();
    }
    pos = eol + 1;
  }
  return std::nullopt;
}

Result<Process> read_process(const std::string& root, int pid) {
  std::string dir = pid_dir(root, pid);
  Process p;
  p.pid = pid;
  auto fds = read_fds(dir);
  if (!fds) return fds.error();
  p.fds = std::move(fds.value());
  p.comm = read_comm(root, pid);
  p.netns = ns_inode(root, pid, "net").value_or(0);
  p.mntns = ns_inode(root, pid, "mnt").value_or(0);
  p.container = read_cgroup(root, pid).container;
  return p;
}

namespace {

// Processes the scan could not read, said once (issue 17): without
// privilege they are other users' processes; as root, what is left is a
// process that is not dumpable or lives in another user namespace (in a
// container, pid 1 of the host), which nobody here can change.
Diagnostic denied_summary(const std::string& root, const std::vector<int>& denied) {
  std::string n = std::to_string(denied.size());
  std::string who = "pid " + std::to_string(denied[0]) + " (" + read_comm(root, denied[0]) + ")";
  if (denied.size() > 1) who += " and others";
  if (::geteuid() != 0) {
    if (denied.size() == 1)
      return {"cannot list " + pid_dir(root, denied[0]) + "/fd: permission denied",
              "run as root (or with CAP_SYS_PTRACE); /proc may be mounted with hidepid", denied[0]};
    return {n + " processes (" + who +
                ") cannot be read without privilege: their sockets are listed without holders, and namespaces "
                "only they hold are not listed",
            "run as root (or with CAP_SYS_PTRACE) to see every holder", 0};
  }
  return {n + (denied.size() == 1 ? " process (" : " processes (") + who + ") cannot be read even by root: " +
              (denied.size() == 1 ? "its" : "their") + " sockets are listed without holders",
          "such a process is not dumpable or belongs to another user namespace; nothing to do here "
          "(--quiet leaves this line out)",
          denied.size() == 1 ? denied[0] : 0};
}

}  // namespace

Scan scan(const std::string& root, const std::vector<int>& pids) {
  Scan out;
  // Processes nobody here can read: one line for them all, not a warning
  // per process (nor per descriptor).
  std::vector<int> denied;
  for (int pid : pids.empty() ? list_pids(root) : pids) {
    auto p = read_process(root, pid);
    if (p) {
      out.processes.push_back(std::move(p.value()));
      continue;
    }
    const Error& e = p.error();
    if (e.sys_errno == EACCES || e.sys_errno == EPERM) {
      denied.push_back(pid);
      continue;
    }
    Diagnostic d{e.what, {}, pid};
    if (e.sys_errno == ENOENT)
      d.hint = pids.empty() ? "it exited while we were looking; run again to see its successor"
                            : "no such process: check the pid";
    out.diagnostics.push_back(std::move(d));
  }
  if (!denied.empty()) out.diagnostics.push_back(denied_summary(root, denied));
  return out;
}

}  // namespace sockscope::procfs
