// SPDX-License-Identifier: GPL-2.0-only
#include "inventory/source.h"

#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <set>
#include <sstream>

#include "base/strings.h"
#include "procfs/files.h"
#include "sockdiag/borrow.h"

namespace sockscope::inventory {

const char* dump_kind_name(DumpKind k) {
  switch (k) {
    case DumpKind::kUnix: return "unix";
    case DumpKind::kTcp4: return "tcp4";
    case DumpKind::kTcp6: return "tcp6";
    case DumpKind::kUdp4: return "udp4";
    case DumpKind::kUdp6: return "udp6";
    case DumpKind::kUdplite4: return "udplite4";
    case DumpKind::kUdplite6: return "udplite6";
    case DumpKind::kRaw4: return "raw4";
    case DumpKind::kRaw6: return "raw6";
    case DumpKind::kIcmp4: return "icmp4";
    case DumpKind::kIcmp6: return "icmp6";
    case DumpKind::kPacket: return "packet";
    case DumpKind::kNetlink: return "netlink";
  }
  return "?";
}

namespace {

// Named namespaces are bind mounts of nsfs files (ip-netns(8)); a stale entry
// whose mount is gone stats as a regular empty file and is skipped by the
// st_dev check against our own netns file.
void add_named(const std::string& dir, std::map<uint64_t, Netns>& out) {
  struct stat self {};
  if (::stat("/proc/self/ns/net", &self) != 0) return;
  DIR* d = ::opendir(dir.c_str());
  if (!d) return;
  while (dirent* e = ::readdir(d)) {
    if (e->d_name[0] == '.') continue;
    std::string path = dir + "/" + e->d_name;
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || st.st_dev != self.st_dev) continue;
    auto [it, fresh] = out.try_emplace(st.st_ino, Netns{st.st_ino, path, e->d_name, "its name " + path});
    if (!fresh) it->second.name = e->d_name;
  }
  ::closedir(d);
}

}  // namespace

// What keeps a namespace alive, in the order a person would look: a
// process in it, a name under /run/netns, an fd that holds it open, a bind
// mount elsewhere (one look per mount namespace). lsfd finds the same
// holders; a namespace only its sockets keep is found later (ask_socket).
std::vector<Netns> LiveSource::namespaces(const std::vector<procfs::Process>& procs) {
  std::map<uint64_t, Netns> found;
  for (const auto& p : procs) {
    if (p.netns == 0 || found.count(p.netns)) continue;
    std::string pid = std::to_string(p.pid);
    found[p.netns] = Netns{p.netns, "/proc/" + pid + "/ns/net", {}, "pid " + pid};
  }
  add_named(netns_dir_, found);
  for (const auto& p : procs)
    for (const auto& f : p.fds)
      if (auto ino = bracketed_inode(f.target, "net"); ino && !found.count(*ino)) {
        std::string pid = std::to_string(p.pid), fd = std::to_string(f.fd);
        found[*ino] = Netns{*ino, "/proc/" + pid + "/fd/" + fd, {}, "fd " + fd + " of pid " + pid};
      }
  std::set<uint64_t> mount_namespaces;
  for (const auto& p : procs) {
    if (p.mntns == 0 || !mount_namespaces.insert(p.mntns).second) continue;
    std::string pid = std::to_string(p.pid);
    for (const auto& m : procfs::read_netns_mounts(proc_root(), p.pid))
      if (!found.count(m.netns))
        found[m.netns] = Netns{m.netns,
                               "/proc/" + pid + "/root" + m.mount_point,
                               {},
                               "a bind mount at " + m.mount_point + " (mount namespace of pid " + pid + ")"};
  }
  std::vector<Netns> out;
  for (auto& [ino, ns] : found) out.push_back(ns);
  return out;
}

Result<SocketSelf> LiveSource::ask_socket(int pid, int fd) {
  auto b = sockdiag::borrow_socket(pid, fd);
  if (!b) return b.error();
  SocketSelf self{b->family, b->type, b->protocol, std::nullopt};
  if (b->netns_inode == 0) return self;
  auto [it, fresh] = borrowed_netns_.try_emplace(b->netns_inode, std::move(b->netns));
  self.netns = Netns{b->netns_inode,
                     "/proc/self/fd/" + std::to_string(it->second.get()),
                     {},
                     "only its sockets (socket of fd " + std::to_string(fd) + " of pid " + std::to_string(pid) + ")"};
  return self;
}

Result<int> LiveSource::diag_socket(const Netns& ns) {
  auto it = sockets_.find(ns.inode);
  if (it == sockets_.end()) {
    auto fd = sockdiag::open_in_netns(ns.path);
    if (!fd) return fd.error();
    it = sockets_.emplace(ns.inode, std::move(fd.value())).first;
  }
  return it->second.get();
}

