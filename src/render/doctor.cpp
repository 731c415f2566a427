// SPDX-License-Identifier: GPL-2.0-only
#include "render/doctor.h"

#include <fmt/format.h>

#include "render/inventory.h"

namespace sockscope::render {

std::string doctor_text(const std::vector<doctor::Finding>& findings,
                        const std::vector<Diagnostic>& diags) {
  std::string out;
  for (const auto& f : findings) {
    out += fmt::format("[{}] {}\n", doctor::check_name(f.check), f.what);
    if (!f.holders.empty()) out += "  held by: " + owners_text(f.holders, 8) + "\n";
    if (!f.related.empty()) out += "  the path now belongs to: " + owners_text(f.related, 8) + "\n";
    out += "  why: " + f.why + "\n";
    out += "  do:  " + f.todo + "\n";
  }
  if (findings.empty()) out += "no findings\n";
  return out + diagnostics_text(diags);
}

nlohmann::json doctor_json(const std::vector<doctor::Finding>& findings,
                           const std::vector<Diagnostic>& diags) {
  auto owners = [](const std::vector<Owner>& v) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& o : v) a.push_back({{"pid", o.pid}, {"fd", o.fd}, {"comm", o.comm}});
    return a;
  };
  nlohmann::json a = nlohmann::json::array();
  for (const auto& f : findings)
    a.push_back({{"check", doctor::check_name(f.check)}, {"inode", f.inode},
                 {"holders", owners(f.holders)}, {"what", f.what}, {"why", f.why},
                 {"todo", f.todo}, {"related", owners(f.related)}});
  return {{"findings", a}, {"diagnostics", diagnostics_json(diags)}};
}

}  // namespace sockscope::render
