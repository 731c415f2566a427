// SPDX-License-Identifier: GPL-2.0-only
// The inventory as a Graphviz digraph (`ls --format dot`). Node and cluster
// ids are made of numbers only; every name goes through dot_label().
#include <fmt/format.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <map>
#include <set>
#include <unordered_set>

#include "inventory/explain.h"
#include "render/escape.h"
#include "render/inventory.h"
#include "roles/roles.h"

namespace sockscope::render {
namespace {

// What the picture holds: the rows, the sockets at their other ends (so
// every edge has both ends drawn), and the processes holding any of them.
struct Picture {
  std::vector<const SocketInfo*> sockets;
  std::set<int> pids;
};

Picture picture_of(const inventory::Inventory& inv, const std::vector<const SocketInfo*>& rows) {
  Picture p;
  std::unordered_set<uint64_t> seen;
  auto add = [&](const SocketInfo* s) {
    if (s && seen.insert(s->inode).second) p.sockets.push_back(s);
  };
  for (const SocketInfo* s : rows) add(s);
  for (const SocketInfo* s : rows) {
    if (s->peer_inode) add(inv.find(s->peer_inode));
    for (uint64_t c : s->pending) add(inv.find(c));
    add(inv.pending_listener(s->inode));
  }
  for (const SocketInfo* s : p.sockets)
    for (const auto& o : s->owners) p.pids.insert(o.pid);
  return p;
}

std::string name_line(const SocketInfo& s) {
  if (s.family == AF_UNIX) {
    std::string l = s.local.empty() ? "(unnamed)" : shown_name(s);
    if (s.path_state == PathState::kUnlinked) l += " (unlinked)";
    if (s.path_state == PathState::kReplaced) l += " (replaced)";
    return l;
  }
  if (s.remote.empty() || s.state == TCP_LISTEN) return s.local;
  return s.local + " -> " + s.remote;
}

std::string socket_node(const inventory::Inventory& inv, const SocketInfo& s) {
  std::vector<std::string> lines = {fmt::format("{} {}", kind_text(s), s.in_dump ? state_text(s) : "?")};
  if (std::string n = name_line(s); !n.empty()) lines.push_back(n);
  lines.push_back(fmt::format("inode {}", s.inode));
  const SocketInfo* peer = s.peer_inode ? inv.find(s.peer_inode) : nullptr;
  auto role = inventory::role_of(s, peer);
  if (role) lines.push_back("[" + role->name + "]");
  std::string style = s.owners.empty() ? "dashed" : "solid";
  if (role) style += ",filled";
  return fmt::format("s{} [shape=box, style=\"{}\", fillcolor=\"#fde9b6\", label={}];\n", s.inode, style,
                     dot_label(lines));
}

// The roles a process serves: those of the bound paths it holds a listener of.
std::set<std::string> served_roles(const Picture& p, int pid) {
  std::set<std::string> out;
  for (const SocketInfo* s : p.sockets) {
    if (s->family != AF_UNIX || s->local.empty() || s->state != TCP_LISTEN) continue;
    bool held = false;
    for (const auto& o : s->owners) held = held || o.pid == pid;
    if (auto r = held ? roles::for_path(s->local) : std::nullopt) out.insert(r->name);
  }
  return out;
}

std::string process_node(const inventory::Inventory& inv, const Picture& p, int pid) {
  const inventory::ProcessInfo* info = inv.process(pid);
  std::vector<std::string> lines = {fmt::format("{}[{}]", info ? info->comm : "?", pid)};
  auto served = served_roles(p, pid);
  for (const auto& r : served) lines.push_back("serves " + r);
  return fmt::format("p{} [shape=ellipse, style=filled, fillcolor=\"{}\", label={}];\n", pid,
                     served.empty() ? "#dbe8f6" : "#fde9b6", dot_label(lines));
}

// Processes of one network namespace, by container (the id in their cgroup
// path, "" for none) and mount namespace.
using Group = std::pair<std::string, uint64_t>;
using Mounts = std::map<Group, std::vector<int>>;

std::string group_label(const Group& g) {
  if (g.first.empty()) return fmt::format("mount namespace {}", g.second);
  return fmt::format("container {} (mount namespace {})", g.first.substr(0, 12), g.second);
}

std::string netns_cluster(const inventory::Inventory& inv, const Picture& p, uint64_t netns, const Mounts& mounts) {
  std::string out = fmt::format("subgraph cluster_net_{} {{\n", netns);
  std::string label = fmt::format("network namespace {}", netns);
  if (auto it = inv.namespaces.find(netns); it != inv.namespaces.end() && !it->second.name.empty())
    label += " (" + it->second.name + ")";
  out += "label=" + dot_label({label}) + ";\n";
  size_t n = 0;
  for (const auto& [group, pids] : mounts) {
    // One cluster per group when there are several, or when it is a container.
    bool cluster = mounts.size() > 1 || !group.first.empty();
    if (cluster)
      out += fmt::format("subgraph cluster_net_{}_mnt_{}{} {{\nlabel={};\n", netns, group.second,
                         group.first.empty() ? "" : fmt::format("_ctr_{}", n++), dot_label({group_label(group)}));
    for (int pid : pids) out += process_node(inv, p, pid);
    if (cluster) out += "}\n";
  }
  for (const SocketInfo* s : p.sockets)
    if (s->netns == netns) out += socket_node(inv, *s);
  return out + "}\n";
}

std::string edges(const inventory::Inventory& inv, const Picture& p) {
  std::string out;
  std::set<uint64_t> shown;
  for (const SocketInfo* s : p.sockets) shown.insert(s->inode);
  for (const SocketInfo* s : p.sockets) {
    for (const auto& o : s->owners)
      out += fmt::format("p{} -> s{} [arrowhead=none, color=\"#666666\", label=\"fd {}\"];\n", o.pid, s->inode, o.fd);
    // Each pair once, from the lower inode; a peer outside the picture was
    // not found (the text view says so).
    if (s->peer_inode > s->inode && shown.count(s->peer_inode) && inv.find(s->peer_inode))
      out += fmt::format("s{} -> s{} [dir=both, color=\"#1f5fa8\", penwidth=2, label=\"peer\"];\n", s->inode,
                         s->peer_inode);
    for (uint64_t c : s->pending)
      if (shown.count(c))
        out += fmt::format("s{} -> s{} [style=dashed, color=\"#c0392b\", label=\"pending\"];\n", c, s->inode);
  }
  return out;
}

}  // namespace

std::string ls_dot(const inventory::Inventory& inv, const std::vector<const SocketInfo*>& rows) {
  Picture p = picture_of(inv, rows);
  std::map<uint64_t, Mounts> by_netns;  // netns -> (container, mntns) -> pids; 0: unknown
  for (const SocketInfo* s : p.sockets) by_netns[s->netns];
  for (int pid : p.pids) {
    const inventory::ProcessInfo* info = inv.process(pid);
    Group g = info ? Group{info->container, info->mntns} : Group{};
    by_netns[info ? info->netns : 0][g].push_back(pid);
  }
  std::string out = "digraph sockscope {\n"
                    "graph [rankdir=LR, fontname=\"Helvetica\", fontsize=11, labeljust=l];\n"
                    "node [fontname=\"Helvetica\", fontsize=10];\n"
                    "edge [fontname=\"Helvetica\", fontsize=9];\n";
  for (const auto& [netns, mounts] : by_netns) {
    if (netns != 0) {
      out += netns_cluster(inv, p, netns, mounts);
      continue;
    }
    // Sockets that could not say their namespace, processes whose
    // namespace could not be read: drawn outside every cluster.
    for (const auto& [group, pids] : mounts)
      for (int pid : pids) out += process_node(inv, p, pid);
    for (const SocketInfo* s : p.sockets)
      if (s->netns == 0) out += socket_node(inv, *s);
  }
  return out + edges(inv, p) + "}\n";
}

}  // namespace sockscope::render