Result<sockdiag::Dump> LiveSource::dump(const Netns& ns, DumpKind kind) {
  auto sock = diag_socket(ns);
  if (!sock) return sock.error();
  int fd = sock.value();
  switch (kind) {
    case DumpKind::kUnix: return sockdiag::dump_unix(fd);
    case DumpKind::kTcp4: return sockdiag::dump_inet(fd, AF_INET, IPPROTO_TCP);
    case DumpKind::kTcp6: return sockdiag::dump_inet(fd, AF_INET6, IPPROTO_TCP);
    case DumpKind::kUdp4: return sockdiag::dump_inet(fd, AF_INET, IPPROTO_UDP);
    case DumpKind::kUdp6: return sockdiag::dump_inet(fd, AF_INET6, IPPROTO_UDP);
    case DumpKind::kUdplite4: return sockdiag::dump_inet(fd, AF_INET, IPPROTO_UDPLITE);
    case DumpKind::kUdplite6: return sockdiag::dump_inet(fd, AF_INET6, IPPROTO_UDPLITE);
    case DumpKind::kRaw4: return sockdiag::read_proc_net(ns.path, "raw");
    case DumpKind::kRaw6: return sockdiag::read_proc_net(ns.path, "raw6");
    case DumpKind::kIcmp4: return sockdiag::read_proc_net(ns.path, "icmp");
    case DumpKind::kIcmp6: return sockdiag::read_proc_net(ns.path, "icmp6");
    case DumpKind::kPacket: return sockdiag::dump_packet(fd);
    case DumpKind::kNetlink: return sockdiag::dump_netlink(fd);
  }
  return Error{"unknown dump kind", 0, {}};
}

std::string LiveSource::interface_name(const Netns& ns, int ifindex) {
  auto sock = diag_socket(ns);
  if (!sock) return {};
  auto name = sockdiag::interface_name(sock.value(), ifindex);
  return name ? name.value() : std::string();
}

uint64_t LiveSource::own_socket_inode(const Netns& ns) {
  auto it = sockets_.find(ns.inode);
  struct stat st {};
  if (it == sockets_.end() || ::fstat(it->second.get(), &st) != 0) return 0;
  return st.st_ino;
}

uint64_t ReplaySource::own_socket_inode(const Netns& ns) {
  auto text = read_small_file(dir_ + "/diag/" + std::to_string(ns.inode) + "/own");
  if (!text) return 0;
  while (!text->empty() && text->back() == '\n') text->pop_back();
  return parse_u64(*text).value_or(0);
}

// netns.txt: "INODE PATH [NAME]" per line, as record() writes it (path and
// name \ooo-escaped as in mountinfo).
std::vector<Netns> ReplaySource::namespaces(const std::vector<procfs::Process>&) {
  std::vector<Netns> out;
  std::istringstream in(read_small_file(dir_ + "/netns.txt").value_or(""));
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    std::istringstream ls(line);
    std::string inode;
    Netns ns;
    ls >> inode >> ns.path >> ns.name;
    ns.path = octal_unescape(ns.path);
    ns.name = octal_unescape(ns.name);
    auto ino = parse_u64(inode);
    if (ino && *ino != 0 && !ns.path.empty()) {
      ns.inode = *ino;
      out.push_back(ns);
    } else if (!line.empty()) {  // the text is the fixture's: shown escaped, cut
      diagnostics_.push_back(
          {dir_ + "/netns.txt line " + std::to_string(n) + " is not `INODE PATH [NAME]`: " + line.substr(0, 80),
           "record the fixture again with `sockscope record DIR`", 0});
    }
  }
  return out;
}

Result<sockdiag::Dump> ReplaySource::dump(const Netns& ns, DumpKind kind) {
  std::string path = dir_ + "/diag/" + std::to_string(ns.inode) + "/" + dump_kind_name(kind);
  auto bytes = read_small_file(path);
  if (!bytes && kind > DumpKind::kUdp6 && ::access(path.c_str(), F_OK) != 0)
    return Error{"the fixture predates the " + std::string(dump_kind_name(kind)) + " dump", kNotRecorded, {}};
  if (!bytes) return Error{"no recorded dump at " + path, 0, "record the fixture again"};
  // Even a namespace without sockets answers with NLMSG_DONE: empty is cut.
  if (bytes->empty())
    return Error{"the recorded dump " + path + " is empty (a dump ends with NLMSG_DONE: the recording was cut)", 0,
                 "record the fixture again"};
  return sockdiag::Dump(bytes->begin(), bytes->end());
}

Result<SocketSelf> ReplaySource::ask_socket(int, int) {
  return Error{"a recorded fixture holds no descriptors to ask", 0, {}};
}

Result<Ok> check_fixture(const std::string& dir) {
  struct stat st {};
  bool has_proc = ::stat((dir + "/proc").c_str(), &st) == 0 && S_ISDIR(st.st_mode);
  bool has_netns = ::stat((dir + "/netns.txt").c_str(), &st) == 0 && S_ISREG(st.st_mode);
  if (has_proc && has_netns) return Ok{};
  return Error{dir + " is not a recorded fixture (no " + (has_proc ? "netns.txt" : "proc/") + ")", 0,
               "record one with `sockscope record DIR`"};
}

}  // namespace sockscope::inventory
