// SPDX-License-Identifier: GPL-2.0-only
// Text views for people: one table row per socket, a few lines per fd.
#include <fmt/format.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "render/escape.h"
#include "render/inventory.h"
#include "render/table.h"

namespace sockscope::render {
namespace {

std::string netns_label(const inventory::Inventory& inv, uint64_t netns) {
  if (netns == 0) return "?";  // a socket in no dump that could not be asked
  auto it = inv.namespaces.find(netns);
  if (it != inv.namespaces.end() && !it->second.name.empty())
    return fmt::format("{}({})", netns, printable(it->second.name));
  return std::to_string(netns);
}

// The peer column: who is on the other end, or why nobody is shown.
std::string peer_text(const inventory::Inventory& inv, const SocketInfo& s) {
  std::string out;
  const SocketInfo* peer = s.peer_inode ? inv.find(s.peer_inode) : nullptr;
  if (peer) {
    out = owners_text(peer->owners);
    if (out.empty()) out = "(no holder)";
    if (!peer->local.empty()) out += " " + printable(shown_name(*peer));
    out += fmt::format(" ino={}", peer->inode);
    if (peer->netns != s.netns) out += " netns=" + netns_label(inv, peer->netns);
  } else if (const SocketInfo* l = inv.pending_listener(s.inode)) {
    out = fmt::format("not accepted yet by {} {}", owners_text(l->owners), printable(shown_name(*l)));
  } else if (s.state == TCP_LISTEN && !s.pending.empty()) {
    out = fmt::format("{} pending", s.pending.size());
  } else if (s.family != AF_UNIX && !s.remote.empty() && s.state != TCP_LISTEN && s.state != TCP_CLOSE) {
    out = printable(s.remote);
  } else if (s.peer_inode) {
    out = fmt::format("ino={} (not found)", s.peer_inode);
  } else if (s.family == AF_UNIX && s.type != SOCK_DGRAM && s.state == TCP_ESTABLISHED) {
    out = "(peer closed)";
  } else {
    out = "-";
  }
  if (auto role = inventory::role_of(s, peer)) out += " [" + role->name + "]";
  return out;
}

}  // namespace

std::string kind_text(const SocketInfo& s) {
  const char* v = s.family == AF_INET6 ? "6" : "4";
  if ((s.family == AF_INET || s.family == AF_INET6) && s.type == SOCK_RAW)
    return fmt::format("raw/{}:{}", v, protocol_name(s.protocol));
  if (s.family == AF_INET || s.family == AF_INET6) return fmt::format("{}/{}", protocol_name(s.protocol), v);
  if (s.family == 0) return "?";  // in no dump, and could not be asked
  return fmt::format("{}/{}", family_name(s.family), type_name(s.type));
}

std::string local_text(const SocketInfo& s) {
  std::string l = s.local.empty() ? "-" : printable(shown_name(s));
  if (s.path_state == PathState::kUnlinked) l += " (unlinked)";
  if (s.path_state == PathState::kReplaced) l += fmt::format(" (replaced: now inode {})", s.path_now_ino);
  if (!s.resolved_path.empty()) l += " (at " + printable(s.resolved_path) + ")";
  if (s.path_state == PathState::kRelative) l += " (relative: the binder's cwd is unknown)";
  return l;
}

std::string owners_text(const std::vector<Owner>& owners, size_t limit) {
  std::string out;
  for (size_t i = 0; i < owners.size() && i < limit; ++i)
    out += fmt::format("{}{}[{}]:{}", i ? "," : "", printable(owners[i].comm), owners[i].pid, owners[i].fd);
  if (owners.size() > limit) out += fmt::format(",+{} more", owners.size() - limit);
  return out;
}

std::string ls_text(const inventory::Inventory& inv, const std::vector<const SocketInfo*>& rows, const Style& style) {
  Table t({"NETNS", "INODE", "KIND", "STATE", "RQ", "WQ", "LOCAL", "HELD BY", "PEER"});
  for (const SocketInfo* s : rows) {
    std::string held = owners_text(s->owners);
    t.add({netns_label(inv, s->netns), std::to_string(s->inode), kind_text(*s), state_text(*s),
           std::to_string(s->rqueue), std::to_string(s->wqueue), local_text(*s), held.empty() ? "-" : held,
           peer_text(inv, *s)});
  }
  return t.str(style) + diagnostics_text(inv.diagnostics, style);
}

std::string diagnostics_text(const std::vector<Diagnostic>& diags, const Style& style) {
  std::string out;
  for (const auto& d : diags) {
    out += style.yellow("warning:") + " " + printable(d.what) + "\n";  // may quote a name or a path
    if (!d.hint.empty()) out += "  hint: " + printable(d.hint) + "\n";
  }
  return out;
}

}  // namespace sockscope::render
