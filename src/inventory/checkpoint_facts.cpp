// SPDX-License-Identifier: GPL-2.0-only
#include "inventory/checkpoint_facts.h"

#include <dirent.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <map>
#include <set>
#include <sstream>
#include <unordered_map>

#include "base/strings.h"
#include "base/unique_fd.h"
#include "checkpoint/parse.h"
#include "inventory/explain.h"
#include "procfs/libjvm.h"

namespace sockscope::inventory {
namespace {

using checkpoint::FileStat;

std::string pid_dir(const std::string& root, int pid) { return root + "/" + std::to_string(pid); }

FileStat stat_of(const std::string& path) {
  struct stat st{};
  if (::stat(path.c_str(), &st) != 0) return {};
  return {true, st.st_mode, st.st_dev, st.st_ino, st.st_rdev, st.st_nlink,
          static_cast<uint64_t>(st.st_size), static_cast<uint64_t>(st.st_blocks)};
}

std::vector<int> children(const std::string& root, int pid) {
  std::vector<int> out;
  std::string tasks = pid_dir(root, pid) + "/task";
  DIR* d = ::opendir(tasks.c_str());
  if (!d) return out;
  while (dirent* e = ::readdir(d)) {
    if (e->d_name[0] == '.') continue;
    auto text = read_small_file(tasks + "/" + e->d_name + "/children");
    std::istringstream in(text.value_or(""));
    for (int c; in >> c;) out.push_back(c);
  }
  ::closedir(d);
  return out;
}

// R3/R5: what the fd's path names now, looked up from the holder's root.
void check_path(const std::string& root, checkpoint::FdFact& f) {
  FileStat now = stat_of(pid_dir(root, f.pid) + "/root" + f.target);
  if (!now.ok) f.path_now = f.st.nlink > 0 ? checkpoint::PathNow::kMissing : checkpoint::PathNow::kNotChecked;
  else if (now.dev == f.st.dev && now.ino == f.st.ino) f.path_now = checkpoint::PathNow::kSame;
  else f.path_now = checkpoint::PathNow::kOther, f.path_st = now;
}

// Regular files and devices get fdinfo (flags, mnt_id: R1, R6) and a path
// check; sockets, pipes and anon inodes need only their stat.
void file_facts(const std::string& root, checkpoint::FdFact& f, const std::set<int>& mounts) {
  std::string link = pid_dir(root, f.pid) + "/fd/" + std::to_string(f.fd);
  f.st = stat_of(link);
  if (f.target.empty() || f.target[0] != '/' || !f.st.ok) return;
  checkpoint::parse_fdinfo(
      read_small_file(pid_dir(root, f.pid) + "/fdinfo/" + std::to_string(f.fd)).value_or(""), f);
  f.mnt_known = f.mnt_id < 0 || mounts.empty() || mounts.count(f.mnt_id);
  if (S_ISREG(f.st.mode) && !f.target.ends_with(" (deleted)") && f.st.nlink > 0) check_path(root, f);
}

void add_fds(checkpoint::Facts& facts, const Inventory& inv, const std::string& root,
             const std::vector<int>& tree, bool live) {
  std::map<int, const procfs::Process*> by_pid;
  for (const auto& p : inv.scanned) by_pid[p.pid] = &p;
  for (int pid : tree) {
    auto it = by_pid.find(pid);
    if (it == by_pid.end()) continue;
    auto ids = checkpoint::parse_mount_ids(read_small_file(pid_dir(root, pid) + "/mountinfo").value_or(""));
    std::set<int> mounts(ids.begin(), ids.end());
    for (const auto& e : it->second->fds) {
      checkpoint::FdFact f{pid, e.fd, e.target};
      if (live) file_facts(root, f, mounts);
      facts.fds.push_back(std::move(f));
    }
  }
}

void add_socket(checkpoint::Facts& facts, const Inventory& inv, uint64_t ino) {
  if (ino == 0 || facts.sockets.count(ino)) return;
  if (const SocketInfo* s = inv.find(ino)) facts.sockets.emplace(ino, *s);
}

// The tree's sockets with every socket the unix rules look at next to them.
void add_sockets(checkpoint::Facts& facts, const Inventory& inv) {
  for (const auto& f : facts.fds) {
    auto ino = bracketed_inode(f.target, "socket");
    const SocketInfo* s = ino ? inv.find(*ino) : nullptr;
    if (!s || facts.sockets.count(*ino)) continue;
    add_socket(facts, inv, *ino);
    const SocketInfo* peer = s->peer_inode ? inv.find(s->peer_inode) : nullptr;
    add_socket(facts, inv, s->peer_inode);
    for (uint64_t c : s->pending) add_socket(facts, inv, c);
    if (const SocketInfo* l = inv.pending_listener(*ino)) {
      add_socket(facts, inv, l->inode);
      facts.listener_of[*ino] = l->inode;
    }
    if (auto role = role_of(*s, peer)) facts.roles[*ino] = role->name;
  }
}

// pidfd_getfd() (Linux 5.6) lends us the descriptor so getsockopt() can say
// what a socket in no unix/inet dump is.
checkpoint::OtherSocketFact probe_socket(int pid, int fd) {
  checkpoint::OtherSocketFact o;
  UniqueFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
  if (!pidfd.valid()) return o;
  UniqueFd dup(static_cast<int>(::syscall(SYS_pidfd_getfd, pidfd.get(), fd, 0)));
  if (!dup.valid()) return o;
  socklen_t len = sizeof(int);
  if (::getsockopt(dup.get(), SOL_SOCKET, SO_DOMAIN, &o.domain, &len) != 0) o.domain = -1;
  len = sizeof(int);
  ::getsockopt(dup.get(), SOL_SOCKET, SO_TYPE, &o.type, &len);
  len = sizeof(int);
  ::getsockopt(dup.get(), SOL_SOCKET, SO_PROTOCOL, &o.protocol, &len);
  return o;
}

// /proc/PID/net/netlink: sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode.
void netlink_facts(const std::string& root, int pid, uint64_t ino, checkpoint::OtherSocketFact& o) {
  std::istringstream in(read_small_file(pid_dir(root, pid) + "/net/netlink").value_or(""));
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::istringstream ls(line);
    std::string sk, eth, groups;
    uint64_t portid = 0, rmem = 0, wmem = 0, dump = 0, locks = 0, drops = 0, inode = 0;
    if (!(ls >> sk >> eth >> portid >> groups >> rmem >> wmem >> dump >> locks >> drops >> inode) || inode != ino)
      continue;
    o.netlink_known = true;
    o.nl_portid = static_cast<uint32_t>(portid);
    o.nl_groups = static_cast<uint32_t>(std::strtoul(groups.c_str(), nullptr, 16));
    o.nl_rmem = rmem;
  }
}

void add_other_sockets(checkpoint::Facts& facts, const std::string& root) {
  for (const auto& f : facts.fds) {
    auto ino = bracketed_inode(f.target, "socket");
    if (!ino || facts.other_sockets.count(*ino)) continue;
    auto s = facts.sockets.find(*ino);
    if (s != facts.sockets.end() && s->second.family != 0) continue;
    auto o = probe_socket(f.pid, f.fd);
    if (o.domain == AF_NETLINK) netlink_facts(root, f.pid, *ino, o);
    facts.other_sockets.emplace(*ino, o);
  }
}

// Every holder, in the tree or not, of each pipe and FIFO the tree holds (R12).
void add_pipe_holders(checkpoint::Facts& facts, const Inventory& inv) {
  std::unordered_map<std::string, uint64_t> wanted;  // link text -> key inode
  for (const auto& f : facts.fds) {
    if (auto ino = bracketed_inode(f.target, "pipe")) wanted.emplace(f.target, *ino);
    else if (f.st.ok && S_ISFIFO(f.st.mode)) wanted.emplace(f.target, f.st.ino);
  }
  if (wanted.empty()) return;
  for (const auto& p : inv.scanned)
    for (const auto& e : p.fds)
      if (auto it = wanted.find(e.target); it != wanted.end())
        facts.pipe_holders[it->second].push_back({p.pid, e.fd, p.comm});
}

// Only mappings a rule looks at: deleted files, nscd's cache, devices.
void add_maps(checkpoint::Facts& facts, const std::string& root, int pid) {
  std::set<std::pair<uint64_t, uint64_t>> fd_files;
  for (const auto& f : facts.fds)
    if (f.st.ok) fd_files.emplace(f.st.dev, f.st.ino);
  std::istringstream in(read_small_file(pid_dir(root, pid) + "/maps").value_or(""));
  for (std::string line; std::getline(in, line);) {
    auto m = checkpoint::parse_maps_line(line);
    if (!m) continue;
    bool nscd = m->path.find("/nscd/") != std::string::npos;
    if (!m->deleted && !nscd && m->path.rfind("/dev/", 0) != 0) continue;
    m->pid = pid;
    char range[64];
    std::snprintf(range, sizeof(range), "/map_files/%llx-%llx", static_cast<unsigned long long>(m->start),
                  static_cast<unsigned long long>(m->end));
    m->st = stat_of(pid_dir(root, pid) + range);
    m->has_fd = m->st.ok && fd_files.count({m->st.dev, m->st.ino});
    facts.maps.push_back(std::move(*m));
  }
}

void add_jvm(checkpoint::Facts& facts, const std::string& root, int pid) {
  std::string dir = pid_dir(root, pid);
  auto argv = split_nul(read_small_file(dir + "/cmdline").value_or(""));
  std::string environ = read_small_file(dir + "/environ").value_or("");
  facts.jvm = checkpoint::parse_jvm(argv, checkpoint::environ_value(environ, "JAVA_TOOL_OPTIONS").value_or(""));
  auto libjvm = procfs::mapped_libjvm(root, pid);  // unreadable maps: judged as no JVM
  facts.jvm.is_jvm = libjvm && !libjvm->empty();
  if (facts.jvm.is_jvm) facts.jvm.java_home = procfs::java_home_of(*libjvm);
  facts.crac_criu_opts = checkpoint::environ_value(environ, "CRAC_CRIU_OPTS").value_or("");
}

}  // namespace

