// SPDX-License-Identifier: GPL-2.0-only
#include "inventory/source.h"

#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "base/strings.h"

namespace sockscope::inventory {

const char* dump_kind_name(DumpKind k) {
  switch (k) {
    case DumpKind::kUnix: return "unix";
    case DumpKind::kTcp4: return "tcp4";
    case DumpKind::kTcp6: return "tcp6";
    case DumpKind::kUdp4: return "udp4";
    case DumpKind::kUdp6: return "udp6";
  }
  return "?";
}

namespace {

// Named namespaces are bind mounts of nsfs files (ip-netns(8)); a stale entry
// whose mount is gone stats as a regular empty file and is skipped by the
// st_dev check against our own netns file.
void add_named(const std::string& dir, std::map<uint64_t, Netns>& out) {
  struct stat self{};
  if (::stat("/proc/self/ns/net", &self) != 0) return;
  DIR* d = ::opendir(dir.c_str());
  if (!d) return;
  while (dirent* e = ::readdir(d)) {
    if (e->d_name[0] == '.') continue;
    std::string path = dir + "/" + e->d_name;
    struct stat st{};
    if (::stat(path.c_str(), &st) != 0 || st.st_dev != self.st_dev) continue;
    auto [it, fresh] = out.try_emplace(st.st_ino, Netns{st.st_ino, path, e->d_name});
    if (!fresh) it->second.name = e->d_name;
  }
  ::closedir(d);
}

}  // namespace

std::vector<Netns> LiveSource::namespaces(const std::vector<procfs::Process>& procs) {
  std::map<uint64_t, Netns> found;
  for (const auto& p : procs) {
    if (p.netns == 0 || found.count(p.netns)) continue;
    found[p.netns] = Netns{p.netns, "/proc/" + std::to_string(p.pid) + "/ns/net", {}};
  }
  add_named(netns_dir_, found);
  std::vector<Netns> out;
  for (auto& [ino, ns] : found) out.push_back(ns);
  return out;
}

Result<sockdiag::Dump> LiveSource::dump(const Netns& ns, DumpKind kind) {
  auto it = sockets_.find(ns.inode);
  if (it == sockets_.end()) {
    auto fd = sockdiag::open_in_netns(ns.path);
    if (!fd) return fd.error();
    it = sockets_.emplace(ns.inode, std::move(fd.value())).first;
  }
  int fd = it->second.get();
  switch (kind) {
    case DumpKind::kUnix: return sockdiag::dump_unix(fd);
    case DumpKind::kTcp4: return sockdiag::dump_inet(fd, AF_INET, IPPROTO_TCP);
    case DumpKind::kTcp6: return sockdiag::dump_inet(fd, AF_INET6, IPPROTO_TCP);
    case DumpKind::kUdp4: return sockdiag::dump_inet(fd, AF_INET, IPPROTO_UDP);
    case DumpKind::kUdp6: return sockdiag::dump_inet(fd, AF_INET6, IPPROTO_UDP);
  }
  return Error{"unknown dump kind", 0, {}};
}

std::vector<Netns> ReplaySource::namespaces(const std::vector<procfs::Process>&) {
  std::vector<Netns> out;
  std::ifstream in(dir_ + "/netns.txt");
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream ls(line);
    Netns ns;
    ls >> ns.inode >> ns.path >> ns.name;
    if (ns.inode) out.push_back(ns);
  }
  return out;
}

Result<sockdiag::Dump> ReplaySource::dump(const Netns& ns, DumpKind kind) {
  std::string path = dir_ + "/diag/" + std::to_string(ns.inode) + "/" + dump_kind_name(kind);
  auto bytes = read_small_file(path);
  if (!bytes) return Error{"no recorded dump at " + path, 0, "record the fixture again"};
  return sockdiag::Dump(bytes->begin(), bytes->end());
}

}  // namespace sockscope::inventory
