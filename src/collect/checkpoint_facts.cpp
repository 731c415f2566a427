// SPDX-License-Identifier: GPL-2.0-only
#include "collect/checkpoint_facts.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <map>
#include <set>
#include <unordered_map>

#include "base/strings.h"
#include "checkpoint/jvm_flags.h"
#include "inventory/explain.h"
#include "procfs/files.h"
#include "procfs/libjvm.h"
#include "procfs/netlink.h"
#include "procfs/process.h"
#include "sockdiag/borrow.h"

namespace sockscope::collect {
namespace {

using checkpoint::FileStat;
using inventory::Inventory;

FileStat file_stat(const std::optional<struct stat>& st) {
  if (!st) return {};
  return {true,
          st->st_mode,
          st->st_dev,
          st->st_ino,
          st->st_rdev,
          st->st_nlink,
          static_cast<uint64_t>(st->st_size),
          static_cast<uint64_t>(st->st_blocks)};
}

// R3/R5: what the fd's path names now, looked up from the holder's root.
void check_path(const std::string& root, checkpoint::FdFact& f) {
  FileStat now = file_stat(procfs::stat_in_root(root, f.pid, f.target));
  if (!now.ok) f.path_now = f.st.nlink > 0 ? checkpoint::PathNow::kMissing : checkpoint::PathNow::kNotChecked;
  else if (now.dev == f.st.dev && now.ino == f.st.ino) f.path_now = checkpoint::PathNow::kSame;
  else f.path_now = checkpoint::PathNow::kOther, f.path_st = now;
}

// Regular files and devices get fdinfo (flags, mnt_id: R1, R6) and a path
// check; sockets, pipes and anon inodes need only their stat.
void file_facts(const std::string& root, checkpoint::FdFact& f, const std::set<int>& mounts) {
  f.st = file_stat(procfs::stat_fd(root, f.pid, f.fd));
  if (f.target.empty() || f.target[0] != '/' || !f.st.ok) return;
  procfs::FdInfo info = procfs::read_fdinfo(root, f.pid, f.fd);
  f.flags = info.flags;
  f.mnt_id = info.mnt_id;
  f.locked = info.locked;
  f.mnt_known = f.mnt_id < 0 || mounts.empty() || mounts.count(f.mnt_id);
  if (S_ISREG(f.st.mode) && !f.target.ends_with(" (deleted)") && f.st.nlink > 0) check_path(root, f);
}

void add_fds(checkpoint::Facts& facts, const Inventory& inv, const inventory::Source& src,
             const std::vector<int>& tree) {
  std::map<int, const procfs::Process*> by_pid;
  for (const auto& p : inv.scanned) by_pid[p.pid] = &p;
  for (int pid : tree) {
    auto it = by_pid.find(pid);
    if (it == by_pid.end()) continue;
    auto ids = procfs::read_mount_ids(src.proc_root(), pid);
    std::set<int> mounts(ids.begin(), ids.end());
    for (const auto& e : it->second->fds) {
      checkpoint::FdFact f{pid, e.fd, e.target};
      if (src.live()) file_facts(src.proc_root(), f, mounts);
      facts.fds.push_back(std::move(f));
    }
  }
}

// Only sockets a dump listed: the unix and inet rules judge their state and
// peers. One in no dump (netlink, raw, SCTP, unbound) is an other_sockets
// fact, judged by CRIU's rules for other families (L*, N6, N7).
void add_socket(checkpoint::Facts& facts, const Inventory& inv, uint64_t ino) {
  if (ino == 0 || facts.sockets.count(ino)) return;
  if (const SocketInfo* s = inv.find(ino); s && s->in_dump) facts.sockets.emplace(ino, *s);
}

// The tree's sockets with every socket the unix rules look at next to them.
// Each held socket is looked at once, even when it came in already as
// another's peer or pending client: a client the tree connected to its own
// listener before accept must still get its listener (rule U6).
void add_sockets(checkpoint::Facts& facts, const Inventory& inv) {
  std::set<uint64_t> held;
  for (const auto& f : facts.fds) {
    auto ino = bracketed_inode(f.target, "socket");
    const SocketInfo* s = ino ? inv.find(*ino) : nullptr;
    if (!s || !held.insert(*ino).second) continue;
    add_socket(facts, inv, *ino);
    const SocketInfo* peer = s->peer_inode ? inv.find(s->peer_inode) : nullptr;
    add_socket(facts, inv, s->peer_inode);
    for (uint64_t c : s->pending) add_socket(facts, inv, c);
    if (const SocketInfo* l = inv.pending_listener(*ino)) {
      add_socket(facts, inv, l->inode);
      facts.listener_of[*ino] = l->inode;
    }
    if (auto role = inventory::role_of(*s, peer)) facts.roles[*ino] = role->name;
  }
}

// The socket tells what it is through a borrowed descriptor
// (sockdiag/borrow.h); a family of -1 when it could not be asked.
checkpoint::OtherSocketFact probe_socket(int pid, int fd) {
  checkpoint::OtherSocketFact o;
  if (auto b = sockdiag::borrow_socket(pid, fd)) {
    o.domain = b->family;
    o.type = b->type;
    o.protocol = b->protocol;
  }
  return o;
}

void add_other_sockets(checkpoint::Facts& facts, const std::string& root) {
  for (const auto& f : facts.fds) {
    auto ino = bracketed_inode(f.target, "socket");
    if (!ino || facts.other_sockets.count(*ino)) continue;
    if (facts.sockets.count(*ino)) continue;  // in a dump (add_socket)
    auto o = probe_socket(f.pid, f.fd);
    if (o.domain == AF_NETLINK)
      if (auto nl = procfs::read_netlink(root, f.pid, *ino)) {
        o.netlink_known = true;
        o.nl_portid = nl->portid;
        o.nl_groups = nl->groups;
        o.nl_rmem = nl->rmem;
      }
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
bool map_rule_wants(const procfs::Mapping& m) {
  bool nscd = m.path.find("/nscd/") != std::string::npos;
  return m.names_file() && (m.deleted || nscd || m.path.rfind("/dev/", 0) == 0);
}

void add_maps(checkpoint::Facts& facts, const std::string& root, int pid) {
  std::set<std::pair<uint64_t, uint64_t>> fd_files;
  for (const auto& f : facts.fds)
    if (f.st.ok) fd_files.emplace(f.st.dev, f.st.ino);
  auto maps = procfs::read_maps(root, pid);
  if (!maps) return;  // gone, or not ours: the fds said so already
  for (const auto& m : *maps) {
    if (!map_rule_wants(m)) continue;
    checkpoint::MapFact fact = map_fact(pid, m);
    fact.st = file_stat(procfs::stat_map_file(root, pid, m));
    fact.has_fd = fact.st.ok && fd_files.count({fact.st.dev, fact.st.ino});
    facts.maps.push_back(std::move(fact));
  }
}

void add_jvm(checkpoint::Facts& facts, const std::string& root, int pid) {
  std::string environ = procfs::read_environ(root, pid);
  facts.jvm = checkpoint::parse_jvm(procfs::read_cmdline(root, pid),
                                    procfs::environ_value(environ, "JAVA_TOOL_OPTIONS").value_or(""));
  auto libjvm = procfs::mapped_libjvm(root, pid);  // unreadable maps: judged as no JVM
  facts.jvm.is_jvm = libjvm && !libjvm->empty();
  if (facts.jvm.is_jvm) facts.jvm.java_home = procfs::java_home_of(*libjvm);
  facts.crac_criu_opts = procfs::environ_value(environ, "CRAC_CRIU_OPTS").value_or("");
}

void add_tree(checkpoint::Facts& facts, const Inventory& inv, const std::string& root, const std::vector<int>& tree) {
  for (int pid : tree) {
    const inventory::ProcessInfo* p = inv.process(pid);
    auto stat = procfs::read_stat(root, pid);  // absent in snapshots recorded before it was
    facts.tree.push_back({pid, stat ? stat->ppid : 0, p ? p->comm : procfs::read_comm(root, pid), p ? p->netns : 0,
                          p ? p->mntns : 0, stat && (stat->flags & procfs::kPfKthread) != 0});
  }
}

void add_locks(checkpoint::Facts& facts, const std::string& root, const std::set<int>& in_tree) {
  for (const auto& l : procfs::read_locks(root))
    if (in_tree.count(l.pid) || l.pid == -1) facts.locks.push_back({l.pid, l.kind, l.access, l.inode});
}

}  // namespace

checkpoint::MapFact map_fact(int pid, const procfs::Mapping& m) {
  checkpoint::MapFact f;
  f.pid = pid;
  f.start = m.start;
  f.end = m.end;
  f.perms = m.perms;
  f.inode = m.inode;
  f.path = m.path;
  f.deleted = m.deleted;
  return f;
}

checkpoint::Facts checkpoint_facts(const Inventory& inv, const inventory::Source& src, const std::vector<int>& tree) {
  const std::string root = src.proc_root();
  checkpoint::Facts facts;
  facts.target = tree.empty() ? 0 : tree.front();
  add_tree(facts, inv, root, tree);
  add_fds(facts, inv, src, tree);
  add_sockets(facts, inv);
  if (src.live()) add_other_sockets(facts, root);
  add_pipe_holders(facts, inv);
  for (int pid : tree) add_maps(facts, root, pid);
  std::set<int> in_tree(tree.begin(), tree.end());
  add_locks(facts, root, in_tree);
  add_jvm(facts, root, facts.target);
  for (const auto& d : inv.diagnostics)
    if (d.pid == 0 || in_tree.count(d.pid)) facts.diagnostics.push_back(d);
  return facts;
}

}  // namespace sockscope::collect