std::vector<int> process_tree(const std::string& proc_root, int pid) {
  std::vector<int> tree{pid};
  std::set<int> seen{pid};
  for (size_t i = 0; i < tree.size(); ++i)
    for (int c : children(proc_root, tree[i]))
      if (seen.insert(c).second) tree.push_back(c);
  return tree;
}

checkpoint::Facts checkpoint_facts(const Inventory& inv, const std::string& proc_root,
                                   const std::vector<int>& tree, bool live) {
  checkpoint::Facts facts;
  facts.target = tree.empty() ? 0 : tree.front();
  for (int pid : tree) {
    const ProcessInfo* p = inv.process(pid);
    auto ppid = procfs::status_field(proc_root, pid, "PPid");
    facts.tree.push_back({pid, static_cast<int>(parse_u64(ppid.value_or("")).value_or(0)),
                          p ? p->comm : procfs::read_comm(proc_root, pid), p ? p->netns : 0, p ? p->mntns : 0});
  }
  add_fds(facts, inv, proc_root, tree, live);
  add_sockets(facts, inv);
  if (live) add_other_sockets(facts, proc_root);
  add_pipe_holders(facts, inv);
  for (int pid : tree) add_maps(facts, proc_root, pid);
  std::set<int> in_tree(tree.begin(), tree.end());
  for (auto& l : checkpoint::parse_locks(read_small_file(proc_root + "/locks").value_or("")))
    if (in_tree.count(l.pid) || l.pid == -1) facts.locks.push_back(l);
  add_jvm(facts, proc_root, facts.target);
  for (const auto& d : inv.diagnostics)
    if (d.pid == 0 || in_tree.count(d.pid)) facts.diagnostics.push_back(d);
  return facts;
}

}  // namespace sockscope::inventory
