// SPDX-License-Identifier: GPL-2.0-only
// `sockscope fd PID FD` in a few readable lines.
#include <fmt/format.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "render/escape.h"
#include "render/inventory.h"

namespace sockscope::render {
namespace {

// "netns N", with what keeps it alive when no process runs in it.
std::string netns_text(const inventory::Inventory& inv, uint64_t netns) {
  if (netns == 0) return "netns unknown";
  std::string out = fmt::format("netns {}", netns);
  auto ns = inv.namespaces.find(netns);
  if (ns != inv.namespaces.end() && !ns->second.held_by.empty() && !ns->second.held_by.starts_with("pid "))
    out += " (kept alive by " + printable(ns->second.held_by) + ")";
  return out;
}

std::string describe_socket(const inventory::Inventory& inv, const SocketInfo& s) {
  if (s.family == 0)
    return fmt::format("socket in no dump, inode {}: it could not be asked what it is, {}", s.inode,
                       netns_text(inv, s.netns));
  bool inet = s.family == AF_INET || s.family == AF_INET6;
  std::string what =
      fmt::format("{} {} socket", family_name(s.family), inet ? protocol_name(s.protocol) : type_name(s.type));
  // A raw inet socket, a packet or a netlink socket: its type, and the
  // protocol it was opened with.
  if ((inet && s.type == SOCK_RAW) || s.family == AF_PACKET || s.family == AF_NETLINK)
    what =
        fmt::format("{} {} socket ({})", family_name(s.family), type_name(s.type), protocol_name(s.family, s.protocol));
  if (!s.in_dump) what += " (in no sock_diag dump: no state, address or peer known)";
  std::string out = fmt::format("{}, inode {}, {}, {}", what, s.inode, state_text(s), netns_text(inv, s.netns));
  if (!s.local.empty()) out += ", local " + local_text(s);
  if (!s.remote.empty() && s.state != TCP_CLOSE) out += ", remote " + printable(s.remote);
  return out;
}

std::string describe_peer(const inventory::Inventory& inv, const inventory::FdExplanation& e) {
  const SocketInfo& p = *e.peer;
  std::string holders = owners_text(p.owners, 8);
  std::string out = fmt::format("  peer: inode {}", p.inode);
  if (!p.local.empty()) out += ", " + printable(shown_name(p));
  out += holders.empty() ? ", held by no process" : ", held by " + holders;
  auto ns = inv.namespaces.find(p.netns);
  out += fmt::format(", netns {}", p.netns);
  if (ns != inv.namespaces.end() && !ns->second.name.empty()) out += " (" + printable(ns->second.name) + ")";
  if (e.peer_in_other_netns) out += " (another network namespace)";
  out += "\n";
  // An accepted unix socket lives in the connecting side's netns
  // (unix_stream_connect()), so its holder may run in another one.
  for (const auto& o : p.owners) {
    const auto* proc = inv.process(o.pid);
    if (proc && proc->netns != p.netns)
      out += fmt::format("  {}[{}] itself runs in netns {}\n", printable(o.comm), o.pid, proc->netns);
  }
  return out;
}

}  // namespace

std::string fd_text(const inventory::Inventory& inv, const inventory::FdExplanation& e, const Style& style) {
  std::string out =
      style.bold(fmt::format("pid {} ({}) fd {} -> {}", e.pid, printable(e.comm), e.fd, printable(e.target))) + "\n";
  switch (e.kind) {
    case inventory::FdKind::kSocket:
      out += e.socket ? "  " + describe_socket(inv, *e.socket) + "\n"
                      : "  socket not found in any dump (it may have just been closed)\n";
      if (e.peer && !e.listener) out += describe_peer(inv, e);
      if (e.listener)
        out += "  listener: " + printable(shown_name(*e.listener)) + ", held by " + owners_text(e.listener->owners, 8) +
               "\n";
      if (e.role) out += "  role: " + e.role->name + ": " + e.role->description + "\n";
      if (!e.no_peer_reason.empty()) out += "  " + style.yellow("no peer:") + " " + printable(e.no_peer_reason) + "\n";
      break;
    case inventory::FdKind::kPipe:
      out += "  pipe";
      out += e.others.empty() ? "; no other process holds it (the other end is closed)\n"
                              : "; also held by " + owners_text(e.others, 8) + "\n";
      break;
    case inventory::FdKind::kFile:
      out += "  file";
      if (e.target.size() > 10 && e.target.ends_with(" (deleted)")) out += " (deleted)";
      out += "\n";
      break;
    case inventory::FdKind::kAnonInode: out += "  anonymous inode (" + printable(e.target.substr(11)) + ")\n"; break;
    case inventory::FdKind::kOther: break;
  }
  if (e.kind != inventory::FdKind::kPipe && !e.others.empty())
    out += "  also held by " + owners_text(e.others, 8) + "\n";
  return out + diagnostics_text(inv.diagnostics, style);
}

}  // namespace sockscope::render
