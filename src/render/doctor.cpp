// SPDX-License-Identifier: GPL-2.0-only
#include "render/doctor.h"

#include <fmt/format.h>

#include "render/escape.h"
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

}  // namespace

std::string doctor_text(const std::vector<doctor::Finding>& findings,
                        const std::vector<Diagnostic>& diags, const Lineages& lineages) {
  std::string out;
  for (const auto& f : findings) {
    out += fmt::format("[{}] {}\n", doctor::check_name(f.check), printable(f.what));
    if (!f.holders.empty()) out += "  held by: " + owners_text(f.holders, 8) + "\n";
    if (auto a = ancestry_text(lineages, f.holders); !a.empty()) out += "    started by: " + a + "\n";
    if (!f.related.empty()) out += "  the path now belongs to: " + owners_text(f.related, 8) + "\n";
    if (auto a = ancestry_text(lineages, f.related); !a.empty()) out += "    started by: " + a + "\n";
    out += "  why: " + printable(f.why) + "\n";
    out += "  do:  " + printable_command(f.todo) + "\n";
  }
  if (findings.empty()) out += "no findings\n";
  return out + diagnostics_text(diags);
}

nlohmann::json doctor_json(const std::vector<doctor::Finding>& findings,
                           const std::vector<Diagnostic>& diags, const Lineages& lineages) {
  auto owners = [](const std::vector<Owner>& v) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& o : v) a.push_back({{"pid", o.pid}, {"fd", o.fd}, {"comm", o.comm}});
    return a;
  };
  nlohmann::json a = nlohmann::json::array();
  for (const auto& f : findings)
    a.push_back({{"check", doctor::check_name(f.check)}, {"inode", f.inode},
                 {"holders", owners(f.holders)}, {"what", f.what}, {"why", f.why},
                 {"todo", f.todo}, {"related", owners(f.related)},
                 {"holder_lineage", ancestry_json(lineages, f.holders)},
                 {"related_lineage", ancestry_json(lineages, f.related)}});
  return {{"findings", a}, {"diagnostics", diagnostics_json(diags)}};
}

}  // namespace sockscope::render
