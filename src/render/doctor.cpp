// SPDX-License-Identifier: GPL-2.0-only
#include "render/doctor.h"

#include <fmt/format.h>

#include "render/escape.h"
#include "render/history.h"
#include "render/inventory.h"
#include "render/watch.h"

namespace sockscope::render {
namespace {

// "started by sh[120] `sh -c ...` <- agent[100] ..." (the parent chain).
std::string ancestry_text(const Lineages& lineages, const std::vector<Owner>& who) {
  if (who.empty()) return {};
  auto it = lineages.find(who.front().pid);
  if (it == lineages.end() || it->second.size() < 2) return {};
  std::string out;
  for (size_t i = 1; i < it->second.size(); ++i)
    out += fmt::format("{}{}[{}] {}", i > 1 ? " <- " : "", printable(it->second[i].comm), it->second[i].pid,
                       command_text(it->second[i]));
  return out;
}

nlohmann::json ancestry_json(const Lineages& lineages, const std::vector<Owner>& who) {
  if (who.empty()) return nlohmann::json::array();
  auto it = lineages.find(who.front().pid);
  return it == lineages.end() ? nlohmann::json::array() : lineage_json(it->second);
}

// A recorded command line, cut like command_text() (never inside a character).
std::string short_argv(const std::string& argv, const std::string& comm) {
  std::string cmd = argv.empty() ? "[" + printable(comm) + "]" : argv_text(argv);
  if (cmd.size() <= 160) return cmd;
  size_t cut = 157;
  while (cut > 0 && (static_cast<unsigned char>(cmd[cut]) & 0xc0) == 0x80) --cut;
  return cmd.substr(0, cut) + "...";
}

// "2026-12-06 21:03:07.123456 unlinked by rm[4242] rm -f /tmp/x.sock (/usr/bin/rm)",
// then "    started by: bash[4200] bash act.sh <- sshd[900] ...".
std::string change_text(const doctor::PathChange& c) {
  using A = doctor::PathChange::Action;
  std::string what = doctor::action_name(c.action);
  if (c.action == A::kRenamedAway) what = "renamed to " + printable(c.other_path);
  if (c.action == A::kRenamedOnto) what = "replaced by a rename of " + printable(c.other_path);
  if (c.action == A::kBound) what = fmt::format("bound again (socket inode {})", c.bound_inode);
  std::string out = fmt::format("  history: {} {} by {}[{}] {}", wall_text(c.wall_ns), what, printable(c.comm), c.pid,
                                short_argv(c.argv, c.comm));
  if (!c.exe.empty()) out += " (" + printable(c.exe) + ")";
  if (c.other_mntns) out += fmt::format(" in another mount namespace (mnt:[{}])", c.mntns);
  out += "\n";
  std::string chain;
  for (const auto& a : c.chain)
    chain += fmt::format("{}{}[{}] {}", chain.empty() ? "" : " <- ", a.comm.empty() ? "?" : printable(a.comm), a.pid,
                         a.argv.empty() ? std::string() : short_argv(a.argv, a.comm));
  if (!chain.empty()) out += "    started by: " + chain + "\n";
  return out;
}

nlohmann::json changes_json(const std::vector<doctor::PathChange>& changes) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& c : changes) {
    nlohmann::json chain = nlohmann::json::array();
    for (const auto& p : c.chain) chain.push_back({{"pid", p.pid}, {"comm", p.comm}, {"argv", argv_json(p.argv)}});
    nlohmann::json j{{"action", doctor::action_name(c.action)},
                     {"time_ns", c.wall_ns},
                     {"time", wall_text(c.wall_ns)},
                     {"time_utc", utc_json(c.wall_ns)},
                     {"pid", c.pid},
                     {"tid", c.tid},
                     {"uid", c.uid},
                     {"comm", c.comm},
                     {"exe", c.exe},
                     {"argv", argv_json(c.argv)},
                     {"mntns", c.mntns},
                     {"other_mntns", c.other_mntns},
                     {"lineage", chain}};
    if (!c.other_path.empty()) j["other_path"] = c.other_path;
    if (c.bound_inode) j["bound_inode"] = c.bound_inode;
    a.push_back(std::move(j));
  }
  return a;
}

}  // namespace

std::string doctor_text(const std::vector<doctor::Finding>& findings, const std::vector<Diagnostic>& diags,
                        const Lineages& lineages, const Style& style) {
  std::string out;
  for (const auto& f : findings) {
    out += style.yellow(fmt::format("[{}]", doctor::check_name(f.check))) + " " + style.bold(printable(f.what)) + "\n";
    if (!f.holders.empty()) out += "  held by: " + owners_text(f.holders, 8) + "\n";
    if (auto a = ancestry_text(lineages, f.holders); !a.empty()) out += "    started by: " + a + "\n";
    if (!f.related.empty()) out += "  the path now belongs to: " + owners_text(f.related, 8) + "\n";
    if (auto a = ancestry_text(lineages, f.related); !a.empty()) out += "    started by: " + a + "\n";
    for (const auto& c : f.history) out += change_text(c);
    if (!f.no_record.empty()) out += "  history: " + printable(f.no_record) + "\n";
    out += "  why: " + printable(f.why) + "\n";
    out += "  do:  " + printable_command(f.todo) + "\n";
  }
  if (findings.empty()) out += "no findings\n";
  return out + diagnostics_text(diags, style);
}

nlohmann::json doctor_json(const std::vector<doctor::Finding>& findings, const std::vector<Diagnostic>& diags,
                           const Lineages& lineages) {
  auto owners = [](const std::vector<Owner>& v) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& o : v) a.push_back({{"pid", o.pid}, {"fd", o.fd}, {"comm", o.comm}});
    return a;
  };
  nlohmann::json a = nlohmann::json::array();
  for (const auto& f : findings) {
    nlohmann::json j{{"check", doctor::check_name(f.check)},
                     {"inode", f.inode},
                     {"holders", owners(f.holders)},
                     {"what", f.what},
                     {"why", f.why},
                     {"todo", f.todo},
                     {"related", owners(f.related)},
                     {"holder_lineage", ancestry_json(lineages, f.holders)},
                     {"related_lineage", ancestry_json(lineages, f.related)},
                     {"history", changes_json(f.history)}};
    if (!f.path.empty()) j["path"] = f.path;
    if (!f.no_record.empty()) j["history_missing"] = f.no_record;
    a.push_back(std::move(j));
  }
  return {{"findings", a}, {"diagnostics", diagnostics_json(diags)}};
}

}  // namespace sockscope::render
