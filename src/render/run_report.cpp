// SPDX-License-Identifier: GPL-2.0-only
#include "render/run_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <unordered_map>

#include "model/socket.h"
#include "render/escape.h"
#include "render/event.h"
#include "render/stack.h"

namespace sockscope::render {
namespace {

std::string owners(const std::vector<Owner>& os) {
  std::string s;
  for (size_t i = 0; i < os.size() && i < 3; i++)
    s += fmt::format("{}{}[{}] fd {}", i ? ", " : "", printable(os[i].comm), os[i].pid, os[i].fd);
  if (os.size() > 3) s += fmt::format(" +{} more", os.size() - 3);
  return s.empty() ? "no process holds it" : s;
}

// What every line of one report shares, computed once: per line, a run of
// 200,000 sockets took minutes to render (both were linear scans).
struct Context {
  uint64_t t0 = UINT64_MAX;  // the first socket's creation: times are relative to it
  std::unordered_map<uint64_t, const SocketRecord*> by_inode;

  explicit Context(const RunReport& r) {
    for (const auto& s : r.sockets) {
      t0 = std::min(t0, s.created.ts_ns);
      by_inode.emplace(s.inode, &s);
    }
  }
};

std::string peer_text(const Context& ctx, const SocketRecord& s) {
  if (s.peer) {
    std::string t = owners(s.peer->owners);
    if (!s.peer->path.empty()) t += " at " + printable(s.peer->path);
    if (!s.peer->role.empty()) t += " (" + s.peer->role + ")";
    return fmt::format("{} [ino {}; {}]", t, s.peer->inode, s.peer->how);
  }
  if (auto it = ctx.by_inode.find(s.peer_ino); s.peer_ino && it != ctx.by_inode.end())
    return fmt::format("ino {}, made by this process tree ({}[{}])", it->second->inode,
                       printable(it->second->created.comm), it->second->created.tgid);
  if (s.peer_ino) return fmt::format("ino {} (gone before it could be looked up)", s.peer_ino);
  for (const auto& e : s.events)
    if (e.kind == EventKind::kConnect && e.failed() && s.remote.empty())
      return fmt::format("none (connect failed: {})", errno_name(e.error()));
  return "unknown";
}

double rel_s(uint64_t t0, uint64_t ts) { return ts >= t0 ? static_cast<double>(ts - t0) / 1e9 : 0; }

void socket_text(std::string& out, const Context& ctx, const SocketRecord& s, size_t n) {
  const Event& c = s.created;
  out +=
      fmt::format("  #{} {} ino {}{}\n", n, family_type(s.family, s.type), s.inode, s.closed ? "" : "  OPEN AT EXIT");
  out += fmt::format("      made by {} fd {} via {}", who(c), c.fd, kind_name(c.kind));
  if (c.kind == EventKind::kAccept) out += fmt::format(" on listener fd {}", c.fd2);
  out += fmt::format(" at +{:.3f}s\n", rel_s(ctx.t0, c.ts_ns));
  if (c.stack) out += stack_text(*c.stack, "        ");  // --stacks
  for (const auto& e : s.events) {
    std::string what = e.address.empty() ? "" : " " + printable(e.address);
    out += fmt::format("      {} {} fd {}{} {} at +{:.3f}s\n", kind_name(e.kind), who(e), e.fd, what, result_text(e),
                       rel_s(ctx.t0, e.ts_ns));
    if (e.stack) out += stack_text(*e.stack, "        ");
  }
  if (s.family == 1 /* AF_UNIX */ || s.peer || s.peer_ino) out += "      peer: " + peer_text(ctx, s) + "\n";
}

nlohmann::json peer_json(const RunReport& r, const SocketRecord& s) {
  if (!s.peer) return s.peer_ino ? nlohmann::json{{"inode", s.peer_ino}} : nlohmann::json();
  nlohmann::json owners = nlohmann::json::array();
  for (const auto& o : s.peer->owners) owners.push_back({{"pid", o.pid}, {"fd", o.fd}, {"comm", o.comm}});
  (void)r;
  return {{"inode", s.peer->inode},
          {"owners", owners},
          {"path", s.peer->path},
          {"role", s.peer->role},
          {"how", s.peer->how}};
}

}  // namespace

std::string report_text(const RunReport& r, const Clock& clock) {
  (void)clock;
  std::string cmd;
  for (const auto& a : r.command) cmd += (cmd.empty() ? "" : " ") + shell_quote(a);
  std::string out = fmt::format("sockscope run: `{}` exited with code {} after {:.2f}s (backend {})\n", cmd,
                                r.exit_code, r.seconds, r.backend);
  out += "processes:\n";
  for (const auto& p : r.processes) {
    out += fmt::format("  {}[{}] ppid {}", printable(p.comm), p.pid, p.ppid);
    for (const auto& x : p.execs) out += " exec " + printable(x);
    if (p.exit_status) out += fmt::format(" exit {}", (*p.exit_status >> 8) & 0xff);
    if (p.exit_status && (*p.exit_status & 0x7f)) out += fmt::format(" (signal {})", *p.exit_status & 0x7f);
    out += "\n";
  }
  size_t open = 0;
  for (const auto& s : r.sockets) open += s.closed ? 0 : 1;
  out += fmt::format("sockets made by the process tree: {} ({} still open at exit)\n", r.sockets.size(), open);
  Context ctx(r);
  for (size_t i = 0; i < r.sockets.size(); i++) socket_text(out, ctx, r.sockets[i], i + 1);
  if (!r.path_events.empty()) out += "path events:\n";
  for (const auto& e : r.path_events)
    out += fmt::format("  {} {} {}{} {}\n", who(e), kind_name(e.kind), printable(e.path),
                       e.path2.empty() ? "" : " -> " + printable(e.path2), result_text(e));
  out += stats_text(r.stats) + "\n";
  return out;
}

nlohmann::json report_json(const RunReport& r, const Clock& clock) {
  nlohmann::json procs = nlohmann::json::array(), socks = nlohmann::json::array(), paths = nlohmann::json::array();
  for (const auto& p : r.processes) {
    nlohmann::json j = {{"pid", p.pid}, {"ppid", p.ppid}, {"comm", p.comm}, {"execs", p.execs}};
    if (p.exit_status) j["exit_status"] = *p.exit_status;
    procs.push_back(j);
  }
  for (const auto& s : r.sockets) {
    nlohmann::json evs = nlohmann::json::array();
    for (const auto& e : s.events) evs.push_back(event_json(e, clock));
    socks.push_back({{"inode", s.inode},
                     {"family", family_type(s.family, 0)},
                     {"type", s.type ? type_name(s.type) : ""},
                     {"local", s.local},
                     {"remote", s.remote},
                     {"created", event_json(s.created, clock)},
                     {"events", evs},
                     {"open_at_exit", !s.closed},
                     {"peer", peer_json(r, s)}});
  }
  for (const auto& e : r.path_events) paths.push_back(event_json(e, clock));
  return {{"command", r.command}, {"exit_code", r.exit_code}, {"backend", r.backend}, {"seconds", r.seconds},
          {"processes", procs},   {"sockets", socks},         {"path_events", paths}, {"stats", stats_json(r.stats)}};
}

}  // namespace sockscope::render

namespace sockscope::render {

std::vector<FlamePath> report_flame_paths(const RunReport& r) {
  std::vector<FlamePath> out;
  auto add = [&out](const Event& e) {
    if (e.stack) out.push_back(flame_path(e, *e.stack));
  };
  for (const auto& s : r.sockets) {
    add(s.created);
    for (const auto& e : s.events) add(e);
  }
  return out;
}

std::string report_folded(const RunReport& r) { return folded_lines(report_flame_paths(r)); }

}  // namespace sockscope::render
