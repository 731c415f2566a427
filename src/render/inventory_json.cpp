// SPDX-License-Identifier: GPL-2.0-only
// JSON views; the schema is docs/json.md.
#include <fmt/format.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "render/escape.h"
#include "render/inventory.h"
#include "render/schema.h"

namespace sockscope::render {
namespace {

using nlohmann::json;

json owners_json(const std::vector<Owner>& owners) {
  json a = json::array();
  for (const auto& o : owners) a.push_back({{"pid", o.pid}, {"fd", o.fd}, {"comm", o.comm}});
  return a;
}

json peer_json(const inventory::Inventory& inv, const SocketInfo& s) {
  if (s.peer_inode == 0) return nullptr;
  json p = {
      {"inode", s.peer_inode}, {"path", nullptr}, {"owners", json::array()}, {"netns", nullptr}, {"found", false}};
  if (const SocketInfo* peer = inv.find(s.peer_inode)) {
    p["found"] = true;
    p["path"] = peer->local.empty() ? json(nullptr) : json(shown_name(*peer));
    p["owners"] = owners_json(peer->owners);
    p["netns"] = peer->netns;
    if (peer->family != AF_UNIX) p["address"] = peer->local;
  }
  return p;
}

}  // namespace

json socket_json(const inventory::Inventory& inv, const SocketInfo& s) {
  // A socket in no dump: what it told of itself, and nulls for the rest.
  auto known = [&](auto v) { return s.in_dump ? json(v) : json(nullptr); };
  json j = {{"inode", s.inode},
            {"netns", s.netns ? json(s.netns) : json(nullptr)},
            {"family", family_name(s.family)},
            {"type", type_name(s.type)},
            {"state", known(state_name(s))},
            {"shutdown", s.in_dump && shutdown_name(s.shutdown) ? json(shutdown_name(s.shutdown)) : json(nullptr)},
            {"in_dump", s.in_dump},
            {"owners", owners_json(s.owners)},
            {"rqueue", known(s.rqueue)},
            {"wqueue", known(s.wqueue)},
            {"peer", peer_json(inv, s)}};
  if (s.family == AF_UNIX) {
    j["path"] = s.local.empty() ? json(nullptr) : json(shown_name(s));
    j["abstract"] = s.abstract;
    j["bound_inode"] = s.vfs_ino ? json(s.vfs_ino) : json(nullptr);
    j["path_state"] = path_state_name(s.path_state);
    if (s.path_state == PathState::kReplaced) j["path_now_inode"] = s.path_now_ino;
    j["resolved_path"] = s.resolved_path.empty() ? json(nullptr) : json(s.resolved_path);
    j["pending"] = s.pending;
    if (const SocketInfo* l = inv.pending_listener(s.inode))
      j["pending_on"] = {{"inode", l->inode}, {"path", shown_name(*l)}, {"owners", owners_json(l->owners)}};
  } else if (s.family == AF_INET || s.family == AF_INET6 || s.family == AF_PACKET || s.family == AF_NETLINK) {
    j["protocol"] = protocol_name(s.family, s.protocol);
    j["local"] = known(s.local);
    j["remote"] = s.in_dump && !s.remote.empty() ? json(s.remote) : json(nullptr);
    if (s.family == AF_PACKET) j["ifindex"] = known(s.ifindex);
  }
  std::string why = inventory::why_no_peer(inv, s);
  j["no_peer_reason"] = why.empty() ? json(nullptr) : json(why);
  auto peer = s.peer_inode ? inv.find(s.peer_inode) : nullptr;
  if (auto role = inventory::role_of(s, peer)) j["role"] = {{"name", role->name}, {"description", role->description}};
  return j;
}

json diagnostics_json(const std::vector<Diagnostic>& diags) {
  json a = json::array();
  for (const auto& d : diags) {
    json j = {{"message", d.what}, {"hint", d.hint}};
    if (d.pid) j["pid"] = d.pid;
    a.push_back(j);
  }
  return a;
}

std::string ls_json(const inventory::Inventory& inv, const std::vector<const SocketInfo*>& rows) {
  std::string out = fmt::format("{{\n\"{}\": {},\n\"sockets\": [", kJsonSchemaKey, kJsonSchema);
  for (size_t i = 0; i < rows.size(); ++i) {
    out += i ? ",\n  " : "\n  ";
    out += dump(socket_json(inv, *rows[i]));
  }
  json namespaces = json::array();
  for (const auto& [ino, ns] : inv.namespaces)
    namespaces.push_back(
        {{"inode", ino}, {"name", ns.name.empty() ? json(nullptr) : json(ns.name)}, {"held_by", ns.held_by}});
  out += "\n],\n\"namespaces\": " + dump(std::move(namespaces)) +
         ",\n\"diagnostics\": " + dump(diagnostics_json(inv.diagnostics), 2) + "\n}\n";
  return out;
}

json fd_json(const inventory::Inventory& inv, const inventory::FdExplanation& e) {
  static const char* kinds[] = {"socket", "pipe", "file", "anon_inode", "other"};
  json j = {{"pid", e.pid},
            {"fd", e.fd},
            {"comm", e.comm},
            {"target", e.target},
            {"kind", kinds[static_cast<int>(e.kind)]},
            {"others", owners_json(e.others)}};
  if (e.socket) j["socket"] = socket_json(inv, *e.socket);
  if (e.listener) j["listener"] = socket_json(inv, *e.listener);
  if (e.role) j["role"] = {{"name", e.role->name}, {"description", e.role->description}};
  j["no_peer_reason"] = e.no_peer_reason.empty() ? json(nullptr) : json(e.no_peer_reason);
  j["diagnostics"] = diagnostics_json(inv.diagnostics);
  return j;
}

}  // namespace sockscope::render
